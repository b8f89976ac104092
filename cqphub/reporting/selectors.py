"""Read queries of the reporting app (pages, API, command)."""

from __future__ import annotations

import hashlib
from datetime import date

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, Sum

from cqphub.orgs.models import CertifierEntity
from cqphub.orgs.selectors import staff_branches_of
from cqphub.qualifications.models import Qualification
from cqphub.reporting import stats
from cqphub.reporting.models import (
    BlockStat,
    CandidacyStat,
    DelayStat,
    HolderReportEntry,
    HolderReportFile,
    HolderStat,
    StatsRefresh,
)
from cqphub.reporting.states import Urgency


def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def certifiers_for(user) -> QuerySet[CertifierEntity]:
    """Certifier entities whose holder report `user` manages (branch staff of the entity's branch)."""
    if not _active(user):
        return CertifierEntity.objects.none()
    if user.is_superuser:
        return CertifierEntity.objects.all()
    return CertifierEntity.objects.filter(branch__in=staff_branches_of(user))


def qualifications_for(user) -> QuerySet[Qualification]:
    """Qualifications whose statistics `user` may read (branch staff of an owning branch)."""
    if not _active(user):
        return Qualification.objects.none()
    if user.is_superuser:
        return Qualification.objects.all()
    return Qualification.objects.for_branches(staff_branches_of(user))


def entries(certifier) -> QuerySet[HolderReportEntry]:
    return HolderReportEntry.objects.filter(certifier=certifier).select_related(
        "award__candidate", "qualification", "file"
    )


def files(certifier) -> QuerySet[HolderReportFile]:
    return HolderReportFile.objects.filter(certifier=certifier).order_by("-number")


def urgency_counts(certifier, today: date) -> dict[Urgency, int]:
    """Done / waiting / due / overdue / rejected counts, by database queries (no row loaded)."""
    qs = HolderReportEntry.objects.filter(certifier=certifier)
    agg = qs.aggregate(
        done=Count("pk", filter=Q(state__in=["accepted", "withdrawn"])),
        waiting=Count("pk", filter=Q(state="in_file")),
        due=Count("pk", filter=Q(state__in=["to_report", "corrected"], due_on__gte=today)),
        overdue=Count("pk", filter=Q(state__in=["to_report", "corrected", "rejected"], due_on__lt=today)),
        rejected=Count("pk", filter=Q(state="rejected", due_on__gte=today)),
    )
    return {Urgency(k): v for k, v in agg.items()}


def todo(certifier, today: date, urgency: str | None = None) -> QuerySet[HolderReportEntry]:
    qs = entries(certifier).exclude(state__in=["accepted", "withdrawn"])
    if urgency == "overdue":
        qs = qs.filter(due_on__lt=today).exclude(state="in_file")
    elif urgency == "rejected":
        qs = qs.filter(state="rejected")
    elif urgency == "due":
        qs = qs.filter(state__in=["to_report", "corrected"], due_on__gte=today)
    elif urgency == "waiting":
        qs = qs.filter(state="in_file")
    return qs.order_by("due_on", "pk")


def unregistered_awards(certifier):
    """Awards of this certifier's CQPs outside the RNCP / RS on their decision date (not reported)."""
    from cqphub.juries import selectors as juries
    from cqphub.reporting.adapters import registered_fiche

    awards = juries.awards_decided_between(date(1900, 1, 1), date(2999, 12, 31)).filter(
        qualification__ip_holder=certifier
    )
    return [a for a in awards if registered_fiche(a.qualification, a.decision_date) is None]


def partial_awards(certifier):
    """Current partial awards (blocks only) of this certifier's registered CQPs: not reported."""
    from cqphub.juries import selectors as juries

    return list(
        juries.awards_decided_between(date(1900, 1, 1), date(2999, 12, 31))
        .filter(qualification__ip_holder=certifier, kind="partial")
        .select_related("qualification")
    )


def last_refresh() -> StatsRefresh | None:
    return StatsRefresh.objects.first()


def stat_cells(qualification_ids):
    """The pre-aggregated cells of these qualifications, as the pure module's rows (keys as strings)."""
    ids = list(qualification_ids)
    cand = [
        stats.CandidacyCell(str(q), str(c or ""), r, y, s, n, vd, va, d, h, rep)
        for q, c, r, y, s, n, vd, va, d, h, rep in CandidacyStat.objects.filter(
            qualification_id__in=ids
        ).values_list(
            "qualification_id",
            "centre_id",
            "route",
            "year",
            "status",
            "n",
            "vae_decided",
            "vae_admitted",
            "decided",
            "holders",
            "reported",
        )  # fmt: skip
    ]
    blocks = [
        stats.BlockCell(str(q), b, str(c or ""), r, y, d, v)
        for q, b, c, r, y, d, v in BlockStat.objects.filter(qualification_id__in=ids).values_list(
            "qualification_id", "block", "centre_id", "route", "year", "decided", "validated"
        )
    ]
    delays = [
        stats.DelayCell(str(q), str(c or ""), r, y, days, n)
        for q, c, r, y, days, n in DelayStat.objects.filter(qualification_id__in=ids).values_list(
            "qualification_id", "centre_id", "route", "year", "days", "n"
        )
    ]
    holders = [
        stats.HolderCell(str(q), y, r, n, str(c or ""))
        for q, c, r, y, n in HolderStat.objects.filter(qualification_id__in=ids).values_list(
            "qualification_id", "centre_id", "route", "year", "n"
        )
    ]
    return cand, blocks, delays, holders


