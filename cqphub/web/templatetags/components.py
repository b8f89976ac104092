"""The shared page components, one inclusion tag each: `{% load components %}` then call as below.

Every tag renders a template under `web/components/`; the living style guide (`/espace/composants/`,
`web:styleguide`) shows each one. Texts are escaped like any template variable. A `url` argument is a
path ("/registre/"), or a URL name without arguments ("registry:index"), which is reversed.

    {% pairs "Espace" "orgs:dashboard" _("Qualifications") list_url as crumbs %}   (label, url) pairs
    {% page_header _("Habilitations") crumbs=crumbs lead=_("Texte d'introduction") %}
    {% status_badge _("Active") tone="success" %}          tone: info, warning, error, success, neutral
    {% banner _("Cette certification n'est plus délivrée.") tone="warning" title=_("Inactive") url=u link=_("Voir") %}
    {% summary_card _("Habilitations actives") value=3 text=_("dont 1 échue") url="qualifications:index" %}
    {% next_step _("Écrire le référentiel d'activités") text=_("…") url=u label=_("Commencer") %}
    {% data_table table %}                                 table = cqphub.ui.tables.Table(...)
    {% pagination page %}                                  page = a Django Page (querystring kept)
    {% empty_state _("Aucune habilitation") text=_("…") url=u label=_("Accorder une habilitation") %}
    {% confirmation _("Supprimer le savoir « X » ?") action=post_url cancel=back_url details=_("…") %}
    {% form_errors form %}                                 summary at the top, links to each field
    {% render_form form %}                                 every field, with labels, help and errors
    {% render_field form.email %}                          one field
    {% pairs _("Vue d'ensemble") url1 _("Référentiels") url2 as items %}{% tabs items %}
    {% timeline events %}                                  events: objects/dicts with when, who, what[, detail]
    {% pairs _("Niveau") level _("Code") code as facts %}{% definition_list facts %}
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms, template
from django.template.base import render_value_in_context
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

register = template.Library()

TONES = ("info", "warning", "error", "success", "neutral")
TONE_LABELS = {
    "info": _("Information"),
    "warning": _("Attention"),
    "error": _("Erreur"),
    "success": _("Succès"),
    "neutral": _("Note"),
}
MESSAGE_TONES = {
    "debug": "neutral",
    "info": "info",
    "success": "success",
    "warning": "warning",
    "error": "error",
}


def href(url) -> str:
    """A path as given, or a URL name reversed (arguments-free names only); '' stays ''."""
    if not url:
        return ""
    url = str(url)
    if "/" in url or "?" in url or "#" in url or ":" not in url:
        return url
    try:
        return reverse(url)
    except NoReverseMatch:
        return url


def tone_of(tone) -> str:
    tone = str(tone or "neutral").lower()
    return {"danger": "error", "ok": "success", "secondary": "neutral"}.get(
        tone, tone if tone in TONES else "neutral"
    )


@register.simple_tag
def pairs(*args):
    """`{% pairs a b c d as x %}` → [(a, b), (c, d)]: breadcrumbs, tabs, definition lists."""
    if len(args) % 2:
        raise template.TemplateSyntaxError("pairs takes an even number of arguments")
    return [(args[i], args[i + 1]) for i in range(0, len(args), 2)]


@register.filter
def message_tone(message) -> str:
    """The tone of a `django.contrib.messages` message (its last level tag)."""
    tags = str(getattr(message, "level_tag", "") or getattr(message, "tags", "")).split()
    return MESSAGE_TONES.get(tags[-1] if tags else "info", "info")


@register.inclusion_tag("web/components/page_header.html", takes_context=True)
def page_header(context, title, crumbs=(), lead="", badge="", badge_tone="neutral"):
    """The page's <h1>, with a breadcrumb above it (the last crumb is the current page, not a link)."""
    items = [(label, href(url)) for label, url in (crumbs or ())]
    return {"title": title, "crumbs": items, "lead": lead, "badge": badge, "badge_tone": tone_of(badge_tone)}


@register.inclusion_tag("web/components/status_badge.html")
def status_badge(label, tone="neutral"):
    """A short status word in colour; the colour is never the only signal (the word says it)."""
    return {"label": label, "tone": tone_of(tone)}


@register.inclusion_tag("web/components/banner.html")
def banner(text, tone="info", title="", url="", link="", live=False):
    """A full-width message. `live=True` announces it (role=alert for errors, status otherwise)."""
    tone = tone_of(tone)
    role = ("alert" if tone == "error" else "status") if live else ""
    return {
        "text": text,
        "tone": tone,
        "title": title,
        "url": href(url),
        "link": link,
        "role": role,
        "tone_label": TONE_LABELS[tone],
    }


@register.inclusion_tag("web/components/summary_card.html")
def summary_card(title, value="", text="", url="", label="", tone="neutral"):
    """A count or a fact with its title and an optional link (dashboards)."""
    return {
        "title": title,
        "value": value,
        "text": text,
        "url": href(url),
        "label": label,
        "tone": tone_of(tone),
    }


@register.inclusion_tag("web/components/next_step.html")
def next_step(title, text="", url="", label="", method="get"):
    """The one thing to do next, as a call to action. `method="post"` renders a button in a form."""
    return {"title": title, "text": text, "url": href(url), "label": label or title, "method": method}


@register.inclusion_tag("web/components/data_table.html", takes_context=True)
def data_table(context, table):
    """A `cqphub.ui.tables.Table`: filters form, table with caption, pagination, CSV link, empty state."""
    return {"table": table, "request": context.get("request")}


