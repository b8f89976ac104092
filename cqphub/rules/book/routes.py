"""Training routes towards a certification (RULES.md §6, §9.6).

Each decision function is followed by its dated versions (see docs/rules.md, "How to add a rule").
A route that depends on a fact we do not know (is the CQP transmitted?) is `conditional` and says
which fact decides (audit B10); a route the fiche itself closes is `no` with that reason (audit A4).
"""

from __future__ import annotations

from datetime import date

from cqphub.rules.book.common import (
    BEL,
    BOOK_START,
    CODE,
    COND,
    NO,
    OFF,
    SEC,
    YES,
    employment_body,
)
from cqphub.rules.book.cpf import cpf_eligible, public_agent
from cqphub.rules.context import Basis, Ctx, RegStatus
from cqphub.rules.facts import Benefit, Contract, PersonSituation, Status
from cqphub.rules.model import Certainty, Decision, Outcome, Rule

RECONVERSION_FROM = date(
    2026, 1, 1
)  # loi n° 2025-989, art. 11: Pro-A gives way to the période de reconversion

ROUTE_NAMES = {
    "initial": (
        "après un parcours sous statut d'élève ou d'étudiant",
        "after training as a pupil or student",
    ),
    "apprenticeship": ("en contrat d'apprentissage", "under an apprenticeship contract"),
    "continuing": ("après un parcours de formation continue", "after continuing training"),
    "professionalisation": ("en contrat de professionnalisation", "under a professionalisation contract"),
}
UNKNOWN_TRANSMISSION_FR = (
    " si le CQP est transmis à France compétences et à la Caisse des dépôts (art. L. 6113-4 ; ce fait "
    "n'est pas dans les données publiques : demandez-le à la branche)"
)
UNKNOWN_TRANSMISSION_EN = (
    " if the CQP is transmitted to France compétences and the Caisse des dépôts (art. L. 6113-4; that "
    "fact is not in the open data: ask the branch)"
)


def closed_by_fiche(ctx: Ctx, key: str) -> Decision | None:
    """Audit A4: the certifier declares the routes it organises (training bodies prepare a
    certification only as habilitated by the certifier, R. 6113-16); a route the fiche says "non" is
    closed, a route it does not state is not. Our reading of the fiche: certainty `our_reading`."""
    if ctx.facts.route(key) is not False:
        return None
    name_fr, name_en = ROUTE_NAMES[key]
    return Decision(
        NO,
        f"La fiche de cette certification n'ouvre pas la voie « {name_fr} » : le certificateur ne "
        "l'organise pas.",
        f'This certification\'s fiche does not open the route "{name_en}": the certifier does not '
        "organise it.",
        certainty=BEL,
        cites=("R6113-16",),
    )


def _no_basis(ctx: Ctx) -> Decision:
    if ctx.facts.is_cqp:
        return Decision(
            NO,
            "Aucune base légale à cette date : ce CQP n'est ni enregistré ni transmis.",
            "No legal basis on this date: this CQP is neither registered nor transmitted.",
            certainty=OFF,
        )
    return Decision(
        NO,
        "Aucune base légale à cette date : la certification n'a pas d'enregistrement en vigueur.",
        "No legal basis on this date: the certification has no registration in force.",
    )


def _qualification_basis(ctx: Ctx) -> tuple[bool, Certainty | None]:
    """Is the target a qualification of L. 6314-1 (1° RNCP or 3° CQP de branche/interbranche)?"""
    if ctx.basis is Basis.RNCP:
        return True, None
    if ctx.basis is Basis.BRANCH:
        return True, None
    if ctx.basis is Basis.RS and ctx.facts.is_cqp:
        return True, BEL  # still a "CQP de branche" under L. 6314-1 3° (RULES.md §12.11)
    return False, None


def _unsure(ctx: Ctx, outcome: Outcome) -> tuple[Outcome, str, str]:
    """A YES (or COND) that rests on an unknown transmission is COND and names the fact (audit B10)."""
    if ctx.basis_uncertain and outcome in (YES, COND):
        return COND, UNKNOWN_TRANSMISSION_FR, UNKNOWN_TRANSMISSION_EN
    return outcome, "", ""