def public_holder_cells(qualification) -> list[stats.HolderCell]:
    return [
        stats.HolderCell(str(qualification.pk), y, r, n)
        for y, r, n in HolderStat.objects.filter(qualification=qualification).values_list(
            "year", "route", "n"
        )
    ]


def _filtered(qs, filters: stats.Filters):
    if filters.qualification:
        qs = qs.filter(qualification_id=int(filters.qualification))
    if filters.centre:
        qs = qs.filter(centre_id=int(filters.centre))
    if filters.route:
        qs = qs.filter(route=filters.route)
    if filters.year:
        qs = qs.filter(year=filters.year)
    return qs.order_by()


DASHBOARD_CACHE_SECONDS = 24 * 3600


def _cached(kind: str, version: str | None, ids: list, extra, compute):
    """`compute()`, kept in the cache under the statistics' data version: the cells change only when
    `aggregates.refresh_statistics` rebuilds them, and that writes a new StatsRefresh in the same
    transaction, so a new refresh is a new key and nothing stale is ever served. No version (no
    refresh yet): computed every time."""
    if version is None:
        return compute()
    digest = hashlib.sha256(repr((sorted(ids), extra)).encode()).hexdigest()[:32]
    key = f"reporting:{kind}:{version}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, DASHBOARD_CACHE_SECONDS)
    return value


def dashboard_cells(qualification_ids, filters: stats.Filters, *, version: str | None = None):
    """The cells each figure needs, filtered and grouped by the database (a few hundred rows at most).

    Returns (status cells, per-qualification cells, block cells, delay cells): rows of the pure module
    whose filter dimensions are already applied, so the figures are computed with `Filters()`.
    `version`: the last StatsRefresh's id and time, under which the answer is cached (`_cached`).
    """
    ids = list(qualification_ids)
    return _cached("cells", version, ids, filters, lambda: _dashboard_cells(ids, filters))


def _dashboard_cells(ids: list, filters: stats.Filters):
    cand = _filtered(CandidacyStat.objects.filter(qualification_id__in=ids), filters)
    by_status = [
        stats.CandidacyCell("", "", "", 0, row["status"], row["n"])
        for row in cand.values("status").annotate(n=Sum("n"))
    ]
    per_q = [
        stats.CandidacyCell(
            str(row["qualification_id"]),
            "",
            "",
            0,
            "",
            row["n"],
            row["vd"],
            row["va"],
            row["d"],
            row["h"],
            row["r"],
        )
        for row in cand.values("qualification_id").annotate(
            n=Sum("n"),
            vd=Sum("vae_decided"),
            va=Sum("vae_admitted"),
            d=Sum("decided"),
            h=Sum("holders"),
            r=Sum("reported"),
        )
    ]
    blocks = [
        stats.BlockCell(str(row["qualification_id"]), row["block"], "", "", 0, row["d"], row["v"])
        for row in _filtered(BlockStat.objects.filter(qualification_id__in=ids), filters)
        .values("qualification_id", "block")
        .annotate(d=Sum("decided"), v=Sum("validated"))
    ]
    delays = [
        stats.DelayCell(str(row["qualification_id"]), "", "", 0, row["days"], row["n"])
        for row in _filtered(DelayStat.objects.filter(qualification_id__in=ids), filters)
        .values("qualification_id", "days")
        .annotate(n=Sum("n"))
    ]
    return by_status, per_q, blocks, delays


def filter_choices(qualification_ids, *, version: str | None = None):
    """Centres, routes and years present in the statistics of these qualifications (cached as
    `dashboard_cells`)."""
    ids = list(qualification_ids)
    return _cached("choices", version, ids, None, lambda: _filter_choices(ids))


def _filter_choices(qualification_ids):
    from cqphub.orgs.models import Centre

    cells = CandidacyStat.objects.filter(qualification_id__in=list(qualification_ids)).order_by()
    centre_ids = cells.exclude(centre=None).values_list("centre_id", flat=True).distinct()
    centres = list(Centre.objects.filter(pk__in=centre_ids).order_by("name"))
    routes = sorted(set(cells.values_list("route", flat=True).distinct()))
    years = set(cells.values_list("year", flat=True).distinct())
    years |= set(
        HolderStat.objects.filter(qualification_id__in=list(qualification_ids))
        .values_list("year", flat=True)
        .distinct()
    )
    return centres, routes, sorted(years, reverse=True)
