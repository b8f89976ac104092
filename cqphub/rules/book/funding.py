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
from cqphub.rules.facts import Status
from cqphub.rules.model import Decision, Rule


def _funding(ctx: Ctx, rule: Rule) -> Decision:
    p, on = ctx.person, ctx.on
    body = employment_body(on)
    reconversion = on >= date(2026, 1, 1)
    cpf = cpf_eligible(ctx)
    if p is None:
        return Decision(
            INFO,
            "Qui paie dépend de votre situation : employeur et OPCO pour les salariés, CPF si la "
            f"certification est enregistrée, {body} et la région pour les demandeurs d'emploi, Agefiph "
            "pour les personnes handicapées.",
            "Who pays depends on your situation: employer and OPCO for employees, the CPF if the "
            f"certification is registered, {body} and the region for job seekers, Agefiph for disabled "
            "people.",
        )
    payers: list[str] = []
    fr: list[str] = []
    en: list[str] = []
    if p.status is Status.YOUNG_IN_TRAINING:
        payers += ["employer", "opco", "state"]
        fr.append("contrat de professionnalisation (salaire par l'employeur, formation par l'OPCO)")
        en.append("professionalisation contract (wage by the employer, training by the OPCO)")
        fr.append("contrat d'engagement jeune avec la mission locale (allocation de l'État)")
        en.append("contrat d'engagement jeune with the mission locale (State allowance)")
    elif p.status is Status.EMPLOYEE:
        payers += ["employer", "opco"]
        fr.append("plan de développement des compétences (employeur ; OPCO pour les moins de 50 salariés)")
        en.append("skills development plan (employer; OPCO for companies under 50)")
        if reconversion:
            fr.append("période de reconversion (OPCO, CPF en complément)")
            en.append("période de reconversion (OPCO, CPF on top)")
        else:
            fr.append("Pro-A (OPCO)")
            en.append("Pro-A (OPCO)")
        if cpf:
            payers += ["cpf", "transitions_pro"]
            fr.append("projet de transition professionnelle (Transitions Pro)")
            en.append("projet de transition professionnelle (Transitions Pro)")
    elif p.status is Status.JOB_SEEKER:
        payers += [body.lower().replace(" ", "_").replace("ô", "o"), "region", "opco"]
        fr.append(f"POEI ({body}) ou POEC (OPCO)")
        en.append(f"POEI ({body}) or POEC (OPCO)")
        fr.append("contrat de professionnalisation (employeur + OPCO)")
        en.append("professionalisation contract (employer + OPCO)")
    elif p.status is Status.SELF_EMPLOYED:
        payers += ["faf"]
        fr.append("fonds d'assurance formation de votre activité (FAF)")
        en.append("your trade's training insurance fund (FAF)")
    if cpf and "cpf" not in payers:
        payers.insert(0 if p.status is Status.JOB_SEEKER else len(payers), "cpf")
    if cpf:
        top_up = f", complété par {body} ou la région" if p.status is Status.JOB_SEEKER else ""
        top_up_en = f", topped up by {body} or the region" if p.status is Status.JOB_SEEKER else ""
        fr.append(f"CPF{top_up}")
        en.append(f"CPF{top_up_en}")
    if p.has_disability:
        payers.append("agefiph")
        fr.append("Agefiph (compléments pour les personnes handicapées)")
        en.append("Agefiph (top-ups for disabled people)")
    return Decision(
        INFO,
        "Financements à proposer, dans l'ordre : " + " ; ".join(fr) + ".",
        "Funding to propose, in order: " + "; ".join(en) + ".",
        value=payers,
    )


FUNDING_RULES = (
    Rule(
        finding="funding.payers",
        valid_from=BOOK_START,
        summary="Funding routes and payers by person status, in the order to propose",
        citations=(
            "L6321-1",
            "L6325-1",
            "L6323-6",
            "L6323-4",
            "L6323-17-6",
            "L6326-1",
            "L6326-3",
            "L6332-1",
            "L6332-9",
            "L5214-1",
        ),
        certainty=CODE,
        decide=_funding,
    ),
)


def _cej(ctx: Ctx, rule: Rule) -> Decision:
    if not rule.params["open"]:
        return Decision(
            INFO,
            "Le contrat d'engagement jeune n'existe qu'à partir du 1er mars 2022.",
            "The contrat d'engagement jeune only exists from 1 March 2022.",
            certainty=BEL,
        )
    p = ctx.person
    if p is None:
        return Decision(
            COND,
            "Contrat d'engagement jeune : 16 à 25 ans, jusqu'à 29 ans pour une personne reconnue "
            "travailleur handicapé, sans emploi ni formation ; avec une allocation.",
            "Contrat d'engagement jeune: aged 16 to 25, up to 29 for a recognised disabled worker, without "
            "job or training; with an allowance.",
        )
    limit = 29 if p.has_disability else 25
    if p.status in (Status.EMPLOYEE, Status.SELF_EMPLOYED):
        return Decision(
            NO,
            "Le contrat d'engagement jeune s'adresse aux jeunes sans emploi.",
            "The contrat d'engagement jeune is for young people without a job.",
        )
    if p.age is None:
        return Decision(
            COND,
            f"Contrat d'engagement jeune possible si vous avez de 16 à {limit} ans.",
            f"Contrat d'engagement jeune possible if you are aged 16 to {limit}.",
        )
    if 16 <= p.age <= limit:
        return Decision(
            YES,
            "Contrat d'engagement jeune possible, avec la mission locale ou France Travail.",
            "Contrat d'engagement jeune possible, with the mission locale or France Travail.",
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
        citations=("L5131-6",),
        certainty=BEL,
        decide=_cej,
        params={"open": False},
    ),
    Rule(
        finding="funding.cej",
        valid_from=date(2022, 3, 1),
        summary="Contrat d'engagement jeune: 16–25, 29 with RQTH",
        citations=("L5131-6", "L5314-2"),
        certainty=CODE,
        decide=_cej,
        params={"open": True},
    ),
)


def _agefiph(ctx: Ctx, rule: Rule) -> Decision:
    p = ctx.person
    if p is None:
        return Decision(
            COND,
            "L'Agefiph peut compléter le financement pour une personne handicapée.",
            "Agefiph can top up funding for a disabled person.",
        )
    if p.has_disability:
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