def _route_plan(ctx: Ctx, rule: Rule) -> Decision:
    if ctx.basis is Basis.NONE:
        return _no_basis(ctx)
    closed = closed_by_fiche(ctx, "continuing")
    if closed:
        return closed
    certainty = SEC if ctx.basis in (Basis.BRANCH, Basis.RS) else None
    person = ctx.person
    if person is not None and person.is_public_agent:
        return public_agent()
    if person is None or person.is_employee:
        # without a person, open to some publics only (employees): "selon votre situation" (audit D1)
        outcome, if_fr, if_en = _unsure(ctx, YES if person is not None else COND)
        return Decision(
            outcome,
            "Plan de développement des compétences : l'employeur peut faire préparer la certification à "
            f"ses salariés, sur le temps de travail ; l'OPCO aide les entreprises de moins de 50 salariés{if_fr}.",
            "Skills development plan: the employer can have its employees prepare the certification, on "
            f"working time; the OPCO helps companies under 50 employees{if_en}.",
            certainty=certainty,
        )
    return Decision(
        NO,
        "Le plan de développement des compétences est réservé aux salariés d'un employeur.",
        "The skills development plan is for an employer's employees.",
        certainty=certainty,
    )


ROUTE_PLAN_RULES = (
    Rule(
        finding="route.plan",
        valid_from=BOOK_START,
        summary="Skills development plan, any CQP, for employees",
        citations=("L6321-1", "opcoep.cqp", "L6123-5"),
        certainty=CODE,
        decide=_route_plan,
        general=True,
    ),
)


def _pro_contract_open_to(person: PersonSituation, on: date) -> tuple[Outcome, str, str]:
    """L. 6325-1: 1° every person aged 16 to 25, whatever the status (audit A1); 2° job seekers aged
    26 and over; 3° RSA, ASS or AAH beneficiaries and former CUI holders."""
    if person.benefits & {Benefit.RSA, Benefit.ASS, Benefit.AAH}:
        return YES, "bénéficiaire du RSA, de l'ASS ou de l'AAH (3°)", "beneficiary of RSA, ASS or AAH (3°)"
    if person.former_cui:
        return (
            YES,
            "ancien titulaire d'un contrat unique d'insertion (3°)",
            "former holder of a contrat unique d'insertion (3°)",
        )
    age = person.age
    if age is not None and age < 16:
        return NO, "ouvert à partir de 16 ans (1°)", "open from age 16 (1°)"
    if person.status is Status.JOB_SEEKER:
        if age is None:
            return (
                YES,
                "demandeur d'emploi : jeune de 16 à 25 ans (1°) ou demandeur d'emploi de 26 ans et plus (2°)",
                "job seeker: young person aged 16 to 25 (1°) or job seeker aged 26 or over (2°)",
            )
        if age >= 26:
            return YES, "demandeur d'emploi de 26 ans et plus (2°)", "job seeker aged 26 or over (2°)"
        return YES, "jeune de 16 à 25 ans (1°)", "young person aged 16 to 25 (1°)"
    if age is None:
        return COND, "si vous avez de 16 à 25 ans révolus (1°)", "if you are aged 16 to 25 (1°)"
    if age <= 25:
        if person.status is Status.YOUNG_IN_TRAINING:
            return (
                YES,
                "jeune de 16 à 25 ans complétant sa formation initiale (1°)",
                "young person aged 16 to 25 completing initial training (1°)",
            )
        return (
            COND,
            "jeune de 16 à 25 ans, quel que soit votre statut (1°) : avec l'employeur qui vous embauche "
            "sous ce contrat",
            "young person aged 16 to 25, whatever your status (1°): with the employer who hires you under "
            "this contract",
        )
    return (
        NO,
        "ouvert aux jeunes de 16 à 25 ans, aux demandeurs d'emploi de 26 ans et plus, aux bénéficiaires "
        "du RSA, de l'ASS ou de l'AAH et aux anciens titulaires d'un contrat unique d'insertion",
        "open to young people aged 16 to 25, job seekers aged 26 or over, RSA, ASS or AAH beneficiaries "
        "and former holders of a contrat unique d'insertion",
    )


