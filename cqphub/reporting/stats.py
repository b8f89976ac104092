"""Statistics as pure functions on rows (no Django import).

Rows are counted cells: one row may stand for one candidacy (`n=1`, as tests build them) or for a
pre-aggregated group (as the database keeps them for the dashboard), so the same functions serve both.
Every figure comes out as a `Table`; the CSV export, the chart and the table on the page are all made
from that one object, so they cannot disagree.

Small cells: public figures hide every count from 1 to 4 (`SMALL_CELL`), and when a published total
would let a reader recompute a single hidden cell, the next smallest cell is hidden too
(complementary suppression).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

SMALL_CELL = 5


@dataclass(frozen=True, slots=True)
class Filters:
    qualification: str | None = None
    centre: str | None = None
    route: str | None = None
    year: int | None = None

    def match(self, cell) -> bool:
        return (
            (self.qualification is None or cell.qualification == self.qualification)
            and (self.centre is None or cell.centre == self.centre)
            and (self.route is None or cell.route == self.route)
            and (self.year is None or cell.year == self.year)
        )


@dataclass(frozen=True, slots=True)
class CandidacyCell:
    """Candidacies of one qualification, centre, route, enrolment year and status."""

    qualification: str
    centre: str
    route: str
    year: int
    status: str
    n: int = 1
    vae_decided: int = 0  # VAE admissibility decided
    vae_admitted: int = 0  # of which admissible
    decided: int = 0  # reached a jury decision
    holders: int = 0  # of which a full award
    reported: int = 0  # of which accepted by the CDC


@dataclass(frozen=True, slots=True)
class BlockCell:
    """Latest jury decisions on one block (revoked decisions replaced by their revocation)."""

    qualification: str
    block: str
    centre: str
    route: str
    year: int  # decision year
    decided: int = 1
    validated: int = 0


@dataclass(frozen=True, slots=True)
class DelayCell:
    """Days from enrolment to the jury decision."""

    qualification: str
    centre: str
    route: str
    year: int  # decision year
    days: int
    n: int = 1


@dataclass(frozen=True, slots=True)
class HolderCell:
    """Full awards (not revoked) of one qualification, decision year and route."""

    qualification: str
    year: int
    route: str
    n: int = 1
    centre: str = ""


@dataclass(frozen=True, slots=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        return None if not self.denominator else round(100 * self.numerator / self.denominator, 1)


@dataclass
class Table:
    """A figure: a caption, column keys, rows of (label, values...). Hidden cells are None."""

    key: str
    columns: list[str]
    rows: list[tuple] = field(default_factory=list)
    unit: str = "count"  # "count", "percent" or "days"

    def column(self, index: int) -> list:
        return [row[index] for row in self.rows]

    def as_csv_rows(self) -> list[list[str]]:
        out = [list(self.columns)]
        for row in self.rows:
            out.append(["" if value is None else str(value) for value in row])
        return out


def _weighted_quantile(values: list[tuple[int, int]], q: float) -> float | None:
    """q-quantile of (value, weight) pairs (nearest rank)."""
    total = sum(weight for _, weight in values)
    if not total:
        return None
    rank = max(1, math.ceil(q * total))
    seen = 0
    for value, weight in sorted(values):
        seen += weight
        if seen >= rank:
            return float(value)
    return float(values[-1][0])


def by_status(cells: Iterable[CandidacyCell], filters: Filters = Filters()) -> Table:
    counts: Counter[str] = Counter()
    for cell in cells:
        if filters.match(cell):
            counts[cell.status] += cell.n
    return Table("by_status", ["status", "candidacies"], sorted(counts.items()))


def vae_admissibility(cells: Iterable[CandidacyCell], filters: Filters = Filters()) -> Rate:
    decided = admitted = 0
    for cell in cells:
        if filters.match(cell):
            decided += cell.vae_decided
            admitted += cell.vae_admitted
    return Rate(admitted, decided)


def success_per_qualification(cells: Iterable[CandidacyCell], filters: Filters = Filters()) -> Table:
    """Holders (full award) among the candidacies that reached a jury decision."""
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for cell in cells:
        if filters.match(cell):
            sums[cell.qualification][0] += cell.holders
            sums[cell.qualification][1] += cell.decided
    rows = [(q, h, d, Rate(h, d).percent) for q, (h, d) in sorted(sums.items())]
    return Table("success_per_qualification", ["qualification", "holders", "decided", "percent"], rows)


def success_per_block(cells: Iterable[BlockCell], filters: Filters = Filters()) -> Table:
    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for cell in cells:
        if filters.match(cell):
            pair = sums[(cell.qualification, cell.block)]
            pair[0] += cell.validated
            pair[1] += cell.decided
    rows = [(f"{q} {b}", v, d, Rate(v, d).percent) for (q, b), (v, d) in sorted(sums.items())]
    return Table("success_per_block", ["block", "validated", "decided", "percent"], rows)


def time_to_decision(cells: Iterable[DelayCell], filters: Filters = Filters()) -> Table:
    """Median and 90th percentile of the days from enrolment to decision, per qualification."""
    groups: dict[str, Counter[int]] = defaultdict(Counter)
    for cell in cells:
        if filters.match(cell):
            groups[cell.qualification][cell.days] += cell.n
    rows = []
    for qualification, counter in sorted(groups.items()):
        pairs = list(counter.items())
        rows.append(
            (
                qualification,
                sum(counter.values()),
                _weighted_quantile(pairs, 0.5),
                _weighted_quantile(pairs, 0.9),
            )
        )
    return Table("time_to_decision", ["qualification", "decided", "median_days", "p90_days"], rows, "days")


def holders_reported(cells: Iterable[CandidacyCell], filters: Filters = Filters()) -> Table:
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for cell in cells:
        if filters.match(cell):
            sums[cell.qualification][0] += cell.holders
            sums[cell.qualification][1] += cell.reported
    rows = [(q, h, r, Rate(r, h).percent) for q, (h, r) in sorted(sums.items())]
    return Table("holders_reported", ["qualification", "holders", "reported", "percent"], rows)


def holders_per_year(cells: Iterable[HolderCell], qualification: str | None = None) -> Table:
    counts: Counter[int] = Counter()
    for cell in cells:
        if qualification is None or cell.qualification == qualification:
            counts[cell.year] += cell.n
    return Table("holders_per_year", ["year", "holders"], sorted(counts.items()))


# --- small cells --------------------------------------------------------------------------------


def suppress(values: list[int], threshold: int = SMALL_CELL, *, total_published: bool = True) -> list:
    """Hides counts from 1 to threshold-1 (None); 0 stays (it tells nothing about a person).

    With a published total, a single hidden cell could be recomputed (total minus the others): the
    smallest other non-zero cell is hidden with it.
    """
    out: list = [None if 0 < v < threshold else v for v in values]
    hidden = [i for i, v in enumerate(out) if v is None]
    if total_published and len(hidden) == 1:
        candidates = [(v, i) for i, v in enumerate(values) if i not in hidden and v > 0]
        if candidates:
            out[min(candidates)[1]] = None
    return out


def public_holders_per_year(cells: Iterable[HolderCell], qualification: str) -> Table:
    """Holders per year for the public page: small cells hidden, total hidden when below the threshold."""
    table = holders_per_year(cells, qualification)
    counts = [n for _, n in table.rows]
    total = sum(counts)
    hidden = suppress(counts)
    rows = [(year, shown) for (year, _), shown in zip(table.rows, hidden, strict=True)]
    rows.append(("total", total if total >= SMALL_CELL else None))
    return Table("public_holders_per_year", ["year", "holders"], rows)


# --- France compétences renewal table ------------------------------------------------------------


def renewal_table(
    cells: Iterable[HolderCell], qualification: str, *, last_year: int, promotions: int = 3, routes=None
) -> Table:
    """Holders per decision year (the last `promotions` years up to `last_year`) and route, with totals.

    This is the cohort table a renewal request to France compétences carries (R. 6113-9 II: for a
    renewal, the holders of the certification as registered so far). Counts are exact: the file goes to
    France compétences, not to the public.
    """
    years = list(range(last_year - promotions + 1, last_year + 1))
    counts: dict[tuple[int, str], int] = Counter()
    seen_routes: set[str] = set()
    for cell in cells:
        if cell.qualification == qualification and cell.year in years:
            counts[(cell.year, cell.route)] += cell.n
            seen_routes.add(cell.route)
    route_list = list(routes) if routes is not None else sorted(seen_routes)
    rows = []
    for year in years:
        values = [counts.get((year, route), 0) for route in route_list]
        rows.append((year, *values, sum(values)))
    totals = [sum(counts.get((y, route), 0) for y in years) for route in route_list]
    rows.append(("total", *totals, sum(totals)))
    return Table("renewal", ["year", *route_list, "total"], rows)


def describe_extremes(table: Table, value_column: int, label: Callable[[object], str] = str):
    """(highest label, highest value, lowest label, lowest value) among shown values, or None."""
    shown = [(row[value_column], row[0]) for row in table.rows if row[value_column] is not None]
    if not shown:
        return None
    high = max(shown, key=lambda pair: (pair[0], str(pair[1])))
    low = min(shown, key=lambda pair: (pair[0], str(pair[1])))
    return label(high[1]), high[0], label(low[1]), low[0]
