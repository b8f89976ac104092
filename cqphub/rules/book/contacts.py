"""Whom to contact (RULES.md §8, §9.8).

Each decision function is followed by its dated versions (see docs/rules.md, "How to add a rule").
Which contacts to list is an editorial choice (RULES.md §9.8): the findings are `our_reading`
(audit C5), their citations say what each body does; the names follow the date (audit B6).
"""

from __future__ import annotations

from datetime import date

from cqphub.rules.book.common import BEL, BOOK_START, COND, FRANCE_TRAVAIL_FROM, NO, YES, employment_body
from cqphub.rules.book.cpf import cpf_eligible
from cqphub.rules.book.routes import RECONVERSION_FROM
from cqphub.rules.book.vae import FRANCE_VAE_FROM, vae_open_for_certification
from cqphub.rules.context import Ctx
from cqphub.rules.facts import PersonSituation, Status
from cqphub.rules.model import Decision, Rule

CPIR_FROM = date(2020, 1, 1)  # Transitions Pro (CPIR) replace the Fongecif
VAE_FLAT_RATE_FROM = date(2022, 12, 23)  # loi n° 2022-1598 adds the VAE flat rate to L. 6323-17-6
ML_RQTH_FROM = date(2025, 1, 1)  # L. 5314-2: missions locales up to 29 with RQTH, within the CEJ


def _is_young(person: PersonSituation, limit: int = 25) -> bool | None:
    return None if person.age is None else 16 <= person.age <= limit


def _contact_employer(ctx: Ctx, rule: Rule) -> Decision:
    person = ctx.person
    topics_fr, topics_en = rule.params["topics"]
    if person is not None and person.is_public_agent:
        return Decision(
            YES,
            "Votre employeur public (service des ressources humaines) : formation et compte personnel de "
            "formation des agents publics.",
            "Your public employer (human resources): training and the personal training account of public "
            "agents.",
        )
    if person is None or person.is_employee:
        return Decision(
            YES if person else COND,
            f"Votre employeur (RH) : {topics_fr}.",
            f"Your employer (HR): {topics_en}.",
        )
    return Decision(NO, "Sans objet : vous n'êtes pas salarié.", "Not applicable: you are not an employee.")


CONTACT_EMPLOYER_RULES = (
    Rule(
        finding="contact.employer",
        valid_from=BOOK_START,
        summary="The employer (HR) for employees: plan, Pro-A, CPF top-up",
        citations=("L6321-1", "L6324-1@2019"),
        certainty=BEL,
        decide=_contact_employer,
        params={
            "topics": (
                "plan de développement des compétences, Pro-A, abondement CPF",
                "skills development plan, Pro-A, CPF top-up",
            )
        },
    ),
    Rule(
        finding="contact.employer",
        valid_from=RECONVERSION_FROM,
        summary="The employer (HR) for employees: plan, période de reconversion, CPF top-up",
        citations=("L6321-1", "L6324-3"),
        certainty=BEL,
        decide=_contact_employer,
        params={
            "topics": (
                "plan de développement des compétences, période de reconversion (accord écrit), abondement CPF",
                "skills development plan, période de reconversion (written agreement), CPF top-up",
            )
        },
    ),
)


def _contact_france_travail(ctx: Ctx, rule: Rule) -> Decision:
    name = rule.params["name"]
    person = ctx.person
    if person is None:
        return Decision(
            COND,
            f"{name} : pour les demandeurs d'emploi et les jeunes.",
            f"{name}: for job seekers and young people.",
            value=name,
        )
    if person.status in (Status.JOB_SEEKER, Status.YOUNG_IN_TRAINING) or person.has_disability:
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
        citations=("L5312-1@2019",),
        certainty=BEL,
        decide=_contact_france_travail,
        params={"name": "Pôle emploi"},
    ),
    Rule(
        finding="contact.france_travail",
        valid_from=FRANCE_TRAVAIL_FROM,
        summary="France Travail for job seekers, young and disabled people",
        citations=("L5312-1", "L5311-7", "loi.2023-1196"),
        certainty=BEL,
        decide=_contact_france_travail,
        params={"name": "France Travail"},
    ),
)


