"""In-place editing of a draft's framework rows: edit, move up / down, undo the change just made (a
deletion too: `framework_views.row_delete` comes back with its "Annuler", and undoing puts the row back).

Every action is a plain form posting to the server (no JavaScript needed); the answer redirects to the
version page at the row (`#tools-<kind>-<pk>`) with `ligne`, `focus` (the tool to focus: the page sets
`autofocus` on it) and `fait` (the audit entry that "Annuler" reverts). A published version is frozen:
its page says so ("La version 1 est publiée : elle est figée…") and nothing changes; the services refuse
it too. Rows of another branch's qualification, or of another version, are 404.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cqphub.orgs.audit_text import sentence
from cqphub.orgs.permissions import backoffice_view
from cqphub.qualifications import services
from cqphub.qualifications.models import FrozenError
from cqphub.qualifications.services import editing
from cqphub.qualifications.templatetags.framework_rows import FOCUS, edit_form, row_labels
from cqphub.qualifications.views.common import CHANGE, _add_errors, _version, _version_url
from cqphub.qualifications.views.framework_views import _block_context


class _Refused(Exception):
    def __init__(self, response):
        self.response = response


def _draft(request, pk: int, number: int):
    """The draft to change; a published version is refused with its message, back on its page."""
    version = _version(request, pk, number, CHANGE)
    try:
        version.assert_editable()
    except FrozenError as error:
        messages.error(request, " ".join(error.messages))
        raise _Refused(redirect(_version_url(version))) from error
    return version


def _refusable(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _Refused as refused:
            return refused.response

    return wrapper


def _row(version, kind: str, row_id: int):
    if kind not in editing.MOVABLE_MODELS:
        raise Http404
    return get_object_or_404(editing.movable_rows(version, kind), pk=row_id)


def _back_to_row(version, row, *, focus: str, entry=None) -> str:
    kind = editing.kind_of(row)
    query = {"ligne": f"{kind}-{row.pk}", "focus": focus}
    if entry is not None:
        query["fait"] = entry.pk
    return f"{_version_url(version)}?{urlencode(query)}#tools-{kind}-{row.pk}"


def _row_of_entry(entry, fallback):
    """The row an audit entry names (a move or edit in a frozen block acts on its new revision's copy)."""
    if entry is None:
        return fallback
    model = type(fallback)
    return model.objects.filter(pk=entry.object_id).first() or fallback


def _names(kind: str, row) -> dict:
    if kind == "activity":
        return {"code": row.code}
    if kind == "work_situation":
        return {"activity": row.activity.code}
    if kind == "skill":
        return {"code": row.code, "block": row.block.code}
    if kind in ("knowledge_item", "criterion"):
        return {"skill": row.skill.code, "block": row.skill.block.code}
    return {"block": row.block.code}


def _position(row) -> int:
    return list(editing.siblings(row).values_list("pk", flat=True)).index(row.pk) + 1


@backoffice_view
@require_http_methods(["GET", "POST"])
@_refusable
def row_edit(request, pk: int, number: int, kind: str, row_id: int):
    """GET: the row's form on a page of its own; POST (from there or from the row's in-place form): save."""
    version = _draft(request, pk, number)
    if kind not in editing.EDITABLE_FIELDS:
        raise Http404
    row = _row(version, kind, row_id)
    form = edit_form(kind, row, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.update_row(actor=request.user, version=version, row=row, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Enregistré.") if entry else _("Aucun changement."))
            return redirect(_back_to_row(version, _row_of_entry(entry, row), focus="edit", entry=entry))
    title = row_labels(kind, _position(row), _names(kind, row))["edit"]
    block = (
        row.block
        if kind in ("skill", "method", "test")
        else getattr(getattr(row, "skill", None), "block", None)
    )
    context = _block_context(version, block) if block is not None else {}
    return render(
        request,
        "qualifications/form.html",
        {"form": form, "title": title, "back": _back_to_row(version, row, focus="edit"), **context},
        status=400 if request.method == "POST" else 200,
    )


@backoffice_view
@require_POST
@_refusable
def row_move(request, pk: int, number: int, kind: str, row_id: int):
    version = _draft(request, pk, number)
    row = _row(version, kind, row_id)
    direction = request.POST.get("direction", "")
    if direction not in ("up", "down"):
        raise Http404
    entry = None
    try:
        entry = services.move_row(actor=request.user, version=version, row=row, direction=direction)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_back_to_row(version, _row_of_entry(entry, row), focus=direction, entry=entry))


@backoffice_view
@require_POST
@_refusable
def change_undo(request, pk: int, number: int, entry_id: int):
    version = _draft(request, pk, number)
    focus = request.POST.get("focus", "")
    try:
        entry, row = services.undo_change(actor=request.user, version=version, entry_id=entry_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_version_url(version))
    messages.success(request, sentence(entry))
    if entry.action == "restore" or focus not in FOCUS:
        focus = "edit"  # a row put back: on its edit tool (it has no "Annuler" of its own)
    return redirect(_back_to_row(version, row, focus=focus))
