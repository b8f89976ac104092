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
    """Registered on that date, itself or through the successor fiche in force (audit A3)."""
    return ctx.registered in (RegStatus.RNCP_ACTIVE, RegStatus.RS_ACTIVE)


PUBLIC_AGENT_FR = (
    "Agent public : vos droits relèvent du code général de la fonction publique (CPF en heures, "
    "formation par votre administration), hors du périmètre vérifié ici."
)
PUBLIC_AGENT_EN = (
    "Public agent: your rights come under the Code général de la fonction publique (CPF in hours, "
    "training by your administration), outside what is checked here."
)


def public_agent(outcome=NO) -> Decision:
    """Audit B7: the private-sector rules of this book do not apply to public agents; say so."""
    return Decision(outcome, PUBLIC_AGENT_FR, PUBLIC_AGENT_EN, certainty=BEL)


def _credit(person: PersonSituation | None) -> tuple[int, int, str, str] | None:
    """Yearly credit, cap and why: R. 6323-1 (500/5 000), R. 6323-3-1 and L. 6323-11-1 (low-qualified,
    800/8 000), D. 6323-3-3 (BOETH, +300 € and the 8 000 € cap), R. 6323-29 (ESAT, 800/8 000)."""
    if person is None:
        return None
    if person.esat:
        return 800, 8000, "admission en ESAT (art. R. 6323-29)", "ESAT admission (art. R. 6323-29)"
    if person.is_employee:
        if person.has_disability:
            return (
                800,
                8000,
                "bénéficiaire de l'obligation d'emploi : RQTH, AAH, pension d'invalidité, rente AT/MP… "
                "(art. D. 6323-3-3, L. 5212-13)",
                "beneficiary of the employment obligation: RQTH, AAH, invalidity pension, AT/MP annuity… "
                "(art. D. 6323-3-3, L. 5212-13)",
            )
        if person.low_qualified:
            return (
                800,
                8000,
                "salarié peu qualifié, à déclarer sur Mon Compte Formation pour que la majoration "
                "s'applique (art. R. 6323-3-1 II)",
                "low-qualified employee, to be declared on Mon Compte Formation for the increase to "
                "apply (art. R. 6323-3-1 II)",
            )
        return 500, 5000, "", ""
    if person.status is Status.SELF_EMPLOYED:
        return 500, 5000, "", ""
    return None


def _credit_decision(ctx: Ctx, index: int) -> Decision:
    person = ctx.person
    what_fr, what_en = ("crédit annuel", "yearly credit") if index == 0 else ("plafond", "cap")
    if person is None:
        return Decision(
            COND,
            "Salariés (au moins à mi-temps) et indépendants : 500 € par an, plafond 5 000 € ; salariés peu "
            "qualifiés (sur déclaration), bénéficiaires de l'obligation d'emploi des travailleurs handicapés "
            "et personnes accueillies en ESAT : 800 € par an, plafond 8 000 €. En dessous d'un mi-temps, "
            "crédit au prorata.",
            "Employees (at least half-time) and the self-employed: €500 a year, cap €5,000; low-qualified "
            "employees (on declaration), beneficiaries of the disabled workers' employment obligation and "
            "people in an ESAT: €800 a year, cap €8,000. Below half-time, a pro rata credit.",
        )
    if person.is_public_agent and not person.esat:
        return public_agent(INFO)
    credit = _credit(person)
    if credit is None:
        if index == 0:
            return Decision(
                INFO,
                "Vos droits CPF viennent de vos périodes d'emploi ; ils restent acquis, sans crédit annuel "
                "pendant la recherche d'emploi ou la formation initiale.",
                "Your CPF rights come from your periods of work; they stay acquired, with no yearly credit "
                "while job seeking or in initial training.",
                certainty=BEL,
            )
        return Decision(
            INFO,
            "Le plafond dépend de votre situation quand vous travaillez : 5 000 €, ou 8 000 € pour un "
            "salarié peu qualifié ou bénéficiaire de l'obligation d'emploi des travailleurs handicapés.",
            "The cap depends on your situation when you work: €5,000, or €8,000 for a low-qualified "
            "employee or a beneficiary of the disabled workers' employment obligation.",
            certainty=BEL,
        )
    amount = credit[index]
    why_fr = f" ({credit[2]})" if credit[2] else ""
    why_en = f" ({credit[3]})" if credit[3] else ""
    part_fr = part_en = ""
    if index == 0 and person.part_time_below_half and person.is_employee and not person.esat:
        part_fr = " Sous un mi-temps sur l'année, le crédit est proratisé à votre temps de travail (art. R. 6323-1 II)."
        part_en = (
            " Below half-time over the year, the credit is pro rata to your working time (art. R. 6323-1 II)."
        )
    return Decision(
        INFO,
        f"Votre {what_fr} CPF : {euros_fr(amount)}{why_fr}.{part_fr}",
        f"Your CPF {what_en}: {euros_en(amount)}{why_en}.{part_en}",
        value=amount,
        cites=("L5212-13",) if person.has_disability and amount == 800 else (),
    )


def _cpf_eligible(ctx: Ctx, rule: Rule) -> Decision:
    if cpf_eligible(ctx):
        if ctx.successor is not None:
            return Decision(
                YES,
                f"Éligible au CPF par sa fiche successeur {ctx.successor.code}, enregistrée à cette date "
                "(art. L. 6323-6 I).",
                f"CPF-eligible through its successor fiche {ctx.successor.code}, registered on this date "
                "(art. L. 6323-6 I).",
                value=True,
                certainty=OFF,
            )
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
    person = ctx.person
    if person is not None and person.is_public_agent:
        return public_agent(COND)
    if person is None:
        return Decision(
            COND,
            f"Participation forfaitaire de {amount_fr} par formation payée avec le CPF. {exempt_fr}{note_fr}",
            f"Flat participation of {amount_en} per training paid with the CPF. {exempt_en}{note_en}",
            value=amount,
            certainty=certainty,
        )
    if person.status is Status.JOB_SEEKER:
        why_fr, why_en = (
            "les demandeurs d'emploi en sont dispensés (art. L. 6323-7)",
            "job seekers are exempt (art. L. 6323-7)",
        )
    elif person.employer_tops_up_cpf:
        why_fr, why_en = (
            "votre employeur abonde votre CPF (art. L. 6323-7)",
            "your employer tops up your CPF (art. L. 6323-7)",
        )
    elif person.uses_c2p_or_atmp:
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
    if ctx.registered is RegStatus.RS_ACTIVE and rs_cap and ctx.facts.socle:
        return Decision(
            INFO,
            "Pas de plafond par action : la certification relative au socle de connaissances et de "
            "compétences (CléA) est exclue du plafond du répertoire spécifique (art. D. 6323-1 A 1°).",
            "No ceiling per action: the certification relative to the socle de connaissances et de "
            "compétences (CléA) is excluded from the répertoire spécifique ceiling (art. D. 6323-1 A 1°).",
            value=None,
        )
    if ctx.registered is RegStatus.RS_ACTIVE and rs_cap:
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
        summary="€500/yr (employees ≥ half-time, self-employed); €800/yr low-qualified (declared), BOETH, ESAT",
        citations=("R6323-1", "L6323-11-1", "R6323-3-1", "D6323-3-3", "R6323-22", "R6323-29"),
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
        summary="Caps €5,000; €8,000 for low-qualified (declared), BOETH, ESAT",
        citations=("R6323-1", "L6323-11", "L6323-11-1", "R6323-3-1", "D6323-3-3", "R6323-22", "R6323-29"),
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