def _contact_mission_locale(ctx: Ctx, rule: Rule) -> Decision:
    """L. 5314-2: the missions locales help the insertion of young people aged 16 to 25 (audit D6);
    the extension to 29 with RQTH exists only from 2025-01-01 and within the CEJ (audit B6)."""
    person = ctx.person
    rqth = rule.params["rqth_29"]
    if person is None:
        return Decision(
            COND,
            "Mission locale : insertion professionnelle et sociale des 16–25 ans"
            f"{' (jusqu’à 29 ans avec une RQTH, dans le cadre du contrat d’engagement jeune)' if rqth else ''}.",
            "Mission locale: work and social integration of people aged 16–25"
            f"{' (up to 29 with RQTH, within the contrat d’engagement jeune)' if rqth else ''}.",
        )
    if person.status in (Status.EMPLOYEE, Status.SELF_EMPLOYED) and not person.is_apprentice:
        return Decision(
            NO,
            "Mission locale : elle accompagne l'insertion des 16–25 ans ; en emploi, votre employeur et le "
            "conseil en évolution professionnelle sont les premiers interlocuteurs.",
            "Mission locale: it supports the integration of people aged 16–25; in work, your employer and "
            "career guidance come first.",
        )
    young = _is_young(
        person, 29 if (rqth and person.disability and person.status is Status.JOB_SEEKER) else 25
    )
    if young is None:
        outcome = YES if person.status is Status.YOUNG_IN_TRAINING else COND
        return Decision(
            outcome,
            "Mission locale : si vous avez de 16 à 25 ans.",
            "Mission locale: if you are aged 16 to 25.",
        )
    if young:
        return Decision(
            YES,
            "Mission locale : accompagnement vers l'emploi et la formation, contrat d'engagement jeune, "
            "conseil en évolution professionnelle.",
            "Mission locale: support towards work and training, contrat d'engagement jeune, career guidance.",
        )
    return Decision(NO, "Mission locale : pour les 16–25 ans.", "Mission locale: for people aged 16–25.")


CONTACT_MISSION_LOCALE_RULES = (
    Rule(
        finding="contact.mission_locale",
        valid_from=BOOK_START,
        summary="Mission locale for people aged 16–25",
        citations=("L5314-2@2019",),
        certainty=BEL,
        decide=_contact_mission_locale,
        params={"rqth_29": False},
    ),
    Rule(
        finding="contact.mission_locale",
        valid_from=ML_RQTH_FROM,
        summary="Mission locale for people aged 16–25; up to 29 with RQTH within the CEJ",
        citations=("L5314-2", "L5131-6"),
        certainty=BEL,
        decide=_contact_mission_locale,
        params={"rqth_29": True},
    ),
)


def _contact_cap_emploi(ctx: Ctx, rule: Rule) -> Decision:
    person = ctx.person
    if person is None:
        return Decision(
            COND, "Cap emploi : pour les personnes handicapées.", "Cap emploi: for disabled people."
        )
    if person.has_disability:
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
        citations=("L5214-3-1",),
        certainty=BEL,
        decide=_contact_cap_emploi,
    ),
)


def _contact_opco(ctx: Ctx, rule: Rule) -> Decision:
    person = ctx.person
    branch = ctx.facts.branch_opco
    label = f" ({branch})" if branch else ""
    if person is None:
        return Decision(
            COND,
            f"OPCO de la branche{label} : contrat de professionnalisation, plan des entreprises de moins de "
            "50 salariés, POE collective.",
            f"The branch's OPCO{label}: professionalisation contract, plan of companies under 50 employees, "
            "collective POE.",
            value=branch,
        )
    if person.is_public_agent:
        return Decision(
            NO,
            "L'OPCO finance la formation des salariés du secteur privé, pas celle des agents publics.",
            "The OPCO funds training for private-sector employees, not for public agents.",
            value=None,
        )
    if person.is_employee:
        name = person.employer_opco
        if name:
            return Decision(
                YES,
                f"Votre OPCO, d'après la convention collective de votre employeur (IDCC {person.employer_idcc}) : {name}.",
                f"Your OPCO, from your employer's collective agreement (IDCC {person.employer_idcc}): {name}.",
                value=name,
            )
        return Decision(
            YES,
            "L'OPCO de votre employeur : trouvez-le par l'IDCC de sa convention collective (sur la fiche de paie).",
            "Your employer's OPCO: find it from the IDCC of its collective agreement (on the payslip).",
            value=None,
        )
    if person.status in (Status.YOUNG_IN_TRAINING, Status.JOB_SEEKER):
        name = person.employer_opco or branch
        label = f" ({name})" if name else ""
        return Decision(
            YES,
            f"L'OPCO de la branche visée{label} finance le contrat de professionnalisation et la POE collective.",
            f"The target branch's OPCO{label} funds the professionalisation contract and the collective POE.",
            value=name,
        )
    return Decision(
        NO,
        "L'OPCO n'est pas votre interlocuteur direct dans votre situation.",
        "The OPCO is not your direct contact in your situation.",
        value=person.employer_opco or branch,
    )


