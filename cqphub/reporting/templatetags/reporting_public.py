"""`{% public_holder_statistics certification %}`: holders per year of the CQP(s) linked to a registry fiche.

Included on the public certification page; small cells are hidden (stats.public_holders_per_year).
"""

from django import template
from django.utils.translation import gettext as _

from cqphub.reporting import charts, selectors, stats

register = template.Library()


def public_blocks(qualifications) -> list[dict]:
    blocks = []
    for qualification in qualifications:
        cells = selectors.public_holder_cells(qualification)
        if not cells:
            continue
        table = stats.public_holders_per_year(cells, str(qualification.pk))
        years = stats.Table(table.key, table.columns, [r for r in table.rows if r[0] != "total"])
        shown = [(y, n) for y, n in years.rows if n is not None]
        if shown:
            best = max(shown, key=lambda r: (r[1], r[0]))
            summary = _("Année la plus fournie parmi celles publiées : %(year)s (%(n)s titulaires).") % {
                "year": best[0],
                "n": best[1],
            }
        else:
            summary = _("Chaque année compte moins de 5 titulaires : les effectifs sont masqués.")
        chart = None
        if shown:
            chart = charts.bar_chart(
                years,
                chart_id=f"chart-holders-{qualification.pk}",
                title=_("Titulaires par année — %(q)s") % {"q": qualification.title},
                summary=summary,
                value_columns=(1,),
                series_labels=(_("Titulaires"),),
            )
        blocks.append(
            {"qualification": qualification, "rows": table.rows, "chart": chart, "summary": summary}
        )
    return blocks


@register.inclusion_tag("reporting/public_statistics.html")
def public_holder_statistics(certification):
    from django.db.models import Q

    from cqphub.qualifications.models import Qualification

    code = getattr(certification, "code", "") or ""
    items = (
        Qualification.objects.filter(Q(certification=certification) | Q(fiche_code=code)).distinct()
        if code
        else []
    )
    return {"blocks": public_blocks(list(items))}
