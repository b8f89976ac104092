"""Template helpers for findings: labels, explanations in the active language, and the panel tag.

The certification page includes the panel with `{% load orientation %}{% orientation_panel certification %}`.
"""

from django import template
from django.utils.translation import get_language

from cqphub.orientation.labels import (
    DATED_FINDING_LABELS,
    FINDING_LABELS,
    OUTCOME_LABELS,
    SCOPE_LABELS,
    SECTIONS,
)
from cqphub.orientation.selectors import general_findings_for
from cqphub.rules.book.common import euros_en, euros_fr

register = template.Library()

MONEY = {"cpf.participation", "cpf.ceiling", "cpf.yearly_credit", "cpf.cap"}


def _rule_day(finding) -> str:
    return finding.rule.rsplit("@", 1)[-1]


@register.filter
def finding_label(finding):
    """The heading, dated when the name changed (France Travail from 2024, L. 6113-9 from 2022-12-23)."""
    for since, label in DATED_FINDING_LABELS.get(finding.id, ()):
        if _rule_day(finding) >= since:
            return label
    return FINDING_LABELS.get(finding.id, finding.id)


@register.filter
def explanation(finding):
    return finding.text(get_language() or "fr")


@register.filter
def outcome_label(finding):
    return OUTCOME_LABELS[finding.outcome.value]


@register.filter
def certainty_label(finding):
    language = (get_language() or "fr")[:2]
    return finding.certainty.label.get(language, finding.certainty.label["fr"])


@register.filter
def value_label(finding):
    value = finding.value
    if (
        value is None
        or isinstance(value, bool | dict | list | tuple)
        or finding.id.startswith(("contact.", "status."))
    ):
        return ""
    french = (get_language() or "fr").startswith("fr")
    if finding.id in MONEY:
        return euros_fr(value) if french else euros_en(value)
    if finding.id == "recognition.scope":
        return SCOPE_LABELS.get(value, "")
    if finding.id == "certification.kind":
        return "" if value == "other" else str(value)
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
    """The general findings for a certification; the page stays in its own app (templates are not imports)."""
    return {"findings": general_findings_for(certification, on), "certification": certification}


@register.simple_tag
def checked_until_note(findings):  # noqa: D401
    """The consolidation date of the texts, and the warning for a later date (audit C3, D2)."""
    from django.utils.formats import date_format
    from django.utils.html import format_html
    from django.utils.translation import gettext

    findings = list(findings)
    if not findings:
        return ""
    day = date_format(findings[0].checked_until, "DATE_FORMAT")
    text = gettext("Code du travail consolidé au %(day)s.") % {"day": day}
    if findings[0].caveat:
        text += " " + gettext("Les textes postérieurs n'ont pas été vérifiés.")
    return format_html("{}", text)