def _route_professionalisation(ctx: Ctx, rule: Rule) -> Decision:
    ok, certainty = _qualification_basis(ctx)
    if not ok:
        if ctx.basis is Basis.RS:
            return Decision(
                NO,
                "Le contrat de professionnalisation vise une qualification de l'article L. 6314-1 (RNCP, "
                "classification de branche ou CQP) : pas une certification du seul répertoire spécifique.",
                "The professionalisation contract aims at a qualification of article L. 6314-1 (RNCP, "
                "branch classification or CQP): not a répertoire spécifique certification alone.",
                cites=("L6314-1",),
            )
        return _no_basis(ctx)
    closed = closed_by_fiche(ctx, "professionalisation")
    if closed:
        return closed
    experiment_fr = experiment_en = ""
    if rule.params["vae_experiment"]:
        experiment_fr = (
            " À titre expérimental, un contrat conclu jusqu'au 28 février 2026 peut comporter des actions "
            "de VAE (loi n° 2022-1598, art. 11)."
        )
        experiment_en = (
            " As an experiment, a contract signed until 28 February 2026 may include VAE actions (loi "
            "n° 2022-1598, art. 11)."
        )
    person = ctx.person
    if person is None:
        outcome, if_fr, if_en = _unsure(ctx, YES)
        return Decision(
            COND,
            "Contrat de professionnalisation (employeur + OPCO), selon votre situation : ouvert aux jeunes "
            "de 16 à 25 ans, aux demandeurs d'emploi de 26 ans et plus, aux bénéficiaires du RSA, de l'ASS "
            f"ou de l'AAH et aux anciens titulaires d'un contrat unique d'insertion{if_fr}.{experiment_fr}",
            "Professionalisation contract (employer + OPCO), depending on your situation: open to young "
            "people aged 16 to 25, job seekers aged 26 or over, RSA, ASS or AAH beneficiaries and former "
            f"holders of a contrat unique d'insertion{if_en}.{experiment_en}",
            certainty=certainty,
        )
    outcome, why_fr, why_en = _pro_contract_open_to(person, ctx.on)
    outcome, if_fr, if_en = _unsure(ctx, outcome)
    lead_fr = {
        YES: "Contrat de professionnalisation ouvert",
        NO: "Contrat de professionnalisation fermé",
        COND: "Contrat de professionnalisation possible",
    }[outcome]
    lead_en = {
        YES: "Professionalisation contract open",
        NO: "Professionalisation contract closed",
        COND: "Professionalisation contract possible",
    }[outcome]
    tail_fr = experiment_fr if outcome is not NO else ""
    tail_en = experiment_en if outcome is not NO else ""
    return Decision(
        outcome,
        f"{lead_fr} : {why_fr}{if_fr}.{tail_fr}",
        f"{lead_en}: {why_en}{if_en}.{tail_en}",
        certainty=certainty,
    )


ROUTE_PROFESSIONALISATION_RULES = (
    Rule(
        finding="route.professionalisation",
        valid_from=BOOK_START,
        summary="Professionalisation contract: L. 6314-1 qualification; 16–25 any status, job seekers ≥ 26, "
        "RSA/ASS/AAH, former CUI",
        citations=("L6325-1", "L6314-1", "L6325-11", "L6332-1@2019"),
        certainty=CODE,
        decide=_route_professionalisation,
        general=True,
        params={"vae_experiment": False},
    ),
    Rule(
        finding="route.professionalisation",
        valid_from=date(2023, 5, 28),
        summary="Professionalisation contract; experimental contracts with VAE actions (until 2026-02-28)",
        citations=("L6325-1", "L6314-1", "L6325-11", "L6332-1", "loi.2022-1598.art11"),
        certainty=CODE,
        decide=_route_professionalisation,
        general=True,
        params={"vae_experiment": True},
    ),
    Rule(
        finding="route.professionalisation",
        valid_from=date(2026, 3, 1),
        summary="Professionalisation contract (the VAE experiment ended on 2026-02-28)",
        citations=("L6325-1", "L6314-1", "L6325-11", "L6332-1"),
        certainty=CODE,
        decide=_route_professionalisation,
        general=True,
        params={"vae_experiment": False},
    ),
)


def _route_pro_a(ctx: Ctx, rule: Rule) -> Decision:
    """Pro-A, 2019–2025 (audit B1), on L. 6324-1 to L. 6324-3 as then in force: employees on a CDI
    (or a CUI-CDI, or professional athletes on a CDD — not asked here), whose qualification is below
    the licence degree (D. 6324-1-1), towards a certification on the list of an *extended* branch
    agreement. OPCO EP reads that a CQP must be registered and active in the RNCP (secondary source);
    we follow it: a branch-only or RS-only CQP gets `no` with that certainty."""
    if not rule.params["open"]:
        return Decision(
            NO,
            "La Pro-A a été remplacée par la période de reconversion le 1er janvier 2026 ; ses règles ne "
            "valent plus que pour les avenants conclus avant cette date.",
            "Pro-A was replaced by the période de reconversion on 1 January 2026; its rules still apply "
            "only to contract amendments signed before that date.",
        )
    if ctx.registered is not RegStatus.RNCP_ACTIVE:
        if ctx.basis is Basis.NONE:
            return _no_basis(ctx)
        return Decision(
            NO,
            "La Pro-A vise une certification enregistrée et active au RNCP, inscrite sur la liste d'un "
            "accord de branche étendu : pas un CQP seulement transmis ou du seul répertoire spécifique.",
            "Pro-A aims at a certification registered and active in the RNCP, on the list of an extended "
            "branch agreement: not a CQP only transmitted, nor one in the répertoire spécifique alone.",
            certainty=SEC,
            cites=("opcoep.cqp",),
        )
    return _pro_a_for(ctx.person)


