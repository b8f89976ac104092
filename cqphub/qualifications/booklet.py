"""The printable booklet of a version's three frameworks: HTML template → PDF (WeasyPrint)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from cqphub.qualifications.enums import AssessmentMethodKind
from cqphub.qualifications.exchange.document import build_document


def _method_label(kind: str) -> str:
    """The method's label in the active language (the XLSX sheet keeps its French labels)."""
    try:
        return str(AssessmentMethodKind(kind).label)
    except ValueError:
        return kind


def booklet_html(version) -> str:
    doc = build_document(version)
    for block in doc["blocks"]:
        for method in block["methods"]:
            method["label"] = _method_label(method["kind"])
        for test in block["tests"]:
            test["method_label"] = _method_label(test["method"])
    return render_to_string(
        "qualifications/booklet.html",
        {
            "version": version,
            "qualification": version.qualification,
            "doc": doc,
            "printed_on": timezone.localdate(),
        },
    )


def booklet_pdf(version, *, uncompressed: bool = False) -> bytes:
    from weasyprint import HTML  # imported lazily: Pango is only needed when a booklet is printed

    # PDF/UA-1: a tagged PDF (structure tree, language, title) that screen readers can follow
    return HTML(string=booklet_html(version)).write_pdf(uncompressed_pdf=uncompressed, pdf_variant="pdf/ua-1")
