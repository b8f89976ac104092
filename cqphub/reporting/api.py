"""JSON API of the reporting app (mounted under /api/v1/ by cqphub/api.py)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema

from cqphub.orgs.api_auth import session_auth
from cqphub.orgs.models import CertifierEntity
from cqphub.qualifications.models import Qualification
from cqphub.reporting import selectors, stats

router = Router(tags=["reporting"])


class ErrorOut(Schema):
    detail: str


class YearCount(Schema):
    year: int
    holders: int | None  # null: fewer than 5 (hidden)


class PublicHolders(Schema):
    qualification: int
    title: str
    threshold: int
    years: list[YearCount]
    total: int | None


class ReportStatus(Schema):
    certifier: str
    siret: str
    done: int
    waiting: int
    due: int
    overdue: int
    rejected: int


@router.get(
    "reporting/qualifications/{pk}/holders",
    response={200: PublicHolders, 404: ErrorOut},
    summary="Holders per year (public)",
)
def public_holders(request, pk: int):
    """Holders per year of a qualification; counts under 5 are null (and one more when a total would tell)."""
    qualification = get_object_or_404(Qualification, pk=pk)
    table = stats.public_holders_per_year(selectors.public_holder_cells(qualification), str(qualification.pk))
    years = [YearCount(year=y, holders=n) for y, n in table.rows if y != "total"]
    total = next(n for y, n in table.rows if y == "total")
    return PublicHolders(
        qualification=qualification.pk,
        title=qualification.title,
        threshold=stats.SMALL_CELL,
        years=years,
        total=total,
    )


@router.get(
    "reporting/certifiers/{siret}/status",
    response={200: ReportStatus, 404: ErrorOut},
    auth=session_auth,
    summary="Holder report status",
)
def report_status(request, siret: str):
    certifier = get_object_or_404(CertifierEntity, siret=siret)
    if not request.user.has_perm("reporting.manage_holder_report", certifier):
        raise Http404("No such certifier.")
    counts = selectors.urgency_counts(certifier, timezone.localdate())
    return ReportStatus(
        certifier=certifier.name, siret=certifier.siret, **{k.value: v for k, v in counts.items()}
    )
