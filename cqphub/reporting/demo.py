"""Demo data of the reporting app (idempotent): the demo CQP's holders and their report to the CDC.

The demo "CQP Boulanger-tourier" is registered in the RNCP (demo fiche RNCP99001). Its certifier gets
CDC identifiers; eight holders are awarded by a jury session written for the demo ("Jury de démonstration
— accrochage"): four went in file no. 1 (three accepted, one rejected with the CDC's reason), one is
overdue (decided four months ago, never sent), three are due. Statistics are then recomputed.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

HOLDERS = [
    # birth name, first names, sex, (y, m, d), commune or country, funding / route
    ("Moreau", "Camille Anne", "F", (1996, 4, 12), "69123", "professionalisation"),
    ("Benali", "Yanis", "M", (2001, 11, 3), "13055", "professionalisation"),
    ("Lefèvre", "Chloé", "F", (1989, 2, 27), "75056", "plan"),
    ("N'Diaye", "Moussa Ibrahima", "M", (1993, 7, 9), "99341", "vae"),
    ("Garcia", "Inès", "F", (1999, 1, 30), "31555", "cpf"),
    ("Petit", "Lucas", "M", (2003, 6, 18), "59350", "professionalisation"),
    ("Rousseau", "Emma", "F", (1985, 9, 5), "44109", "vae"),
    ("Da Silva", "Rafael", "M", (1997, 12, 21), "99139", "plan"),
]
SESSION_PLACE = "Jury de démonstration — accrochage, Paris"
REJECTION = "Code commune de naissance inconnu du SI CPF (démo)"


def _award(qualification, session, index: int, decided: date):
    from cqphub.journeys.models import Candidacy, Candidate, RulesSnapshot
    from cqphub.juries.models import Award
    from cqphub.orgs.models import Centre

    name, firsts, sex, (y, m, d), place, funding = HOLDERS[index]
    birth = {"birth_country": place} if place.startswith("99") else {"birth_commune": place}
    candidate, _ = Candidate.objects.get_or_create(
        birth_name=name,
        first_names=firsts,
        birth_year=y,
        defaults={
            "sex": sex,
            "birth_month": m,
            "birth_day": d,
            "email": f"titulaire{index + 1}@demo.cqphub.fr",
            **birth,
        },
    )
    existing = Award.objects.filter(candidate=candidate, qualification=qualification).first()
    if existing is not None:
        return existing
    route = "vae" if funding == "vae" else "training"
    centre = None if route == "vae" else Centre.objects.order_by("pk").first()
    candidacy = Candidacy(
        candidate=candidate,
        version=qualification.latest_published(),
        qualification=qualification,
        route=route,
        funding="cpf" if funding == "vae" else funding,
        centre=centre,
        rules_on=decided - timedelta(days=300),
        rules_snapshot=RulesSnapshot.for_findings([]),
        status="decided",
    )
    candidacy._status_change_allowed = True  # demo history written at once, not walked through the workflow
    candidacy.save()
    return Award.objects.create(
        candidate=candidate,
        candidacy=candidacy,
        version=candidacy.version,
        qualification=qualification,
        kind="full",
        decision_date=decided,
        place=SESSION_PLACE,
        jury_session=session,
        route=route,
    )


@transaction.atomic
def load_demo_reporting() -> dict[str, int]:
    from cqphub.juries.models import JurySession
    from cqphub.qualifications.demo import CQP_TITLE
    from cqphub.qualifications.models import Qualification
    from cqphub.reporting import services
    from cqphub.reporting.aggregates import refresh_statistics
    from cqphub.reporting.models import CdcAccount, HolderReportEntry

    qualification = Qualification.objects.filter(title=CQP_TITLE).first()
    if qualification is None or qualification.latest_published() is None:
        return {"created": 0}
    today = timezone.localdate()
    certifier = qualification.ip_holder
    created = 0
    if not CdcAccount.objects.filter(certifier=certifier).exists():
        services.save_cdc_account(certifier=certifier, client_id="12DEM345", contract_id="MCFCER000999")
        created += 1
    if JurySession.objects.filter(qualification=qualification, place=SESSION_PLACE).exists():
        return {"created": created}

    def session(on):
        at = timezone.make_aware(datetime.combine(on, time(17)))
        return JurySession.objects.create(
            qualification=qualification,
            on=on,
            place=SESSION_PLACE,
            status="closed",
            opened_at=at,
            closed_at=at,
        )

    first_day = today - timedelta(days=50)
    first = session(first_day)
    early = [_award(qualification, first, i, first_day) for i in range(4)]
    for award in early:
        services.record_award(award)
    report, _result = services.build_file(certifier, today=first_day + timedelta(days=5))
    if report is not None:
        rejected = HolderReportEntry.objects.get(award=early[3])
        services.record_answer(report, rejected={rejected.pk: REJECTION}, on=first_day + timedelta(days=20))
    old_day = today - timedelta(days=120)
    overdue = _award(qualification, session(old_day), 4, old_day)
    services.record_award(overdue)
    recent_day = today - timedelta(days=20)
    recent = session(recent_day)
    for i in range(5, 8):
        services.record_award(_award(qualification, recent, i, recent_day))
    refresh_statistics()
    return {"created": created + 8}