CONTACT_OPCO_RULES = (
    Rule(
        finding="contact.opco",
        valid_from=BOOK_START,
        summary="The OPCO of the employer's branch, from its IDCC",
        citations=("L6332-1", "L6332-1-1", "R6123-34", "R6123-35", "centreinffo.opco_tables"),
        certainty=BEL,
        decide=_contact_opco,
    ),
)


def _contact_france_vae(ctx: Ctx, rule: Rule) -> Decision:
    """Audit B5: France VAE only where the certification is on the portal (phased in during 2024,
    R. 6412-1 NOTA), and not for a person declared admissible before 2024."""
    if not rule.params["open"]:
        return Decision(
            NO,
            "France VAE n'existe qu'à partir du 1er janvier 2024 : la demande se fait auprès du certificateur.",
            "France VAE only exists from 1 January 2024: apply to the certifier.",
            value="France VAE",
        )
    if not vae_open_for_certification(ctx):
        return Decision(
            NO,
            "France VAE : pas de VAE pour cette certification à cette date.",
            "France VAE: no VAE for this certification on this date.",
            value="France VAE",
        )
    person = ctx.person
    if (
        person is not None
        and person.vae_admissible_on is not None
        and person.vae_admissible_on < FRANCE_VAE_FROM
    ):
        return Decision(
            NO,
            "France VAE : votre parcours, commencé avant 2024, se poursuit auprès du certificateur.",
            "France VAE: your application, started before 2024, continues with the certifier.",
            value="France VAE",
        )
    on_portal = ctx.facts.on_france_vae
    if on_portal is False:
        return Decision(
            NO,
            "France VAE : cette certification n'est pas encore sur le portail ; adressez-vous au certificateur.",
            "France VAE: this certification is not on the portal yet; apply to the certifier.",
            value="France VAE",
        )
    if on_portal is None:
        return Decision(
            COND,
            "France VAE (vae.gouv.fr), si la certification est sur le portail (il s'ouvre certification par "
            "certification) ; sinon, le certificateur.",
            "France VAE (vae.gouv.fr), if the certification is on the portal (it opens certification by "
            "certification); otherwise, the certifier.",
            value="France VAE",
        )
    return Decision(
        YES,
        "France VAE (vae.gouv.fr) : inscription, architecte accompagnateur de parcours, dossier de recevabilité.",
        "France VAE (vae.gouv.fr): registration, pathway adviser (AAP), admissibility file.",
        value="France VAE",
    )


CONTACT_FRANCE_VAE_RULES = (
    Rule(
        finding="contact.france_vae",
        valid_from=BOOK_START,
        summary="No France VAE yet: apply to the certifier",
        citations=("L6421-1", "educ.R335-7"),
        certainty=BEL,
        decide=_contact_france_vae,
        params={"open": False},
    ),
    Rule(
        finding="contact.france_vae",
        valid_from=FRANCE_VAE_FROM,
        summary="France VAE where the certification is on the portal",
        citations=("L6411-2", "R6411-1", "R6412-1", "R6412-2"),
        certainty=BEL,
        decide=_contact_france_vae,
        params={"open": True},
    ),
)


def _contact_cep(ctx: Ctx, rule: Rule) -> Decision:
    """CEP operators (L. 6111-6): until 2019-12-31 the Fongecif advised employees; from 2020-01-01 the
    regional operators chosen by France compétences (audit B6)."""
    person = ctx.person
    body = employment_body(ctx.on)
    regional_fr, regional_en = rule.params["regional"]
    if person is None:
        return Decision(
            YES,
            "Conseil en évolution professionnelle (CEP), gratuit pour tous.",
            "Career guidance (conseil en évolution professionnelle, CEP), free for everyone.",
        )
    if person.has_disability:
        who = who_en = "Cap emploi"
    elif person.status is Status.YOUNG_IN_TRAINING:
        who = who_en = "mission locale"
    elif person.status is Status.JOB_SEEKER:
        who = who_en = "Apec" if person.manager else body
    elif person.manager:
        who = who_en = "Apec"
    else:
        who, who_en = regional_fr, regional_en
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
        summary="Career guidance (CEP), free for everyone; the Fongecif for employees until 2019",
        citations=("L6111-6@2019",),
        certainty=BEL,
        decide=_contact_cep,
        params={"regional": ("Fongecif de votre région", "the Fongecif of your region")},
    ),
    Rule(
        finding="contact.cep",
        valid_from=CPIR_FROM,
        summary="Career guidance (CEP), free for everyone; regional CEP operators for employees",
        citations=("L6111-6@2019", "cep.2020"),
        certainty=BEL,
        decide=_contact_cep,
        params={"regional": ("opérateur CEP régional", "regional CEP operator")},
    ),
    Rule(
        finding="contact.cep",
        valid_from=FRANCE_TRAVAIL_FROM,
        summary="Career guidance (CEP), free for everyone (France Travail from 2024)",
        citations=("L6111-6", "cep.2020"),
        certainty=BEL,
        decide=_contact_cep,
        params={"regional": ("opérateur CEP régional", "regional CEP operator")},
    ),
)


