"""Change a framework row in place, move it up or down among its siblings, delete it, and undo any of these.

Rows are the activities, work situations, skills, knowledge items, criteria, assessment methods and
tests of a draft version, and the version's blocks (their order only). Each change is one audit entry
(`update` with `{field: [old, new]}`, `move` with the siblings' order before and after, `delete` with
what was deleted); `undo_change` reads that entry back and restores the previous state, provided the row
still is as the change left it (a deleted row: its parent is still in the draft and it was not put back).

A deletion is undone from its audit entry, not from a soft-deleted row: the entry keeps the row's fields
and primary key, its children's (an activity's work situations and its links to the version's blocks; a
skill's knowledge items and criteria) and its place among its siblings. Nothing outside the
qualifications app points at these rows (other apps reference blocks, which are never deleted here), so
putting them back under the same keys restores everything; a soft delete would have made every reader of
a framework (pages, exports, booklet, publication checks, block revisions) filter deleted rows.

A row of a frozen block (held by a published version) is changed in a new revision of the block, as
every other framework edit (`frameworks.editable_block`); undoing restores the row's content and order in
that revision, which stays.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cqphub.orgs import audit
from cqphub.orgs.models import AuditEntry
from cqphub.qualifications.models import (
    Activity,
    AssessmentMethod,
    AssessmentTest,
    Criterion,
    KnowledgeItem,
    QualificationVersion,
    Skill,
    SkillBlock,
    VersionBlock,
    WorkSituation,
)
from cqphub.qualifications.services._common import record
from cqphub.qualifications.services.frameworks import (
    ROW_MODELS,
    _block_of,
    _matching_row,
    editable_block,
    rows_of_version,
)

# The fields a person may change in place, per kind of row (codes included: a typo in a code is fixed here).
EDITABLE_FIELDS: dict[str, tuple[str, ...]] = {
    "activity": ("code", "title", "description"),
    "work_situation": ("title", "description"),
    "skill": ("code", "statement", "transversal"),
    "knowledge_item": ("label",),
    "criterion": ("statement",),
    "method": ("kind", "description"),
    "test": ("title", "method", "duration_minutes", "description"),
}
# Rows that can be moved: every editable kind, and the version's blocks (VersionBlock).
MOVABLE_MODELS = {**ROW_MODELS, "block": VersionBlock}
KIND_OF = {model: kind for kind, model in MOVABLE_MODELS.items()}
UNDOABLE = ("update", "move", "delete")
# What a deleted row takes with it and `undo_change` puts back: kind → ((relation, model), ...).
CHILDREN = {
    "activity": (("work_situations", WorkSituation),),
    "skill": (("knowledge_items", KnowledgeItem), ("criteria", Criterion)),
}


def kind_of(row) -> str:
    return KIND_OF[type(row)]


def block_of(row) -> SkillBlock | None:
    """The block a row belongs to; None for activities, work situations and the version's blocks."""
    return None if isinstance(row, VersionBlock) else _block_of(row)


def siblings(row):
    """The rows `row` is ordered among, in their order."""
    model = type(row)
    parent = {
        Activity: "version_id",
        WorkSituation: "activity_id",
        Skill: "block_id",
        KnowledgeItem: "skill_id",
        Criterion: "skill_id",
        AssessmentMethod: "block_id",
        AssessmentTest: "block_id",
        VersionBlock: "version_id",
    }[model]
    return model.objects.filter(**{parent: getattr(row, parent)}).order_by("order", "pk")


def movable_rows(version: QualificationVersion, kind: str):
    """The rows of `kind` that belong to `version` (to look a row up safely from a URL)."""
    if kind == "block":
        return VersionBlock.objects.filter(version=version).select_related("block")
    return rows_of_version(version, kind)


def _in_editable_block(actor, version: QualificationVersion, row):
    """`row` itself, or its copy in the new revision of its block when the block is frozen."""
    version.assert_editable()
    block = _block_of(row)
    if block is not None and SkillBlock.objects.filter(pk=block.pk, frozen=True).exists():
        new = editable_block(actor=actor, version=version, block=block)
        return _matching_row(new, row)
    return row


def _check_unique_code(row, code: str) -> None:
    if isinstance(row, Activity):
        taken = Activity.objects.filter(version_id=row.version_id, code=code).exclude(pk=row.pk).exists()
        if taken:
            raise ValidationError(
                {"code": _("Une activité porte déjà le code « %(code)s ».") % {"code": code}}
            )
    elif isinstance(row, Skill):
        taken = Skill.objects.filter(block_id=row.block_id, code=code).exclude(pk=row.pk).exists()
        if taken:
            raise ValidationError(
                {"code": _("Une compétence porte déjà le code « %(code)s » dans ce bloc.") % {"code": code}}
            )


