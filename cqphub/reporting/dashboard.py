"""The statistics dashboard: the pure figures (stats) with translated labels, charts and summaries.

Each `Figure` holds one `stats.Table`; its chart is drawn from that table and its CSV is that table,
so the three cannot disagree (tests hold the chart's numbers equal to the table's).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from cqphub.reporting import charts, stats
from cqphub.reporting.forms import ROUTE_LABELS


def status_label(status: str) -> str:
    try:
        from cqphub.journeys.enums import Status

        return str(Status(status).label)
    except (ImportError, ValueError):
        return status


@dataclass
class Figure:
    key: str
    title: str
    table: stats.Table
    headers: list[str]
    summary: str
    chart: charts.Chart | None = None
    rows: list[list] = field(default_factory=list)  # the table's rows with display labels

    def csv_rows(self) -> list[list]:
        return [list(row) for row in self.table.rows]

    def html_rows(self) -> str:
        """The table body, every cell escaped (a template loop costs ~0.2 ms a cell; 160 blocks × 4…)."""
        out = []
        for row in self.rows:
            head, *cells = ("—" if value is None else escape(value) for value in row)
            out.append(
                f'<tr><th scope="row">{head}</th>'
                + "".join(f'<td class="text-end">{c}</td>' for c in cells)
                + "</tr>"
            )
        return mark_safe("".join(out))  # noqa: S308  every value escaped above


def _pct(value) -> str:
    return "—" if value is None else f"{number_format(value, 1)} %"


MAX_BARS = 30  # a chart with more bars is unreadable: the table alone is shown, with a note


def _rate_figure(key, title, table, name, columns, extremes, empty, *, chart_id, series) -> Figure:
    """A success-rate figure (rows: key, successes, decisions, rate): its table, a summary naming the
    highest and lowest rates (`extremes`, or `empty` without rows) and, when it fits, a bar chart."""
    rows = [[name(k), ok, n, _pct(p)] for k, ok, n, p in table.rows]
    ext = stats.describe_extremes(table, 3, name)
    summary = (
        extremes % {"hi": ext[0], "hv": _pct(ext[1]), "lo": ext[2], "lv": _pct(ext[3])} if ext else empty
    )
    fig = Figure(key, title, table, columns, summary, rows=rows)
    if ext and len(table.rows) <= MAX_BARS:
        fig.chart = charts.bar_chart(
            table,
            chart_id=chart_id,
            title=title,
            summary=summary,
            value_columns=(3,),
            series_labels=(series,),
            row_labels=[r[0] for r in rows],
            percent=True,
            horizontal=True,
        )
    return fig


def build(cells, labels: dict[str, str], block_labels: dict[str, str] | None = None):
    """All figures from `selectors.dashboard_cells` (already filtered). `labels`: qualification key → title."""
    by_status_cells, per_q_cells, blocks, delays = cells
    filters = stats.Filters()
    figures = [
        _status_figure(stats.by_status(by_status_cells, filters)),
        _success_per_qualification_figure(stats.success_per_qualification(per_q_cells, filters), labels),
        _success_per_block_figure(stats.success_per_block(blocks, filters), labels, block_labels or {}),
        _delay_figure(stats.time_to_decision(delays, filters), labels),
        _reported_figure(stats.holders_reported(per_q_cells, filters), labels),
    ]
    vae = stats.vae_admissibility(per_q_cells, filters)
    return figures, vae


def _status_figure(by_status: stats.Table) -> Figure:
    rows = [[status_label(s), n] for s, n in by_status.rows]
    total = sum(n for _, n in by_status.rows)
    if by_status.rows:
        top = max(by_status.rows, key=lambda r: r[1])
        summary = _("%(total)s candidatures ; l'état le plus fréquent est « %(status)s » (%(n)s).") % {
            "total": total,
            "status": status_label(top[0]),
            "n": top[1],
        }
    else:
        summary = _("Aucune candidature pour ces filtres.")
    fig = Figure(
        "by_status", _("Candidatures par état"), by_status, [_("État"), _("Candidatures")], summary, rows=rows
    )
    if by_status.rows and len(by_status.rows) <= MAX_BARS:
        fig.chart = charts.bar_chart(
            by_status,
            chart_id="chart-by-status",
            title=fig.title,
            summary=summary,
            value_columns=(1,),
            series_labels=(_("Candidatures"),),
            row_labels=[r[0] for r in rows],
            horizontal=True,
        )
    return fig


def _success_per_qualification_figure(per_q: stats.Table, labels: dict[str, str]) -> Figure:
    return _rate_figure(
        "success_per_qualification",
        _("Taux de réussite par qualification (certification entière)"),
        per_q,
        lambda key: labels.get(key, key),
        [_("Qualification"), _("Titulaires"), _("Passés devant le jury"), _("Taux")],
        _("Réussite la plus haute : %(hi)s (%(hv)s) ; la plus basse : %(lo)s (%(lv)s)."),
        _("Aucune décision de jury pour ces filtres."),
        chart_id="chart-success-q",
        series=_("Taux de réussite"),
    )


def _success_per_block_figure(
    per_block: stats.Table, labels: dict[str, str], block_labels: dict[str, str]
) -> Figure:
    def block_name(key):
        q, _space, code = key.partition(" ")
        return f"{labels.get(q, q)} — {block_labels.get(code, code)}"

    return _rate_figure(
        "success_per_block",
        _("Taux de validation par bloc de compétences"),
        per_block,
        block_name,
        [_("Bloc"), _("Validés"), _("Décisions"), _("Taux")],
        _("Bloc le plus réussi : %(hi)s (%(hv)s) ; le moins réussi : %(lo)s (%(lv)s)."),
        _("Aucune décision par bloc pour ces filtres."),
        chart_id="chart-success-b",
        series=_("Taux de validation"),
    )


def _delay_figure(delay: stats.Table, labels: dict[str, str]) -> Figure:
    rows = [[labels.get(q, q), n, med, p90] for q, n, med, p90 in delay.rows]
    summary = (
        _("Délai médian de l'inscription à la décision : de %(lo)s à %(hi)s jours selon la qualification.")
        % {"lo": min(r[2] for r in delay.rows), "hi": max(r[2] for r in delay.rows)}
        if delay.rows
        else _("Aucune décision pour ces filtres.")
    )
    return Figure(
        "time_to_decision",
        _("Délai de l'inscription à la décision (jours)"),
        delay,
        [_("Qualification"), _("Décisions"), _("Médiane"), _("9e décile")],
        summary,
        rows=rows,
    )


def _reported_figure(reported: stats.Table, labels: dict[str, str]) -> Figure:
    rows = [[labels.get(q, q), h, r, _pct(p)] for q, h, r, p in reported.rows]
    total_h = sum(r[1] for r in reported.rows)
    total_r = sum(r[2] for r in reported.rows)
    summary = _("%(r)s titulaires déclarés et acceptés par la Caisse des dépôts sur %(h)s.") % {
        "r": total_r,
        "h": total_h,
    }
    return Figure(
        "holders_reported",
        _("Titulaires déclarés à la Caisse des dépôts"),
        reported,
        [_("Qualification"), _("Titulaires"), _("Déclarés (acceptés)"), _("Part")],
        summary,
        rows=rows,
    )


def renewal_rows(table: stats.Table) -> tuple[list[str], list[list]]:
    headers = [_("Année")] + [str(ROUTE_LABELS.get(c, c)) for c in table.columns[1:-1]] + [_("Total")]
    rows = [[(_("Total") if r[0] == "total" else r[0]), *r[1:]] for r in table.rows]
    return headers, rows
