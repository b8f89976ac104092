"""Validation des acquis de l'expérience (RULES.md §7, §9.5).

Each decision function is followed by its dated versions (see docs/rules.md, "How to add a rule").
"""

from __future__ import annotations

from datetime import date

from cqphub.rules.book.common import (
    BOOK_START,
    CODE,
    COND,
    INFO,
    NO,
    OFF,
    SEC,
    VAE_REFORM,
    YES,
)
from cqphub.rules.context import Ctx, RegStatus
from cqphub.rules.facts import Status
from cqphub.rules.model import Decision, Rule

FRANCE_VAE_FROM = date(2024, 1, 1)


def fiche_opens_vae(ctx: Ctx) -> bool:
    return ctx.facts.vae_route or ctx.facts.route("vae") is True


def vae_open_for_certification(ctx: Ctx) -> bool:
    """The certification itself can be the object of a VAE on that date (not yet the person)."""
    if ctx.status is RegStatus.RNCP_ACTIVE:
        return fiche_opens_vae(ctx)
    if ctx.status is RegStatus.RNCP_EXPIRED and ctx.person is not None:
        return bool(ctx._in_window(ctx.person.vae_admissible_on))
    return False


def _vae_access(ctx: Ctx, rule: Rule) -> Decision:
    """RULES.md §9.5. Before 2022-12-23 the one-year rule is statutory: L. 335-5 and R. 335-6 II of the
    Code de l'éducation (audit B3/C6). From 2024, R. 6412-2 closes the registration to a person already
    in initial training for the same certification (audit B4): pupils, students and apprentices get a
    conditional answer, since we do not know which certification they prepare."""
    status = ctx.status
    if status is RegStatus.RNCP_ACTIVE and not fiche_opens_vae(ctx):
        return Decision(
            NO,
            "La fiche n'ouvre pas la voie de la VAE : le certificateur ne l'a pas organisée.",
            "The fiche does not open the VAE route: the certifier has not organised it.",
            cites=("R6113-9",),
        )
    if vae_open_for_certification(ctx):
        return _vae_open(ctx, rule)
    if status is RegStatus.RNCP_EXPIRED:
        return Decision(
            NO,
            "Enregistrement échu : seules les candidatures déclarées recevables pendant sa validité "
            "peuvent aboutir (art. L. 6113-9).",
            "Registration lapsed: only applications declared admissible while it was valid can proceed "
            "(art. L. 6113-9).",
            cites=("L6113-9",) if ctx.on >= VAE_REFORM else (),
        )
    if status in (RegStatus.RS_ACTIVE, RegStatus.RS_EXPIRED):
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


def _vae_open(ctx: Ctx, rule: Rule) -> Decision:
    """The certification opens VAE: the one-year rule, L. 6113-9 and R. 6412-2 still decide for the person."""
    status, person = ctx.status, ctx.person
    minimum = rule.params["minimum_months"]
    if (
        minimum
        and person is not None
        and person.experience_months is not None
        and person.experience_months < minimum
    ):
        return Decision(
            NO,
            f"Avant le 23 décembre 2022, la VAE demandait au moins {minimum} mois d'activité en rapport "
            f"avec la certification (art. L. 335-5 et R. 335-6 II du code de l'éducation) ; vous en "
            f"déclarez {person.experience_months}.",
            f"Before 23 December 2022, VAE required at least {minimum} months of activity related to "
            f"the certification (art. L. 335-5 and R. 335-6 II of the Code de l'éducation); you declare "
            f"{person.experience_months}.",
        )
    if status is RegStatus.RNCP_EXPIRED:
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
    in_training = person is not None and (person.status is Status.YOUNG_IN_TRAINING or person.is_apprentice)
    if rule.params["initial_training_excluded"] and in_training:
        return Decision(
            COND,
            "Accessible par la VAE, sauf si vous préparez déjà cette même certification en formation "
            f"initiale, apprentissage compris (art. R. 6412-2).{extra_fr}",
            "Accessible through VAE, unless you are already preparing this same certification in "
            f"initial training, apprenticeship included (art. R. 6412-2).{extra_en}",
            cites=("R6412-2",),
        )
    return Decision(
        YES,
        f"Accessible par la VAE (certification enregistrée au RNCP).{extra_fr}",
        f"Accessible through VAE (RNCP-registered certification).{extra_en}",
    )


