"""Awards for the reporting tests, written straight into the juries tables (the chain's own services are
tested by their apps; here only the award, the hinge reporting reads, matters)."""

from __future__ import annotations

from datetime import date

from cqphub.journeys.models import Candidacy, Candidate, RulesSnapshot
from cqphub.juries.models import Award, JurySession
from cqphub.qualifications.models import Qualification
from tests.factories.qualifications import published_qualification

_sessions: dict = {}


def registered_cqp(
    *, code="RNCP99123", register="RNCP", since=date(2024, 1, 1), until=date(2029, 1, 1), **kw
):
    qualification, blocks = published_qualification(**kw)
    Qualification.objects.filter(pk=qualification.pk).update(
        register=register, fiche_code=code, registered_from=since, registered_until=until
    )
    qualification.refresh_from_db()
    return qualification, blocks


def candidate(n: int = 1, **extra) -> Candidate:
    data = {
        "birth_name": f"Durand{n}",
        "first_names": "Léa Marie",
        "sex": "F",
        "birth_year": 1998,
        "birth_month": 5,
        "birth_day": 17,
        "birth_commune": "69123",
    }
    data.update(extra)
    return Candidate.objects.create(**data)


def award(
    qualification,
    n: int = 1,
    *,
    decision=date(2026, 6, 30),
    route="training",
    funding="professionalisation",
    kind="full",
    centre=None,
    person=None,
    status="decided",
) -> Award:
    from tests.factories.orgs import CentreFactory

    version = qualification.latest_published()
    who = person or candidate(n)
    if route == "training" and centre is None:
        centre = CentreFactory()
    candidacy = Candidacy(
        candidate=who,
        version=version,
        qualification=qualification,
        route=route,
        funding=funding,
        centre=centre,
        rules_on=date(2025, 9, 1),
        rules_snapshot=RulesSnapshot.for_findings([]),
        status=status,
    )
    candidacy._status_change_allowed = True  # straight to the end of the workflow: not what is tested here
    candidacy.save()
    Candidacy.objects.filter(pk=candidacy.pk).update(created=date(2025, 9, 1).isoformat() + "T10:00:00+00:00")
    candidacy.refresh_from_db()
    key = (qualification.pk, decision)
    session = _sessions.get(key)
    if session is None or not JurySession.objects.filter(pk=session.pk).exists():
        session = JurySession.objects.create(qualification=qualification, on=decision, place="Paris")
        _sessions[key] = session
    return Award.objects.create(
        candidate=who,
        candidacy=candidacy,
        version=version,
        qualification=qualification,
        kind=kind,
        decision_date=decision,
        place="Paris",
        jury_session=session,
        route=route,
    )


def revoke(old: Award, on=date(2026, 10, 2), reason="Fraude établie") -> None:
    from datetime import datetime, time

    from django.utils import timezone

    old.revoked_at = timezone.make_aware(datetime.combine(on, time(10)))
    old.revocation_reason = reason
    old.save(update_fields=["revoked_at", "revocation_reason"])
