"""The rule book: every rule as dated data (citations, certainty, parameters) plus a small function.

How to read it: each `Rule(finding, valid_from, …)` is one version of the rule that decides the
finding `finding`, in force from `valid_from` until the day before the next version of the same
finding. Every finding has a version from `BOOK_START`, so every date the engine accepts is covered.

How to change it when the law changes: add a new version with the date the change takes effect, its
citations and certainty, and a test of a date on each side. Never edit the date, parameters or
citations of a version already in force: that would rewrite what the engine answers for the past.
See docs/rules.md.

Sources: RULES.md (the brief) §§2–9; article numbers refer to the Code du travail unless stated.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from cqphub.rules.context import Basis, Ctx, RegStatus, Window
from cqphub.rules.facts import Benefit, Kind, PersonSituation, Status
from cqphub.rules.model import Certainty, Decision, Outcome, Rule

BOOK_START = date(2019, 1, 1)  # France compétences, the RNCP/RS in their current form, CPF in euros

YES, NO, COND, INFO = Outcome.YES, Outcome.NO, Outcome.CONDITIONAL, Outcome.INFO
CODE, OFF, SEC, BEL = Certainty.CODE, Certainty.OFFICIAL, Certainty.SECONDARY, Certainty.READING

D = Decision
VAE_REFORM = date(2022, 12, 23)  # loi n° 2022-1598: no minimum experience, VAE by blocs
FRANCE_TRAVAIL_FROM = date(2024, 1, 1)  # loi n° 2023-1196


def fr_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "?"


def en_date(day: date | None) -> str:
    return day.isoformat() if day else "?"


def euros_fr(amount: float) -> str:
    return f"{amount:,.2f} €".replace(",", " ").replace(".", ",").replace(",00 €", " €")


def euros_en(amount: float) -> str:
    return f"€{amount:,.2f}".replace(".00", "")


def employment_body(on: date) -> str:
    """France Travail from 2024-01-01, Pôle emploi before (L. 5312-1, loi n° 2023-1196)."""
    return "France Travail" if on >= FRANCE_TRAVAIL_FROM else "Pôle emploi"


# -- 9.1 / 9.2 registration, recognition, level --------------------------------------------------


def _status(ctx: Ctx, rule: Rule) -> Decision:
    f, s = ctx.facts, ctx.status
    start, end = f.registered_from, f.registered_until
    until_fr = f" jusqu'au {fr_date(end)}" if end else ""
    until_en = f" until {en_date(end)}" if end else ""
    if s is RegStatus.RNCP_ACTIVE:
        return D(
            INFO,
            f"Enregistrée au RNCP{until_fr} : certification professionnelle reconnue au niveau "
            "national (art. L. 6113-1 et L. 6113-5 II).",
            f"Registered in the RNCP{until_en}: a professional certification recognised "
            "nationally (art. L. 6113-1 and L. 6113-5 II).",
            value=s.value,
        )
    if s is RegStatus.RS_ACTIVE:
        return D(
            INFO,
            f"Enregistrée au répertoire spécifique{until_fr} : compétences professionnelles "
            "complémentaires reconnues au niveau national (art. L. 6113-6).",
            f"Registered in the répertoire spécifique{until_en}: complementary professional "
            "skills recognised nationally (art. L. 6113-6).",
            value=s.value,
        )
    if s in (RegStatus.RNCP_EXPIRED, RegStatus.RS_EXPIRED):
        register = "RNCP" if s is RegStatus.RNCP_EXPIRED else "répertoire spécifique"
        extra_fr = (
            " Les titulaires protégés par l'article L. 6113-9 peuvent encore s'en prévaloir."
            if s is RegStatus.RNCP_EXPIRED
            else ""
        )
        extra_en = (
            " Holders protected by article L. 6113-9 may still assert it."
            if s is RegStatus.RNCP_EXPIRED
            else ""
        )
        return D(
            INFO,
            f"L'enregistrement au {register} a pris fin le {fr_date(end)}.{extra_fr}",
            f"The registration in the {register} ended on {en_date(end)}.{extra_en}",
            value=s.value,
            cites=("L6113-9",) if s is RegStatus.RNCP_EXPIRED else (),
        )
    if s is RegStatus.BRANCH_ONLY:
        return D(
            INFO,
            "CQP transmis à France compétences et à la Caisse des dépôts, sans enregistrement en vigueur "
            "dans un répertoire national : il existe juridiquement mais n'est reconnu que dans la ou les "
            "branches qui l'ont créé.",
            "CQP transmitted to France compétences and the Caisse des dépôts, with no registration in "
            "force in a national register: it exists legally but is recognised only in the branch(es) "
            "that created it.",
            value=s.value,
            certainty=OFF,
        )
    if ctx.window is Window.NOT_YET:
        return D(
            INFO,
            f"L'enregistrement ne prend effet que le {fr_date(start)} : à cette date, la "
            "certification n'a pas encore d'existence dans un répertoire national.",
            f"The registration only takes effect on {en_date(start)}: on this date the "
            "certification is not yet in a national register.",
            value=s.value,
        )
    if f.is_cqp:
        return D(
            INFO,
            "Ce CQP n'est ni enregistré ni transmis à France compétences et à la Caisse des dépôts : "
            "selon France compétences, son existence juridique est conditionnée à cette transmission "
            "(art. L. 6113-4).",
            "This CQP is neither registered nor transmitted to France compétences and the Caisse des "
            "dépôts: according to France compétences its legal existence depends on that transmission "
            "(art. L. 6113-4).",
            value=s.value,
            certainty=OFF,
        )
    return D(
        INFO,
        "Aucun enregistrement en vigueur dans un répertoire national à cette date.",
        "No registration in force in a national register on this date.",
        value=s.value,
    )


def _scope(ctx: Ctx, rule: Rule) -> Decision:
    s, f = ctx.status, ctx.facts
    if s is RegStatus.RNCP_ACTIVE:
        return D(
            YES,
            "Reconnaissance nationale : la certification peut être valorisée dans toutes les branches.",
            "National recognition: the certification can be asserted in every branch.",
            value="national",
        )
    if s is RegStatus.RS_ACTIVE:
        return D(
            YES,
            "Reconnaissance nationale, en tant que compétences complémentaires (répertoire spécifique).",
            "National recognition, as complementary skills (répertoire spécifique).",
            value="national",
        )
    branches_fr = "des branches signataires" if f.kind is Kind.CQPI else "de la branche qui l'a créé"
    branches_en = "of the signatory branches" if f.kind is Kind.CQPI else "of the branch that created it"
    if s is RegStatus.BRANCH_ONLY:
        return D(
            YES,
            f"Reconnaissance limitée aux entreprises {branches_fr}.",
            f"Recognised only in the companies {branches_en}.",
            value="branch",
            certainty=OFF,
        )
    if s in (RegStatus.RNCP_EXPIRED, RegStatus.RS_EXPIRED):
        asserted = ctx.assertion() if s is RegStatus.RNCP_EXPIRED else False
        if asserted:
            return D(
                YES,
                "Reconnaissance nationale pour vous : l'article L. 6113-9 vous permet de vous prévaloir "
                "de l'enregistrement au RNCP.",
                "National recognition for you: article L. 6113-9 lets you assert the RNCP registration.",
                value="national",
                cites=("L6113-9",),
            )
        protected_fr = (
            " Reconnaissance nationale seulement pour les titulaires protégés par l'article L. 6113-9."
            if s is RegStatus.RNCP_EXPIRED
            else ""
        )
        protected_en = (
            " National recognition only for holders protected by article L. 6113-9."
            if s is RegStatus.RNCP_EXPIRED
            else ""
        )
        if ctx.basis is Basis.BRANCH:
            unsure = ctx.basis_uncertain or asserted is None
            return D(
                COND if unsure else YES,
                f"Enregistrement échu : reconnaissance limitée aux entreprises {branches_fr}"
                f"{' si le CQP reste transmis à France compétences et à la Caisse des dépôts' if ctx.basis_uncertain else ''}."
                f"{protected_fr}",
                f"Registration lapsed: recognised only in the companies {branches_en}"
                f"{' if the CQP is still transmitted to France compétences and the Caisse des dépôts' if ctx.basis_uncertain else ''}."
                f"{protected_en}",
                value="branch",
                certainty=OFF,
                cites=("L6113-9",) if s is RegStatus.RNCP_EXPIRED else (),
            )
        return D(
            COND if asserted is None else NO,
            f"Enregistrement échu : plus de reconnaissance nationale.{protected_fr}",
            f"Registration lapsed: no national recognition any more.{protected_en}",
            value=None,
            cites=("L6113-9",) if s is RegStatus.RNCP_EXPIRED else (),
        )
    return D(
        NO,
        "Aucune reconnaissance légale à cette date : ni enregistrement, ni transmission du CQP.",
        "No legal recognition on this date: neither registration nor transmission of the CQP.",
        value=None,
        certainty=OFF if f.is_cqp else None,
    )


def _level(ctx: Ctx, rule: Rule) -> Decision:
    s, level = ctx.status, ctx.facts.level
    if s is RegStatus.RNCP_ACTIVE or (s is RegStatus.RNCP_EXPIRED and ctx.assertion() is not False):
        if level is None:
            return D(
                INFO,
                "Enregistrée « sans niveau » : les fiches enregistrées avant 2019 peuvent ne pas avoir de "
                "niveau dans le cadre national à 8 niveaux.",
                'Registered "without level": fiches registered before 2019 may have no level on the '
                "8-level national framework.",
                value=None,
                certainty=BEL,
                cites=("educpros.2012",),
            )
        protected = s is RegStatus.RNCP_EXPIRED
        return D(
            INFO,
            f"Niveau {level} du cadre national des certifications professionnelles (8 niveaux)"
            f"{', pour les titulaires protégés par l’article L. 6113-9' if protected else ''}.",
            f"Level {level} of the national qualifications framework (8 levels)"
            f"{', for holders protected by article L. 6113-9' if protected else ''}.",
            value=level,
            cites=("L6113-9",) if protected else (),
        )
    if s in (RegStatus.RS_ACTIVE, RegStatus.RS_EXPIRED):
        return D(
            INFO,
            "Pas de niveau de qualification : les niveaux sont définis pour les certifications du RNCP.",
            "No qualification level: levels are defined for RNCP certifications.",
            value=None,
            certainty=BEL,
        )
    return D(
        INFO,
        "Pas de niveau de qualification sans enregistrement en vigueur au RNCP.",
        "No qualification level without a registration in force in the RNCP.",
        value=None,
        certainty=OFF,
        cites=("fc.cqp_page",),
    )


def _kind(ctx: Ctx, rule: Rule) -> Decision:
    kind = ctx.facts.kind
    if kind is Kind.CQPI:
        return D(
            INFO,
            "CQP interbranche (CQPI) : créé par au moins deux branches, il certifie des compétences "
            "communes à des activités proches et facilite la mobilité entre branches.",
            "Interbranch CQP (CQPI): created by at least two branches, it certifies skills common to "
            "close activities and eases mobility between branches.",
            value=kind.value,
            certainty=SEC,
        )
    if kind is Kind.CQP:
        return D(
            INFO,
            "Certificat de qualification professionnelle (CQP), établi par la ou les commissions "
            "paritaires nationales de l'emploi (CPNE) d'une branche.",
            "Certificat de qualification professionnelle (CQP), established by the joint employment "
            "committee(s) (CPNE) of a branch.",
            value=kind.value,
        )
    return D(
        INFO,
        "Certification qui n'est pas un CQP : les règles propres aux CQP ne s'appliquent pas.",
        "A certification that is not a CQP: the rules specific to CQPs do not apply.",
        value=kind.value,
    )


def _assertion(ctx: Ctx, rule: Rule) -> Decision:
    s = ctx.status
    if s is RegStatus.RNCP_ACTIVE:
        return D(
            YES,
            "Enregistrement en vigueur : la certification obtenue aujourd'hui vaut enregistrement au RNCP.",
            "Registration in force: the certification obtained today carries the RNCP registration.",
            value=True,
        )
    if s is not RegStatus.RNCP_EXPIRED:
        return D(
            NO,
            "Sans objet : l'article L. 6113-9 protège les titulaires d'une certification enregistrée au RNCP.",
            "Not applicable: article L. 6113-9 protects holders of an RNCP-registered certification.",
            value=False,
        )
    after = ctx.on >= rule.params["from_l6113_9"]
    who_fr = (
        "les titulaires qui l'ont obtenue pendant l'enregistrement, ceux des promotions prises en compte "
        "pour l'enregistrement ou de la promotion en cours, et ceux entrés en formation ou déclarés "
        "recevables en VAE pendant sa validité, une fois la certification obtenue"
        if after
        else "les titulaires qui l'ont obtenue pendant l'enregistrement"
    )
    who_en = (
        "holders who obtained it while it was registered, those of the cohorts used for the "
        "registration or of the cohort in progress, and those who entered training or were declared "
        "admissible to VAE while it was valid, once they obtain it"
        if after
        else "holders who obtained it while it was registered"
    )
    answer = ctx.assertion()
    ended_fr, ended_en = fr_date(ctx.facts.registered_until), en_date(ctx.facts.registered_until)
    if answer is None:
        return D(
            COND,
            f"Peuvent se prévaloir de l'enregistrement échu le {ended_fr} : {who_fr}.",
            f"May assert the registration that ended on {ended_en}: {who_en}.",
            value=None,
        )
    if answer:
        return D(
            YES,
            f"Vous pouvez vous prévaloir de l'enregistrement échu le {ended_fr} : vous êtes parmi {who_fr}.",
            f"You may assert the registration that ended on {ended_en}: you are among {who_en}.",
            value=True,
        )
    return D(
        NO,
        f"Vous ne pouvez pas vous prévaloir de l'enregistrement échu le {ended_fr} : il est réservé à {who_fr}.",
        f"You may not assert the registration that ended on {ended_en}: it is reserved to {who_en}.",
        value=False,
    )


# -- 9.4 CPF ---------------------------------------------------------------------------------------


def cpf_eligible(ctx: Ctx) -> bool:
    return ctx.status in (RegStatus.RNCP_ACTIVE, RegStatus.RS_ACTIVE)


def _cpf_eligible(ctx: Ctx, rule: Rule) -> Decision:
    if cpf_eligible(ctx):
        return D(
            YES,
            "Éligible au CPF : les formations menant à une certification enregistrée au RNCP ou au "
            "répertoire spécifique (ou à un bloc du RNCP) peuvent être payées avec le compte personnel "
            "de formation.",
            "CPF-eligible: training leading to a certification registered in the RNCP or the répertoire "
            "spécifique (or to an RNCP bloc) can be paid with the personal training account.",
            value=True,
        )
    return D(
        NO,
        "Non éligible au CPF : seules les certifications enregistrées (RNCP ou répertoire spécifique) le "
        "sont ; un CQP seulement transmis à France compétences ne l'est pas.",
        "Not CPF-eligible: only registered certifications (RNCP or répertoire spécifique) are; a CQP "
        "only transmitted to France compétences is not.",
        value=False,
        cites=("fc.cqp_page",),
    )


def _participation(ctx: Ctx, rule: Rule) -> Decision:
    amount = rule.params["amount"]
    if not cpf_eligible(ctx):
        return D(
            NO,
            "Sans objet : le CPF ne peut pas être utilisé pour cette certification.",
            "Not applicable: the CPF cannot be used for this certification.",
            value=0,
        )
    if amount == 0:
        return D(
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
        return D(
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
        return D(
            YES,
            f"Vous payez une participation forfaitaire de {amount_fr} en utilisant votre CPF, sauf si "
            f"votre employeur ou un OPCO la prend en charge.{note_fr}",
            f"You pay a flat participation of {amount_en} when using your CPF, unless your employer or "
            f"an OPCO pays it.{note_en}",
            value=amount,
            certainty=certainty,
        )
    return D(
        NO,
        f"Pas de participation forfaitaire pour vous : {why_fr}.",
        f"No flat participation for you: {why_en}.",
        value=0,
        certainty=certainty,
    )


def _ceiling(ctx: Ctx, rule: Rule) -> Decision:
    if not cpf_eligible(ctx):
        return D(
            NO,
            "Sans objet : pas de CPF pour cette certification.",
            "Not applicable: no CPF for this certification.",
        )
    rs_cap = rule.params["rs"]
    if ctx.status is RegStatus.RS_ACTIVE and rs_cap:
        return D(
            INFO,
            f"Pour une certification du répertoire spécifique, le CPF finance au plus {euros_fr(rs_cap)} "
            "de droits par action (depuis le 26 février 2026).",
            f"For a répertoire spécifique certification, the CPF pays at most {euros_en(rs_cap)} of "
            "rights per action (since 26 February 2026).",
            value=rs_cap,
        )
    return D(
        INFO,
        "Pas de plafond par action : la limite est le solde de vos droits CPF (abondements possibles).",
        "No ceiling per action: the limit is your CPF balance (top-ups possible).",
        value=None,
    )


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
        return D(
            COND,
            "Salariés (au moins à mi-temps) et indépendants : 500 € par an, plafond 5 000 € ; salariés peu "
            "qualifiés ou bénéficiaires de l'obligation d'emploi des travailleurs handicapés : 800 € par "
            "an, plafond 8 000 €.",
            "Employees (at least half-time) and the self-employed: €500 a year, cap €5,000; low-qualified "
            "employees or disabled workers: €800 a year, cap €8,000.",
        )
    credit = _credit(p)
    if credit is None:
        return D(
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
    return D(
        INFO,
        f"Votre {what_fr} CPF : {euros_fr(amount)}{why_fr}.",
        f"Your CPF {what_en}: {euros_en(amount)}{why_en}.",
        value=amount,
    )


def _yearly_credit(ctx: Ctx, rule: Rule) -> Decision:
    return _credit_decision(ctx, 0)


def _cap(ctx: Ctx, rule: Rule) -> Decision:
    return _credit_decision(ctx, 1)


# -- 9.5 VAE ---------------------------------------------------------------------------------------


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
        return D(
            NO,
            "La fiche n'ouvre pas la voie de la VAE : le certificateur ne l'a pas organisée.",
            "The fiche does not open the VAE route: the certifier has not organised it.",
            cites=("R6113-9",),
        )
    if vae_open_for_certification(ctx):
        if minimum and p is not None and p.experience_months is not None and p.experience_months < minimum:
            return D(
                NO,
                f"Avant le 23 décembre 2022, la VAE demandait au moins {minimum} mois d'expérience ; vous "
                f"en déclarez {p.experience_months}.",
                f"Before 23 December 2022, VAE required at least {minimum} months of experience; you "
                f"declare {p.experience_months}.",
            )
        if s is RegStatus.RNCP_EXPIRED:
            return D(
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
        return D(
            YES,
            f"Accessible par la VAE (certification enregistrée au RNCP).{extra_fr}",
            f"Accessible through VAE (RNCP-registered certification).{extra_en}",
        )
    if s is RegStatus.RNCP_EXPIRED:
        return D(
            NO,
            "Enregistrement échu : seules les candidatures déclarées recevables pendant sa validité "
            "peuvent aboutir (art. L. 6113-9).",
            "Registration lapsed: only applications declared admissible while it was valid can proceed "
            "(art. L. 6113-9).",
            cites=("L6113-9",),
        )
    if s in (RegStatus.RS_ACTIVE, RegStatus.RS_EXPIRED):
        return D(
            NO,
            "Pas de VAE pour une certification du répertoire spécifique : la VAE vise le RNCP.",
            "No VAE for a répertoire spécifique certification: VAE targets the RNCP.",
        )
    return D(
        NO,
        "Pas de VAE légale sans enregistrement au RNCP ; la branche peut organiser sa propre "
        "reconnaissance de l'expérience.",
        "No statutory VAE without RNCP registration; the branch may organise its own recognition of "
        "experience.",
        certainty=SEC if ctx.facts.is_cqp else None,
    )


def _vae_minimum(ctx: Ctx, rule: Rule) -> Decision:
    months = rule.params["minimum_months"]
    if months:
        return D(
            INFO,
            f"À cette date, la VAE demande au moins {months} mois d'expérience en rapport avec la certification.",
            f"On this date, VAE requires at least {months} months of experience related to the certification.",
            value=months,
        )
    return D(
        INFO,
        "Aucune durée minimale d'expérience depuis le 23 décembre 2022 : il suffit d'une activité en "
        "rapport direct avec la certification visée.",
        "No minimum length of experience since 23 December 2022: an activity directly related to the "
        "certification is enough.",
        value=0,
    )


def _vae_procedure(ctx: Ctx, rule: Rule) -> Decision:
    if not vae_open_for_certification(ctx):
        return D(
            NO,
            "Sans objet : pas de VAE pour cette certification à cette date.",
            "Not applicable: no VAE for this certification on this date.",
        )
    if not rule.params["france_vae"]:
        return D(
            INFO,
            "La demande de VAE se dépose auprès du certificateur, qui statue sur la recevabilité puis "
            "réunit le jury.",
            "The VAE application goes to the certifier, which rules on admissibility and then convenes "
            "the jury.",
        )
    return D(
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


def _vae_yearly_limit(ctx: Ctx, rule: Rule) -> Decision:
    limit = rule.params["certifications_per_year"]
    if not limit:
        return D(
            INFO,
            "Le livre des règles ne connaît pas de limite annuelle de demandes avant le 1er janvier 2024.",
            "The rule book knows no yearly limit of applications before 1 January 2024.",
            certainty=BEL,
        )
    p = ctx.person
    if p is None or p.vae_requests_this_year is None:
        return D(
            INFO,
            f"Au plus {limit} certifications différentes par année civile (hors blocs de compétences).",
            f"At most {limit} different certifications per calendar year (skill blocs excepted).",
            value=limit,
        )
    left = max(limit - p.vae_requests_this_year, 0)
    return D(
        YES if left else NO,
        f"Il vous reste {left} demande(s) de recevabilité pour des certifications différentes cette année "
        "(hors blocs).",
        f"You have {left} admissibility application(s) left for different certifications this year "
        "(blocs excepted).",
        value=left,
    )


# -- 9.6 routes ------------------------------------------------------------------------------------


def _no_basis(ctx: Ctx) -> Decision:
    return D(
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


def _route_plan(ctx: Ctx, rule: Rule) -> Decision:
    if ctx.basis is Basis.NONE:
        return _no_basis(ctx)
    certainty = SEC if ctx.basis in (Basis.BRANCH, Basis.RS) else None
    p = ctx.person
    if p is None or p.status is Status.EMPLOYEE:
        return D(
            YES,
            "Plan de développement des compétences : l'employeur peut faire préparer la certification à "
            "ses salariés, sur le temps de travail ; l'OPCO aide les entreprises de moins de 50 salariés.",
            "Skills development plan: the employer can have its employees prepare the certification, on "
            "working time; the OPCO helps companies under 50 employees.",
            certainty=certainty,
        )
    return D(
        NO,
        "Le plan de développement des compétences est réservé aux salariés d'un employeur.",
        "The skills development plan is for an employer's employees.",
        certainty=certainty,
    )


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


def _route_professionalisation(ctx: Ctx, rule: Rule) -> Decision:
    ok, certainty = _qualification_basis(ctx)
    if not ok:
        if ctx.basis is Basis.RS:
            return D(
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
        return D(
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
    return D(outcome, f"{lead_fr} : {why_fr}.", f"{lead_en}: {why_en}.", certainty=certainty)


def _route_pro_a(ctx: Ctx, rule: Rule) -> Decision:
    if not rule.params["open"]:
        return D(
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
            else D(
                NO,
                "La Pro-A ne vise pas une certification du seul répertoire spécifique.",
                "Pro-A does not aim at a répertoire spécifique certification alone.",
            )
        )
    p = ctx.person
    if p is not None and p.status is not Status.EMPLOYEE:
        return D(
            NO,
            "La Pro-A (reconversion ou promotion par l'alternance) est réservée aux salariés.",
            "Pro-A (retraining or promotion through work-study) is for employees.",
        )
    return D(
        COND,
        "Reconversion ou promotion par l'alternance (Pro-A) : pour les salariés, si la certification "
        "figure dans la liste de l'accord de branche ; financée par l'OPCO.",
        "Retraining or promotion through work-study (Pro-A): for employees, if the certification is on "
        "the list of the branch agreement; funded by the OPCO.",
    )


def _route_reconversion(ctx: Ctx, rule: Rule) -> Decision:
    if not rule.params["open"]:
        return D(
            NO,
            "La période de reconversion n'existe qu'à partir du 1er janvier 2026 (elle remplace la Pro-A).",
            "The période de reconversion only exists from 1 January 2026 (it replaces Pro-A).",
        )
    ok, certainty = _qualification_basis(ctx)
    if not ok:
        if ctx.basis is Basis.RS:
            return D(
                NO,
                "La période de reconversion vise une certification du RNCP, un CQP ou des blocs : pas une "
                "certification du seul répertoire spécifique.",
                "The période de reconversion aims at an RNCP certification, a CQP or blocs: not a "
                "répertoire spécifique certification alone.",
            )
        return _no_basis(ctx)
    p = ctx.person
    if p is not None and p.status is not Status.EMPLOYEE:
        return D(
            NO,
            "La période de reconversion est réservée aux salariés.",
            "The période de reconversion is for employees.",
            certainty=certainty,
        )
    return D(
        YES,
        "Période de reconversion (salariés, mobilité interne ou externe) : 150 à 450 heures sur 12 mois "
        "au plus (jusqu'à 2 100 heures sur 36 mois par accord), financée par l'OPCO, qui se prononce dans "
        "les 20 jours ; le CPF peut compléter avec votre accord.",
        "Période de reconversion (employees, internal or external mobility): 150 to 450 hours over at most "
        "12 months (up to 2,100 hours over 36 months by agreement), funded by the OPCO, which decides "
        "within 20 days; the CPF may add to it with your consent.",
        certainty=certainty,
    )


def _route_apprenticeship(ctx: Ctx, rule: Rule) -> Decision:
    if ctx.facts.is_cqp:
        return D(
            NO,
            "Jamais par l'apprentissage : il mène à un diplôme ou un titre enregistré au RNCP, et un CQP "
            "n'en est pas un, même enregistré.",
            "Never through apprenticeship: it leads to a diploma or title registered in the RNCP, and a CQP "
            "is neither, even when registered.",
            cites=("educpros.2012",),
        )
    if ctx.status is not RegStatus.RNCP_ACTIVE:
        return D(
            NO,
            "L'apprentissage mène à un diplôme ou un titre enregistré au RNCP.",
            "Apprenticeship leads to a diploma or title registered in the RNCP.",
        )
    p = ctx.person
    if p is None:
        return D(
            YES,
            "Apprentissage possible de 16 à 29 ans révolus (sans limite d'âge notamment pour une personne "
            "reconnue travailleur handicapé).",
            "Apprenticeship possible from 16 to 29 (no age limit notably for a recognised disabled worker).",
        )
    if p.disability:
        return D(
            YES,
            "Apprentissage possible, sans limite d'âge (travailleur handicapé).",
            "Apprenticeship possible, with no age limit (disabled worker).",
        )
    if p.age is None:
        return D(
            COND,
            "Apprentissage possible si vous avez de 16 à 29 ans révolus.",
            "Apprenticeship possible if you are aged 16 to 29.",
        )
    if 16 <= p.age <= 29:
        return D(
            YES, "Apprentissage possible (16 à 29 ans révolus).", "Apprenticeship possible (aged 16 to 29)."
        )
    return D(
        NO,
        "Apprentissage fermé : limite d'âge de 29 ans révolus.",
        "Apprenticeship closed: the age limit is 29.",
    )


def _route_ptp(ctx: Ctx, rule: Rule) -> Decision:
    if not cpf_eligible(ctx):
        return D(
            NO,
            "Le projet de transition professionnelle finance une formation certifiante éligible au CPF.",
            "The projet de transition professionnelle funds certifying training that is CPF-eligible.",
        )
    p = ctx.person
    if p is not None and p.status is not Status.EMPLOYEE:
        return D(
            NO,
            "Le projet de transition professionnelle est réservé aux salariés.",
            "The projet de transition professionnelle is for employees.",
        )
    return D(
        COND,
        "Projet de transition professionnelle (salariés qui changent de métier) : congé spécifique, "
        "positionnement préalable, condition d'ancienneté, accord et financement de Transitions Pro.",
        "Projet de transition professionnelle (employees changing job): specific leave, prior positioning, "
        "seniority condition, approval and funding by Transitions Pro.",
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
            return D(
                COND,
                f"{general_fr} Elle prépare à un emploi, mais cette certification n'a pas d'existence légale.",
                f"{general_en} It prepares for a job, but this certification has no legal existence.",
                certainty=certainty,
            )
        return D(
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
        return D(
            COND,
            f"{general_fr} Possible si vous êtes inscrit comme demandeur d'emploi{auto_fr}.",
            f"{general_en} Possible if you are registered as a job seeker{auto_en}.",
            certainty=certainty,
            cites=("L5411-1",) if auto_fr else (),
        )
    return D(
        NO, "La POE est destinée aux demandeurs d'emploi.", "POE is for job seekers.", certainty=certainty
    )


# -- 9.7 funding -----------------------------------------------------------------------------------


def _funding(ctx: Ctx, rule: Rule) -> Decision:
    p, on = ctx.person, ctx.on
    body = employment_body(on)
    reconversion = on >= date(2026, 1, 1)
    cpf = cpf_eligible(ctx)
    if p is None:
        return D(
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
    return D(
        INFO,
        "Financements à proposer, dans l'ordre : " + " ; ".join(fr) + ".",
        "Funding to propose, in order: " + "; ".join(en) + ".",
        value=payers,
    )


def _cej(ctx: Ctx, rule: Rule) -> Decision:
    if not rule.params["open"]:
        return D(
            INFO,
            "Le contrat d'engagement jeune n'existe qu'à partir du 1er mars 2022.",
            "The contrat d'engagement jeune only exists from 1 March 2022.",
            certainty=BEL,
        )
    p = ctx.person
    if p is None:
        return D(
            COND,
            "Contrat d'engagement jeune : 16 à 25 ans, jusqu'à 29 ans pour une personne reconnue "
            "travailleur handicapé, sans emploi ni formation ; avec une allocation.",
            "Contrat d'engagement jeune: aged 16 to 25, up to 29 for a recognised disabled worker, without "
            "job or training; with an allowance.",
        )
    limit = 29 if p.has_disability else 25
    if p.status in (Status.EMPLOYEE, Status.SELF_EMPLOYED):
        return D(
            NO,
            "Le contrat d'engagement jeune s'adresse aux jeunes sans emploi.",
            "The contrat d'engagement jeune is for young people without a job.",
        )
    if p.age is None:
        return D(
            COND,
            f"Contrat d'engagement jeune possible si vous avez de 16 à {limit} ans.",
            f"Contrat d'engagement jeune possible if you are aged 16 to {limit}.",
        )
    if 16 <= p.age <= limit:
        return D(
            YES,
            "Contrat d'engagement jeune possible, avec la mission locale ou France Travail.",
            "Contrat d'engagement jeune possible, with the mission locale or France Travail.",
        )
    return D(
        NO,
        f"Contrat d'engagement jeune : de 16 à {limit} ans.",
        f"Contrat d'engagement jeune: aged 16 to {limit}.",
    )


def _agefiph(ctx: Ctx, rule: Rule) -> Decision:
    p = ctx.person
    if p is None:
        return D(
            COND,
            "L'Agefiph peut compléter le financement pour une personne handicapée.",
            "Agefiph can top up funding for a disabled person.",
        )
    if p.has_disability:
        return D(
            YES,
            "L'Agefiph peut compléter le financement (CPF, contrat, formation) ; le certificateur doit "
            "adapter les épreuves.",
            "Agefiph can top up the funding (CPF, contract, training); the certifier must adapt the "
            "assessment.",
            cites=("D5211-6",),
        )
    return D(NO, "Sans objet : réservé aux personnes handicapées.", "Not applicable: for disabled people.")


# -- 9.8 contacts ----------------------------------------------------------------------------------


def _is_young(p: PersonSituation, limit: int = 25) -> bool | None:
    return None if p.age is None else 16 <= p.age <= limit


def _contact_france_travail(ctx: Ctx, rule: Rule) -> Decision:
    name = rule.params["name"]
    p = ctx.person
    if p is None:
        return D(
            COND,
            f"{name} : pour les demandeurs d'emploi et les jeunes.",
            f"{name}: for job seekers and young people.",
            value=name,
        )
    if p.status in (Status.JOB_SEEKER, Status.YOUNG_IN_TRAINING) or p.has_disability:
        return D(
            YES,
            f"{name} : conseiller pour l'emploi, la formation (POE, aides) et le conseil en évolution professionnelle.",
            f"{name}: adviser for jobs, training (POE, funding) and career guidance.",
            value=name,
        )
    return D(
        NO,
        f"{name} : pas l'interlocuteur principal d'une personne en emploi.",
        f"{name}: not the main contact of a person in work.",
        value=name,
    )


def _contact_mission_locale(ctx: Ctx, rule: Rule) -> Decision:
    p = ctx.person
    if p is None:
        return D(
            COND,
            "Mission locale : pour les 16–25 ans (jusqu'à 29 ans avec une RQTH pour le CEJ).",
            "Mission locale: for people aged 16–25 (up to 29 with RQTH for the CEJ).",
        )
    if p.status in (Status.EMPLOYEE, Status.SELF_EMPLOYED):
        return D(
            NO,
            "Mission locale : pour les jeunes sans emploi.",
            "Mission locale: for young people without a job.",
        )
    young = _is_young(p, 29 if p.has_disability else 25)
    if young is None:
        outcome = YES if p.status is Status.YOUNG_IN_TRAINING else COND
        return D(
            outcome,
            "Mission locale : si vous avez de 16 à 25 ans.",
            "Mission locale: if you are aged 16 to 25.",
        )
    if young:
        return D(
            YES,
            "Mission locale : accompagnement, contrat d'engagement jeune, conseil en évolution professionnelle.",
            "Mission locale: support, contrat d'engagement jeune, career guidance.",
        )
    return D(NO, "Mission locale : réservée aux 16–25 ans.", "Mission locale: for people aged 16–25.")


def _contact_cap_emploi(ctx: Ctx, rule: Rule) -> Decision:
    p = ctx.person
    if p is None:
        return D(COND, "Cap emploi : pour les personnes handicapées.", "Cap emploi: for disabled people.")
    if p.has_disability:
        return D(
            YES,
            "Cap emploi : préparation, accompagnement et maintien dans l'emploi des personnes handicapées.",
            "Cap emploi: preparation, support and job retention for disabled people.",
        )
    return D(NO, "Cap emploi : réservé aux personnes handicapées.", "Cap emploi: for disabled people.")


def _contact_opco(ctx: Ctx, rule: Rule) -> Decision:
    p = ctx.person
    branch = ctx.facts.branch_opco
    if p is None:
        return D(
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
            return D(
                YES,
                f"Votre OPCO, d'après la convention collective de votre employeur (IDCC {p.employer_idcc}) : {name}.",
                f"Your OPCO, from your employer's collective agreement (IDCC {p.employer_idcc}): {name}.",
                value=name,
            )
        return D(
            YES,
            "L'OPCO de votre employeur : trouvez-le par l'IDCC de sa convention collective (sur la fiche de paie).",
            "Your employer's OPCO: find it from the IDCC of its collective agreement (on the payslip).",
            value=None,
        )
    if p.status is Status.YOUNG_IN_TRAINING:
        name = p.employer_opco or branch
        return D(
            YES,
            f"L'OPCO de la branche visée{f' ({name})' if name else ''} finance le contrat de professionnalisation.",
            f"The target branch's OPCO{f' ({name})' if name else ''} funds the professionalisation contract.",
            value=name,
        )
    return D(
        NO,
        "L'OPCO n'est pas votre interlocuteur direct dans votre situation.",
        "The OPCO is not your direct contact in your situation.",
        value=p.employer_opco or branch,
    )


def _contact_france_vae(ctx: Ctx, rule: Rule) -> Decision:
    if not rule.params["open"]:
        return D(
            NO,
            "France VAE n'existe qu'à partir du 1er janvier 2024 : la demande se fait auprès du certificateur.",
            "France VAE only exists from 1 January 2024: apply to the certifier.",
        )
    if vae_open_for_certification(ctx):
        return D(
            YES,
            "France VAE (vae.gouv.fr) : inscription, architecte accompagnateur de parcours, dossier de recevabilité.",
            "France VAE (vae.gouv.fr): registration, pathway adviser (AAP), admissibility file.",
            value="France VAE",
        )
    return D(
        NO,
        "France VAE : pas de VAE pour cette certification à cette date.",
        "France VAE: no VAE for this certification on this date.",
        value="France VAE",
    )


def _contact_cep(ctx: Ctx, rule: Rule) -> Decision:
    p = ctx.person
    body = employment_body(ctx.on)
    if p is None:
        return D(
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
    return D(
        YES,
        f"Conseil en évolution professionnelle (CEP), gratuit : {who}.",
        f"Career guidance (CEP), free: {who_en}.",
        value=who,
    )


def _contact_transitions_pro(ctx: Ctx, rule: Rule) -> Decision:
    p = ctx.person
    if p is None:
        return D(
            COND,
            "Transitions Pro : pour les salariés qui changent de métier (PTP, VAE).",
            "Transitions Pro: for employees changing job (PTP, VAE).",
        )
    if p.status is Status.EMPLOYEE:
        return D(
            YES,
            "Transitions Pro de votre région : projet de transition professionnelle, forfait VAE.",
            "Transitions Pro in your region: projet de transition professionnelle, VAE flat rate.",
            value="Transitions Pro",
        )
    return D(NO, "Transitions Pro : pour les salariés.", "Transitions Pro: for employees.")


def _contact_mcf(ctx: Ctx, rule: Rule) -> Decision:
    if cpf_eligible(ctx):
        return D(
            YES,
            "Mon Compte Formation (moncompteformation.gouv.fr) : vos droits CPF et les formations éligibles.",
            "Mon Compte Formation (moncompteformation.gouv.fr): your CPF rights and eligible training.",
            value="Mon Compte Formation",
        )
    return D(
        NO,
        "Mon Compte Formation : pas de CPF pour cette certification.",
        "Mon Compte Formation: no CPF for this certification.",
        value="Mon Compte Formation",
    )


def _contact_employer(ctx: Ctx, rule: Rule) -> Decision:
    p = ctx.person
    if p is None or p.status is Status.EMPLOYEE:
        return D(
            YES if p else COND,
            "Votre employeur (RH) : plan de développement des compétences, période de reconversion, abondement CPF.",
            "Your employer (HR): skills development plan, période de reconversion, CPF top-up.",
        )
    return D(NO, "Sans objet : vous n'êtes pas salarié.", "Not applicable: you are not an employee.")


# -- the book --------------------------------------------------------------------------------------


def _r(finding, valid_from, summary, citations, certainty, decide, general=False, **params) -> Rule:
    return Rule(
        finding=finding,
        valid_from=valid_from,
        summary=summary,
        citations=tuple(citations),
        certainty=certainty,
        decide=decide,
        params=params,
        general=general,
    )


S = BOOK_START

RULES: tuple[Rule, ...] = (
    # -- legal status and recognition (RULES.md §§2, 3, 9.1–9.3)
    _r(
        "certification.kind",
        S,
        "CQP, CQPI or another certification",
        ["L6113-4", "L6314-1"],
        CODE,
        _kind,
        general=True,
    ),
    _r(
        "status.registration",
        S,
        "Registration status on the date (§9.1)",
        ["L6113-4", "L6113-5", "L6113-6", "fc.cqp_page"],
        CODE,
        _status,
        general=True,
    ),
    _r(
        "recognition.scope",
        S,
        "National or branch recognition (§9.2)",
        ["L6113-1", "L6113-6", "L6314-1", "fc.cqp_page"],
        CODE,
        _scope,
        general=True,
    ),
    _r(
        "level",
        S,
        "Level on the 8-level national framework (§3.3, §9.2)",
        ["L6113-1", "D6113-18", "D6113-19", "D6113-20"],
        CODE,
        _level,
        general=True,
    ),
    _r(
        "registration.assertion",
        S,
        "Holders may assert a registration only if obtained while it was in force",
        ["L6113-1", "R6113-17-3"],
        SEC,
        _assertion,
        from_l6113_9=date(2022, 12, 23),
    ),
    _r(
        "registration.assertion",
        date(2022, 12, 23),
        "L. 6113-9: cohorts, current cohort, VAE-admissible and trainees who entered while valid (§9.3)",
        ["L6113-9", "R6113-17-3", "loi.2022-1598"],
        CODE,
        _assertion,
        from_l6113_9=date(2022, 12, 23),
    ),
    # -- CPF (§5, §9.4)
    _r(
        "cpf.eligible",
        S,
        "Only RNCP/RS-registered certifications are CPF-eligible",
        ["L6323-6", "L6323-2"],
        CODE,
        _cpf_eligible,
        general=True,
    ),
    _r(
        "cpf.participation",
        S,
        "No flat participation before 2024-05-02",
        ["L6323-4", "L6323-7"],
        CODE,
        _participation,
        general=True,
        amount=0,
        year=2023,
    ),
    _r(
        "cpf.participation",
        date(2024, 5, 2),
        "Flat participation €100; exemptions (job seekers, employer top-up, C2P, AT/MP)",
        ["R6323", "L6323-4", "L6323-7", "decret.2024-394"],
        CODE,
        _participation,
        general=True,
        amount=100.0,
        year=2024,
    ),
    _r(
        "cpf.participation",
        date(2025, 1, 1),
        "Flat participation revalued to €102.23",
        ["R6323", "L6323-7", "arrete.2024-12-26"],
        OFF,
        _participation,
        general=True,
        amount=102.23,
        year=2025,
    ),
    _r(
        "cpf.participation",
        date(2026, 1, 1),
        "Flat participation revalued to €103.20 (order of 2025-12-30, secondary sources)",
        ["R6323", "L6323-7", "arrete.2025-12-30"],
        SEC,
        _participation,
        general=True,
        amount=103.20,
        year=2026,
    ),
    _r(
        "cpf.ceiling",
        S,
        "No ceiling per action: the CPF balance",
        ["L6323-6", "L6323-4"],
        CODE,
        _ceiling,
        general=True,
        rs=None,
    ),
    _r(
        "cpf.ceiling",
        date(2026, 2, 26),
        "RS certifications: at most €1,500 of CPF rights per action",
        ["D6323-1 A", "L6323-6", "decret.2026-127"],
        CODE,
        _ceiling,
        general=True,
        rs=1500,
    ),
    _r(
        "cpf.yearly_credit",
        S,
        "€500/yr (employees ≥ half-time, self-employed); €800/yr low-qualified or disabled employees",
        ["R6323-1", "L6323-11-1", "R6323-3-1", "D6323-3-3", "R6323-22"],
        CODE,
        _yearly_credit,
    ),
    _r(
        "cpf.cap",
        S,
        "Caps €5,000; €8,000 for low-qualified or disabled employees",
        ["R6323-1", "L6323-11", "L6323-11-1", "R6323-3-1", "D6323-3-3", "R6323-22"],
        CODE,
        _cap,
    ),
    # -- VAE (§7, §9.5)
    _r(
        "vae.access",
        S,
        "VAE for RNCP certifications whose fiche opens it; one year of experience",
        ["L6113-1", "fc.cqp_page"],
        OFF,
        _vae_access,
        general=True,
        minimum_months=12,
    ),
    _r(
        "vae.access",
        VAE_REFORM,
        "VAE for RNCP certifications or blocs only, no minimum experience",
        ["L6313-5", "L6111-1", "L6411-1", "loi.2022-1598"],
        CODE,
        _vae_access,
        general=True,
        minimum_months=0,
    ),
    _r(
        "vae.minimum_experience_months",
        S,
        "At least one year of experience",
        ["fc.cqp_page", "loi.2022-1598"],
        OFF,
        _vae_minimum,
        general=True,
        minimum_months=12,
    ),
    _r(
        "vae.minimum_experience_months",
        VAE_REFORM,
        "No minimum length of experience",
        ["L6411-1", "L6111-1", "vae.faq"],
        CODE,
        _vae_minimum,
        general=True,
        minimum_months=0,
    ),
    _r(
        "vae.procedure",
        S,
        "Apply to the certifier",
        ["L6421-1", "fc.cqp_page"],
        BEL,
        _vae_procedure,
        general=True,
        france_vae=False,
    ),
    _r(
        "vae.procedure",
        date(2024, 1, 1),
        "France VAE procedure, limits and time limits",
        [
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
        ],
        CODE,
        _vae_procedure,
        general=True,
        france_vae=True,
    ),
    _r(
        "vae.yearly_limit",
        S,
        "No yearly limit known",
        ["L6421-1"],
        BEL,
        _vae_yearly_limit,
        certifications_per_year=0,
    ),
    _r(
        "vae.yearly_limit",
        date(2024, 1, 1),
        "At most 3 different certifications per calendar year",
        ["R6412-3"],
        CODE,
        _vae_yearly_limit,
        certifications_per_year=3,
    ),
    # -- routes (§6, §9.6)
    _r(
        "route.plan",
        S,
        "Skills development plan, any CQP, for employees",
        ["L6321-1", "opcoep.cqp", "L6123-5"],
        CODE,
        _route_plan,
        general=True,
    ),
    _r(
        "route.professionalisation",
        S,
        "Professionalisation contract: L. 6314-1 qualification; 16–25, job seekers ≥ 26, RSA/ASS/AAH",
        ["L6325-1", "L6314-1", "L6325-11", "L6332-1"],
        CODE,
        _route_professionalisation,
        general=True,
    ),
    _r(
        "route.pro_a",
        S,
        "Pro-A for employees, per branch agreement list",
        ["loi.2018-771", "L6324-1"],
        SEC,
        _route_pro_a,
        general=True,
        open=True,
    ),
    _r(
        "route.pro_a",
        date(2026, 1, 1),
        "Pro-A replaced by the période de reconversion",
        ["L6324-1", "loi.2025-989"],
        CODE,
        _route_pro_a,
        general=True,
        open=False,
    ),
    _r(
        "route.reconversion",
        S,
        "Période de reconversion not yet in force",
        ["L6324-1", "loi.2025-989"],
        CODE,
        _route_reconversion,
        general=True,
        open=False,
    ),
    _r(
        "route.reconversion",
        date(2026, 1, 1),
        "Période de reconversion: employees, RNCP / CQP / blocs",
        ["L6324-1", "L6324-2", "L6324-4", "L6324-8", "L6324-10", "L6332-1", "R6324-1", "R6324-2"],
        CODE,
        _route_reconversion,
        general=True,
        open=True,
    ),
    _r(
        "route.apprenticeship",
        S,
        "Apprenticeship leads to RNCP diplomas and titles only: never a CQP",
        ["L6211-1", "L6113-5", "L6222-1", "L6222-2"],
        CODE,
        _route_apprenticeship,
        general=True,
    ),
    _r(
        "route.ptp",
        S,
        "Projet de transition professionnelle: employees, CPF-eligible certifications",
        ["L6323-17-1", "L6323-17-2", "L6323-17-6", "centreinffo.ptp"],
        SEC,
        _route_ptp,
        general=True,
    ),
    _r(
        "route.poe",
        S,
        "POE individual / collective for job seekers (Pôle emploi)",
        ["L6326-1", "L6326-3"],
        BEL,
        _route_poe,
        general=True,
    ),
    _r(
        "route.poe",
        date(2024, 1, 1),
        "POEI (France Travail) / POEC (OPCO) for job seekers",
        ["L6326-1", "L6326-3", "L6326-4"],
        CODE,
        _route_poe,
        general=True,
    ),
    # -- funding (§9.7)
    _r(
        "funding.payers",
        S,
        "Funding routes and payers by person status, in the order to propose",
        [
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
        ],
        CODE,
        _funding,
    ),
    _r("funding.cej", S, "Contrat d'engagement jeune not in force", ["L5131-6"], BEL, _cej, open=False),
    _r(
        "funding.cej",
        date(2022, 3, 1),
        "Contrat d'engagement jeune: 16–25, 29 with RQTH",
        ["L5131-6", "L5314-2"],
        CODE,
        _cej,
        open=True,
    ),
    _r(
        "funding.agefiph",
        S,
        "Agefiph tops up funding for disabled people",
        ["L5214-1", "L6323-4"],
        CODE,
        _agefiph,
    ),
    # -- contacts (§8, §9.8)
    _r("contact.employer", S, "The employer (HR) for employees", ["L6321-1"], CODE, _contact_employer),
    _r(
        "contact.france_travail",
        S,
        "Pôle emploi for job seekers and young people",
        ["L5311-7", "loi.2023-1196"],
        CODE,
        _contact_france_travail,
        name="Pôle emploi",
    ),
    _r(
        "contact.france_travail",
        FRANCE_TRAVAIL_FROM,
        "France Travail for job seekers, young and disabled people",
        ["L5312-1", "L5311-7", "loi.2023-1196"],
        CODE,
        _contact_france_travail,
        name="France Travail",
    ),
    _r(
        "contact.mission_locale",
        S,
        "Mission locale for people aged 16–25",
        ["L5314-2", "L5131-6"],
        CODE,
        _contact_mission_locale,
    ),
    _r(
        "contact.cap_emploi",
        S,
        "Cap emploi for disabled people",
        ["L5214-3-1", "L5311-7"],
        CODE,
        _contact_cap_emploi,
    ),
    _r(
        "contact.opco",
        S,
        "The OPCO of the employer's branch, from its IDCC",
        ["L6332-1", "L6332-1-1", "R6123-34", "R6123-35", "centreinffo.opco_tables"],
        CODE,
        _contact_opco,
    ),
    _r(
        "contact.france_vae",
        S,
        "No France VAE yet: apply to the certifier",
        ["L6421-1"],
        BEL,
        _contact_france_vae,
        open=False,
    ),
    _r(
        "contact.france_vae",
        date(2024, 1, 1),
        "France VAE for VAE candidates",
        ["L6411-2", "R6411-1", "R6412-2"],
        CODE,
        _contact_france_vae,
        open=True,
    ),
    _r("contact.cep", S, "Career guidance (CEP), free for everyone", ["L6111-6"], CODE, _contact_cep),
    _r(
        "contact.transitions_pro",
        S,
        "Transitions Pro for employees changing job",
        ["L6323-17-6", "L6323-17-1"],
        CODE,
        _contact_transitions_pro,
    ),
    _r(
        "contact.mon_compte_formation",
        S,
        "Mon Compte Formation when the CPF applies",
        ["L6323-8", "L6323-9"],
        CODE,
        _contact_mcf,
    ),
)

FINDING_IDS: tuple[str, ...] = tuple(dict.fromkeys(rule.finding for rule in RULES))
GENERAL_IDS: frozenset[str] = frozenset(rule.finding for rule in RULES if rule.general)


def versions(finding: str) -> list[Rule]:
    return sorted((r for r in RULES if r.finding == finding), key=lambda r: r.valid_from)


def valid_until(rule: Rule) -> date | None:
    """The last day a version applies: the day before the next version of the same finding."""
    later = [r.valid_from for r in RULES if r.finding == rule.finding and r.valid_from > rule.valid_from]
    return min(later) - timedelta(days=1) if later else None


@lru_cache(maxsize=512)
def rules_on(on: date) -> tuple[Rule, ...]:
    """One rule per finding, in the book's order: the version in force on `on`."""
    if on < BOOK_START:
        raise ValueError(f"on: the rule book starts on {BOOK_START.isoformat()}, got {on.isoformat()}")
    chosen = []
    for finding in FINDING_IDS:
        current = None
        for rule in versions(finding):
            if rule.valid_from <= on:
                current = rule
        assert current is not None  # every finding has a version from BOOK_START (tested)
        chosen.append(current)
    return tuple(chosen)