VAE_ACCESS_RULES = (
    Rule(
        finding="vae.access",
        valid_from=BOOK_START,
        summary="VAE for RNCP certifications whose fiche opens it; one year of activity (C. éduc.)",
        citations=("L6113-1", "L6411-1@2019", "educ.L335-5@2019", "educ.R335-6@2017"),
        certainty=OFF,
        decide=_vae_access,
        general=True,
        params={"minimum_months": 12, "initial_training_excluded": False},
    ),
    Rule(
        finding="vae.access",
        valid_from=VAE_REFORM,
        summary="VAE for RNCP certifications or blocs only, no minimum experience",
        citations=("L6313-5", "L6111-1", "L6411-1", "loi.2022-1598"),
        certainty=CODE,
        decide=_vae_access,
        general=True,
        params={"minimum_months": 0, "initial_training_excluded": False},
    ),
    Rule(
        finding="vae.access",
        valid_from=FRANCE_VAE_FROM,
        summary="VAE: not for a person already in initial training for the same certification (R. 6412-2)",
        citations=("L6313-5", "L6111-1", "L6411-1", "R6412-2"),
        certainty=CODE,
        decide=_vae_access,
        general=True,
        params={"minimum_months": 0, "initial_training_excluded": True},
    ),
)


def _vae_minimum(ctx: Ctx, rule: Rule) -> Decision:
    months = rule.params["minimum_months"]
    if months:
        return Decision(
            INFO,
            f"À cette date, la VAE demande au moins {months} mois d'activité, continue ou non, en rapport "
            "avec la certification (art. L. 335-5 et R. 335-6 II du code de l'éducation).",
            f"On this date, VAE requires at least {months} months of activity, continuous or not, related "
            "to the certification (art. L. 335-5 and R. 335-6 II of the Code de l'éducation).",
            value=months,
        )
    return Decision(
        INFO,
        "Aucune durée minimale d'expérience depuis le 23 décembre 2022 : il suffit d'une activité en "
        "rapport direct avec la certification visée ; toute expérience compte, y compris les stages, "
        "périodes de formation en milieu professionnel et mises en situation (art. L. 6412-1-1).",
        "No minimum length of experience since 23 December 2022: an activity directly related to the "
        "certification is enough; any experience counts, internships, work placements and work trials "
        "included (art. L. 6412-1-1).",
        value=0,
    )


VAE_MINIMUM_RULES = (
    Rule(
        finding="vae.minimum_experience_months",
        valid_from=BOOK_START,
        summary="At least one year of activity (C. éduc. L. 335-5, R. 335-6 II)",
        citations=("educ.L335-5@2019", "educ.R335-6@2017", "L6411-1@2019"),
        certainty=OFF,
        decide=_vae_minimum,
        general=True,
        params={"minimum_months": 12},
    ),
    Rule(
        finding="vae.minimum_experience_months",
        valid_from=VAE_REFORM,
        summary="No minimum length of experience",
        citations=("L6411-1", "L6111-1", "L6412-1-1", "vae.faq"),
        certainty=CODE,
        decide=_vae_minimum,
        general=True,
        params={"minimum_months": 0},
    ),
)


