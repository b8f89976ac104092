"""Whom to contact (RULES.md §8, §9.8).

Each decision function is followed by its dated versions (see docs/rules.md, "How to add a rule").
"""

from __future__ import annotations

from datetime import date

from cqphub.rules.book.common import (
    BEL,
    BOOK_START,
    CODE,
    COND,
    FRANCE_TRAVAIL_FROM,
    NO,
    YES,
    employment_body,
)
from cqphub.rules.book.cpf import cpf_eligible
from cqphub.rules.book.vae import vae_open_for_certification
from cqphub.rules.context import Ctx
from cqphub.rules.facts import PersonSituation, Status
from cqphub.rules.model import Decision, Rule


def _is_young(p: PersonSituation, limit: int = 25) -> bool | None:
    return None if p.age is None else 16 <= p.age <= limit


def _contact_employer(ctx: Ctx, rule: Rule) -> Decision:
    p = ctx.person
    if p is None or p.status is Status.EMPLOYEE:
        return Decision(
            YES if p else COND,
            "Votre employeur (RH) : plan de développement des compétences, période de reconversion, abondement CPF.",
            "Your employer (HR): skills development plan, période de reconversion, CPF top-up.",
        )
    return Decision(NO, "Sans objet : vous n'êtes pas salarié.", "Not applicable: you are not an employee.")


CONTACT_EMPLOYER_RULES = (
    Rule(
        finding="contact.employer",
        valid_from=BOOK_START,
        summary="The employer (HR) for employees",
        citations=("L6321-1",),
        certainty=CODE,
        decide=_contact_employer,
    ),
)


def _contact_france_travail(ctx: Ctx, rule: Rule) -> Decision:
    name = rule.params["name"]
    p = ctx.person
    if p is None:
        return Decision(
            COND,
            f"{name} : pour les demandeurs d'emploi et les jeunes.",
            f"{name}: for job seekers and young people.",
            value=name,
        )
    if p.status in (Status.JOB_SEEKER, Status.YOUNG_IN_TRAINING) or p.has_disability:
        return Decision(
            YES,
            f"{name} : conseiller pour l'emploi, la formation (POE, aides) et le conseil en évolution professionnelle.",
            f"{name}: adviser for jobs, training (POE, funding) and career guidance.",
            value=name,
        )
    return Decision(
        NO,
        f"{name} : pas l'interlocuteur principal d'une personne en emploi.",
        f"{name}: not the main contact of a person in work.",
        value=name,
    )


CONTACT_FRANCE_TRAVAIL_RULES = (
    Rule(
        finding="contact.france_travail",
        valid_from=BOOK_START,
        summary="Pôle emploi for job seekers and young people",
        citations=("L5311-7", "loi.2023-1196"),
        certainty=CODE,
        decide=_contact_france_travail,
        params={"name": "Pôle emploi"},
    ),
    Rule(
        finding="contact.france_travail",
        valid_from=FRANCE_TRAVAIL_FROM,
        summary="France Travail for job seekers, young and disabled people",
        citations=("L5312-1", "L5311-7", "loi.2023-1196"),
        certainty=CODE,
        decide=_contact_france_travail,
        params={"name": "France Travail"},
    ),
)


def _contact_mission_locale(ctx: Ctx, rule: Rule) -> Decision:
    p = ctx.person
    if p is None:
        return Decision(
            COND,
            "Mission locale : pour les 16–25 ans (jusqu'à 29 ans avec une RQTH pour le CEJ).",
            "Mission locale: for people aged 16–25 (up to 29 with RQTH for the CEJ).",
        )
    if p.status in (Status.EMPLOYEE, Status.SELF_EMPLOYED):
        return Decision(
            NO,
            "Mission locale : pour les jeunes sans emploi.",
            "Mission locale: for young people without a job.",
        )
    young = _is_young(p, 29 if p.has_disability else 25)
    if young is None:
        outcome = YES if p.status is Status.YOUNG_IN_TRAINING else COND
        return Decision(
            outcome,
            "Mission locale : si vous avez de 16 à 25 ans.",
            "Mission locale: if you are aged 16 to 25.",
        )
    if young:
        return Decision(
            YES,
            "Mission locale : accompagnement, contrat d'engagement jeune, conseil en évolution professionnelle.",
            "Mission locale: support, contrat d'engagement jeune, career guidance.",
        )
    return Decision(NO, "Mission locale : réservée aux 16–25 ans.", "Mission locale: for people aged 16–25.")


