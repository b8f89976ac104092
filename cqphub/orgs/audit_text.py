"""The audit trail in sentences: "Habilitation créée : Campus des métiers Nord — portée : former et évaluer,
début : 01/03/2025, fin : 28/02/2030". Never field names, raw keys or internal type names.

`sentence(entry)` reads the model of the entry (`object_type`) for its name and its fields' labels, and
shows values as people read them: choices by their label, related objects by their name, dates in the
French form, yes/no. Apps name their own verbs (`ACTION_LABELS["share_block"] = _("Bloc partagé")`) and
fields to leave out (`HIDDEN_FIELDS`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

# custom verbs → what to say; apps add theirs in AppConfig.ready(); "prefix:" keys match "prefix:anything"
ACTION_LABELS: dict[str, Any] = {
    "grant": gettext_lazy("Droit accordé"),
    "revoke": gettext_lazy("Droit retiré"),
    "password_set": gettext_lazy("Mot de passe défini"),
    "invite": gettext_lazy("Invitation envoyée"),
    "suspend": gettext_lazy("Suspension"),
    "publish": gettext_lazy("Version publiée"),
}
HIDDEN_FIELDS = {
    "id",
    "digest",
    "password",
    "last_login",
    "created_at",
    "updated_at",
    "position",
    "token",
    "secret",
}
FEMININE = {
    "habilitation", "qualification", "version", "branche", "compétence", "activité", "situation", "épreuve",
    "modalité", "adhésion", "commission", "association", "invitation", "fiche", "certification", "candidature",
    "session", "décision", "attestation", "entreprise", "organisation", "évaluation", "grille", "délibération",
}  # fmt: skip
MAX_DETAILS = 5
MAX_VALUE = 90


def model_of(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _is_feminine(model) -> bool:
    if model is None:
        return False
    with translation.override("fr"):
        first = str(model._meta.verbose_name).split()[0].lower()
    return first in FEMININE


def _noun(model) -> str:
    return capfirst(str(model._meta.verbose_name)) if model is not None else _("Élément")


def _date(value: str) -> str:
    try:
        if "T" in value or " " in value:
            return formats.date_format(dt.datetime.fromisoformat(value), "SHORT_DATETIME_FORMAT")
        return formats.date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT")
    except ValueError:
        return value


def _related_names(field, values) -> str:
    model = field.related_model
    keys = [v for v in (values if isinstance(values, list) else [values]) if v not in (None, "")]
    if not keys:
        return ""
    try:
        found = {str(o.pk): str(o) for o in model._default_manager.filter(pk__in=keys)}
    except Exception:  # noqa: BLE001 - a bad key never breaks the journal
        found = {}
    return ", ".join(found.get(str(k), _("élément supprimé")) for k in keys)


def value_text(field, value) -> str:
    """A stored value as a person reads it ('' when empty)."""
    if value in (None, "", [], {}):
        return ""
    if field is not None and field.is_relation:
        return _related_names(field, value)
    if field is not None and getattr(field, "choices", None):
        labels = {str(k): v for k, v in field.flatchoices}
        if isinstance(value, list):
            return ", ".join(str(labels.get(str(v), v)) for v in value)
        return str(labels.get(str(value), value))
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        return _date(value)
    text = " ".join(str(value).split())
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def _field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _label(model, name: str) -> str:
    field = _field(model, name)
    if field is not None and hasattr(field, "verbose_name"):
        return str(field.verbose_name)
    return name.replace("_", " ")


def changes_text(model, changes: dict, *, created: bool = False) -> list[str]:
    """Each change as "label : new value" (creation) or "label : new (au lieu de old)"."""
    parts = []
    for name, pair in (changes or {}).items():
        if name in HIDDEN_FIELDS or not isinstance(pair, list | tuple) or len(pair) != 2:
            continue
        field = _field(model, name)
        old, new = value_text(field, pair[0]), value_text(field, pair[1])
        label = _label(model, name)
        if created:
            if new:
                parts.append(_("%(label)s : %(new)s") % {"label": label, "new": new})
        elif old and new:
            parts.append(
                _("%(label)s : %(new)s (au lieu de %(old)s)") % {"label": label, "new": new, "old": old}
            )
        elif new:
            parts.append(_("%(label)s : %(new)s") % {"label": label, "new": new})
        elif old:
            parts.append(_("%(label)s retiré (%(old)s)") % {"label": label, "old": old})
    return parts


def _action_label(action: str) -> str | None:
    if action in ACTION_LABELS:
        return str(ACTION_LABELS[action])
    prefix = action.split(":", 1)[0] + ":"
    if prefix in ACTION_LABELS:
        label = ACTION_LABELS[prefix]
        return str(label(action.split(":", 1)[1]) if callable(label) else label)
    return None


def sentence(entry) -> str:
    """One audit entry in words, in the active language."""
    model = model_of(entry.object_type)
    noun, feminine = _noun(model), _is_feminine(model)
    what = entry.object_repr or noun
    action = entry.action
    if action == "create":
        head = (
            pgettext("feminine", "%(noun)s créée : %(what)s") if feminine else _("%(noun)s créé : %(what)s")
        )
        details = changes_text(model, entry.changes, created=True)[:MAX_DETAILS]
    elif action == "update":
        head = (
            pgettext("feminine", "%(noun)s modifiée : %(what)s")
            if feminine
            else _("%(noun)s modifié : %(what)s")
        )
        details = changes_text(model, entry.changes)
    elif action == "delete":
        head = (
            pgettext("feminine", "%(noun)s supprimée : %(what)s")
            if feminine
            else _("%(noun)s supprimé : %(what)s")
        )
        details = []
    else:
        label = _action_label(action) or capfirst(action.replace(":", " ").replace("_", " "))
        head = label + " : %(what)s"
        details = changes_text(model, entry.changes)
    text = head % {"noun": noun, "what": what}
    if details:
        text += " — " + " ; ".join(details)
    return text
