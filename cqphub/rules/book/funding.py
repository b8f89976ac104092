"""Who pays: the funding routes, the CEJ and Agefiph (RULES.md §9.7).

Each decision function is followed by its dated versions (see docs/rules.md, "How to add a rule").
"""

from __future__ import annotations

from datetime import date

from cqphub.rules.book.common import (
    BEL,
    BOOK_START,
    CODE,
    COND,
    INFO,
    NO,
    YES,
    employment_body,
)
from cqphub.rules.book.cpf import cpf_eligible
from cqphub.rules.context import Ctx
from cqphub.rules.facts import PersonSituation, Status
from cqphub.rules.model import Decision, Rule


def _funding(ctx: Ctx, rule: Rule) -> Decision:
    """The payers to propose, in order. The order and the choice are editorial (RULES.md §9.7),
    hence `our_reading` (audit C5); the `value` lists the payers in the same order as the text (D7).
    The CEJ is an allowance, not a training payer: it has its own finding."""
    person, on = ctx.person, ctx.on
    body = employment_body(on)
    reconversion = on >= date(2026, 1, 1)
    cpf = cpf_eligible(ctx)
    if person is None:
        return Decision(
            INFO,
            "Qui paie dépend de votre situation : employeur et OPCO pour les salariés, CPF si la "
            f"certification est enregistrée, {body} et la région pour les demandeurs d'emploi, Agefiph "
            "pour les personnes handicapées.",
            "Who pays depends on your situation: employer and OPCO for employees, the CPF if the "
            f"certification is registered, {body} and the region for job seekers, Agefiph for disabled "
            "people.",
        )
    payers, fr, en = _payers_by_situation(person, body, reconversion=reconversion, cpf=cpf)
    if cpf and "cpf" not in payers and not person.is_public_agent:
        payers.append("cpf")
        top_up = f", complété par {body} ou la région" if person.status is Status.JOB_SEEKER else ""
        top_up_en = f", topped up by {body} or the region" if person.status is Status.JOB_SEEKER else ""
        fr.append(f"CPF{top_up}")
        en.append(f"CPF{top_up_en}")
    if person.has_disability:
        payers.append("agefiph")
        fr.append("Agefiph (compléments pour les personnes handicapées)")
        en.append("Agefiph (top-ups for disabled people)")
    return Decision(
        INFO,
        "Financements à proposer, dans cet ordre (notre lecture) : " + " ; ".join(fr) + ".",
        "Funding to propose, in this order (our reading): " + "; ".join(en) + ".",
        value=payers,
    )


def _payers_by_situation(
    person: PersonSituation, body: str, *, reconversion: bool, cpf: bool
) -> tuple[list[str], list[str], list[str]]:
    """The payers of the person's situation (employee, job seeker…), with their French and English names."""
    payers: list[str] = []
    fr: list[str] = []
    en: list[str] = []
    if person.is_public_agent:
        payers.append("public_employer")
        fr.append("votre employeur public (règles de la fonction publique, hors de ce livre)")
        en.append("your public employer (civil service rules, outside this book)")
    elif person.status is Status.YOUNG_IN_TRAINING:
        payers += ["employer", "opco"]
        fr.append("contrat de professionnalisation (salaire par l'employeur, formation par l'OPCO)")
        en.append("professionalisation contract (wage by the employer, training by the OPCO)")
    elif person.is_employee:
        payers += ["employer", "opco"]
        fr.append("plan de développement des compétences (employeur ; OPCO pour les moins de 50 salariés)")
        en.append("skills development plan (employer; OPCO for companies under 50)")
        if reconversion:
            fr.append(
                "période de reconversion (accord écrit de l'employeur, OPCO selon ses critères, CPF en complément)"
            )
            en.append(
                "période de reconversion (employer's written agreement, OPCO within its criteria, CPF on top)"
            )
        elif not person.is_apprentice:
            fr.append("Pro-A (OPCO, selon l'accord de branche)")
            en.append("Pro-A (OPCO, per the branch agreement)")
        if cpf:
            payers.append("cpf")
            fr.append("CPF")
            en.append("CPF")
            if not person.is_apprentice:
                payers.append("transitions_pro")
                fr.append("projet de transition professionnelle (Transitions Pro)")
                en.append("projet de transition professionnelle (Transitions Pro)")
    elif person.status is Status.JOB_SEEKER:
        payers += [body.lower().replace(" ", "_").replace("ô", "o"), "region", "opco"]
        fr.append(f"POEI ({body}) ou POEC (OPCO)")
        en.append(f"POEI ({body}) or POEC (OPCO)")
        fr.append("formations financées par la région")
        en.append("training funded by the region")
        fr.append("contrat de professionnalisation (employeur + OPCO)")
        en.append("professionalisation contract (employer + OPCO)")
    elif person.status is Status.SELF_EMPLOYED:
        payers += ["faf"]
        fr.append("fonds d'assurance formation de votre activité (FAF)")
        en.append("your trade's training insurance fund (FAF)")
    return payers, fr, en