def _contact_transitions_pro(ctx: Ctx, rule: Rule) -> Decision:
    """Audit A9: offered only where a PTP (a CPF-eligible certification) or, from 2022-12-23, the
    VAE flat rate is possible; the Fongecif until 2019-12-31.

    Where we differ from the audit's scenarios S08 and S25 (RNCP19468 in 2024): it judged "yes" wrong
    because neither PTP nor VAE was possible. Once the successor RS6117 is taken into account (its own
    item A3), the CQP is CPF-eligible on that date (L. 6323-6 I), a PTP is possible, and "yes" is right.
    """
    name = rule.params["name"]
    vae_rate = rule.params["vae_flat_rate"]
    person = ctx.person
    ptp = cpf_eligible(ctx)
    vae = vae_rate and vae_open_for_certification(ctx)
    topics_fr = [t for t, ok in (("projet de transition professionnelle", ptp), ("forfait VAE", vae)) if ok]
    topics_en = [t for t, ok in (("projet de transition professionnelle", ptp), ("VAE flat rate", vae)) if ok]
    if not topics_fr:
        return Decision(
            NO,
            f"{name} : ni projet de transition professionnelle ni VAE possibles pour cette certification à cette date.",
            f"{name}: neither a projet de transition professionnelle nor VAE is possible for this certification "
            "on this date.",
            value=name,
        )
    if person is None:
        return Decision(
            COND,
            f"{name} : pour les salariés ({', '.join(topics_fr)}).",
            f"{name}: for employees ({', '.join(topics_en)}).",
            value=name,
        )
    if person.is_employee and not person.is_public_agent:
        return Decision(
            YES,
            f"{name} de votre région : {', '.join(topics_fr)}.",
            f"{name} in your region: {', '.join(topics_en)}.",
            value=name,
        )
    return Decision(
        NO,
        f"{name} : pour les salariés du secteur privé.",
        f"{name}: for private-sector employees.",
        value=name,
    )


CONTACT_TRANSITIONS_PRO_RULES = (
    Rule(
        finding="contact.transitions_pro",
        valid_from=BOOK_START,
        summary="The Fongecif for employees' PTP (until 2019-12-31)",
        citations=("L6323-17-6@2019", "L6323-17-1@2019"),
        certainty=BEL,
        decide=_contact_transitions_pro,
        params={"name": "Fongecif", "vae_flat_rate": False},
    ),
    Rule(
        finding="contact.transitions_pro",
        valid_from=CPIR_FROM,
        summary="Transitions Pro for employees' PTP, where a PTP is possible",
        citations=("L6323-17-6@2019", "L6323-17-1@2019", "transitionspro.2020"),
        certainty=BEL,
        decide=_contact_transitions_pro,
        params={"name": "Transitions Pro", "vae_flat_rate": False},
    ),
    Rule(
        finding="contact.transitions_pro",
        valid_from=VAE_FLAT_RATE_FROM,
        summary="Transitions Pro: PTP and VAE flat rate, where possible",
        citations=("L6323-17-6@2022", "L6323-17-1", "loi.2022-1598"),
        certainty=BEL,
        decide=_contact_transitions_pro,
        params={"name": "Transitions Pro", "vae_flat_rate": True},
    ),
    Rule(
        finding="contact.transitions_pro",
        valid_from=RECONVERSION_FROM,
        summary="Transitions Pro: PTP and VAE flat rate (L. 6323-17-6 as in force from 2026)",
        citations=("L6323-17-6", "L6323-17-1"),
        certainty=BEL,
        decide=_contact_transitions_pro,
        params={"name": "Transitions Pro", "vae_flat_rate": True},
    ),
)


def _contact_mcf(ctx: Ctx, rule: Rule) -> Decision:
    if cpf_eligible(ctx):
        via_fr = f" (par la fiche {ctx.successor.code})" if ctx.successor else ""
        via_en = f" (through fiche {ctx.successor.code})" if ctx.successor else ""
        return Decision(
            YES,
            f"Mon Compte Formation (moncompteformation.gouv.fr) : vos droits CPF et les formations éligibles{via_fr}.",
            f"Mon Compte Formation (moncompteformation.gouv.fr): your CPF rights and eligible training{via_en}.",
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
        certainty=BEL,
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
