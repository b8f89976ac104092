"""Where the holder fields sit on the parchment, and the page's HTML (Django template).

The positions live here once: `credentials/parchment.html` lays out every constant mention around
them, and `parchment.ParchmentTemplate.fill` draws the holder's name, date of birth and number there.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from cqphub.credentials.parchment import Field, QrBox

FIELDS = {
    "holder_name": Field(148.5, 88, 22, style="name"),
    "birth": Field(148.5, 97, 10.5, style="text"),
    "number": Field(22, 196, 8, style="small", align="left"),
}
QR = QrBox(246, 163, 30)
AWARDED_TO_TOP = 70  # mm: the line above the holder's name


def parchment_html(context: dict) -> str:
    """The template page (holder fields blank) for one qualification, jury and set of blocks."""
    return render_to_string(
        "credentials/parchment.html", {**context, "fields": {"awarded_to_top": AWARDED_TO_TOP}}
    )


def sample_context() -> dict:
    """A complete context, for benchmarks and the template's own tests."""
    return {
        "title": "Tourier",
        "kind": "CQP",
        "attestation": False,
        "certifier": "Association paritaire de la boulangerie artisanale",
        "creators": "la CPNEFP de la boulangerie-pâtisserie artisanale",
        "place": "Paris",
        "decision_date": "15 juin 2026",
        "blocks": [
            {"code": f"BC0{i}", "title": t}
            for i, t in enumerate(["Préparer les pâtes", "Façonner et garnir", "Cuire et présenter"], 1)
        ],
        "fiche_code": "RNCP37488",
        "register": "RNCP",
        "registration_date": "27 mars 2023",
        "registration_end": "27 mars 2028",
        "level": 3,
        "nsf": "221",
        "president": "Marie Durand",
        "president_title": "La présidente du jury,",
        "signature_image": "",
        "verify_hint": "cqphub.example.fr/attestations/verifier/",
    }
