"""The booklet's PDF/UA-1 structure, checked with pypdf: what a validator looks at first.

This is NOT a full PDF/UA-1 validation: that needs veraPDF (Java), which cannot be installed here or in
CI (no Debian, PyPI or npm package ships it; its download site and Maven Central are out of reach), and the
suite skips nothing. To validate by hand where veraPDF exists: `verapdf --flavour ua1 booklet.pdf`.
"""

import io
from collections import Counter

import pytest
from django.utils import translation

from tests.factories.qualifications import QualificationFactory

pytestmark = pytest.mark.django_db

CQP_TITLE = "CQP Pâtissier confiseur"


def _booklet(lang="fr") -> bytes:
    from cqphub.qualifications.booklet import booklet_pdf

    version = QualificationFactory(published=True, title=CQP_TITLE).latest_published()
    with translation.override(lang):
        return booklet_pdf(version)


def _struct_types(node, counts: Counter, depth=0) -> None:
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, list):
        for child in node:
            _struct_types(child, counts, depth + 1)
        return
    if not hasattr(node, "get") or depth > 200:
        return
    if node.get("/S") is not None:
        counts[str(node["/S"])] += 1
    kids = node.get("/K")
    if kids is not None:
        _struct_types(kids, counts, depth + 1)


def test_booklet_structure_language_title_and_tables():
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(_booklet()))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 - a pypdf BooleanObject
    assert str(root["/Lang"]).startswith("fr")
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712 - the title, not the file name
    assert CQP_TITLE in str(reader.metadata.title)
    xmp = reader.xmp_metadata
    assert xmp is not None
    raw = xmp.stream.get_data().decode("utf-8", "replace")
    assert "pdfuaid" in raw and CQP_TITLE in raw  # PDF/UA identification and the title in XMP
    counts: Counter = Counter()
    _struct_types(root["/StructTreeRoot"], counts)
    # headings, paragraphs, lists and the skills tables with header cells are all tagged
    assert counts["/H1"] >= 1 and counts["/P"] > 5
    assert counts["/Table"] >= 1 and counts["/TH"] >= 3 and counts["/TD"] > 10 and counts["/TR"] > 3
    assert counts["/L"] >= 1 and counts["/LI"] >= 1
    # every page's content belongs to the structure (the parent tree names each page)
    assert all("/StructParents" in page for page in reader.pages)


def test_booklet_in_english_declares_english():
    """The labels follow the reader's language, and so does the declared language (it said "fr" always)."""
    from pypdf import PdfReader

    root = PdfReader(io.BytesIO(_booklet("en"))).trailer["/Root"]
    assert str(root["/Lang"]).startswith("en")
