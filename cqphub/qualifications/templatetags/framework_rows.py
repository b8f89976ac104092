"""The tools of a framework row on a draft's page: move up, move down, edit in place, and "Annuler" right
after a change (qualifications.views_editing). Without JavaScript every tool is a plain form posting to
the server; with it, `form[data-inplace]` posts by fetch and swaps the frameworks region
(web/components.js).

    {% load framework_rows %}{% framework_change as change %}
    {% row_tools "skill" skill forloop code=skill.code block=block.code %}
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cqphub.orgs.audit_text import sentence
from cqphub.qualifications import forms, selectors
from cqphub.qualifications.services import editing

register = template.Library()

# Accessible names of the tools, per kind of row: up, down, edit (the visible text is an arrow / "modifier").
LABELS = {
    "activity": (
        _("Monter l'activité %(code)s"),
        _("Descendre l'activité %(code)s"),
        _("Modifier l'activité %(code)s"),
    ),
    "work_situation": (
        _("Monter la situation de travail %(n)s de l'activité %(activity)s"),
        _("Descendre la situation de travail %(n)s de l'activité %(activity)s"),
        _("Modifier la situation de travail %(n)s de l'activité %(activity)s"),
    ),
    "block": (
        _("Monter le bloc %(code)s"),
        _("Descendre le bloc %(code)s"),
        "",
    ),
    "skill": (
        _("Monter la compétence %(code)s du bloc %(block)s"),
        _("Descendre la compétence %(code)s du bloc %(block)s"),
        _("Modifier la compétence %(code)s du bloc %(block)s"),
    ),
    "knowledge_item": (
        _("Monter le savoir %(n)s de la compétence %(block)s › %(skill)s"),
        _("Descendre le savoir %(n)s de la compétence %(block)s › %(skill)s"),
        _("Modifier le savoir %(n)s de la compétence %(block)s › %(skill)s"),
    ),
    "criterion": (
        _("Monter le critère %(n)s de la compétence %(block)s › %(skill)s"),
        _("Descendre le critère %(n)s de la compétence %(block)s › %(skill)s"),
        _("Modifier le critère %(n)s de la compétence %(block)s › %(skill)s"),
    ),
    "method": (
        _("Monter la modalité %(n)s du bloc %(block)s"),
        _("Descendre la modalité %(n)s du bloc %(block)s"),
        _("Modifier la modalité %(n)s du bloc %(block)s"),
    ),
    "test": (
        _("Monter l'épreuve %(n)s du bloc %(block)s"),
        _("Descendre l'épreuve %(n)s du bloc %(block)s"),
        _("Modifier l'épreuve %(n)s du bloc %(block)s"),
    ),
}
EDIT_FORMS = {
    "activity": forms.ActivityForm,
    "work_situation": forms.WorkSituationForm,
    "skill": forms.SkillForm,
    "knowledge_item": forms.KnowledgeForm,
    "criterion": forms.CriterionForm,
    "method": forms.MethodForm,
    "test": forms.TestForm,
}
FOCUS = ("up", "down", "edit", "undo")


def row_labels(kind: str, n: int, names: dict) -> dict[str, str]:
    up, down, edit = LABELS[kind]
    values = {"n": n, **{k: v for k, v in names.items()}}
    return {"up": str(up) % values, "down": str(down) % values, "edit": str(edit) % values if edit else ""}


def edit_form(kind: str, row, data=None):
    """The in-place form of a row, its fields named after the row so that ids stay unique on the page."""
    initial = {name: getattr(row, name) for name in editing.EDITABLE_FIELDS[kind]}
    return EDIT_FORMS[kind](data, initial=initial, prefix=f"{kind}-{row.pk}")


@register.simple_tag(takes_context=True)
def framework_change(context):
    """What the page was asked to show after a change: the row (`ligne=kind-pk`), the tool to focus
    (`focus`), and the change that can still be undone (`fait=<audit entry>`, the user's own)."""
    request = context.get("request")
    version = context.get("version")
    if request is None or version is None or not context.get("editable"):
        return None
    row_key = request.GET.get("ligne", "")
    focus = request.GET.get("focus", "")
    change = {"row": row_key, "focus": focus if focus in FOCUS else "", "undo": None}
    entry_id = request.GET.get("fait")
    if entry_id:
        found = editing.undoable_entry(version, entry_id)
        if found is not None and found[0].actor_id == request.user.pk:
            entry, row = found
            change["undo"] = {
                "entry": entry,
                # a deleted row (None) has no tools left: its "Annuler" heads the frameworks region
                "row": f"{editing.kind_of(row)}-{row.pk}" if row is not None else "",
                "text": sentence(entry),
                "url": reverse(
                    "qualifications:change_undo",
                    kwargs={
                        "pk": version.qualification_id,
                        "number": version.number,
                        "entry_id": entry.pk,
                    },
                ),
            }
    return change


def _sharing(context, version, row):
    """The shared-block warning of the block the row belongs to (`selectors.block_sharing`, the one the
    stand-alone edit page shows), looked up once per block and page."""
    block = editing.block_of(row)
    if block is None:
        return None
    seen = context.render_context.setdefault("framework_rows.sharing", {})
    if block.pk not in seen:
        seen[block.pk] = selectors.block_sharing(block, version)
    return seen[block.pk]


@register.inclusion_tag("qualifications/_row_tools.html", takes_context=True)
def row_tools(context, kind: str, row, loop, **names):
    version = context["version"]
    n = loop["counter"]
    key = f"{kind}-{row.pk}"
    change = context.get("change") or {}
    here = change.get("row") == key
    focus = change.get("focus") if here else ""
    first, last = loop["first"], loop["last"]
    if focus == "up" and first:
        focus = "down" if not last else "edit"
    elif focus == "down" and last:
        focus = "up" if not first else "edit"
    undo = change.get("undo")
    url_kwargs = {"pk": version.qualification_id, "number": version.number, "kind": kind, "row_id": row.pk}
    has_form = kind in EDIT_FORMS
    sharing = _sharing(context, version, row) if has_form else None
    return {
        "key": key,
        "labels": row_labels(kind, n, names),
        "first": first,
        "last": last,
        "focus": focus,
        "move_url": reverse("qualifications:row_move", kwargs=url_kwargs),
        "edit_url": reverse("qualifications:row_edit", kwargs=url_kwargs) if has_form else "",
        "form": edit_form(kind, row) if has_form else None,
        "undo": undo if undo and undo["row"] == key else None,
        "sharing": sharing,
        "csrf_token": context.get("csrf_token"),
    }
