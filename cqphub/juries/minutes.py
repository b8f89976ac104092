"""The minutes (procès-verbal) of a jury session: HTML template → PDF (WeasyPrint), SHA-256 stored.

Content: the session (CQP, date, place), the composition (members, college, president, presence),
the excusals, every candidate with the decision per block and the overall result, the revoked
decisions with their reason and author (for an addendum), signature spaces, page numbers.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from cqphub.juries.enums import Overall
from cqphub.juries.models import Decision, Minutes


@dataclass
class Row:
    name: str
    birth: str
    route: str
    attendance: str
    cells: list[str]
    overall: str


MARKS = {True: "V", False: "NV", None: "—"}
# WeasyPrint's table layout costs too much per cell for a national session (55,000 cells): the
# decisions are set as fixed-width lines, one block of lines per page with its header repeated.
ROWS_PER_TABLE = 34


def _fit(text: str, width: int) -> str:
    text = str(text)
    return (text[: width - 1] + "…") if len(text) > width else text.ljust(width)


def decision_pages(rows: list[Row], columns: list[str]) -> list[dict]:
    """The decision lines, page by page: {"header": str, "lines": [str]} (monospaced columns)."""
    head = (
        _fit("Candidat", 34)
        + " "
        + _fit("Naissance", 10)
        + " "
        + _fit("Voie", 10)
        + " "
        + _fit("Présence", 9)
    )
    head += " " + " ".join(_fit(code, 5) for code in columns) + " Résultat"
    pages = []
    for start in range(0, len(rows), ROWS_PER_TABLE):
        lines = []
        for r in rows[start : start + ROWS_PER_TABLE]:
            line = f"{_fit(r.name, 34)} {_fit(r.birth, 10)} {_fit(r.route, 10)} {_fit(r.attendance, 9)} "
            line += " ".join(_fit(c, 5) for c in r.cells) + f" {r.overall}"
            lines.append(line)
        pages.append({"header": head, "lines": lines})
    return pages


def minutes_context(session) -> dict:
    entries = list(
        session.candidates.select_related("candidacy__candidate", "candidacy__version").order_by(
            "candidacy__candidate__birth_name", "candidacy__candidate__first_names", "pk"
        )
    )
    decisions: dict = {}
    for candidacy_id, block_id, validated in session.decisions.current().values_list(
        "candidacy_id", "block_id", "validated"
    ):
        decisions[(candidacy_id, block_id)] = validated
    version_blocks, columns = _blocks_and_columns(entries)
    overall_labels = dict(Overall.choices)
    rows = [_row(entry, version_blocks, columns, decisions, overall_labels) for entry in entries]
    revoked = (
        Decision.objects.filter(session=session, revokes__isnull=False)
        .select_related("revokes", "block", "candidacy__candidate")
        .order_by("at", "pk")
    )
    counts = [
        (label, n) for key, label in Overall.choices if (n := sum(1 for e in entries if e.overall == key))
    ]
    return {
        "session": session,
        "qualification": session.qualification,
        "members": list(session.members.all()),
        "excusals": list(session.excusals.select_related("member", "entry__candidacy__candidate")),
        "columns": columns,
        "rows": rows,
        "chunks": decision_pages(rows, columns),
        "revoked": list(revoked),
        "counts": counts,
        "overall_labels": overall_labels,
        "composition": session.composition or {},
        "printed_at": timezone.now(),
    }


def _blocks_and_columns(entries) -> tuple[dict, list]:
    """Each version's ordered blocks, and the minutes' columns: every block code, first seen first."""
    version_blocks: dict = {}
    columns: list = []
    for entry in entries:
        vid = entry.candidacy.version_id
        if vid not in version_blocks:
            version_blocks[vid] = entry.candidacy.version.ordered_blocks()
            for block in version_blocks[vid]:
                if block.code not in columns:
                    columns.append(block.code)
    return version_blocks, columns


def _row(entry, version_blocks: dict, columns: list, decisions: dict, overall_labels: dict) -> Row:
    """One candidate's line: a mark per column (blank when their version has no such block)."""
    candidate = entry.candidacy.candidate
    by_code = {b.code: b for b in version_blocks[entry.candidacy.version_id]}
    cells = []
    for code in columns:
        block = by_code.get(code)
        cells.append(MARKS[decisions.get((entry.candidacy_id, block.pk))] if block else "")
    return Row(
        name=candidate.display_name,
        birth=candidate.birth_date_display,
        route=entry.candidacy.get_route_display(),
        attendance=entry.get_attendance_display(),
        cells=cells,
        overall=str(overall_labels.get(entry.overall, "")),
    )


def minutes_html(session) -> str:
    return render_to_string("juries/minutes.html", minutes_context(session))


def render_pdf(session) -> tuple[bytes, int]:
    from weasyprint import HTML  # lazily: Pango is needed only when printing

    document = HTML(string=minutes_html(session)).render()
    return document.write_pdf(), len(document.pages)


@transaction.atomic
def generate(session, actor=None) -> Minutes:
    """Write the next minutes of the session (1 at closing, then addenda), hash stored."""
    pdf, pages = render_pdf(session)
    number = (session.minutes.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    digest = hashlib.sha256(pdf).hexdigest()
    minutes = Minutes(session=session, number=number, sha256=digest, pages=pages, generated_by=actor)
    minutes.pdf.save(f"pv-{session.pk}-{number}-{digest[:12]}.pdf", ContentFile(pdf), save=False)
    minutes.save()
    return minutes


def verify(minutes: Minutes) -> bool:
    """Does the stored file still match the hash recorded when it was written?"""
    with minutes.pdf.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest() == minutes.sha256
