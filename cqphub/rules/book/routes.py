"""Training routes towards a certification (RULES.md §6, §9.6).

Each decision function is followed by its dated versions (see docs/rules.md, "How to add a rule").
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
from cqphub.rules.book.cpf import cpf_eligible
from cqphub.rules.context import Basis, Ctx, RegStatus
from cqphub.rules.facts import Benefit, PersonSituation, Status
from cqphub.rules.model import Certainty, Decision, Outcome, Rule


def _no_basis(ctx: Ctx) -> Decision:
    return Decision(
        NO,
        "Aucune base légale à cette date : la certification n'est ni enregistrée ni un CQP transmis.",
        "No legal basis on this date: the certification is neither registered nor a transmitted CQP.",
        certainty=OFF if ctx.facts.is_cqp else None,
    )


def _qualification_basis(ctx: Ctx) -> tuple[bool, Certainty | None]:
    """Is the target a qualification of L. 6314-1 (1° RNCP or 3° CQP de branche/interbranche)?"""
    if ctx.basis is Basis.RNCP:
        return True, None
    if ctx.basis is Basis.BRANCH:
        return True, (BEL if ctx.basis_uncertain else None)
    if ctx.basis is Basis.RS and ctx.facts.is_cqp:
        return True, BEL  # still a "CQP de branche" under L. 6314-1 3° (RULES.md §12.11)
    return False, None


def _pro_contract_open_to(p: PersonSituation) -> tuple[Outcome, str, str]:
    if p.benefits & {Benefit.RSA, Benefit.ASS, Benefit.AAH}:
        return YES, "bénéficiaire du RSA, de l'ASS ou de l'AAH (3°)", "beneficiary of RSA, ASS or AAH (3°)"
    if p.status is Status.JOB_SEEKER:
        if p.age is None or p.age >= 26:
            return YES, "demandeur d'emploi de 26 ans et plus (2°)", "job seeker aged 26 or over (2°)"
        if p.age >= 16:
            return YES, "jeune de 16 à 25 ans (1°)", "young person aged 16 to 25 (1°)"
        return NO, "moins de 16 ans", "under 16"
    if p.status is Status.YOUNG_IN_TRAINING:
        if p.age is None:
            return COND, "si vous avez de 16 à 25 ans révolus (1°)", "if you are aged 16 to 25 (1°)"
        if 16 <= p.age <= 25:
            return (
                YES,
                "jeune de 16 à 25 ans complétant sa formation initiale (1°)",
                "young person aged 16 to 25 completing initial training (1°)",
            )
        return NO, "âge hors de 16 à 25 ans", "age outside 16 to 25"
    return (
        NO,
        "ouvert aux jeunes de 16 à 25 ans, aux demandeurs d'emploi de 26 ans et plus et aux bénéficiaires du RSA, de l'ASS ou de l'AAH",
        "open to young people aged 16 to 25, job seekers aged 26 or over and RSA, ASS or AAH beneficiaries",
    )


def _route_plan(ctx: Ctx, rule: Rule) -> Decision:
    if ctx.basis is Basis.NONE:
        return _no_basis(ctx)
    certainty = SEC if ctx.basis in (Basis.BRANCH, Basis.RS) else None
    p = ctx.person
    if p is None or p.status is Status.EMPLOYEE:
        return Decision(
            YES,
            "Plan de développement des compétences : l'employeur peut faire préparer la certification à "
            "ses salariés, sur le temps de travail ; l'OPCO aide les entreprises de moins de 50 salariés.",
            "Skills development plan: the employer can have its employees prepare the certification, on "
            "working time; the OPCO helps companies under 50 employees.",
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
    p = ctx.person
    if p is None:
        return Decision(
            YES,
            "Contrat de professionnalisation (employeur + OPCO) : ouvert aux jeunes de 16 à 25 ans "
            "complétant leur formation initiale, aux demandeurs d'emploi de 26 ans et plus, aux "
            "bénéficiaires du RSA, de l'ASS ou de l'AAH.",
            "Professionalisation contract (employer + OPCO): open to young people aged 16 to 25 completing "
            "initial training, job seekers aged 26 or over, RSA, ASS or AAH beneficiaries.",
            certainty=certainty,
        )
    outcome, why_fr, why_en = _pro_contract_open_to(p)
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
    return Decision(outcome, f"{lead_fr} : {why_fr}.", f"{lead_en}: {why_en}.", certainty=certainty)


ROUTE_PROFESSIONALISATION_RULES = (
    Rule(
        finding="route.professionalisation",
        valid_from=BOOK_START,
        summary="Professionalisation contract: L. 6314-1 qualification; 16–25, job seekers ≥ 26, RSA/ASS/AAH",
        citations=("L6325-1", "L6314-1", "L6325-11", "L6332-1"),
        certainty=CODE,
        decide=_route_professionalisation,
        general=True,
    ),
)


def _route_pro_a(ctx: Ctx, rule: Rule) -> Decision:
    if not rule.params["open"]:
        return Decision(
            NO,
            "La Pro-A a été remplacée par la période de reconversion le 1er janvier 2026 ; ses règles ne "
            "valent plus que pour les avenants conclus avant cette date.",
            "Pro-A was replaced by the période de reconversion on 1 January 2026; its rules still apply "
            "only to contract amendments signed before that date.",
        )
    ok, _ = _qualification_basis(ctx)
    if not ok:
        return (
            _no_basis(ctx)
            if ctx.basis is not Basis.RS
            else Decision(
                NO,
                "La Pro-A ne vise pas une certification du seul répertoire spécifique.",
                "Pro-A does not aim at a répertoire spécifique certification alone.",
            )
        )
    p = ctx.person
    if p is not None and p.status is not Status.EMPLOYEE:
        return Decision(
            NO,
            "La Pro-A (reconversion ou promotion par l'alternance) est réservée aux salariés.",
            "Pro-A (retraining or promotion through work-study) is for employees.",
        )
    return Decision(
        COND,
        "Reconversion ou promotion par l'alternance (Pro-A) : pour les salariés, si la certification "
        "figure dans la liste de l'accord de branche ; financée par l'OPCO.",
        "Retraining or promotion through work-study (Pro-A): for employees, if the certification is on "
        "the list of the branch agreement; funded by the OPCO.",
    )


ROUTE_PRO_A_RULES = (
    Rule(
        finding="route.pro_a",
        valid_from=BOOK_START,
        summary="Pro-A for employees, per branch agreement list",
        citations=("loi.2018-771", "L6324-1"),
        certainty=SEC,
        decide=_route_pro_a,
        general=True,
        params={"open": True},
    ),
    Rule(
        finding="route.pro_a",
        valid_from=date(2026, 1, 1),
        summary="Pro-A replaced by the période de reconversion",
        citations=("L6324-1", "loi.2025-989"),
        certainty=CODE,
        decide=_route_pro_a,
        general=True,
        params={"open": False},
    ),
)


def _route_reconversion(ctx: Ctx, rule: Rule) -> Decision:
    if not rule.params["open"]:
        return Decision(
            NO,
            "La période de reconversion n'existe qu'à partir du 1er janvier 2026 (elle remplace la Pro-A).",
            "The période de reconversion only exists from 1 January 2026 (it replaces Pro-A).",
        )
    ok, certainty = _qualification_basis(ctx)
    if not ok:
        if ctx.basis is Basis.RS:
            return Decision(
                NO,
                "La période de reconversion vise une certification du RNCP, un CQP ou des blocs : pas une "
                "certification du seul répertoire spécifique.",
                "The période de reconversion aims at an RNCP certification, a CQP or blocs: not a "
                "répertoire spécifique certification alone.",
            )
        return _no_basis(ctx)
    p = ctx.person
    if p is not None and p.status is not Status.EMPLOYEE:
        return Decision(
            NO,
            "La période de reconversion est réservée aux salariés.",
            "The période de reconversion is for employees.",
            certainty=certainty,
        )
    return Decision(
        YES,
        "Période de reconversion (salariés, mobilité interne ou externe) : 150 à 450 heures sur 12 mois "
        "au plus (jusqu'à 2 100 heures sur 36 mois par accord), financée par l'OPCO, qui se prononce dans "
        "les 20 jours ; le CPF peut compléter avec votre accord.",
        "Période de reconversion (employees, internal or external mobility): 150 to 450 hours over at most "
        "12 months (up to 2,100 hours over 36 months by agreement), funded by the OPCO, which decides "
        "within 20 days; the CPF may add to it with your consent.",
        certainty=certainty,
    )


ROUTE_RECONVERSION_RULES = (
    Rule(
        finding="route.reconversion",
        valid_from=BOOK_START,
        summary="Période de reconversion not yet in force",
        citations=("L6324-1", "loi.2025-989"),
        certainty=CODE,
        decide=_route_reconversion,
        general=True,
        params={"open": False},
    ),
    Rule(
        finding="route.reconversion",
        valid_from=date(2026, 1, 1),
        summary="Période de reconversion: employees, RNCP / CQP / blocs",
        citations=("L6324-1", "L6324-2", "L6324-4", "L6324-8", "L6324-10", "L6332-1", "R6324-1", "R6324-2"),
        certainty=CODE,
        decide=_route_reconversion,
        general=True,
        params={"open": True},
    ),
)


def _route_apprenticeship(ctx: Ctx, rule: Rule) -> Decision:
    if ctx.facts.is_cqp:
        return Decision(
            NO,
            "Jamais par l'apprentissage : il mène à un diplôme ou un titre enregistré au RNCP, et un CQP "
            "n'en est pas un, même enregistré.",
            "Never through apprenticeship: it leads to a diploma or title registered in the RNCP, and a CQP "
            "is neither, even when registered.",
            cites=("educpros.2012",),
        )
    if ctx.status is not RegStatus.RNCP_ACTIVE:
        return Decision(
            NO,
            "L'apprentissage mène à un diplôme ou un titre enregistré au RNCP.",
            "Apprenticeship leads to a diploma or title registered in the RNCP.",
        )
    p = ctx.person
    if p is None:
        return Decision(
            YES,
            "Apprentissage possible de 16 à 29 ans révolus (sans limite d'âge notamment pour une personne "
            "reconnue travailleur handicapé).",
            "Apprenticeship possible from 16 to 29 (no age limit notably for a recognised disabled worker).",
        )
    if p.disability:
        return Decision(
            YES,
            "Apprentissage possible, sans limite d'âge (travailleur handicapé).",
            "Apprenticeship possible, with no age limit (disabled worker).",
        )
    if p.age is None:
        return Decision(
            COND,
            "Apprentissage possible si vous avez de 16 à 29 ans révolus.",
            "Apprenticeship possible if you are aged 16 to 29.",
        )
    if 16 <= p.age <= 29:
        return Decision(
            YES, "Apprentissage possible (16 à 29 ans révolus).", "Apprenticeship possible (aged 16 to 29)."
        )
    return Decision(
        NO,
        "Apprentissage fermé : limite d'âge de 29 ans révolus.",
        "Apprenticeship closed: the age limit is 29.",
    )


ROUTE_APPRENTICESHIP_RULES = (
    Rule(
        finding="route.apprenticeship",
        valid_from=BOOK_START,
        summary="Apprenticeship leads to RNCP diplomas and titles only: never a CQP",
        citations=("L6211-1", "L6113-5", "L6222-1", "L6222-2"),
        certainty=CODE,
        decide=_route_apprenticeship,
        general=True,
    ),
)


def _route_ptp(ctx: Ctx, rule: Rule) -> Decision:
    if not cpf_eligible(ctx):
        return Decision(
            NO,
            "Le projet de transition professionnelle finance une formation certifiante éligible au CPF.",
            "The projet de transition professionnelle funds certifying training that is CPF-eligible.",
        )
    p = ctx.person
    if p is not None and p.status is not Status.EMPLOYEE:
        return Decision(
            NO,
            "Le projet de transition professionnelle est réservé aux salariés.",
            "The projet de transition professionnelle is for employees.",
        )
    return Decision(
        COND,
        "Projet de transition professionnelle (salariés qui changent de métier) : congé spécifique, "
        "positionnement préalable, condition d'ancienneté, accord et financement de Transitions Pro.",
        "Projet de transition professionnelle (employees changing job): specific leave, prior positioning, "
        "seniority condition, approval and funding by Transitions Pro.",
    )


ROUTE_PTP_RULES = (
    Rule(
        finding="route.ptp",
        valid_from=BOOK_START,
        summary="Projet de transition professionnelle: employees, CPF-eligible certifications",
        citations=("L6323-17-1", "L6323-17-2", "L6323-17-6", "centreinffo.ptp"),
        certainty=SEC,
        decide=_route_ptp,
        general=True,
    ),
)


def _route_poe(ctx: Ctx, rule: Rule) -> Decision:
    body = employment_body(ctx.on)
    p = ctx.person
    certainty = rule.certainty if ctx.basis is not Basis.NONE else BEL
    general_fr = (
        f"Préparation opérationnelle à l'emploi : individuelle (POEI, offre déposée auprès de {body}, "
        f"financée par {body}) ou collective (POEC, besoins de la branche, financée par l'OPCO)."
    )
    general_en = (
        f"Operational preparation for employment: individual (POEI, job offer lodged with {body}, funded "
        f"by {body}) or collective (POEC, branch needs, funded by the OPCO)."
    )
    if p is None or p.status is Status.JOB_SEEKER:
        if ctx.basis is Basis.NONE:
            return Decision(
                COND,
                f"{general_fr} Elle prépare à un emploi, mais cette certification n'a pas d'existence légale.",
                f"{general_en} It prepares for a job, but this certification has no legal existence.",
                certainty=certainty,
            )
        return Decision(
            YES,
            f"{general_fr} Pour les demandeurs d'emploi.",
            f"{general_en} For job seekers.",
            certainty=certainty,
        )
    if p.status is Status.YOUNG_IN_TRAINING:
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
    return Decision(
        NO, "La POE est destinée aux demandeurs d'emploi.", "POE is for job seekers.", certainty=certainty
    )


ROUTE_POE_RULES = (
    Rule(
        finding="route.poe",
        valid_from=BOOK_START,
        summary="POE individual / collective for job seekers (Pôle emploi)",
        citations=("L6326-1", "L6326-3"),
        certainty=BEL,
        decide=_route_poe,
        general=True,
    ),
    Rule(
        finding="route.poe",
        valid_from=date(2024, 1, 1),
        summary="POEI (France Travail) / POEC (OPCO) for job seekers",
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