def _pro_a_for(person: PersonSituation | None) -> Decision:
    """The certification is open to Pro-A: whether this person can use it (contract, level)."""
    conditions_fr = (
        "si la certification figure sur la liste d'un accord de branche étendu ; financée par l'OPCO"
    )
    conditions_en = "if the certification is on the list of an extended branch agreement; funded by the OPCO"
    if person is None:
        return Decision(
            COND,
            "Reconversion ou promotion par l'alternance (Pro-A), selon votre situation : salariés en CDI ou "
            "en contrat unique d'insertion à durée indéterminée, dont la qualification est inférieure au "
            f"grade de licence, {conditions_fr}.",
            "Retraining or promotion through work-study (Pro-A), depending on your situation: employees on "
            "a permanent contract (CDI) or an open-ended contrat unique d'insertion, whose qualification is "
            f"below the licence degree, {conditions_en}.",
        )
    if person.is_public_agent:
        return public_agent()
    if not person.is_employee or person.is_apprentice:
        return Decision(
            NO,
            "La Pro-A (reconversion ou promotion par l'alternance) est réservée aux salariés en CDI ou en "
            "contrat unique d'insertion à durée indéterminée.",
            "Pro-A (retraining or promotion through work-study) is for employees on a permanent contract "
            "or an open-ended contrat unique d'insertion.",
        )
    if person.contract in (Contract.CDD, Contract.INTERIM, Contract.PROFESSIONALISATION, Contract.OTHER):
        return Decision(
            NO,
            "La Pro-A concerne les salariés en CDI ou en contrat unique d'insertion à durée indéterminée "
            "(et les sportifs professionnels en CDD) : pas votre contrat.",
            "Pro-A concerns employees on a permanent contract or an open-ended contrat unique d'insertion "
            "(and professional athletes on fixed-term contracts): not your contract.",
        )
    if person.qualification_level is not None and person.qualification_level >= 6:
        return Decision(
            NO,
            "La Pro-A concerne les salariés dont la qualification est inférieure au grade de licence "
            "(niveau 6) : vous l'avez déjà.",
            "Pro-A concerns employees whose qualification is below the licence degree (level 6): you "
            "already hold it.",
            certainty=SEC,
            cites=("D6324-1-1@2020",),
        )
    unknown_fr = [] if person.contract else ["si vous êtes en CDI ou en CUI à durée indéterminée"]
    unknown_en = [] if person.contract else ["if you are on a CDI or an open-ended CUI"]
    if person.qualification_level is None:
        unknown_fr.append("si votre qualification est inférieure au grade de licence")
        unknown_en.append("if your qualification is below the licence degree")
    return Decision(
        COND,
        "Reconversion ou promotion par l'alternance (Pro-A) : "
        + "".join(f"{text}, " for text in unknown_fr)
        + f"{conditions_fr}.",
        "Retraining or promotion through work-study (Pro-A): "
        + "".join(f"{text}, " for text in unknown_en)
        + f"{conditions_en}.",
    )


ROUTE_PRO_A_RULES = (
    Rule(
        finding="route.pro_a",
        valid_from=BOOK_START,
        summary="Pro-A: employees on CDI / CUI-CDI below the licence degree, extended branch agreement list, "
        "RNCP",
        citations=(
            "L6324-1@2019",
            "L6324-2@2019",
            "L6324-3@2019",
            "D6324-1-1@2020",
            "loi.2018-771",
            "opcoep.cqp",
        ),
        certainty=SEC,
        decide=_route_pro_a,
        general=True,
        params={"open": True},
    ),
    Rule(
        finding="route.pro_a",
        valid_from=RECONVERSION_FROM,
        summary="Pro-A replaced by the période de reconversion",
        citations=("L6324-1", "loi.2025-989"),
        certainty=CODE,
        decide=_route_pro_a,
        general=True,
        params={"open": False},
    ),
)