CONTACT_MISSION_LOCALE_RULES = (
    Rule(
        finding="contact.mission_locale",
        valid_from=BOOK_START,
        summary="Mission locale for people aged 16–25",
        citations=("L5314-2", "L5131-6"),
        certainty=CODE,
        decide=_contact_mission_locale,
    ),
)


def _contact_cap_emploi(ctx: Ctx, rule: Rule) -> Decision:
    p = ctx.person
    if p is None:
        return Decision(
            COND, "Cap emploi : pour les personnes handicapées.", "Cap emploi: for disabled people."
        )
    if p.has_disability:
        return Decision(
            YES,
            "Cap emploi : préparation, accompagnement et maintien dans l'emploi des personnes handicapées.",
            "Cap emploi: preparation, support and job retention for disabled people.",
        )
    return Decision(NO, "Cap emploi : réservé aux personnes handicapées.", "Cap emploi: for disabled people.")


CONTACT_CAP_EMPLOI_RULES = (
    Rule(
        finding="contact.cap_emploi",
        valid_from=BOOK_START,
        summary="Cap emploi for disabled people",
        citations=("L5214-3-1", "L5311-7"),
        certainty=CODE,
        decide=_contact_cap_emploi,
    ),
)


def _contact_opco(ctx: Ctx, rule: Rule) -> Decision:
    p = ctx.person
    branch = ctx.facts.branch_opco
    if p is None:
        return Decision(
            COND,
            f"OPCO de la branche{f' ({branch})' if branch else ''} : contrat de professionnalisation, "
            "période de reconversion, plan des entreprises de moins de 50 salariés.",
            f"The branch's OPCO{f' ({branch})' if branch else ''}: professionalisation contract, période "
            "de reconversion, plan of companies under 50 employees.",
            value=branch,
        )
    if p.status is Status.EMPLOYEE:
        name = p.employer_opco
        if name:
            return Decision(
                YES,
                f"Votre OPCO, d'après la convention collective de votre employeur (IDCC {p.employer_idcc}) : {name}.",
                f"Your OPCO, from your employer's collective agreement (IDCC {p.employer_idcc}): {name}.",
                value=name,
            )
        return Decision(
            YES,
            "L'OPCO de votre employeur : trouvez-le par l'IDCC de sa convention collective (sur la fiche de paie).",
            "Your employer's OPCO: find it from the IDCC of its collective agreement (on the payslip).",
            value=None,
        )
    if p.status is Status.YOUNG_IN_TRAINING:
        name = p.employer_opco or branch
        return Decision(
            YES,
            f"L'OPCO de la branche visée{f' ({name})' if name else ''} finance le contrat de professionnalisation.",
            f"The target branch's OPCO{f' ({name})' if name else ''} funds the professionalisation contract.",
            value=name,
        )
    return Decision(
        NO,
        "L'OPCO n'est pas votre interlocuteur direct dans votre situation.",
        "The OPCO is not your direct contact in your situation.",
        value=p.employer_opco or branch,
    )


CONTACT_OPCO_RULES = (
    Rule(
        finding="contact.opco",
        valid_from=BOOK_START,
        summary="The OPCO of the employer's branch, from its IDCC",
        citations=("L6332-1", "L6332-1-1", "R6123-34", "R6123-35", "centreinffo.opco_tables"),
        certainty=CODE,
        decide=_contact_opco,
    ),
)


def _contact_france_vae(ctx: Ctx, rule: Rule) -> Decision:
    if not rule.params["open"]:
        return Decision(
            NO,
            "France VAE n'existe qu'à partir du 1er janvier 2024 : la demande se fait auprès du certificateur.",
            "France VAE only exists from 1 January 2024: apply to the certifier.",
        )
    if vae_open_for_certification(ctx):
        return Decision(
            YES,
            "France VAE (vae.gouv.fr) : inscription, architecte accompagnateur de parcours, dossier de recevabilité.",
            "France VAE (vae.gouv.fr): registration, pathway adviser (AAP), admissibility file.",
            value="France VAE",
        )
    return Decision(
        NO,
        "France VAE : pas de VAE pour cette certification à cette date.",
        "France VAE: no VAE for this certification on this date.",
        value="France VAE",
    )