def _vae_procedure(ctx: Ctx, rule: Rule) -> Decision:
    """France VAE only where the certification is on the portal (audit B5, R. 6412-1 NOTA): the
    portal was phased in by certification during 2024; `on_france_vae` is unknown by default."""
    if not vae_open_for_certification(ctx):
        return Decision(
            NO,
            "Sans objet : pas de VAE pour cette certification à cette date.",
            "Not applicable: no VAE for this certification on this date.",
        )
    certifier_fr = (
        "La demande de VAE se dépose auprès du certificateur, qui statue sur la recevabilité puis "
        "réunit le jury ; un seul dossier de recevabilité par année civile pour la même certification "
        "(art. R. 335-7 du code de l'éducation)."
    )
    certifier_en = (
        "The VAE application goes to the certifier, which rules on admissibility and then convenes the "
        "jury; one admissibility file per calendar year for the same certification (art. R. 335-7 of "
        "the Code de l'éducation)."
    )
    person = ctx.person
    started_before = (
        person is not None
        and person.vae_admissible_on is not None
        and person.vae_admissible_on < FRANCE_VAE_FROM
    )
    if not rule.params["france_vae"] or ctx.facts.on_france_vae is False or started_before:
        return Decision(INFO, certifier_fr, certifier_en, cites=("educ.R335-7",))
    portal_fr = (
        "Par France VAE (vae.gouv.fr) : inscription en choisissant la certification ou un bloc, "
        "accompagnement possible par un architecte accompagnateur de parcours certifié Qualiopi, dossier "
        "de recevabilité (au plus un par certification et trois certifications différentes par année "
        "civile, sauf blocs), décision du certificateur en 2 mois (silence = recevable), recevabilité "
        "caduque sans étape enregistrée pendant 6 mois sauf motif légitime, présentation devant le jury "
        "avant la fin du 3e mois qui suit le dépôt du dossier de validation, résultat notifié sous 15 jours."
    )
    portal_en = (
        "Through France VAE (vae.gouv.fr): register choosing the certification or a bloc, optional "
        "support by a Qualiopi-certified pathway adviser (AAP), admissibility file (at most one per "
        "certification and three different certifications per calendar year, blocs excepted), "
        "certifier's decision within 2 months (silence = admissible), admissibility lapses after 6 "
        "months without a recorded step unless there is a legitimate reason, presentation before the jury "
        "before the end of the 3rd month after the validation file is filed, result notified within 15 days."
    )
    value = {
        "admissibility_files_per_certification_per_year": 1,
        "certifications_per_year": 3,
        "admissibility_decision_months": 2,
        "admissibility_lapses_after_months": 6,
        "jury_before_end_of_month": 3,
        "result_within_days": 15,
    }
    if ctx.facts.on_france_vae:
        return Decision(INFO, portal_fr, portal_en, value=value)
    return Decision(
        INFO,
        f"Si la certification est sur France VAE : {portal_fr[len('Par France VAE (vae.gouv.fr) : ') :]} "
        f"Sinon : {certifier_fr}",
        f"If the certification is on France VAE: {portal_en[len('Through France VAE (vae.gouv.fr): ') :]} "
        f"Otherwise: {certifier_en}",
        value=value,
        cites=("educ.R335-7",),
    )


VAE_PROCEDURE_RULES = (
    Rule(
        finding="vae.procedure",
        valid_from=BOOK_START,
        summary="Apply to the certifier (C. éduc. R. 335-7)",
        citations=("L6421-1", "educ.R335-7"),
        certainty=OFF,
        decide=_vae_procedure,
        general=True,
        params={"france_vae": False},
    ),
    Rule(
        finding="vae.procedure",
        valid_from=FRANCE_VAE_FROM,
        summary="France VAE procedure where the certification is on the portal; else the certifier",
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
    """Audit B2: R. 335-7 of the Code de l'éducation already allowed one admissibility file per
    certification and per calendar year, and three for different certifications; the R. 6412-1 NOTA
    keeps it for certifications not yet on France VAE. R. 6412-3 says the same for the portal."""
    limit = rule.params["certifications_per_year"]
    person = ctx.person
    if person is None or person.vae_requests_this_year is None:
        return Decision(
            INFO,
            f"Un seul dossier de recevabilité par certification et au plus {limit} certifications "
            "différentes par année civile (hors blocs de compétences).",
            f"One admissibility file per certification and at most {limit} different certifications per "
            "calendar year (skill blocs excepted).",
            value=limit,
        )
    left = max(limit - person.vae_requests_this_year, 0)
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
        summary="One file per certification, at most 3 different certifications per calendar year (C. éduc.)",
        citations=("educ.R335-7",),
        certainty=OFF,
        decide=_vae_yearly_limit,
        params={"certifications_per_year": 3},
    ),
    Rule(
        finding="vae.yearly_limit",
        valid_from=FRANCE_VAE_FROM,
        summary="At most 3 different certifications per calendar year (R. 6412-3; R. 335-7 off the portal)",
        citations=("R6412-3", "educ.R335-7"),
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