def _route_reconversion(ctx: Ctx, rule: Rule) -> Decision:
    """Période de reconversion (from 2026-01-01): never an unconditional yes (audit A5). It needs the
    written agreement of L. 6324-3 and the OPCO's funding within its dotation and criteria
    (L. 6332-1 I 1° bis); the 20-day OPCO decision (R. 6324-2) applies from 2026-02-01. It also
    allows the socle (CléA) although that is an RS certification (L. 6324-1, audit A7)."""
    if not rule.params["open"]:
        return Decision(
            NO,
            "La période de reconversion n'existe qu'à partir du 1er janvier 2026 (elle remplace la Pro-A).",
            "The période de reconversion only exists from 1 January 2026 (it replaces Pro-A).",
        )
    ok, certainty = _qualification_basis(ctx)
    if ctx.facts.socle and ctx.registered is RegStatus.RS_ACTIVE:
        ok, certainty = True, None
    if not ok:
        if ctx.basis is Basis.RS:
            return Decision(
                NO,
                "La période de reconversion vise une certification du RNCP, un CQP, des blocs ou le socle "
                "de connaissances et de compétences : pas une autre certification du seul répertoire "
                "spécifique.",
                "The période de reconversion aims at an RNCP certification, a CQP, blocs or the socle de "
                "connaissances et de compétences: not another répertoire spécifique certification alone.",
            )
        return _no_basis(ctx)
    person = ctx.person
    if person is not None and person.is_public_agent:
        return public_agent()
    if person is not None and not person.is_employee:
        return Decision(
            NO,
            "La période de reconversion est réservée aux salariés.",
            "The période de reconversion is for employees.",
            certainty=certainty,
        )
    delay_fr = (
        ", qui se prononce dans les 20 jours suivant la réception de la demande"
        if rule.params["opco_days"]
        else ""
    )
    delay_en = ", which decides within 20 days of receiving the request" if rule.params["opco_days"] else ""
    _, if_fr, if_en = _unsure(ctx, YES)
    return Decision(
        COND,
        "Période de reconversion (salariés, mobilité interne ou externe), avec l'accord écrit de "
        "l'employeur sur ses modalités, notamment sa durée, et le financement de l'OPCO dans la limite de "
        f"sa dotation et selon ses critères (ancienneté, âge, certifications prioritaires){delay_fr} : "
        "150 à 450 heures sur 12 mois au plus (jusqu'à 2 100 heures sur 36 mois par accord) ; le CPF peut "
        "compléter avec votre accord, dans la limite de la moitié de vos droits pour une reconversion "
        f"interne{if_fr}.",
        "Période de reconversion (employees, internal or external mobility), with the employer's written "
        "agreement on its terms, notably its length, and the OPCO's funding within its allocation and "
        f"criteria (seniority, age, priority certifications){delay_en}: 150 to 450 hours over at most 12 "
        "months (up to 2,100 hours over 36 months by agreement); the CPF may add to it with your consent, "
        f"up to half of your rights for an internal period{if_en}.",
        certainty=certainty,
    )


ROUTE_RECONVERSION_RULES = (
    Rule(
        finding="route.reconversion",
        valid_from=BOOK_START,
        summary="Période de reconversion not yet in force (Pro-A applies)",
        citations=("L6324-1@2019", "loi.2025-989"),
        certainty=CODE,
        decide=_route_reconversion,
        general=True,
        params={"open": False, "opco_days": False},
    ),
    Rule(
        finding="route.reconversion",
        valid_from=RECONVERSION_FROM,
        summary="Période de reconversion: employees, written agreement, OPCO funding within its criteria; "
        "RNCP / CQP / blocs / socle",
        citations=("L6324-1", "L6324-2", "L6324-3", "L6324-4", "L6324-8", "L6324-10", "L6332-1"),
        certainty=CODE,
        decide=_route_reconversion,
        general=True,
        params={"open": True, "opco_days": False},
    ),
    Rule(
        finding="route.reconversion",
        valid_from=date(2026, 2, 1),
        summary="Période de reconversion: the OPCO decides within 20 days (R. 6324-2)",
        citations=(
            "L6324-1",
            "L6324-2",
            "L6324-3",
            "L6324-4",
            "L6324-8",
            "L6324-10",
            "L6332-1",
            "R6324-1",
            "R6324-2",
        ),
        certainty=CODE,
        decide=_route_reconversion,
        general=True,
        params={"open": True, "opco_days": True},
    ),
)


