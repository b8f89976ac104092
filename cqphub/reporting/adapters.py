"""From the platform's objects to the holder report's plain records (holder_report.AwardRecord).

Awards are read through `cqphub.juries.selectors` only (never decisions or grids); the holder's
identity through the award's candidate (journeys), the fiche through the qualification.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings

from cqphub.credentials import selectors as credentials
from cqphub.reporting import holder_report as hr

ID_PREFIX = "cqphub-award"

# journeys' funding of a training candidacy → the route key of holder_report.ROUTE_TO_ACCESS
FUNDING_ROUTE = {
    "professionalisation": "pro_contract",
    "plan": "plan",
    "cpf": "cpf",
    "pro_a": "pro_a",
    "reconversion": "reconversion",
    "ptp": "ptp",
    "poe": "poe",
    "personal": "training",
    "other": "training",
}
# who took the initiative of the enrolment, read from the funding (the candidacy has no such field):
# the employer funds plan, contrat de professionnalisation, Pro-A and période de reconversion; the
# person mobilises their CPF or pays; France Travail runs the POE.
FUNDING_INITIATIVE = {
    "plan": "employer",
    "professionalisation": "employer",
    "pro_a": "employer",
    "reconversion": "employer",
    "cpf": "candidate",
    "personal": "candidate",
    "poe": "france_travail",
}


def route_key(route: str, funding: str) -> str:
    """The candidacy's route and funding as one key (holder report and statistics)."""
    if route == "vae":
        return "vae"
    return FUNDING_ROUTE.get(funding or "", "training")


def public_url(path: str) -> str:
    return f"{settings.CQPHUB_PUBLIC_URL}{path}"


def verification_url(award) -> str:
    """The public verification URL of the award's parchment (urlPreuve), or "" while none is issued:
    the optional element is then left out rather than pointing at a page that knows no such document."""
    url = credentials.verification_url_for_award(award)
    return url if not url or url.startswith("http") else public_url(url)


def registered_fiche(qualification, on: date) -> hr.Fiche | None:
    """The RNCP / RS fiche the qualification was registered under on `on`, or None."""
    register = qualification.register
    code = (qualification.fiche_code or "").strip().upper().replace(" ", "")
    if not register or not code:
        return None
    start, end = qualification.registered_from, qualification.registered_until
    if start and on < start:
        return None
    if end and on > end:
        return None
    if not code.startswith(register):
        code = f"{register}{code}"
    return hr.Fiche(register, code)


def holder(candidate) -> hr.Holder:
    names = tuple(n for n in (candidate.first_names or "").replace(",", " ").split() if n)
    commune = (candidate.birth_commune or "").strip()
    country = (candidate.birth_country or "").strip()
    return hr.Holder(
        birth_name=candidate.birth_name or "",
        first_names=names,
        sex=candidate.sex or "",
        birth_year=candidate.birth_year,
        birth_month=candidate.birth_month,
        birth_day=candidate.birth_day,
        usage_name=candidate.usage_name or "",
        birth_insee_code=commune,
        birth_country_code=country,
        identity_verified=False,
    )


def award_record(award, *, exam: tuple[date | None, date | None, str] | None = None) -> hr.AwardRecord:
    candidacy = award.candidacy
    revoked_on = award.revoked_at.date() if award.revoked_at else None
    start, end, modality = exam or (None, None, "")
    return hr.AwardRecord(
        id_technique=hr.technical_id(ID_PREFIX, award.pk),
        reference=award_reference(award),
        holder=holder(award.candidate),
        fiche=registered_fiche(award.qualification, award.decision_date),
        route=route_key(award.route or candidacy.route, getattr(candidacy, "funding", "")),
        decision_date=award.decision_date,
        proof_url=verification_url(award),
        full=award.kind == "full",
        initiative=FUNDING_INITIATIVE.get(getattr(candidacy, "funding", ""), ""),
        enrolled_on=candidacy.created.date() if getattr(candidacy, "created", None) else None,
        exam_start=start,
        exam_end=end,
        exam_modality=modality,
        revoked_on=revoked_on,
    )


def award_reference(award) -> str:
    return f"{award.candidate} — {award.qualification.title} ({award.decision_date:%d/%m/%Y})"


def account_record(account) -> hr.CertifierAccount | None:
    if account is None:
        return None
    return hr.CertifierAccount(
        siret=account.certifier.siret,
        name=account.certifier.name,
        client_id=account.client_id,
        contract_id=account.contract_id,
        sender_client_id=account.sender_client_id,
        trusted_third_party=account.trusted_third_party,
    )
