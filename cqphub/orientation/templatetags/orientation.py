"""Template helpers for findings: labels, explanations in the active language, and the panel tag.

The certification page includes the panel with `{% load orientation %}{% orientation_panel certification %}`.
"""

from django import template
from django.utils.translation import get_language

from cqphub.orientation.labels import CERTAINTY_LABELS, FINDING_LABELS, OUTCOME_LABELS, SECTIONS

register = template.Library()


@register.filter
def finding_label(finding):
    return FINDING_LABELS.get(finding.id, finding.id)


@register.filter
def explanation(finding):
    return finding.text(get_language() or "fr")


@register.filter
def outcome_label(finding):
    return OUTCOME_LABELS[finding.outcome.value]


@register.filter
def certainty_label(finding):
    return CERTAINTY_LABELS[finding.certainty.value]


@register.filter
def value_label(finding):
    value = finding.value
    if (
        value is None
        or isinstance(value, bool | dict | list | tuple)
        or finding.id.startswith(("contact.", "status."))
    ):
        return ""
    if finding.id in {"cpf.participation", "cpf.ceiling", "cpf.yearly_credit", "cpf.cap"}:
        return f"{value:g} €".replace(".", ",") if get_language() == "fr" else f"€{value:g}"
    return str(value)


def sectioned(findings):
    """[(key, title, [findings…])] in the page's order; empty sections dropped."""
    by_id = {f.id: f for f in findings}
    out = []
    for key, title, ids in SECTIONS:
        items = [by_id[i] for i in ids if i in by_id]
        if items:
            out.append((key, title, items))
    return out


@register.simple_tag
def sections(findings):
    return sectioned(findings)


@register.inclusion_tag("orientation/panel.html")
def orientation_panel(certification, on=None):
    from cqphub.orientation.selectors import general_findings_for

    return {"findings": general_findings_for(certification, on), "certification": certification}