def _route_apprenticeship(ctx: Ctx, rule: Rule) -> Decision:
    """Audit C2: the "no" for a CQP rests on L. 6211-1 (apprenticeship leads to "un diplôme ou un titre
    à finalité professionnelle") read with L. 6113-5 II, which names diplomas and titles apart from
    CQPs, and on the 2018 debates where amendments opening apprenticeship to CQPs were not adopted:
    no text says it in so many words, hence `secondary_source`, not `verified_in_code`.
    Audit A11: ages follow L. 6222-1 (15 after the collège) and L. 6222-2 (exceptions beyond 29)."""
    if ctx.facts.is_cqp:
        return Decision(
            NO,
            "Pas par l'apprentissage : il mène à un diplôme ou un titre à finalité professionnelle "
            "(art. L. 6211-1), que la loi distingue des CQP (art. L. 6113-5 II) ; les amendements de 2018 "
            "qui l'ouvraient aux CQP n'ont pas été adoptés.",
            "Not through apprenticeship: it leads to a diploma or a professional title (art. L. 6211-1), "
            "which the law distinguishes from CQPs (art. L. 6113-5 II); the 2018 amendments opening it to "
            "CQPs were not adopted.",
            certainty=SEC,
            cites=("an.2018-amendements-cqp",),
        )
    if ctx.status is not RegStatus.RNCP_ACTIVE:
        return Decision(
            NO,
            "L'apprentissage mène à un diplôme ou un titre enregistré au RNCP.",
            "Apprenticeship leads to a diploma or title registered in the RNCP.",
        )
    closed = closed_by_fiche(ctx, "apprenticeship")
    if closed:
        return closed
    return _apprenticeship_for(ctx.person)


def _apprenticeship_for(person: PersonSituation | None) -> Decision:
    """The certification is open to apprenticeship: whether this person can use it (age, L. 6222-1/2)."""
    if person is None:
        return Decision(
            COND,
            "Apprentissage possible selon votre âge : de 16 à 29 ans révolus (15 ans après la classe de "
            "3e), sans limite d'âge notamment pour une personne reconnue travailleur handicapé ou avec un "
            "projet de création d'entreprise (art. L. 6222-2).",
            "Apprenticeship possible depending on your age: 16 to 29 (15 after lower secondary school), "
            "with no age limit notably for a recognised disabled worker or with a business-creation "
            "project (art. L. 6222-2).",
        )
    if person.disability:
        return Decision(
            YES,
            "Apprentissage possible, sans limite d'âge (travailleur handicapé reconnu, art. L. 6222-2 3°).",
            "Apprenticeship possible, with no age limit (recognised disabled worker, art. L. 6222-2 3°).",
        )
    age = person.age
    if age is None:
        return Decision(
            COND,
            "Apprentissage possible si vous avez de 16 à 29 ans révolus (15 ans après la classe de 3e), ou "
            "au-delà dans les cas de l'article L. 6222-2.",
            "Apprenticeship possible if you are aged 16 to 29 (15 after lower secondary school), or older "
            "in the cases of article L. 6222-2.",
        )
    if age == 15:
        return Decision(
            COND,
            "Apprentissage possible dès 15 ans si vous avez terminé la classe de 3e (art. L. 6222-1).",
            "Apprenticeship possible from 15 if you have completed lower secondary school (art. L. 6222-1).",
        )
    if age < 15:
        return Decision(
            NO,
            "Apprentissage fermé : au moins 15 ans, après la classe de 3e (art. L. 6222-1).",
            "Apprenticeship closed: at least 15, after lower secondary school (art. L. 6222-1).",
        )
    if age <= 29:
        return Decision(
            YES, "Apprentissage possible (16 à 29 ans révolus).", "Apprenticeship possible (aged 16 to 29)."
        )
    return Decision(
        COND,
        "Au-delà de 29 ans révolus, apprentissage seulement dans les cas de l'article L. 6222-2 : nouveau "
        "contrat vers un diplôme supérieur, rupture indépendante de votre volonté, projet de création ou "
        "de reprise d'entreprise qui demande le diplôme, sportif de haut niveau, travailleur handicapé.",
        "Beyond 29, apprenticeship only in the cases of article L. 6222-2: a new contract towards a higher "
        "diploma, a termination beyond your control, a business creation or takeover project that needs "
        "the diploma, high-level athlete, disabled worker.",
    )


ROUTE_APPRENTICESHIP_RULES = (
    Rule(
        finding="route.apprenticeship",
        valid_from=BOOK_START,
        summary="Apprenticeship leads to RNCP diplomas and titles (not a CQP); ages of L. 6222-1/-2",
        citations=("L6211-1", "L6113-5", "L6222-1", "L6222-2"),
        certainty=CODE,
        decide=_route_apprenticeship,
        general=True,
    ),
)


