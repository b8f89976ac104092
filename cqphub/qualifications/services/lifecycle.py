"""Record a dated step of a qualification's legal life (see `..lifecycle` for the rules)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from cqphub.qualifications import lifecycle
from cqphub.qualifications.models import LifecycleEvent, Qualification
from cqphub.qualifications.services._common import record
from cqphub.registry.models import Certification

SUMMARY_FIELDS = (
    "state",
    "transmitted_fc_on",
    "transmitted_cdc_on",
    "register",
    "fiche_code",
    "level",
    "registered_from",
    "registered_until",
)


def _apply_summary(qualification: Qualification, snapshot: lifecycle.Snapshot) -> None:
    qualification.state = snapshot.state
    qualification.transmitted_fc_on = snapshot.transmitted_fc_on
    qualification.transmitted_cdc_on = snapshot.transmitted_cdc_on
    qualification.register = snapshot.register
    qualification.fiche_code = snapshot.fiche_code
    qualification.level = snapshot.level
    qualification.registered_from = snapshot.registered_from
    qualification.registered_until = snapshot.registered_until


@transaction.atomic
def record_lifecycle_event(
    *,
    actor,
    qualification: Qualification,
    kind: str,
    on: date,
    register: str = "",
    fiche_code: str = "",
    level: int | None = None,
    start: date | None = None,
    end: date | None = None,
    note: str = "",
) -> LifecycleEvent:
    """Append the event if the state machine allows it; refused with a message naming the field."""
    qualification = Qualification.objects.select_for_update().get(pk=qualification.pk)
    fiche_code = (fiche_code or "").strip().upper()
    event = lifecycle.Event(
        kind=kind, on=on, register=register, fiche_code=fiche_code, level=level, start=start, end=end
    )
    try:
        snapshot = lifecycle.apply(qualification.snapshot(), event)
    except lifecycle.TransitionError as error:
        if error.field:
            raise ValidationError({error.field: error.message}, code="transition")
        raise ValidationError(error.message, code="transition")
    row = LifecycleEvent.objects.create(
        qualification=qualification,
        kind=kind,
        on=on,
        register=register,
        fiche_code=fiche_code,
        level=level,
        start=start,
        end=end,
        note=note.strip(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    before = {f: getattr(qualification, f) for f in SUMMARY_FIELDS}
    _apply_summary(qualification, snapshot)
    if kind == lifecycle.E_REGISTERED and fiche_code:
        certification = Certification.objects.filter(code=fiche_code).first()
        if certification is not None:
            qualification.certification = certification
    qualification.save()
    after = {f: getattr(qualification, f) for f in SUMMARY_FIELDS}
    from cqphub.orgs import audit

    record(
        actor,
        f"lifecycle:{kind}",
        qualification,
        qualification=qualification,
        changes=audit.diff(before, after),
    )
    return row
