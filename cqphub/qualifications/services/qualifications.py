"""Create and edit a qualification (CQP / CQPI)."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from cqphub.orgs import audit
from cqphub.qualifications.enums import LifecycleEventKind, VersionState
from cqphub.qualifications.models import (
    IpHolderChange,
    LifecycleEvent,
    Qualification,
    QualificationVersion,
    check_kind_against_branches,
)
from cqphub.qualifications.services._common import record


@transaction.atomic
def create_qualification(
    *,
    actor,
    kind: str,
    title: str,
    committee,
    ip_holder,
    creation_decision_date: date,
    rome_codes: list[str] | None = None,
    target_jobs: list[str] | None = None,
) -> Qualification:
    """A new qualification with its first draft version and its "created" event.

    Refused when a CQPI's committee joins fewer than two branches, or a CQP's more than one.
    """
    check_kind_against_branches(kind, list(committee.branches.all()))
    qualification = Qualification(
        kind=kind,
        title=title.strip(),
        committee=committee,
        ip_holder=ip_holder,
        creation_decision_date=creation_decision_date,
        rome_codes=list(rome_codes or []),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    qualification.full_clean()
    qualification.save()
    QualificationVersion.objects.create(
        qualification=qualification,
        number=1,
        state=VersionState.DRAFT,
        title=qualification.title,
        target_jobs=list(target_jobs or []),
    )
    LifecycleEvent.objects.create(
        qualification=qualification,
        kind=LifecycleEventKind.CREATED,
        on=creation_decision_date,
        recorded_by=qualification.created_by,
    )
    record(
        actor,
        "create",
        qualification,
        qualification=qualification,
        changes=audit.diff({}, audit.snapshot(qualification)),
    )
    return qualification


EDITABLE_FIELDS = ("title", "rome_codes", "ip_holder", "creation_decision_date")


@transaction.atomic
def update_qualification(*, actor, qualification: Qualification, **values) -> Qualification:
    before = audit.snapshot(qualification, EDITABLE_FIELDS)
    for key, value in values.items():
        if key not in EDITABLE_FIELDS:
            raise TypeError(f"update_qualification: unexpected field {key!r}")
        setattr(qualification, key, value)
    qualification.full_clean()
    qualification.save()
    if "ip_holder" in before and before["ip_holder"] != qualification.ip_holder_id:
        IpHolderChange.objects.create(
            qualification=qualification,
            holder=qualification.ip_holder,
            changed_on=values.get("ip_holder_changed_on") or date.today(),
        )
    changes = audit.diff(before, audit.snapshot(qualification, EDITABLE_FIELDS))
    if changes:
        record(actor, "update", qualification, qualification=qualification, changes=changes)
    return qualification