def _route_ptp(ctx: Ctx, rule: Rule) -> Decision:
    """Audit B9: the seniority condition does not apply to BOETH (L. 6323-17-2 I), among others. The
    démission-reconversion project is attested by the same commission (L. 6323-17-6, 2020 onwards)."""
    if not cpf_eligible(ctx):
        return Decision(
            NO,
            "Le projet de transition professionnelle finance une formation certifiante éligible au CPF.",
            "The projet de transition professionnelle funds certifying training that is CPF-eligible.",
        )
    closed = closed_by_fiche(ctx, "continuing")
    if closed:
        return closed
    body_fr, body_en = rule.params["body"]
    person = ctx.person
    if person is not None and person.is_public_agent:
        return public_agent()
    if person is not None and not person.is_employee:
        return Decision(
            NO,
            "Le projet de transition professionnelle est réservé aux salariés.",
            "The projet de transition professionnelle is for employees.",
        )
    seniority_fr = (
        "condition d'ancienneté (sauf exceptions, notamment pour les bénéficiaires de l'obligation d'emploi)"
    )
    seniority_en = (
        "seniority condition (with exceptions, notably for beneficiaries of the employment obligation)"
    )
    if person is not None and person.has_disability:
        seniority_fr = "sans condition d'ancienneté pour vous (bénéficiaire de l'obligation d'emploi)"
        seniority_en = "no seniority condition for you (beneficiary of the employment obligation)"
    resign_fr = (
        " La même commission atteste le caractère réel et sérieux d'un projet de reconversion après "
        "démission (accès à l'assurance chômage)."
        if rule.params["resignation"]
        else ""
    )
    resign_en = (
        " The same commission attests the real and serious nature of a retraining project after "
        "resignation (access to unemployment insurance)."
        if rule.params["resignation"]
        else ""
    )
    transco_fr = transco_en = ""
    if rule.params.get("transco"):
        transco_fr = (
            " Si votre emploi est identifié comme fragilisé par un accord de votre entreprise, le dispositif "
            "Transitions collectives permet aussi une reconversion financée par Transitions Pro (2021–2025)."
        )
        transco_en = (
            " If your job is identified as threatened by an agreement of your company, the Transitions "
            "collectives scheme also allows a retraining funded by Transitions Pro (2021–2025)."
        )
    return Decision(
        COND,
        "Projet de transition professionnelle (salariés qui changent de métier) : congé spécifique, "
        f"positionnement préalable, {seniority_fr}, accord et financement de {body_fr}.{resign_fr}{transco_fr}",
        "Projet de transition professionnelle (employees changing job): specific leave, prior positioning, "
        f"{seniority_en}, approval and funding by {body_en}.{resign_en}{transco_en}",
        cites=("L6323-17-2", "transco.2021") if transco_fr else ("L6323-17-2",),
    )


ROUTE_PTP_RULES = (
    Rule(
        finding="route.ptp",
        valid_from=BOOK_START,
        summary="Projet de transition professionnelle: employees, CPF-eligible certifications (Fongecif)",
        citations=("L6323-17-1@2019", "L6323-17-6@2019", "centreinffo.ptp"),
        certainty=SEC,
        decide=_route_ptp,
        general=True,
        params={"body": ("votre Fongecif", "your Fongecif"), "resignation": False},
    ),
    Rule(
        finding="route.ptp",
        valid_from=date(2020, 1, 1),
        summary="Projet de transition professionnelle: Transitions Pro (CPIR) from 2020; démission-reconversion",
        citations=("L6323-17-1@2019", "L6323-17-6@2019", "centreinffo.ptp", "transitionspro.2020"),
        certainty=SEC,
        decide=_route_ptp,
        general=True,
        params={"body": ("Transitions Pro", "Transitions Pro"), "resignation": True},
    ),
    Rule(
        finding="route.ptp",
        valid_from=date(2021, 1, 15),
        summary="Projet de transition professionnelle; Transitions collectives (2021–2025)",
        citations=("L6323-17-1@2019", "L6323-17-6@2019", "centreinffo.ptp", "transitionspro.2020"),
        certainty=SEC,
        decide=_route_ptp,
        general=True,
        params={"body": ("Transitions Pro", "Transitions Pro"), "resignation": True, "transco": True},
    ),
    Rule(
        finding="route.ptp",
        valid_from=date(2022, 12, 23),
        summary="Projet de transition professionnelle (L. 6323-17-6 as amended by loi n° 2022-1598)",
        citations=("L6323-17-1", "L6323-17-6@2022", "centreinffo.ptp"),
        certainty=SEC,
        decide=_route_ptp,
        general=True,
        params={"body": ("Transitions Pro", "Transitions Pro"), "resignation": True, "transco": True},
    ),
    Rule(
        finding="route.ptp",
        valid_from=date(2026, 1, 1),
        summary="Projet de transition professionnelle (L. 6323-17-6 as in force from 2026)",
        citations=("L6323-17-1", "L6323-17-6", "centreinffo.ptp"),
        certainty=SEC,
        decide=_route_ptp,
        general=True,
        params={"body": ("Transitions Pro", "Transitions Pro"), "resignation": True},
    ),
)


