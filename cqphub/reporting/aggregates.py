"""Rebuilds the statistics cells (CandidacyStat, BlockStat, DelayStat, HolderStat) from journeys and juries.

Delays are kept to the week (a median "≈ 182 days" is read as 26 weeks), which bounds the cells.
A handful of GROUP BY queries, run by a background task after a jury closes or a report answer is
recorded (and by `cqphub reporting refresh-stats`): the dashboard then reads a few thousand cells
instead of 200,000 candidacies and 1.2 million block decisions. Block success rates are the one
figure that needs the jury's per-block decisions: they are read as counts per block (the current
decision of each candidacy and block), never per person.
"""

from __future__ import annotations

import time
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import ExtractYear

from cqphub.reporting.adapters import route_key
from cqphub.reporting.models import (
    BlockStat,
    CandidacyStat,
    DelayStat,
    HolderReportEntry,
    HolderStat,
    StatsRefresh,
)
from cqphub.reporting.signals import public_statistics_changed

BATCH = 2000


def _candidacy_cells():
    from cqphub.journeys.models import Candidacy
    from cqphub.juries.models import Award

    holder = Award.objects.filter(candidacy=OuterRef("pk"), kind="full", revoked_at__isnull=True)
    reported = HolderReportEntry.objects.filter(
        award__candidacy=OuterRef("pk"), award__revoked_at__isnull=True, state="accepted"
    )
    decided = Award.objects.filter(candidacy=OuterRef("pk"))
    rows = (
        Candidacy.objects.annotate(
            is_holder=Exists(holder),
            is_reported=Exists(reported),
            has_award=Exists(decided),
            y=ExtractYear("created"),
        )
        .values("qualification_id", "centre_id", "route", "funding", "y", "status")
        .annotate(
            n=Count("pk"),
            vae_decided=Count("pk", filter=Q(admissibility__decision__in=["admissible", "not_admissible"])),
            vae_admitted=Count("pk", filter=Q(admissibility__decision="admissible")),
            decided=Count("pk", filter=Q(status="decided") | Q(has_award=True)),
            holders=Count("pk", filter=Q(is_holder=True)),
            reported=Count("pk", filter=Q(is_reported=True)),
        )
    )
    merged: dict[tuple, list[int]] = defaultdict(lambda: [0] * 6)
    for r in rows.order_by():
        key = (
            r["qualification_id"],
            r["centre_id"],
            route_key(r["route"], r["funding"]),
            r["y"],
            r["status"],
        )
        cell = merged[key]
        for i, name in enumerate(("n", "vae_decided", "vae_admitted", "decided", "holders", "reported")):
            cell[i] += r[name]
    return [
        CandidacyStat(
            qualification_id=q,
            centre_id=c,
            route=route,
            year=y,
            status=s,
            n=v[0],
            vae_decided=v[1],
            vae_admitted=v[2],
            decided=v[3],
            holders=v[4],
            reported=v[5],
        )
        for (q, c, route, y, s), v in merged.items()
    ]


def _block_cells():
    from cqphub.juries.models import Decision

    rows = (
        Decision.objects.current()
        .filter(kind="decision")
        .values(
            "candidacy__qualification_id",
            "block__code",
            "candidacy__centre_id",
            "candidacy__route",
            "candidacy__funding",
        )
        .annotate(
            y=ExtractYear("session__on"), decided=Count("pk"), validated=Count("pk", filter=Q(validated=True))
        )
        .order_by()
    )
    merged: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        key = (
            r["candidacy__qualification_id"],
            r["block__code"],
            r["candidacy__centre_id"],
            route_key(r["candidacy__route"], r["candidacy__funding"]),
            r["y"],
        )
        merged[key][0] += r["decided"]
        merged[key][1] += r["validated"]
    return [
        BlockStat(qualification_id=q, block=b, centre_id=c, route=route, year=y, decided=v[0], validated=v[1])
        for (q, b, c, route, y), v in merged.items()
    ]


def _award_cells():
    from cqphub.juries.models import Award

    rows = (
        Award.objects.filter(kind="full", revoked_at__isnull=True)
        .values(
            "qualification_id",
            "candidacy__centre_id",
            "candidacy__route",
            "candidacy__funding",
            "decision_date",
            "candidacy__created",
        )
        .order_by()
    )
    holders: dict[tuple, int] = defaultdict(int)
    delays: dict[tuple, int] = defaultdict(int)
    for r in rows.iterator(chunk_size=BATCH):
        route = route_key(r["candidacy__route"], r["candidacy__funding"])
        decided = r["decision_date"]
        key = (r["qualification_id"], r["candidacy__centre_id"], route, decided.year)
        holders[key] += 1
        if r["candidacy__created"]:
            days = max(0, (decided - r["candidacy__created"].date()).days) // 7 * 7  # counted in whole weeks
            delays[(*key, days)] += 1
    return (
        [
            HolderStat(qualification_id=q, centre_id=c, route=route, year=y, n=n)
            for (q, c, route, y), n in holders.items()
        ],
        [
            DelayStat(qualification_id=q, centre_id=c, route=route, year=y, days=d, n=n)
            for (q, c, route, y, d), n in delays.items()
        ],
    )


def refresh_statistics() -> StatsRefresh:
    """Rebuilds every cell in one transaction; returns the refresh record (time, sizes)."""
    from cqphub.journeys.models import Candidacy
    from cqphub.juries.models import Decision

    start = time.perf_counter()
    candidacy_cells = _candidacy_cells()
    block_cells = _block_cells()
    holder_cells, delay_cells = _award_cells()
    with transaction.atomic():
        before = _holder_figures(
            HolderStat.objects.values_list("qualification_id", "centre_id", "route", "year", "n")
        )
        after = _holder_figures((c.qualification_id, c.centre_id, c.route, c.year, c.n) for c in holder_cells)
        changed = {q for q in before.keys() | after.keys() if before.get(q) != after.get(q)}
        for model, cells in (
            (CandidacyStat, candidacy_cells),
            (BlockStat, block_cells),
            (HolderStat, holder_cells),
            (DelayStat, delay_cells),
        ):
            model.objects.all().delete()
            model.objects.bulk_create(cells, batch_size=BATCH)
        refresh = StatsRefresh.objects.create(
            seconds=time.perf_counter() - start,
            candidacies=Candidacy.objects.count(),
            decisions=Decision.objects.count(),
        )
        if changed:
            codes = _public_codes(changed)
            transaction.on_commit(lambda: public_statistics_changed.send(sender=HolderStat, codes=codes))
    return refresh


def _holder_figures(rows) -> dict[int, list]:
    """Holder cells per qualification, in a comparable order (what the public section is drawn from)."""
    out: dict[int, list] = defaultdict(list)
    for q, *cell in rows:
        out[q].append(tuple(0 if v is None else v for v in cell))  # no centre: 0, never an id
    return {q: sorted(cells) for q, cells in out.items()}


def _public_codes(qualification_ids) -> set[str]:
    """The registry codes whose public page shows these qualifications' holders (the fiche linked, or
    its code as the branch typed it: what `{% public_holder_statistics %}` looks them up by)."""
    from cqphub.qualifications.models import Qualification

    codes = set()
    rows = Qualification.objects.filter(pk__in=qualification_ids).values_list(
        "certification__code", "fiche_code"
    )
    for linked, typed in rows:
        codes.update(c for c in (linked, (typed or "").strip()) if c)
    return codes
