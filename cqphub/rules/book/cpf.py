"""The compte personnel de formation: eligibility, participation, ceiling, credit and cap (RULES.md §5, §9.4).

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
    OFF,
    SEC,
    YES,
    euros_en,
    euros_fr,
)
from cqphub.rules.context import Ctx, RegStatus
from cqphub.rules.facts import PersonSituation, Status
from cqphub.rules.model import Decision, Rule


def cpf_eligible(ctx: Ctx) -> bool:
    return ctx.status in (RegStatus.RNCP_ACTIVE, RegStatus.RS_ACTIVE)


def _credit(p: PersonSituation | None) -> tuple[int, int] | None:
    if p is None:
        return None
    if p.status is Status.EMPLOYEE:
        return (800, 8000) if (p.low_qualified or p.disability) else (500, 5000)
    if p.status is Status.SELF_EMPLOYED:
        return (500, 5000)
    return None


def _credit_decision(ctx: Ctx, index: int) -> Decision:
    p = ctx.person
    what_fr, what_en = ("crédit annuel", "yearly credit") if index == 0 else ("plafond", "cap")
    if p is None:
        return Decision(
            COND,
            "Salariés (au moins à mi-temps) et indépendants : 500 € par an, plafond 5 000 € ; salariés peu "
            "qualifiés ou bénéficiaires de l'obligation d'emploi des travailleurs handicapés : 800 € par "
            "an, plafond 8 000 €.",
            "Employees (at least half-time) and the self-employed: €500 a year, cap €5,000; low-qualified "
            "employees or disabled workers: €800 a year, cap €8,000.",
        )
    credit = _credit(p)
    if credit is None:
        return Decision(
            INFO,
            "Vos droits CPF viennent de vos périodes d'emploi ; ils restent acquis, sans crédit annuel "
            "pendant la recherche d'emploi ou la formation initiale.",
            "Your CPF rights come from your periods of work; they stay acquired, with no yearly credit "
            "while job seeking or in initial training.",
            certainty=BEL,
        )
    amount = credit[index]
    why_fr = " (salarié peu qualifié ou travailleur handicapé)" if credit[0] == 800 else ""
    why_en = " (low-qualified or disabled employee)" if credit[0] == 800 else ""
    return Decision(
        INFO,
        f"Votre {what_fr} CPF : {euros_fr(amount)}{why_fr}.",
        f"Your CPF {what_en}: {euros_en(amount)}{why_en}.",
        value=amount,
    )


def _cpf_eligible(ctx: Ctx, rule: Rule) -> Decision:
    if cpf_eligible(ctx):
        return Decision(
            YES,
            "Éligible au CPF : les formations menant à une certification enregistrée au RNCP ou au "
            "répertoire spécifique (ou à un bloc du RNCP) peuvent être payées avec le compte personnel "
            "de formation.",
            "CPF-eligible: training leading to a certification registered in the RNCP or the répertoire "
            "spécifique (or to an RNCP bloc) can be paid with the personal training account.",
            value=True,
        )
    return Decision(
        NO,
        "Non éligible au CPF : seules les certifications enregistrées (RNCP ou répertoire spécifique) le "
        "sont ; un CQP seulement transmis à France compétences ne l'est pas.",
        "Not CPF-eligible: only registered certifications (RNCP or répertoire spécifique) are; a CQP "
        "only transmitted to France compétences is not.",
        value=False,
        cites=("fc.cqp_page",),
    )


CPF_ELIGIBLE_RULES = (
    Rule(
        finding="cpf.eligible",
        valid_from=BOOK_START,
        summary="Only RNCP/RS-registered certifications are CPF-eligible",
        citations=("L6323-6", "L6323-2"),
        certainty=CODE,
        decide=_cpf_eligible,
        general=True,
    ),
)


def _participation(ctx: Ctx, rule: Rule) -> Decision:
    amount = rule.params["amount"]
    if not cpf_eligible(ctx):
        return Decision(
            NO,
            "Sans objet : le CPF ne peut pas être utilisé pour cette certification.",
            "Not applicable: the CPF cannot be used for this certification.",
            value=0,
        )
    if amount == 0:
        return Decision(
            NO,
            "Aucune participation forfaitaire avant le 2 mai 2024.",
            "No flat participation before 2 May 2024.",
            value=0,
        )
    certainty, note_fr, note_en = None, "", ""
    if ctx.on.year > rule.params["year"]:
        certainty = BEL
        note_fr = (
            f" Le montant revalorisé au 1er janvier {ctx.on.year} n'est pas encore dans le livre des "
            "règles : dernier montant connu."
        )
        note_en = (
            f" The amount revalued on 1 January {ctx.on.year} is not in the rule book yet: last known amount."
        )
    amount_fr, amount_en = euros_fr(amount), euros_en(amount)
    exempt_fr = (
        "Elle n'est pas due par les demandeurs d'emploi, ni quand l'employeur abonde le CPF, ni avec des "
        "points du C2P ou l'abondement AT/MP ; l'employeur ou un OPCO peut la prendre en charge."
    )
    exempt_en = (
        "It is not due by job seekers, nor when the employer tops up the CPF, nor with C2P points or the "
        "AT/MP top-up; the employer or an OPCO may pay it."
    )
    p = ctx.person
    if p is None:
        return Decision(
            COND,
            f"Participation forfaitaire de {amount_fr} par formation payée avec le CPF. {exempt_fr}{note_fr}",
            f"Flat participation of {amount_en} per training paid with the CPF. {exempt_en}{note_en}",
            value=amount,
            certainty=certainty,
        )
    if p.status is Status.JOB_SEEKER:
        why_fr, why_en = (
            "les demandeurs d'emploi en sont dispensés (art. L. 6323-7)",
            "job seekers are exempt (art. L. 6323-7)",
        )
    elif p.employer_tops_up_cpf:
        why_fr, why_en = (
            "votre employeur abonde votre CPF (art. L. 6323-7)",
            "your employer tops up your CPF (art. L. 6323-7)",
        )
    elif p.uses_c2p_or_atmp:
        why_fr, why_en = (
            "vous mobilisez des points du C2P ou l'abondement AT/MP",
            "you use C2P points or the AT/MP top-up",
        )
    else:
        return Decision(
            YES,
            f"Vous payez une participation forfaitaire de {amount_fr} en utilisant votre CPF, sauf si "
            f"votre employeur ou un OPCO la prend en charge.{note_fr}",
            f"You pay a flat participation of {amount_en} when using your CPF, unless your employer or "
            f"an OPCO pays it.{note_en}",
            value=amount,
            certainty=certainty,
        )
    return Decision(
        NO,
        f"Pas de participation forfaitaire pour vous : {why_fr}.",
        f"No flat participation for you: {why_en}.",
        value=0,
        certainty=certainty,
    )


PARTICIPATION_RULES = (
    Rule(
        finding="cpf.participation",
        valid_from=BOOK_START,
        summary="No flat participation before 2024-05-02",
        citations=("L6323-4", "L6323-7"),
        certainty=CODE,
        decide=_participation,
        general=True,
        params={"amount": 0, "year": 2023},
    ),
    Rule(
        finding="cpf.participation",
        valid_from=date(2024, 5, 2),
        summary="Flat participation €100; exemptions (job seekers, employer top-up, C2P, AT/MP)",
        citations=("R6323", "L6323-4", "L6323-7", "decret.2024-394"),
        certainty=CODE,
        decide=_participation,
        general=True,
        params={"amount": 100.0, "year": 2024},
    ),
    Rule(
        finding="cpf.participation",
        valid_from=date(2025, 1, 1),
        summary="Flat participation revalued to €102.23",
        citations=("R6323", "L6323-7", "arrete.2024-12-26"),
        certainty=OFF,
        decide=_participation,
        general=True,
        params={"amount": 102.23, "year": 2025},
    ),
    Rule(
        finding="cpf.participation",
        valid_from=date(2026, 1, 1),
        summary="Flat participation revalued to €103.20 (order of 2025-12-30, secondary sources)",
        citations=("R6323", "L6323-7", "arrete.2025-12-30"),
        certainty=SEC,
        decide=_participation,
        general=True,
        params={"amount": 103.20, "year": 2026},
    ),
)


def _ceiling(ctx: Ctx, rule: Rule) -> Decision:
    if not cpf_eligible(ctx):
        return Decision(
            NO,
            "Sans objet : pas de CPF pour cette certification.",
            "Not applicable: no CPF for this certification.",
        )
    rs_cap = rule.params["rs"]
    if ctx.status is RegStatus.RS_ACTIVE and rs_cap:
        return Decision(
            INFO,
            f"Pour une certification du répertoire spécifique, le CPF finance au plus {euros_fr(rs_cap)} "
            "de droits par action (depuis le 26 février 2026).",
            f"For a répertoire spécifique certification, the CPF pays at most {euros_en(rs_cap)} of "
            "rights per action (since 26 February 2026).",
            value=rs_cap,
        )
    return Decision(
        INFO,
        "Pas de plafond par action : la limite est le solde de vos droits CPF (abondements possibles).",
        "No ceiling per action: the limit is your CPF balance (top-ups possible).",
        value=None,
    )


CEILING_RULES = (
    Rule(
        finding="cpf.ceiling",
        valid_from=BOOK_START,
        summary="No ceiling per action: the CPF balance",
        citations=("L6323-6", "L6323-4"),
        certainty=CODE,
        decide=_ceiling,
        general=True,
        params={"rs": None},
    ),
    Rule(
        finding="cpf.ceiling",
        valid_from=date(2026, 2, 26),
        summary="RS certifications: at most €1,500 of CPF rights per action",
        citations=("D6323-1 A", "L6323-6", "decret.2026-127"),
        certainty=CODE,
        decide=_ceiling,
        general=True,
        params={"rs": 1500},
    ),
)


def _yearly_credit(ctx: Ctx, rule: Rule) -> Decision:
    return _credit_decision(ctx, 0)


YEARLY_CREDIT_RULES = (
    Rule(
        finding="cpf.yearly_credit",
        valid_from=BOOK_START,
        summary="€500/yr (employees ≥ half-time, self-employed); €800/yr low-qualified or disabled employees",
        citations=("R6323-1", "L6323-11-1", "R6323-3-1", "D6323-3-3", "R6323-22"),
        certainty=CODE,
        decide=_yearly_credit,
    ),
)


def _cap(ctx: Ctx, rule: Rule) -> Decision:
    return _credit_decision(ctx, 1)


CAP_RULES = (
    Rule(
        finding="cpf.cap",
        valid_from=BOOK_START,
        summary="Caps €5,000; €8,000 for low-qualified or disabled employees",
        citations=("R6323-1", "L6323-11", "L6323-11-1", "R6323-3-1", "D6323-3-3", "R6323-22"),
        certainty=CODE,
        decide=_cap,
    ),
)


RULES: tuple[Rule, ...] = (
    *CPF_ELIGIBLE_RULES,
    *PARTICIPATION_RULES,
    *CEILING_RULES,
    *YEARLY_CREDIT_RULES,
    *CAP_RULES,
)
