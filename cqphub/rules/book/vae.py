"""Validation des acquis de l'expérience (RULES.md §7, §9.5).

Each decision function is followed by its dated versions (see docs/rules.md, "How to add a rule").
"""

from __future__ import annotations

from datetime import date

from cqphub.rules.book.common import (
    BEL,
    BOOK_START,
    CODE,
    INFO,
    NO,
    OFF,
    SEC,
    VAE_REFORM,
    YES,
)
from cqphub.rules.context import Ctx, RegStatus
from cqphub.rules.model import Decision, Rule


def vae_open_for_certification(ctx: Ctx) -> bool:
    """The certification itself can be the object of a VAE on that date (not yet the person)."""
    if ctx.status is RegStatus.RNCP_ACTIVE:
        return ctx.facts.vae_route
    if ctx.status is RegStatus.RNCP_EXPIRED and ctx.person is not None:
        return bool(ctx._in_window(ctx.person.vae_admissible_on))
    return False


def _vae_access(ctx: Ctx, rule: Rule) -> Decision:
    s, p = ctx.status, ctx.person
    minimum = rule.params["minimum_months"]
    if s is RegStatus.RNCP_ACTIVE and not ctx.facts.vae_route:
        return Decision(
            NO,
            "La fiche n'ouvre pas la voie de la VAE : le certificateur ne l'a pas organisée.",
            "The fiche does not open the VAE route: the certifier has not organised it.",
            cites=("R6113-9",),
        )
    if vae_open_for_certification(ctx):
        if minimum and p is not None and p.experience_months is not None and p.experience_months < minimum:
            return Decision(
                NO,
                f"Avant le 23 décembre 2022, la VAE demandait au moins {minimum} mois d'expérience ; vous "
                f"en déclarez {p.experience_months}.",
                f"Before 23 December 2022, VAE required at least {minimum} months of experience; you "
                f"declare {p.experience_months}.",
            )
        if s is RegStatus.RNCP_EXPIRED:
            return Decision(
                YES,
                "Votre candidature a été déclarée recevable pendant l'enregistrement : vous pouvez "
                "poursuivre la VAE et vous prévaloir de l'enregistrement (art. L. 6113-9).",
                "Your application was declared admissible while it was registered: you may continue the "
                "VAE and assert the registration (art. L. 6113-9).",
                cites=("L6113-9",),
            )
        extra_fr = (
            " Validation partielle possible par blocs de compétences." if ctx.facts.partial_validation else ""
        )
        extra_en = " Partial validation by skill blocs is possible." if ctx.facts.partial_validation else ""
        return Decision(
            YES,
            f"Accessible par la VAE (certification enregistrée au RNCP).{extra_fr}",
            f"Accessible through VAE (RNCP-registered certification).{extra_en}",
        )
    if s is RegStatus.RNCP_EXPIRED:
        return Decision(
            NO,
            "Enregistrement échu : seules les candidatures déclarées recevables pendant sa validité "
            "peuvent aboutir (art. L. 6113-9).",
            "Registration lapsed: only applications declared admissible while it was valid can proceed "
            "(art. L. 6113-9).",
            cites=("L6113-9",),
        )
    if s in (RegStatus.RS_ACTIVE, RegStatus.RS_EXPIRED):
        return Decision(
            NO,
            "Pas de VAE pour une certification du répertoire spécifique : la VAE vise le RNCP.",
            "No VAE for a répertoire spécifique certification: VAE targets the RNCP.",
        )
    return Decision(
        NO,
        "Pas de VAE légale sans enregistrement au RNCP ; la branche peut organiser sa propre "
        "reconnaissance de l'expérience.",
        "No statutory VAE without RNCP registration; the branch may organise its own recognition of "
        "experience.",
        certainty=SEC if ctx.facts.is_cqp else None,
    )


VAE_ACCESS_RULES = (
    Rule(
        finding="vae.access",
        valid_from=BOOK_START,
        summary="VAE for RNCP certifications whose fiche opens it; one year of experience",
        citations=("L6113-1", "fc.cqp_page"),
        certainty=OFF,
        decide=_vae_access,
        general=True,
        params={"minimum_months": 12},
    ),
    Rule(
        finding="vae.access",
        valid_from=VAE_REFORM,
        summary="VAE for RNCP certifications or blocs only, no minimum experience",
        citations=("L6313-5", "L6111-1", "L6411-1", "loi.2022-1598"),
        certainty=CODE,
        decide=_vae_access,
        general=True,
        params={"minimum_months": 0},
    ),
)


def _vae_minimum(ctx: Ctx, rule: Rule) -> Decision:
    months = rule.params["minimum_months"]
    if months:
        return Decision(
            INFO,
            f"À cette date, la VAE demande au moins {months} mois d'expérience en rapport avec la certification.",
            f"On this date, VAE requires at least {months} months of experience related to the certification.",
            value=months,
        )
    return Decision(
        INFO,
        "Aucune durée minimale d'expérience depuis le 23 décembre 2022 : il suffit d'une activité en "
        "rapport direct avec la certification visée.",
        "No minimum length of experience since 23 December 2022: an activity directly related to the "
        "certification is enough.",
        value=0,
    )


