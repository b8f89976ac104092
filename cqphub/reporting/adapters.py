"""From the platform's objects to the holder report's plain records (holder_report.AwardRecord).

Awards are read through `cqphub.juries.selectors` only (never decisions or grids); the holder's
identity through the award's candidate (journeys), the fiche through the qualification.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings

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


def registered_fiche(qualification, on: date) -> hr.Fiche | None:
    """The RNCP / RS fiche the qualification was registered under on `on`, or None."""
    return fiche_on(
        qualification.register,
        qualification.fiche_code,
        qualification.registered_from,
        qualification.registered_until,
        on,
    )


def fiche_on(
    register: str, fiche_code: str, start: date | None, end: date | None, on: date
) -> hr.Fiche | None:
    """`registered_fiche` from the qualification's columns (the report reads rows, not objects)."""
    code = (fiche_code or "").strip().upper().replace(" ", "")
    if not register or not code:
        return None
    if start and on < start:
        return None
    if end and on > end:
        return None
    if not code.startswith(register):
        code = f"{register}{code}"
    return hr.Fiche(register, code)


# The columns of one award that its holder-report record needs (awards, their candidate, candidacy and
# qualification, read in one query by `award_record_from_row`'s caller; the order matters).
AWARD_COLUMNS = (
    "pk",
    "kind",
    "route",
    "decision_date",
    "revoked_at",
    "candidacy__route",
    "candidacy__funding",
    "candidacy__created",
    "candidate__birth_name",
    "candidate__usage_name",
    "candidate__first_names",
    "candidate__sex",
    "candidate__birth_year",
    "candidate__birth_month",
    "candidate__birth_day",
    "candidate__birth_commune",
    "candidate__birth_country",
    "qualification__title",
    "qualification__register",
    "qualification__fiche_code",
    "qualification__registered_from",
    "qualification__registered_until",
)


def award_record_from_row(row: tuple, proof_url: str) -> hr.AwardRecord:
    """One award's record from its `AWARD_COLUMNS` values and its verification URL ("" when none)."""
    (pk, kind, route, decided, revoked_at, candidacy_route, funding, enrolled_at, birth_name, usage_name,
     first_names, sex, birth_year, birth_month, birth_day, commune, country, title, register, fiche_code,
     registered_from, registered_until) = row  # fmt: skip
    funding = funding or ""
    usage_name = usage_name or ""
    birth_name = birth_name or ""
    first_names = first_names or ""
    display_name = f"{(usage_name or birth_name).upper()} {first_names}".strip()  # Candidate.display_name
    return hr.AwardRecord(
        id_technique=hr.technical_id(ID_PREFIX, pk),
        reference=f"{display_name} — {title} ({decided:%d/%m/%Y})",
        holder=hr.Holder(
            birth_name=birth_name,
            first_names=tuple(n for n in first_names.replace(",", " ").split() if n),
            sex=sex or "",
            birth_year=birth_year,
            birth_month=birth_month,
            birth_day=birth_day,
            usage_name=usage_name,
            birth_insee_code=(commune or "").strip(),
            birth_country_code=(country or "").strip(),
            identity_verified=False,
        ),
        fiche=fiche_on(register, fiche_code, registered_from, registered_until, decided),
        route=route_key(route or candidacy_route, funding),
        decision_date=decided,
        proof_url=proof_url,
        full=kind == "full",
        initiative=FUNDING_INITIATIVE.get(funding, ""),
        enrolled_on=enrolled_at.date() if enrolled_at else None,
        revoked_on=revoked_at.date() if revoked_at else None,
    )


def proof_urls(award_ids) -> dict[int, str]:
    """The public verification URL (urlPreuve) of each award's document, absolute, for a chunk of awards
    (`credentials.selectors.verification_urls_for_awards`). An award with no document yet is absent: the
    optional element is then left out rather than pointing at a page that knows no such document."""
    from cqphub.credentials.selectors import verification_urls_for_awards

    return {
        award_id: url if url.startswith("http") else public_url(url)
        for award_id, url in verification_urls_for_awards(award_ids).items()
    }


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