def _assign(row, fields: tuple[str, ...], values: dict) -> None:
    for name in fields:
        if name not in values:
            continue
        value = values[name]
        if isinstance(value, str):
            value = value.strip()
        if name == "code":
            _check_unique_code(row, value)
        setattr(row, name, value)


@transaction.atomic
def update_row(*, actor, version: QualificationVersion, row, **values) -> AuditEntry | None:
    """Change the row's fields in place; the audit entry of the change, or None when nothing changed."""
    row = _in_editable_block(actor, version, row)
    fields = EDITABLE_FIELDS[kind_of(row)]
    unknown = set(values) - set(fields)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    before = audit.snapshot(row, fields)
    _assign(row, fields, values)
    row.full_clean()
    changes = audit.diff(before, audit.snapshot(row, fields))
    if not changes:
        return None
    row.save()
    return record(actor, "update", row, qualification=version.qualification, changes=changes)


def _apply_order(model, pks: list[int]) -> None:
    for position, pk in enumerate(pks, start=1):
        model.objects.filter(pk=pk).exclude(order=position).update(order=position)


@transaction.atomic
def move_row(*, actor, version: QualificationVersion, row, direction: str) -> AuditEntry:
    """Swap the row with the one above ("up") or below ("down"); positions are renumbered 1…n."""
    if direction not in ("up", "down"):
        raise ValueError(f"direction must be 'up' or 'down', not {direction!r}")
    if isinstance(row, VersionBlock):
        version.assert_editable()
    else:
        row = _in_editable_block(actor, version, row)
    before = list(siblings(row).values_list("pk", flat=True))
    index = before.index(row.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(before):
        raise ValidationError(
            _("Cette ligne est déjà la première.")
            if direction == "up"
            else _("Cette ligne est déjà la dernière.")
        )
    after = list(before)
    after[index], after[other] = after[other], after[index]
    _apply_order(type(row), after)
    row.refresh_from_db()
    return record(
        actor,
        "move",
        row,
        qualification=version.qualification,
        changes={"order": [index + 1, other + 1], "sequence": {"before": before, "after": after}},
    )


def undoable_entry(version: QualificationVersion, entry_id) -> tuple[AuditEntry, object | None] | None:
    """The change `entry_id` and its row, if it is an in-place change of a row of this draft that can
    still be undone (the row is as the change left it; a deleted row, given as None, can be put back);
    else None."""
    if version.is_published:
        return None
    try:
        entry = AuditEntry.objects.get(pk=int(entry_id), action__in=UNDOABLE)
    except (AuditEntry.DoesNotExist, TypeError, ValueError):
        return None
    kind = next((k for k, m in MOVABLE_MODELS.items() if m._meta.label_lower == entry.object_type), None)
    if kind is None or (entry.action in ("update", "delete") and kind not in EDITABLE_FIELDS):
        return None
    if entry.action == "delete":
        return (entry, None) if _can_restore(version, kind, entry) else None
    row = movable_rows(version, kind).filter(pk=entry.object_id).first()
    if row is None or not _still_as_left(entry, row):
        return None
    return entry, row


# -- deleting a row, and putting it back -----------------------------------------------------


def _kept(row) -> dict:
    """What `_restore` needs to put `row` back: its fields and key, its children's, its place."""
    kept = {
        "row": {"pk": row.pk, **audit.snapshot(row)},
        "sequence": list(siblings(row).values_list("pk", flat=True)),
    }
    for relation, _model in CHILDREN.get(kind_of(row), ()):
        children = getattr(row, relation).order_by("order", "pk")
        kept[relation] = [{"pk": child.pk, **audit.snapshot(child)} for child in children]
    if isinstance(row, Activity):
        kept["version_blocks"] = sorted(row.version_blocks.values_list("pk", flat=True))
    return kept


@transaction.atomic
def delete_row(*, actor, version: QualificationVersion, row) -> AuditEntry:
    """Delete the row with what depends on it (in the draft's own revision of a frozen block); the audit
    entry returned keeps them, for `undo_change`."""
    row = _in_editable_block(actor, version, row)
    entry = record(
        actor,
        "delete",
        row,
        qualification=version.qualification,
        changes={"deleted": str(row), "kept": _kept(row)},
    )
    row.delete()
    return entry


def _parent_in(version: QualificationVersion, kind: str, data: dict) -> bool:
    """Whether the parent a deleted row had is still part of `version`."""
    if kind == "activity":
        return data.get("version") == version.pk
    if kind == "work_situation":
        return rows_of_version(version, "activity").filter(pk=data.get("activity")).exists()
    if kind in ("knowledge_item", "criterion"):
        return rows_of_version(version, "skill").filter(pk=data.get("skill")).exists()
    return version.version_blocks.filter(block_id=data.get("block")).exists()


def _can_restore(version: QualificationVersion, kind: str, entry: AuditEntry) -> bool:
    kept = (entry.changes or {}).get("kept")
    if not isinstance(kept, dict) or "row" not in kept:
        return False  # deleted before the entries kept what undo needs
    model = MOVABLE_MODELS[kind]
    return (
        _parent_in(version, kind, kept["row"])
        and not model.objects.filter(pk=kept["row"]["pk"]).exists()
        and not AuditEntry.objects.filter(action="restore", changes__undone=entry.pk).exists()
    )


def _rebuilt(model, data: dict):
    """An unsaved instance of `model` from a snapshot (`audit.snapshot` plus "pk")."""
    values = {model._meta.get_field(name).attname: value for name, value in data.items() if name != "pk"}
    return model(pk=data["pk"], **values)


def _put_back(model, row, sequence: list[int]) -> None:
    """Renumber the row's siblings with the row where it was: after the nearest sibling that was before it
    and is still there (first if none)."""
    current = [pk for pk in siblings(row).values_list("pk", flat=True) if pk != row.pk]
    earlier = sequence[: sequence.index(row.pk)] if row.pk in sequence else []
    index = next((current.index(pk) + 1 for pk in reversed(earlier) if pk in current), 0)
    _apply_order(model, current[:index] + [row.pk] + current[index:])


@contextmanager
def _refused_as_not_undoable():
    """A row that no longer validates is refused as an undo, with the reason it gives."""
    try:
        yield
    except ValidationError as error:
        raise ValidationError(
            _("Cette modification ne peut pas être annulée : %(reason)s")
            % {"reason": " ".join(error.messages)},
            code="not_undoable",
        ) from error


def _restore(actor, version: QualificationVersion, entry: AuditEntry) -> tuple[AuditEntry, object]:
    kept = entry.changes["kept"]
    model = next(m for m in ROW_MODELS.values() if m._meta.label_lower == entry.object_type)
    row = _rebuilt(model, kept["row"])
    with _refused_as_not_undoable():
        if "code" in kept["row"]:
            _check_unique_code(row, row.code)  # a row added since may hold its code
        row.full_clean()
    row.save(force_insert=True)  # refused with its message if a published version took the block since
    for relation, child_model in CHILDREN.get(kind_of(row), ()):
        for data in kept.get(relation, ()):
            _rebuilt(child_model, data).save(force_insert=True)
    for link in VersionBlock.objects.filter(version=version, pk__in=kept.get("version_blocks", ())):
        link.activities.add(row)
    _put_back(model, row, kept.get("sequence") or [])
    row.refresh_from_db()
    restored = record(
        actor, "restore", row, qualification=version.qualification, changes={"undone": entry.pk}
    )
    return restored, row


def _still_as_left(entry: AuditEntry, row) -> bool:
    changes = entry.changes or {}
    if entry.action == "move":
        sequence = changes.get("sequence") or {}
        return list(siblings(row).values_list("pk", flat=True)) == sequence.get("after")
    fields = EDITABLE_FIELDS[kind_of(row)]
    now = audit.snapshot(row, fields)
    pairs = {name: pair for name, pair in changes.items() if name in fields}
    return bool(pairs) and all(now.get(name) == pair[1] for name, pair in pairs.items())


@transaction.atomic
def undo_change(*, actor, version: QualificationVersion, entry_id) -> tuple[AuditEntry, object]:
    """Restore what the change `entry_id` replaced; returns the new audit entry and the row."""
    version.assert_editable()
    found = undoable_entry(version, entry_id)
    if found is None:
        raise ValidationError(
            _(
                "Cette modification ne peut plus être annulée : la ligne a changé depuis, ou elle n'appartient "
                "pas à ce brouillon."
            ),
            code="not_undoable",
        )
    entry, row = found
    if entry.action == "delete":
        return _restore(actor, version, entry)
    block = block_of(row)
    if block is not None and SkillBlock.objects.filter(pk=block.pk, frozen=True).exists():
        block.frozen = True
        block.assert_editable()  # a published version took the block since: refused with its message
    if entry.action == "move":
        sequence = entry.changes["sequence"]
        _apply_order(type(row), sequence["before"])
        old, new = entry.changes["order"]
        changes = {
            "order": [new, old],
            "sequence": {"before": sequence["after"], "after": sequence["before"]},
        }
    else:
        fields = EDITABLE_FIELDS[kind_of(row)]
        restore = {name: pair[0] for name, pair in entry.changes.items() if name in fields}
        before = audit.snapshot(row, fields)
        with _refused_as_not_undoable():
            _assign(row, fields, restore)
            row.full_clean()
        row.save()
        changes = audit.diff(before, audit.snapshot(row, fields))
    changes["undone"] = entry.pk
    row.refresh_from_db()
    return record(actor, "undo", row, qualification=version.qualification, changes=changes), row