FUNDING_RULES = (
    Rule(
        finding="funding.payers",
        valid_from=BOOK_START,
        summary="Funding routes and payers by person status, in the order to propose (editorial)",
        citations=(
            "L6321-1@2019",
            "L6325-1",
            "L6323-6@2019",
            "L6323-4@2019",
            "L6326-1@2019",
            "L6332-1@2019",
            "L6332-9",
            "L5214-1",
        ),
        certainty=BEL,
        decide=_funding,
    ),
    Rule(
        finding="funding.payers",
        valid_from=date(2024, 1, 1),
        summary="Funding routes and payers (France Travail), in the order to propose (editorial)",
        citations=(
            "L6321-1",
            "L6325-1",
            "L6323-6",
            "L6323-4",
            "L6326-1",
            "L6326-3",
            "L6332-1",
            "L6332-9",
            "L5214-1",
        ),
        certainty=BEL,
        decide=_funding,
    ),
)


def _cej(ctx: Ctx, rule: Rule) -> Decision:
    """Audit A8: L. 5131-6 opens the CEJ to young people aged 16 to 25 (29 with RQTH) "qui rencontrent
    des difficultés d'accès à l'emploi durable, qui ne sont pas étudiants et qui ne suivent pas une
    formation": `no` for pupils, students and apprentices, `conditional` otherwise; the employment
    body's name follows the date (Pôle emploi before 2024)."""
    if not rule.params["open"]:
        return Decision(
            INFO,
            "Le contrat d'engagement jeune n'existe qu'à partir du 1er mars 2022.",
            "The contrat d'engagement jeune only exists from 1 March 2022.",
            certainty=BEL,
        )
    body = employment_body(ctx.on)
    person = ctx.person
    conditions_fr = "si vous rencontrez des difficultés d'accès à l'emploi durable, sans être étudiant ni suivre une formation"
    conditions_en = (
        "if you face difficulties in finding lasting employment, and are neither a student nor in training"
    )
    if person is None:
        return Decision(
            COND,
            "Contrat d'engagement jeune : 16 à 25 ans, jusqu'à 29 ans pour une personne reconnue "
            f"travailleur handicapé, {conditions_fr} ; avec une allocation, par la mission locale ou {body}.",
            "Contrat d'engagement jeune: aged 16 to 25, up to 29 for a recognised disabled worker, "
            f"{conditions_en}; with an allowance, through the mission locale or {body}.",
        )
    if person.status is Status.YOUNG_IN_TRAINING or person.is_apprentice:
        return Decision(
            NO,
            "Le contrat d'engagement jeune n'est pas ouvert aux élèves, étudiants et personnes qui suivent "
            "une formation (apprentis compris).",
            "The contrat d'engagement jeune is not open to pupils, students and people in training "
            "(apprentices included).",
        )
    if person.status in (Status.EMPLOYEE, Status.SELF_EMPLOYED):
        return Decision(
            NO,
            "Le contrat d'engagement jeune s'adresse aux jeunes sans emploi durable.",
            "The contrat d'engagement jeune is for young people without lasting employment.",
        )
    limit = 29 if person.disability else 25
    if person.age is None:
        return Decision(
            COND,
            f"Contrat d'engagement jeune possible si vous avez de 16 à {limit} ans, {conditions_fr}.",
            f"Contrat d'engagement jeune possible if you are aged 16 to {limit}, {conditions_en}.",
        )
    if 16 <= person.age <= limit:
        return Decision(
            COND,
            f"Contrat d'engagement jeune possible, {conditions_fr}, avec la mission locale ou {body}.",
            f"Contrat d'engagement jeune possible, {conditions_en}, with the mission locale or {body}.",
        )
    return Decision(
        NO,
        f"Contrat d'engagement jeune : de 16 à {limit} ans.",
        f"Contrat d'engagement jeune: aged 16 to {limit}.",
    )


CEJ_RULES = (
    Rule(
        finding="funding.cej",
        valid_from=BOOK_START,
        summary="Contrat d'engagement jeune not in force",
        citations=("loi.2021-1900",),
        certainty=BEL,
        decide=_cej,
        params={"open": False},
    ),
    Rule(
        finding="funding.cej",
        valid_from=date(2022, 3, 1),
        summary="Contrat d'engagement jeune: 16–25, 29 with RQTH; not students nor people in training",
        citations=("L5131-6@2022",),
        certainty=CODE,
        decide=_cej,
        params={"open": True},
    ),
    Rule(
        finding="funding.cej",
        valid_from=date(2025, 1, 1),
        summary="Contrat d'engagement jeune (L. 5131-6 as in force from 2025)",
        citations=("L5131-6", "L5314-2"),
        certainty=CODE,
        decide=_cej,
        params={"open": True},
    ),
)


def _agefiph(ctx: Ctx, rule: Rule) -> Decision:
    person = ctx.person
    if person is None:
        return Decision(
            COND,
            "L'Agefiph peut compléter le financement pour une personne handicapée.",
            "Agefiph can top up funding for a disabled person.",
        )
    if person.has_disability:
        return Decision(
            YES,
            "L'Agefiph peut compléter le financement (CPF, contrat, formation) ; le certificateur doit "
            "adapter les épreuves.",
            "Agefiph can top up the funding (CPF, contract, training); the certifier must adapt the "
            "assessment.",
            cites=("D5211-6",),
        )
    return Decision(
        NO, "Sans objet : réservé aux personnes handicapées.", "Not applicable: for disabled people."
    )


AGEFIPH_RULES = (
    Rule(
        finding="funding.agefiph",
        valid_from=BOOK_START,
        summary="Agefiph tops up funding for disabled people",
        citations=("L5214-1", "L6323-4"),
        certainty=CODE,
        decide=_agefiph,
    ),
)


RULES: tuple[Rule, ...] = (*FUNDING_RULES, *CEJ_RULES, *AGEFIPH_RULES)