def _route_poe(ctx: Ctx, rule: Rule) -> Decision:
    """Audit B8: the POEI is also open to a disabled worker employed in an entreprise adaptée, a
    CUI holder, and a CDD of an insertion employer (L. 6326-1)."""
    body = employment_body(ctx.on)
    person = ctx.person
    certainty = rule.certainty if ctx.basis is not Basis.NONE else BEL
    general_fr = (
        f"Préparation opérationnelle à l'emploi : individuelle (POEI, offre déposée auprès de {body}, "
        f"financée par {body}) ou collective (POEC, besoins de la branche, financée par l'OPCO)."
    )
    general_en = (
        f"Operational preparation for employment: individual (POEI, job offer lodged with {body}, funded "
        f"by {body}) or collective (POEC, branch needs, funded by the OPCO)."
    )
    if person is None or person.status is Status.JOB_SEEKER:
        if ctx.basis is Basis.NONE:
            return Decision(
                COND,
                f"{general_fr} Elle prépare à un emploi, mais cette certification n'a pas d'enregistrement en "
                "vigueur à cette date.",
                f"{general_en} It prepares for a job, but this certification has no registration in force on "
                "this date.",
                certainty=certainty,
            )
        if person is None:
            return Decision(
                COND,
                f"{general_fr} Pour les demandeurs d'emploi et, pour la POEI, certains salariés en insertion "
                "(CUI, entreprise adaptée, CDD d'insertion).",
                f"{general_en} For job seekers and, for the POEI, some employees in integration schemes "
                "(CUI, entreprise adaptée, integration fixed-term contract).",
                certainty=certainty,
            )
        return Decision(
            YES,
            f"{general_fr} Pour les demandeurs d'emploi.",
            f"{general_en} For job seekers.",
            certainty=certainty,
        )
    if person.status is Status.YOUNG_IN_TRAINING:
        auto_fr = (
            " (inscription automatique des jeunes accompagnés par une mission locale depuis le 1er janvier 2025)"
            if ctx.on >= date(2025, 1, 1)
            else ""
        )
        auto_en = (
            " (automatic for young people supported by a mission locale since 1 January 2025)"
            if ctx.on >= date(2025, 1, 1)
            else ""
        )
        return Decision(
            COND,
            f"{general_fr} Possible si vous êtes inscrit comme demandeur d'emploi{auto_fr}.",
            f"{general_en} Possible if you are registered as a job seeker{auto_en}.",
            certainty=certainty,
            cites=("L5411-1",) if auto_fr else (),
        )
    if person.is_employee and (person.contract is Contract.CUI or person.has_disability):
        return Decision(
            COND,
            "POE individuelle possible pour un salarié en contrat unique d'insertion, un travailleur handicapé "
            "employé dans une entreprise adaptée ou un salarié en CDD d'insertion (art. L. 6326-1).",
            "Individual POE possible for an employee on a contrat unique d'insertion, a disabled worker "
            "employed in an entreprise adaptée or an employee on an integration fixed-term contract "
            "(art. L. 6326-1).",
            certainty=certainty,
        )
    return Decision(
        NO,
        "La POE est destinée aux demandeurs d'emploi (et, pour la POEI, à certains salariés en insertion : "
        "CUI, entreprise adaptée, CDD d'insertion).",
        "POE is for job seekers (and, for the POEI, some employees in integration schemes: CUI, entreprise "
        "adaptée, integration fixed-term contract).",
        certainty=certainty,
    )


ROUTE_POE_RULES = (
    Rule(
        finding="route.poe",
        valid_from=BOOK_START,
        summary="POE individual / collective for job seekers (Pôle emploi)",
        citations=("L6326-1@2019", "L6326-3@2019"),
        certainty=BEL,
        decide=_route_poe,
        general=True,
    ),
    Rule(
        finding="route.poe",
        valid_from=date(2024, 1, 1),
        summary="POEI (France Travail) / POEC (OPCO) for job seekers; POEI for some integration employees",
        citations=("L6326-1", "L6326-3", "L6326-4"),
        certainty=CODE,
        decide=_route_poe,
        general=True,
    ),
)


RULES: tuple[Rule, ...] = (
    *ROUTE_PLAN_RULES,
    *ROUTE_PROFESSIONALISATION_RULES,
    *ROUTE_PRO_A_RULES,
    *ROUTE_RECONVERSION_RULES,
    *ROUTE_APPRENTICESHIP_RULES,
    *ROUTE_PTP_RULES,
    *ROUTE_POE_RULES,
)