@register.simple_tag(takes_context=True)
def table_rows(context, rows) -> str:
    """The `<tr>`s of `{% data_table %}`'s body, written here rather than by a template loop: a template
    resolves each cell's five variables one by one, and 25 rows × 7 cells made the biggest part of a
    list page's rendering. Same markup and escaping as `{{ }}` (the context's autoescape and l10n)."""

    def text(value) -> str:
        return render_value_in_context(value, context)

    out = []
    for row in rows:
        out.append("<tr>")
        for index, cell in enumerate(row):
            if index == 0:
                out.append('<th scope="row">')
            else:
                out.append('<td class="text-end">' if cell.get("numeric") else "<td>")
            if cell.get("tone"):
                out.append(
                    f'<span class="badge cq-badge cq-badge--{text(cell["tone"])}">{text(cell.get("text"))}</span>'
                )
            elif cell.get("url"):
                out.append(f'<a href="{text(cell["url"])}">{text(cell.get("text"))}</a>')
            else:
                out.append(text(cell.get("text")))
            out.append("</th>" if index == 0 else "</td>")
        out.append("</tr>")
    return mark_safe("".join(out))  # noqa: S308 - every value above went through render_value_in_context


@register.inclusion_tag("web/components/pagination.html", takes_context=True)
def pagination(context, page, param="page"):
    """Previous / numbered / next links for a Django Page, keeping the rest of the query string."""
    from cqphub.ui.tables import page_links

    request = context.get("request")
    return {"page": page, "links": page_links(request, page, param) if page is not None else []}


@register.inclusion_tag("web/components/empty_state.html")
def empty_state(title, text="", url="", label=""):
    """What to show when a list is empty: why, and what to do about it."""
    return {"title": title, "text": text, "url": href(url), "label": label}


@register.inclusion_tag("web/components/confirmation.html", takes_context=True)
def confirmation(context, question, action, cancel="", details="", confirm_label="", tone="error", items=()):
    """A destructive action's confirmation step: the question, what it affects, a POST button and a way out."""
    return {
        "question": question,
        "action": href(action),
        "cancel": href(cancel),
        "details": details,
        "items": items,
        "confirm_label": confirm_label or _("Confirmer"),
        "tone": tone_of(tone),
        "csrf_token": context.get("csrf_token"),
    }


def _field_errors(form) -> list[tuple[str, str, str]]:
    """(field id, label, message) for every error, non-field errors first with an empty id."""
    out = [("", "", str(e)) for e in form.non_field_errors()]
    for field in form:
        for error in field.errors:
            out.append((field.id_for_label or field.auto_id, str(field.label), str(error)))
    for field in form.hidden_fields():
        for error in field.errors:
            out.append(("", str(field.label), str(error)))
    return out


@register.inclusion_tag("web/components/form_errors.html")
def form_errors(form):
    """The error summary at the top of a form: a count and a link to each field in error."""
    return {"errors": _field_errors(form) if form is not None and form.is_bound else []}


def widget_class(field) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "choice-list"
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


@register.inclusion_tag("web/components/field.html")
def render_field(field):
    """A field with its label (fieldset/legend for a radio or checkbox group), help text and errors."""
    widget = field.field.widget
    group = isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
    css = widget_class(field) + (" is-invalid" if field.errors else "")
    describedby = []
    if field.help_text:
        describedby.append(f"{field.auto_id}_helptext")
    if field.errors:
        describedby.append(f"{field.auto_id}_error")
    attrs = {"class": f"{widget.attrs.get('class', '')} {css}".strip()}
    if describedby and not group:
        attrs["aria-describedby"] = " ".join(describedby)
    if field.errors and not group:
        attrs["aria-invalid"] = "true"
    return {
        "field": field,
        "group": group,
        "checkbox": isinstance(widget, forms.CheckboxInput),
        "widget": field.as_widget(attrs=attrs),
        "describedby": " ".join(describedby),
    }


@register.inclusion_tag("web/components/form.html")
def render_form(form):
    """Every field of a form (hidden ones too); put {% form_errors form %} above and the buttons below."""
    return {"form": form}


@register.inclusion_tag("web/components/tabs.html", takes_context=True)
def tabs(context, items: Iterable, label=""):
    """Navigation tabs as links; the tab whose URL is the current path is marked aria-current="page"."""
    request = context.get("request")
    path = getattr(request, "path", "")
    out = [(name, href(url), href(url) == path) for name, url in items]
    return {"items": out, "label": label or _("Sections")}


@register.inclusion_tag("web/components/timeline.html")
def timeline(events, empty=""):
    """Dated events, newest first as given: each has `when` (date or datetime), `who`, `what`, `detail`."""
    rows = []
    for event in events or ():
        get = event.get if isinstance(event, dict) else (lambda k, e=event: getattr(e, k, ""))
        rows.append(
            {
                "when": get("when"),
                "who": get("who"),
                "what": get("what"),
                "detail": get("detail"),
                "tone": tone_of(get("tone") or "neutral"),
            }
        )
    return {"events": rows, "empty": empty}


@register.inclusion_tag("web/components/definition_list.html")
def definition_list(items, skip_empty=True):
    """Term / value pairs as a <dl>; pairs with an empty value are left out unless skip_empty=False."""
    rows = [
        (term, value) for term, value in (items or ()) if not skip_empty or value not in (None, "", [], ())
    ]
    return {"items": rows}
