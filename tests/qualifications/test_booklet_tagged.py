"""The booklet PDF is tagged (PDF/UA-1), its footer prints the title as written, rows are not split."""

import io

import pytest

from tests.factories.qualifications import QualificationFactory

pytestmark = pytest.mark.django_db

CQP_TITLE = "CQP Boulanger-tourier"


def test_booklet_is_tagged_and_its_footer_is_clean():
    from pypdf import PdfReader

    from cqphub.qualifications.booklet import booklet_html, booklet_pdf

    version = QualificationFactory(published=True, title=CQP_TITLE).latest_published()
    html = booklet_html(version)
    assert "u002D" not in html and 'content: "CQP Boulanger-tourier — v' in html
    assert "break-inside: avoid" in html  # a table row never starts on one page and ends on the next
    reader = PdfReader(io.BytesIO(booklet_pdf(version)))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]  # tagged
    assert str(root["/Lang"]).startswith("fr")
    footer_text = reader.pages[1].extract_text()
    assert "Boulanger-tourier — v" in footer_text and "u002D" not in footer_text
