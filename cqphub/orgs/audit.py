"""The back office's audit trail: every write service calls `record()` inside its transaction.

    before = audit.snapshot(centre)
    ... change centre, save ...
    audit.record(actor, "update", centre, changes=audit.diff(before, audit.snapshot(centre)))

`changes` maps a field to `[old, new]`, values made JSON-safe (dates as ISO strings, model
instances as their primary key, decimals as strings).
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import models

from cqphub.orgs.models import AuditEntry, Branch, Centre


def jsonable(value: Any) -> Any:
    """A JSON-safe form of a field value."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if hasattr(value, "name") and isinstance(getattr(value, "name", None), str):  # files
        return value.name
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The concrete and many-to-many field values of `obj` (or only `fields`), JSON-safe.

    Foreign keys are given by their primary key; many-to-many fields as a sorted list of keys
    (only once the object is saved)."""
    wanted = set(fields) if fields is not None else None
    data: dict[str, Any] = {}
    opts = obj._meta
    for field in opts.concrete_fields:
        if field.primary_key or (wanted is not None and field.name not in wanted):
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        if field.is_relation:
            data[field.name] = getattr(obj, field.attname)
        else:
            data[field.name] = jsonable(getattr(obj, field.attname))
    for field in opts.many_to_many:
        if wanted is not None and field.name not in wanted:
            continue
        data[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True)) if obj.pk else []
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """`{field: [old, new]}` for every key whose value differs (a missing key counts as None)."""
    changes: dict[str, list[Any]] = {}
    for key in sorted(set(before) | set(after)):
        old, new = jsonable(before.get(key)), jsonable(after.get(key))
        if old != new:
            changes[key] = [old, new]
    return changes


def _guess_branch(obj) -> Branch | None:
    if isinstance(obj, Branch):
        return obj
    branch = getattr(obj, "branch", None)
    return branch if isinstance(branch, Branch) else None


def _guess_centre(obj) -> Centre | None:
    if isinstance(obj, Centre):
        return obj
    centre = getattr(obj, "centre", None)
    return centre if isinstance(centre, Centre) else None


def record(
    actor,
    action: str,
    obj: models.Model,
    *,
    branch: Branch | None = None,
    centre: Centre | None = None,
    changes: dict | None = None,
) -> AuditEntry:
    """Append one entry to the audit trail and return it.

    `actor` is the user who acted (None or an anonymous user for the system); `action` is
    "create", "update", "delete" or a custom verb; `branch` / `centre` file the entry under the
    organisation whose administrators may read it (guessed from `obj` when it is, or has, one).
    Call it inside the write's transaction so that the change and its record stand or fall together.
    """
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if branch is None:
        branch = _guess_branch(obj)
    if centre is None:
        centre = _guess_centre(obj)
    opts = obj._meta
    return AuditEntry.objects.create(
        actor=actor,
        actor_repr=(actor.email if actor is not None else "")[:254],
        branch=branch,
        centre=centre,
        action=action[:40],
        object_type=f"{opts.app_label}.{opts.model_name}",
        object_id=str(obj.pk) if obj.pk is not None else "",
        object_repr=str(obj)[:250],
        changes=jsonable(changes or {}),
    )
