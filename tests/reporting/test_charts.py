"""Server-rendered SVG charts: accessible, no script, and the same numbers as their table."""

from lxml import etree

from cqphub.reporting import charts, stats
from cqphub.reporting.stats import Table


def test_chart_values_equal_the_table():
    table = Table(
        "x",
        ["block", "validated", "decided", "percent"],
        [("BC01", 8, 10, 80.0), ("BC02", 1, 3, 33.3), ("BC03", 5, 10, 50.0)],
    )
    chart = charts.bar_chart(
        table,
        chart_id="c1",
        title="Réussite par bloc",
        summary="BC01 le plus réussi",
        value_columns=(3,),
        series_labels=("%",),
        percent=True,
    )
    assert charts.svg_values(chart.svg) == table.column(3)
    assert charts.svg_labels(chart.svg) == table.column(0)
    assert chart.plotted_values() == [table.column(3)]


def test_hidden_cells_draw_no_bar_and_show_no_number():
    table = stats.public_holders_per_year(
        [
            stats.HolderCell("Q", 2023, "vae", 12),
            stats.HolderCell("Q", 2024, "vae", 2),
            stats.HolderCell("Q", 2025, "vae", 9),
        ],
        "Q",
    )
    years = Table(table.key, table.columns, [r for r in table.rows if r[0] != "total"])
    chart = charts.bar_chart(
        years, chart_id="h", title="t", summary="s", value_columns=(1,), series_labels=("n",)
    )
    assert charts.svg_values(chart.svg) == [v for v in years.column(1) if v is not None]
    assert "2" not in [str(int(v)) for v in charts.svg_values(chart.svg)]


def test_two_series():
    table = Table("r", ["year", "vae", "plan"], [(2024, 3, 7), (2025, 6, 1)])
    chart = charts.bar_chart(
        table, chart_id="r", title="t", summary="s", value_columns=(1, 2), series_labels=("VAE", "Plan")
    )
    assert charts.svg_values(chart.svg) == [3, 6, 7, 1]


def test_accessible_markup_without_script():
    table = Table("x", ["k", "v"], [("a", 1), ("b", 2)])
    chart = charts.bar_chart(
        table,
        chart_id="acc",
        title="Titre <é>",
        summary="Résumé & texte",
        value_columns=(1,),
        series_labels=("v",),
    )
    root = etree.fromstring(chart.svg.encode())
    ns = {"s": charts.SVG_NS}
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "acc-title acc-desc"
    assert root.xpath("s:title[@id='acc-title']/text()", namespaces=ns) == ["Titre <é>"]
    assert root.xpath("s:desc[@id='acc-desc']/text()", namespaces=ns) == ["Résumé & texte"]
    assert root.xpath("//s:script", namespaces=ns) == []
    assert "<!--" not in chart.svg and "http://github.com" not in chart.svg


def test_same_data_same_bytes():
    table = Table("x", ["k", "v"], [("a", 1), ("b", 2)])

    def make():
        return charts.bar_chart(
            table, chart_id="same", title="t", summary="s", value_columns=(1,), series_labels=("v",)
        ).svg  # noqa: E731

    assert make() == make()