VAE_MINIMUM_RULES = (
    Rule(
        finding="vae.minimum_experience_months",
        valid_from=BOOK_START,
        summary="At least one year of experience",
        citations=("fc.cqp_page", "loi.2022-1598"),
        certainty=OFF,
        decide=_vae_minimum,
        general=True,
        params={"minimum_months": 12},
    ),
    Rule(
        finding="vae.minimum_experience_months",
        valid_from=VAE_REFORM,
        summary="No minimum length of experience",
        citations=("L6411-1", "L6111-1", "vae.faq"),
        certainty=CODE,
        decide=_vae_minimum,
        general=True,
        params={"minimum_months": 0},
    ),
)


def _vae_procedure(ctx: Ctx, rule: Rule) -> Decision:
    if not vae_open_for_certification(ctx):
        return Decision(
            NO,
            "Sans objet : pas de VAE pour cette certification à cette date.",
            "Not applicable: no VAE for this certification on this date.",
        )
    if not rule.params["france_vae"]:
        return Decision(
            INFO,
            "La demande de VAE se dépose auprès du certificateur, qui statue sur la recevabilité puis "
            "réunit le jury.",
            "The VAE application goes to the certifier, which rules on admissibility and then convenes "
            "the jury.",
        )
    return Decision(
        INFO,
        "Par France VAE (vae.gouv.fr) : inscription en choisissant la certification ou un bloc, "
        "accompagnement possible par un architecte accompagnateur de parcours certifié Qualiopi, dossier "
        "de recevabilité (au plus un par certification et trois certifications différentes par année "
        "civile, sauf blocs), décision du certificateur en 2 mois (silence = recevable), recevabilité "
        "caduque sans étape enregistrée pendant 6 mois, jury fixé avant la fin du 3e mois suivant le "
        "dépôt du dossier de validation, résultat notifié sous 15 jours. Tant que la certification n'est "
        "pas sur le portail, l'ancienne procédure du certificateur s'applique.",
        "Through France VAE (vae.gouv.fr): register choosing the certification or a bloc, optional "
        "support by a Qualiopi-certified pathway adviser (AAP), admissibility file (at most one per "
        "certification and three different certifications per calendar year, blocs excepted), "
        "certifier's decision within 2 months (silence = admissible), admissibility lapses after 6 "
        "months without a recorded step, jury set before the end of the 3rd month after the validation "
        "file, result notified within 15 days. While the certification is not on the portal, the "
        "certifier's former procedure applies.",
        value={
            "admissibility_files_per_certification_per_year": 1,
            "certifications_per_year": 3,
            "admissibility_decision_months": 2,
            "admissibility_lapses_after_months": 6,
            "jury_before_end_of_month": 3,
            "result_within_days": 15,
        },
    )


VAE_PROCEDURE_RULES = (
    Rule(
        finding="vae.procedure",
        valid_from=BOOK_START,
        summary="Apply to the certifier",
        citations=("L6421-1", "fc.cqp_page"),
        certainty=BEL,
        decide=_vae_procedure,
        general=True,
        params={"france_vae": False},
    ),
    Rule(
        finding="vae.procedure",
        valid_from=date(2024, 1, 1),
        summary="France VAE procedure, limits and time limits",
        citations=(
            "L6411-2",
            "R6411-1",
            "R6411-2",
            "R6412-1",
            "R6412-2",
            "R6412-3",
            "R6412-4",
            "R6412-5",
            "R6412-7",
            "decret.2023-1275",
        ),
        certainty=CODE,
        decide=_vae_procedure,
        general=True,
        params={"france_vae": True},
    ),
)


def _vae_yearly_limit(ctx: Ctx, rule: Rule) -> Decision:
    limit = rule.params["certifications_per_year"]
    if not limit:
        return Decision(
            INFO,
            "Le livre des règles ne connaît pas de limite annuelle de demandes avant le 1er janvier 2024.",
            "The rule book knows no yearly limit of applications before 1 January 2024.",
            certainty=BEL,
        )
    p = ctx.person
    if p is None or p.vae_requests_this_year is None:
        return Decision(
            INFO,
            f"Au plus {limit} certifications différentes par année civile (hors blocs de compétences).",
            f"At most {limit} different certifications per calendar year (skill blocs excepted).",
            value=limit,
        )
    left = max(limit - p.vae_requests_this_year, 0)
    return Decision(
        YES if left else NO,
        f"Il vous reste {left} demande(s) de recevabilité pour des certifications différentes cette année "
        "(hors blocs).",
        f"You have {left} admissibility application(s) left for different certifications this year "
        "(blocs excepted).",
        value=left,
    )


VAE_YEARLY_LIMIT_RULES = (
    Rule(
        finding="vae.yearly_limit",
        valid_from=BOOK_START,
        summary="No yearly limit known",
        citations=("L6421-1",),
        certainty=BEL,
        decide=_vae_yearly_limit,
        params={"certifications_per_year": 0},
    ),
    Rule(
        finding="vae.yearly_limit",
        valid_from=date(2024, 1, 1),
        summary="At most 3 different certifications per calendar year",
        citations=("R6412-3",),
        certainty=CODE,
        decide=_vae_yearly_limit,
        params={"certifications_per_year": 3},
    ),
)


RULES: tuple[Rule, ...] = (
    *VAE_ACCESS_RULES,
    *VAE_MINIMUM_RULES,
    *VAE_PROCEDURE_RULES,
    *VAE_YEARLY_LIMIT_RULES,
)
