"""Accessible charts rendered on the server as SVG (pygal), no JavaScript (pure: no Django import).

Every chart is built from a `stats.Table` and travels with it: the page shows the SVG, then the same
table, then a sentence that says what the chart shows. The SVG is marked `role="img"` with a title and
a description (`aria-labelledby`), pygal's script and comments are removed, and the random ids pygal
draws are replaced by a stable one (the same data give the same bytes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pygal
from lxml import etree
from pygal.style import Style

from cqphub.reporting.stats import Table

SVG_NS = "http://www.w3.org/2000/svg"
_UUID = re.compile(r"chart-([0-9a-f-]{36})")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1e1e1e",
    foreground_strong="#1e1e1e",
    foreground_subtle="#595959",
    opacity="1",
    opacity_hover="1",
    colors=("#1f4e8c", "#8c3b1f", "#2e6b34", "#5b2c83"),
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    title_font_size=18,
    label_font_size=14,
    major_label_font_size=14,
    value_font_size=14,
    legend_font_size=14,
)


@dataclass(frozen=True)
class Chart:
    chart_id: str
    title: str
    summary: str
    svg: str
    table: Table
    label_column: int
    value_columns: tuple[int, ...]

    def plotted_values(self) -> list[list[float | None]]:
        """The values as the table holds them, per series (what the SVG must show)."""
        return [[row[c] for row in self.table.rows] for c in self.value_columns]


def _clean(svg: str, chart_id: str, title: str, summary: str) -> str:
    found = _UUID.search(svg)
    if found:
        svg = svg.replace(found.group(1), chart_id)
    root = etree.fromstring(svg.encode())
    for node in root.iter(f"{{{SVG_NS}}}script", etree.Comment):
        node.getparent().remove(node)
    root.set("role", "img")
    root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
    root.set("focusable", "false")
    title_el = etree.Element(f"{{{SVG_NS}}}title", id=f"{chart_id}-title")
    title_el.text = title
    desc_el = etree.Element(f"{{{SVG_NS}}}desc", id=f"{chart_id}-desc")
    desc_el.text = summary
    root.insert(0, desc_el)
    root.insert(0, title_el)
    return etree.tostring(root, encoding="unicode")


def bar_chart(
    table: Table,
    *,
    chart_id: str,
    title: str,
    summary: str,
    value_columns: tuple[int, ...],
    series_labels: tuple[str, ...],
    label_column: int = 0,
    row_labels: list[str] | None = None,
    percent: bool = False,
    horizontal: bool = False,
) -> Chart:
    """A bar chart of `value_columns` of `table` (None = hidden cell: no bar).

    The SVG is kept per content (same data, labels and language → same chart): pygal takes tens of
    milliseconds a chart, the dashboard asks for the same ones again and again.
    """
    labels = tuple(row_labels or [str(row[label_column]) for row in table.rows])
    series = tuple(tuple(row[c] for row in table.rows) for c in value_columns)
    svg = _render(chart_id, title, summary, labels, series, tuple(series_labels), percent, horizontal)
    return Chart(
        chart_id=chart_id,
        title=title,
        summary=summary,
        svg=svg,
        table=table,
        label_column=label_column,
        value_columns=value_columns,
    )


@lru_cache(maxsize=512)
def _render(chart_id, title, summary, labels, series, series_labels, percent, horizontal) -> str:
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    chart = kind(
        style=STYLE,
        js=[],
        disable_xml_declaration=True,
        width=800,
        height=max(360, 40 * len(labels) + 160) if horizontal else 420,
        show_legend=len(series) > 1,
        legend_at_bottom=True,
        print_values=True,
        print_values_position="top",
        range=(0, 100) if percent else None,
        value_formatter=(lambda v: f"{v:g} %") if percent else (lambda v: f"{v:g}"),
        truncate_label=40,
        title=title,
    )
    chart.x_labels = list(labels)
    for values, label in zip(series, series_labels, strict=True):
        chart.add(label, list(values))
    return _clean(chart.render(is_unicode=True), chart_id, title, summary)


def svg_values(svg: str) -> list[float]:
    """The values pygal wrote in the SVG, in drawing order (used by tests to compare with the table)."""
    root = etree.fromstring(svg.encode())
    values = []
    for node in root.iter(f"{{{SVG_NS}}}desc"):
        if node.get("class") == "value" and node.text:
            values.append(float(_NUMBER.match(node.text).group()))
    return values


def svg_labels(svg: str) -> list[str]:
    """The labels of the drawn bars, in drawing order."""
    root = etree.fromstring(svg.encode())
    return [node.text or "" for node in root.iter(f"{{{SVG_NS}}}desc") if node.get("class") == "x_label"]