CONTACT_FRANCE_VAE_RULES = (
    Rule(
        finding="contact.france_vae",
        valid_from=BOOK_START,
        summary="No France VAE yet: apply to the certifier",
        citations=("L6421-1",),
        certainty=BEL,
        decide=_contact_france_vae,
        params={"open": False},
    ),
    Rule(
        finding="contact.france_vae",
        valid_from=date(2024, 1, 1),
        summary="France VAE for VAE candidates",
        citations=("L6411-2", "R6411-1", "R6412-2"),
        certainty=CODE,
        decide=_contact_france_vae,
        params={"open": True},
    ),
)


def _contact_cep(ctx: Ctx, rule: Rule) -> Decision:
    p = ctx.person
    body = employment_body(ctx.on)
    if p is None:
        return Decision(
            YES,
            "Conseil en évolution professionnelle (CEP), gratuit pour tous.",
            "Career guidance (conseil en évolution professionnelle, CEP), free for everyone.",
        )
    if p.has_disability:
        who = "Cap emploi"
    elif p.status is Status.YOUNG_IN_TRAINING:
        who = "mission locale"
    elif p.status is Status.JOB_SEEKER:
        who = "Apec" if p.manager else body
    elif p.manager:
        who = "Apec"
    else:
        who = "opérateur CEP régional"
    who_en = "regional CEP operator" if who == "opérateur CEP régional" else who
    return Decision(
        YES,
        f"Conseil en évolution professionnelle (CEP), gratuit : {who}.",
        f"Career guidance (CEP), free: {who_en}.",
        value=who,
    )


CONTACT_CEP_RULES = (
    Rule(
        finding="contact.cep",
        valid_from=BOOK_START,
        summary="Career guidance (CEP), free for everyone",
        citations=("L6111-6",),
        certainty=CODE,
        decide=_contact_cep,
    ),
)


def _contact_transitions_pro(ctx: Ctx, rule: Rule) -> Decision:
    p = ctx.person
    if p is None:
        return Decision(
            COND,
            "Transitions Pro : pour les salariés qui changent de métier (PTP, VAE).",
            "Transitions Pro: for employees changing job (PTP, VAE).",
        )
    if p.status is Status.EMPLOYEE:
        return Decision(
            YES,
            "Transitions Pro de votre région : projet de transition professionnelle, forfait VAE.",
            "Transitions Pro in your region: projet de transition professionnelle, VAE flat rate.",
            value="Transitions Pro",
        )
    return Decision(NO, "Transitions Pro : pour les salariés.", "Transitions Pro: for employees.")


CONTACT_TRANSITIONS_PRO_RULES = (
    Rule(
        finding="contact.transitions_pro",
        valid_from=BOOK_START,
        summary="Transitions Pro for employees changing job",
        citations=("L6323-17-6", "L6323-17-1"),
        certainty=CODE,
        decide=_contact_transitions_pro,
    ),
)


def _contact_mcf(ctx: Ctx, rule: Rule) -> Decision:
    if cpf_eligible(ctx):
        return Decision(
            YES,
            "Mon Compte Formation (moncompteformation.gouv.fr) : vos droits CPF et les formations éligibles.",
            "Mon Compte Formation (moncompteformation.gouv.fr): your CPF rights and eligible training.",
            value="Mon Compte Formation",
        )
    return Decision(
        NO,
        "Mon Compte Formation : pas de CPF pour cette certification.",
        "Mon Compte Formation: no CPF for this certification.",
        value="Mon Compte Formation",
    )


CONTACT_MCF_RULES = (
    Rule(
        finding="contact.mon_compte_formation",
        valid_from=BOOK_START,
        summary="Mon Compte Formation when the CPF applies",
        citations=("L6323-8", "L6323-9"),
        certainty=CODE,
        decide=_contact_mcf,
    ),
)


RULES: tuple[Rule, ...] = (
    *CONTACT_EMPLOYER_RULES,
    *CONTACT_FRANCE_TRAVAIL_RULES,
    *CONTACT_MISSION_LOCALE_RULES,
    *CONTACT_CAP_EMPLOI_RULES,
    *CONTACT_OPCO_RULES,
    *CONTACT_FRANCE_VAE_RULES,
    *CONTACT_CEP_RULES,
    *CONTACT_TRANSITIONS_PRO_RULES,
    *CONTACT_MCF_RULES,
)
