"""The project's form renderer (`FORM_RENDERER`): Django's own, with selects and inputs written in Python.

Django renders a `<select>` through its template, and each `<option>` through an `{% include %}` of
another one: a list page's filter form (four selects, two date inputs) spent about a fifth of the page's
CPU there. These functions write the same characters Django's templates would
(`django/forms/widgets/select.html`, `select_option.html`, `input.html`, `attrs.html`), escaped and
localized the same way; any other template, or an option with a template of its own, goes through the
templates as before. `tests/web/test_form_renderer.py` compares both outputs on every kind of value.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
# Django's input widgets whose template is only `{% include "django/forms/widgets/input.html" %}`
INPUTS = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input checkbox color date datetime email file hidden number password search tel text time url".split()
    )
)


class _Autoescape:
    """What `render_value_in_context` reads from a template context: `{{ value }}` in a template."""

    autoescape = True
    use_l10n = None
    use_tz = None


_CONTEXT = _Autoescape()


def _text(value) -> str:
    """`{{ value }}`: localized, then escaped unless already safe."""
    return render_value_in_context(value, _CONTEXT)


def _string(value) -> str:
    """`{{ value|stringformat:'s' }}`: `str()`, then escaped unless it was safe."""
    try:
        text = "%s" % value  # noqa: UP031 - what the stringformat filter does
    except (ValueError, TypeError):
        return ""
    return str(conditional_escape(mark_safe(text) if isinstance(value, SafeData) else text))


def _attrs(attrs: dict) -> str:
    """`django/forms/widgets/attrs.html`: True → the bare name, False → left out."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {_text(name)}" if value is True else f' {_text(name)}="{_string(value)}"')
    return "".join(out)


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            if option.get("template_name") != OPTION:
                return None  # an option template of its own: the templates render it
            parts.append(
                f'\n  <option value="{_string(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_string(widget["value"])}"'
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


class FormRenderer(DjangoTemplates):
    """Django's template renderer, except for the two widget templates every form uses most."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None:
            if template_name == SELECT:
                html = _select(widget)
                if html is not None:
                    return html
            elif template_name in INPUTS:
                return _input(widget)
        return super().render(template_name, context, request=request)
