"""Statistics on rows, small-cell suppression, the renewal table (pure)."""

from cqphub.reporting import stats
from cqphub.reporting.stats import BlockCell, CandidacyCell, DelayCell, Filters, HolderCell


def cand(q="CQP-A", centre="C1", route="pro_contract", year=2025, status="awarded", **kw):
    return CandidacyCell(q, centre, route, year, status, **kw)


CELLS = [
    cand(status="awarded", decided=1, holders=1, reported=1),
    cand(status="awarded", decided=1, holders=1),
    cand(status="failed", decided=1),
    cand(status="enrolled"),
    cand(route="vae", status="awarded", vae_decided=1, vae_admitted=1, decided=1, holders=1),
    cand(route="vae", status="not_admissible", vae_decided=1),
    cand(q="CQP-B", centre="C2", status="awarded", n=10, decided=10, holders=7, reported=7),
]


def test_candidacies_by_status_with_filters():
    assert dict(stats.by_status(CELLS).rows) == {
        "awarded": 13,
        "failed": 1,
        "enrolled": 1,
        "not_admissible": 1,
    }
    assert dict(stats.by_status(CELLS, Filters(qualification="CQP-A", route="vae")).rows) == {
        "awarded": 1,
        "not_admissible": 1,
    }
    assert dict(stats.by_status(CELLS, Filters(centre="C2")).rows) == {"awarded": 10}
    assert stats.by_status(CELLS, Filters(year=2024)).rows == []


def test_vae_admissibility_rate():
    rate = stats.vae_admissibility(CELLS)
    assert (rate.numerator, rate.denominator, rate.percent) == (1, 2, 50.0)
    assert stats.vae_admissibility([]).percent is None


def test_success_rate_per_qualification():
    table = stats.success_per_qualification(CELLS)
    assert table.rows == [("CQP-A", 3, 4, 75.0), ("CQP-B", 7, 10, 70.0)]


def test_success_rate_per_block():
    cells = [
        BlockCell("CQP-A", "BC01", "C1", "vae", 2025, decided=4, validated=3),
        BlockCell("CQP-A", "BC01", "C2", "plan", 2025, decided=1, validated=1),
        BlockCell("CQP-A", "BC02", "C1", "vae", 2025, decided=3, validated=0),
    ]
    assert stats.success_per_block(cells).rows == [("CQP-A BC01", 4, 5, 80.0), ("CQP-A BC02", 0, 3, 0.0)]
    assert stats.success_per_block(cells, Filters(route="plan")).rows == [("CQP-A BC01", 1, 1, 100.0)]


def test_time_from_enrolment_to_decision():
    cells = [DelayCell("CQP-A", "C1", "vae", 2026, days, 1) for days in (30, 60, 90, 120, 400)]
    cells.append(DelayCell("CQP-A", "C1", "vae", 2026, 100, 5))  # weighted cell = five candidacies
    (row,) = stats.time_to_decision(cells).rows
    assert row == ("CQP-A", 10, 100.0, 120.0)


def test_holders_reported():
    assert stats.holders_reported(CELLS).rows == [("CQP-A", 3, 1, 33.3), ("CQP-B", 7, 7, 100.0)]


def test_small_cells_are_hidden():
    assert stats.suppress([12, 3, 0, 7, 9]) == [12, None, 0, None, 9]  # 3 hidden, then 7 with it
    assert stats.suppress([12, 3, 4]) == [12, None, None]
    assert stats.suppress([12, 30]) == [12, 30]
    assert stats.suppress([3], total_published=False) == [None]
    assert stats.suppress([5, 6]) == [5, 6]


def test_a_hidden_cell_cannot_be_recomputed_from_the_total():
    for values in ([20, 2, 8], [6, 1], [50, 4, 5, 6]):
        shown = stats.suppress(values)
        hidden = [i for i, v in enumerate(shown) if v is None]
        assert len(hidden) != 1, (values, shown)


def test_public_holders_per_year_hides_small_cells_and_small_totals():
    cells = [
        HolderCell("CQP-A", 2023, "vae", 12),
        HolderCell("CQP-A", 2024, "vae", 2),
        HolderCell("CQP-A", 2025, "plan", 6),
    ]
    table = stats.public_holders_per_year(cells, "CQP-A")
    assert table.rows == [(2023, 12), (2024, None), (2025, None), ("total", 20)]
    tiny = stats.public_holders_per_year([HolderCell("CQP-Z", 2025, "vae", 3)], "CQP-Z")
    assert tiny.rows == [(2025, None), ("total", None)]
    for row in table.rows:
        assert row[1] is None or row[1] == 0 or row[1] >= stats.SMALL_CELL


def test_renewal_table_per_year_and_route():
    cells = [
        HolderCell("CQP-A", 2022, "vae", 1),
        HolderCell("CQP-A", 2023, "vae", 4),
        HolderCell("CQP-A", 2023, "pro_contract", 10),
        HolderCell("CQP-A", 2025, "pro_contract", 8),
        HolderCell("CQP-B", 2025, "vae", 99),
    ]
    table = stats.renewal_table(cells, "CQP-A", last_year=2025, promotions=3)
    assert table.columns == ["year", "pro_contract", "vae", "total"]
    assert table.rows == [(2023, 10, 4, 14), (2024, 0, 0, 0), (2025, 8, 0, 8), ("total", 18, 4, 22)]
    assert table.as_csv_rows()[1] == ["2023", "10", "4", "14"]


def test_csv_cells_are_formula_safe():
    from cqphub.reporting.exports import safe_cell

    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("-3") == "'-3"
    assert safe_cell(12) == 12 and safe_cell(None) == ""
