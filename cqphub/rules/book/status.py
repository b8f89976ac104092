"""Legal status and recognition: kind, registration, scope, level, L. 6113-9 (RULES.md §§2, 3, 9.1–9.3).

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
    en_date,
    fr_date,
)
from cqphub.rules.context import L6113_9_FROM, Basis, Ctx, RegStatus, Window
from cqphub.rules.facts import Kind, Register
from cqphub.rules.model import Decision, Rule


def _kind(ctx: Ctx, rule: Rule) -> Decision:
    kind = ctx.facts.kind
    if kind is Kind.CQPI:
        return Decision(
            INFO,
            "CQP interbranche (CQPI) : créé par au moins deux branches, il certifie des compétences "
            "communes à des activités proches et facilite la mobilité entre branches.",
            "Interbranch CQP (CQPI): created by at least two branches, it certifies skills common to "
            "close activities and eases mobility between branches.",
            value=kind.value,
            certainty=SEC,
        )
    if kind is Kind.CQP:
        return Decision(
            INFO,
            "Certificat de qualification professionnelle (CQP), établi par la ou les commissions "
            "paritaires nationales de l'emploi (CPNE) d'une branche.",
            "Certificat de qualification professionnelle (CQP), established by the joint employment "
            "committee(s) (CPNE) of a branch.",
            value=kind.value,
        )
    return Decision(
        INFO,
        "Certification qui n'est pas un CQP : les règles propres aux CQP ne s'appliquent pas.",
        "A certification that is not a CQP: the rules specific to CQPs do not apply.",
        value=kind.value,
    )


KIND_RULES = (
    Rule(
        finding="certification.kind",
        valid_from=BOOK_START,
        summary="CQP, CQPI or another certification",
        citations=("L6113-4", "L6314-1"),
        certainty=CODE,
        decide=_kind,
        general=True,
    ),
)


def _registered_under(ctx: Ctx) -> tuple[str, str, tuple[str, ...]]:
    """Which paragraph of L. 6113-5 the RNCP registration rests on (C4): I by right, II on request."""
    facts = ctx.facts
    if facts.is_cqp or facts.registered_by_right is False:
        return "L. 6113-1 et L. 6113-5 II, sur demande", "L. 6113-1 and L. 6113-5 II, on request", ()
    if facts.registered_by_right:
        return "L. 6113-1 et L. 6113-5 I, de droit", "L. 6113-1 and L. 6113-5 I, by right", ()
    return "L. 6113-1 et L. 6113-5", "L. 6113-1 and L. 6113-5", ()


def _status(ctx: Ctx, rule: Rule) -> Decision:
    """RULES.md §9.1. Unknown transmission is never read as "not transmitted" (audit A2): the
    status is then `transmission_unknown` and says which fact decides (L. 6113-4)."""
    status = ctx.status
    if status in (RegStatus.RNCP_ACTIVE, RegStatus.RS_ACTIVE):
        return _status_in_force(ctx)
    if status in (RegStatus.RNCP_EXPIRED, RegStatus.RS_EXPIRED):
        return _status_lapsed(ctx)
    return _status_unregistered(ctx)


def _status_in_force(ctx: Ctx) -> Decision:
    status, end = ctx.status, ctx.facts.registered_until
    until_fr = f" jusqu'au {fr_date(end)}" if end else ""
    until_en = f" until {en_date(end)}" if end else ""
    if status is RegStatus.RNCP_ACTIVE:
        basis_fr, basis_en, _ = _registered_under(ctx)
        return Decision(
            INFO,
            f"Enregistrée au RNCP{until_fr} : certification professionnelle reconnue au niveau "
            f"national (art. {basis_fr}).",
            f"Registered in the RNCP{until_en}: a professional certification recognised "
            f"nationally (art. {basis_en}).",
            value=status.value,
        )
    return Decision(
        INFO,
        f"Enregistrée au répertoire spécifique{until_fr} : compétences professionnelles "
        "complémentaires reconnues au niveau national (art. L. 6113-6).",
        f"Registered in the répertoire spécifique{until_en}: complementary professional "
        "skills recognised nationally (art. L. 6113-6).",
        value=status.value,
    )


def _status_lapsed(ctx: Ctx) -> Decision:
    status, end = ctx.status, ctx.facts.registered_until
    register = "RNCP" if status is RegStatus.RNCP_EXPIRED else "répertoire spécifique"
    protected = status is RegStatus.RNCP_EXPIRED and ctx.on >= L6113_9_FROM
    extra_fr = (
        " Les titulaires protégés par l'article L. 6113-9 peuvent encore s'en prévaloir." if protected else ""
    )
    extra_en = " Holders protected by article L. 6113-9 may still assert it." if protected else ""
    return Decision(
        INFO,
        f"L'enregistrement au {register} a pris fin le {fr_date(end)}.{extra_fr}",
        f"The registration in the {register} ended on {en_date(end)}.{extra_en}",
        value=status.value,
        cites=("L6113-9",) if extra_fr else (),
    )


def _status_unregistered(ctx: Ctx) -> Decision:
    """No registration in force: a CQP's legal existence then rests on its transmission (L. 6113-4)."""
    facts, status, start = ctx.facts, ctx.status, ctx.facts.registered_from
    if status in (RegStatus.BRANCH_ONLY, RegStatus.TRANSMISSION_UNKNOWN):
        return _status_branch_cqp(ctx)
    if ctx.window is Window.NOT_YET:
        return Decision(
            INFO,
            f"L'enregistrement ne prend effet que le {fr_date(start)} : à cette date, la "
            "certification n'est pas encore dans un répertoire national.",
            f"The registration only takes effect on {en_date(start)}: on this date the "
            "certification is not yet in a national register.",
            value=status.value,
        )
    if facts.is_cqp:  # transmitted is False: stated, not guessed
        return Decision(
            INFO,
            "Ce CQP n'est ni enregistré ni transmis à France compétences et à la Caisse des dépôts : "
            "selon France compétences, son existence juridique est conditionnée à cette transmission "
            "(art. L. 6113-4).",
            "This CQP is neither registered nor transmitted to France compétences and the Caisse des "
            "dépôts: according to France compétences its legal existence depends on that transmission "
            "(art. L. 6113-4).",
            value=status.value,
            certainty=OFF,
        )
    return Decision(
        INFO,
        "Aucun enregistrement en vigueur dans un répertoire national à cette date.",
        "No registration in force in a national register on this date.",
        value=status.value,
    )


def _status_branch_cqp(ctx: Ctx) -> Decision:
    status, start = ctx.status, ctx.facts.registered_from
    not_yet_fr = (
        f" Son enregistrement ne prend effet que le {fr_date(start)}." if ctx.window is Window.NOT_YET else ""
    )
    not_yet_en = (
        f" Its registration only takes effect on {en_date(start)}." if ctx.window is Window.NOT_YET else ""
    )
    if status is RegStatus.BRANCH_ONLY:
        return Decision(
            INFO,
            "CQP transmis à France compétences et à la Caisse des dépôts, sans enregistrement en vigueur "
            "dans un répertoire national : il existe juridiquement mais n'est reconnu que dans la ou les "
            f"branches qui l'ont créé.{not_yet_fr}",
            "CQP transmitted to France compétences and the Caisse des dépôts, with no registration in "
            "force in a national register: it exists legally but is recognised only in the branch(es) "
            f"that created it.{not_yet_en}",
            value=status.value,
            certainty=OFF,
        )
    return Decision(
        INFO,
        "CQP sans enregistrement en vigueur dans un répertoire national à cette date. Sa transmission à "
        "France compétences et à la Caisse des dépôts, que l'article L. 6113-4 impose, n'est pas dans "
        "les données publiques : s'il est transmis, il existe juridiquement et il est reconnu dans la "
        f"ou les branches qui l'ont créé ; demandez-le à la branche.{not_yet_fr}",
        "CQP with no registration in force in a national register on this date. Its transmission to "
        "France compétences and the Caisse des dépôts, required by article L. 6113-4, is not in the "
        "open data: if it is transmitted, it exists legally and is recognised in the branch(es) that "
        f"created it; ask the branch.{not_yet_en}",
        value=status.value,
        certainty=OFF,
    )


STATUS_RULES = (
    Rule(
        finding="status.registration",
        valid_from=BOOK_START,
        summary="Registration status on the date (§9.1)",
        citations=("L6113-4", "L6113-5", "L6113-6", "fc.cqp_page"),
        certainty=CODE,
        decide=_status,
        general=True,
    ),
)


def _successor(ctx: Ctx, rule: Rule) -> Decision:
    """Audit A3: the same certification may continue under another code (France compétences'
    "nouvelle certification" links). The value is the successor in force on the date, or null; the
    CPF (L. 6323-6 I) and the routes that need a registration follow it (see `Ctx.build`)."""
    facts, successor = ctx.facts, ctx.successor
    if successor is not None:
        register = "au RNCP" if successor.register is Register.RNCP else "au répertoire spécifique"
        register_en = "in the RNCP" if successor.register is Register.RNCP else "in the répertoire spécifique"
        return Decision(
            INFO,
            f"Cette certification se poursuit sous la fiche {successor.code}, enregistrée {register} du "
            f"{fr_date(successor.registered_from)} au {fr_date(successor.registered_until)} : à cette date, "
            "le CPF et les voies qui demandent un enregistrement suivent cette fiche.",
            f"This certification continues as {successor.code}, registered {register_en} from "
            f"{en_date(successor.registered_from)} to {en_date(successor.registered_until)}: on this date "
            "the CPF and the routes that need a registration follow that fiche.",
            value=successor.code,
            cites=("L6323-6",),
        )
    if facts.successors:
        codes = ", ".join(status.code for status in facts.successors)
        return Decision(
            INFO,
            f"Fiche(s) qui lui succèdent : {codes} ; aucune n'est enregistrée à cette date.",
            f"Successor fiche(s): {codes}; none is registered on this date.",
            value=None,
        )
    return Decision(
        INFO,
        "Aucune fiche successeur connue.",
        "No known successor fiche.",
        value=None,
    )


SUCCESSOR_RULES = (
    Rule(
        finding="status.successor",
        valid_from=BOOK_START,
        summary="The successor fiche in force on the date (continuity links); CPF and routes follow it",
        citations=("L6113-5", "L6113-6", "fc.faq"),
        certainty=OFF,
        decide=_successor,
        general=True,
    ),
)


def _scope(ctx: Ctx, rule: Rule) -> Decision:
    status = ctx.status
    if status in (RegStatus.RNCP_ACTIVE, RegStatus.RS_ACTIVE):
        return _scope_in_force(status)
    if status in (RegStatus.BRANCH_ONLY, RegStatus.TRANSMISSION_UNKNOWN):
        return _scope_in_branches(ctx)
    if status in (RegStatus.RNCP_EXPIRED, RegStatus.RS_EXPIRED):
        if ctx.successor is not None and not ctx.assertion():
            return _scope_under_successor(ctx.successor)
        return _scope_lapsed(ctx)
    if ctx.facts.is_cqp:  # transmitted is False: stated by the caller
        return Decision(
            NO,
            "Aucune reconnaissance légale à cette date : ni enregistrement, ni transmission du CQP.",
            "No legal recognition on this date: neither registration nor transmission of the CQP.",
            value=None,
            certainty=OFF,
        )
    return Decision(
        NO,
        "Aucune reconnaissance nationale à cette date : pas d'enregistrement en vigueur.",
        "No national recognition on this date: no registration in force.",
        value=None,
    )


def _scope_in_force(status: RegStatus) -> Decision:
    if status is RegStatus.RNCP_ACTIVE:
        return Decision(
            YES,
            "Reconnaissance nationale : la certification peut être valorisée dans toutes les branches.",
            "National recognition: the certification can be asserted in every branch.",
            value="national",
        )
    return Decision(
        YES,
        "Reconnaissance nationale, en tant que compétences complémentaires (répertoire spécifique).",
        "National recognition, as complementary skills (répertoire spécifique).",
        value="national",
    )


def _branches(ctx: Ctx) -> tuple[str, str]:
    """Whose companies a branch-only recognition reaches, in French and English."""
    if ctx.facts.kind is Kind.CQPI:
        return "des branches signataires", "of the signatory branches"
    return "de la branche qui l'a créé", "of the branch that created it"


def _scope_in_branches(ctx: Ctx) -> Decision:
    """A CQP with no registration in force: recognised where it was made, once transmitted (L. 6113-4)."""
    branches_fr, branches_en = _branches(ctx)
    if ctx.status is RegStatus.BRANCH_ONLY:
        return Decision(
            YES,
            f"Reconnaissance limitée aux entreprises {branches_fr}.",
            f"Recognised only in the companies {branches_en}.",
            value="branch",
            certainty=OFF,
        )
    return Decision(
        COND,
        f"Reconnaissance limitée aux entreprises {branches_fr}, si le CQP est transmis à France "
        "compétences et à la Caisse des dépôts (art. L. 6113-4 ; fait absent des données publiques).",
        f"Recognised only in the companies {branches_en}, if the CQP is transmitted to France "
        "compétences and the Caisse des dépôts (art. L. 6113-4; a fact missing from the open data).",
        value="branch",
        certainty=OFF,
        cites=("L6113-4",),
    )


def _scope_under_successor(successor) -> Decision:
    """Audit A3: a lapsed code whose certification continues under another one."""
    in_rs = successor.register is not Register.RNCP
    return Decision(
        COND,
        f"La certification se poursuit sous la fiche {successor.code}, enregistrée à cette date : "
        "reconnaissance nationale"
        f"{', en tant que compétences complémentaires,' if in_rs else ''} pour la certification obtenue "
        "sous ce code.",
        f"The certification continues as {successor.code}, registered on this date: national recognition"
        f"{', as complementary skills,' if in_rs else ''} for the certification obtained under that code.",
        value="national",
        certainty=OFF,
    )


def _scope_lapsed(ctx: Ctx) -> Decision:
    """A lapsed registration: national for L. 6113-9's protected holders, else branch-only or none."""
    status = ctx.status
    asserted = ctx.assertion() if status is RegStatus.RNCP_EXPIRED else False
    if asserted:
        return _scope_asserted(ctx)
    protected_fr = (
        " Reconnaissance nationale seulement pour les titulaires protégés par l'article L. 6113-9."
        if status is RegStatus.RNCP_EXPIRED
        else ""
    )
    protected_en = (
        " National recognition only for holders protected by article L. 6113-9."
        if status is RegStatus.RNCP_EXPIRED
        else ""
    )
    if ctx.basis is Basis.BRANCH:
        branches_fr, branches_en = _branches(ctx)
        unsure = ctx.basis_uncertain or asserted is None
        return Decision(
            COND if unsure else YES,
            f"Enregistrement échu : reconnaissance limitée aux entreprises {branches_fr}"
            f"{' si le CQP reste transmis à France compétences et à la Caisse des dépôts' if ctx.basis_uncertain else ''}."
            f"{protected_fr}",
            f"Registration lapsed: recognised only in the companies {branches_en}"
            f"{' if the CQP is still transmitted to France compétences and the Caisse des dépôts' if ctx.basis_uncertain else ''}."
            f"{protected_en}",
            value="branch",
            certainty=OFF,
            cites=("L6113-9",) if status is RegStatus.RNCP_EXPIRED else (),
        )
    return Decision(
        COND if asserted is None else NO,
        f"Enregistrement échu : plus de reconnaissance nationale.{protected_fr}",
        f"Registration lapsed: no national recognition any more.{protected_en}",
        value=None,
        cites=("L6113-9",) if status is RegStatus.RNCP_EXPIRED else (),
    )


def _scope_asserted(ctx: Ctx) -> Decision:
    """L. 6113-9 lets this person assert the lapsed RNCP registration (now, or once obtained)."""
    person = ctx.person
    obtained = person is not None and ctx._in_window(person.obtained_on)
    once_fr = "" if obtained else ", une fois la certification obtenue"
    once_en = "" if obtained else ", once you obtain the certification"
    return Decision(
        YES,
        "Reconnaissance nationale pour vous : l'article L. 6113-9 vous permet de vous prévaloir "
        f"de l'enregistrement au RNCP{once_fr}.",
        f"National recognition for you: article L. 6113-9 lets you assert the RNCP registration{once_en}.",
        value="national",
        cites=("L6113-9",),
    )


SCOPE_RULES = (
    Rule(
        finding="recognition.scope",
        valid_from=BOOK_START,
        summary="National or branch recognition (§9.2)",
        citations=("L6113-1", "L6113-6", "L6314-1", "fc.cqp_page"),
        certainty=CODE,
        decide=_scope,
        general=True,
    ),
)


def _level(ctx: Ctx, rule: Rule) -> Decision:
    status, level = ctx.status, ctx.facts.level
    if status is RegStatus.RNCP_ACTIVE or (status is RegStatus.RNCP_EXPIRED and ctx.assertion() is not False):
        if level is None:
            return Decision(
                INFO,
                "Enregistrée « sans niveau » : les fiches enregistrées avant 2019 peuvent ne pas avoir de "
                "niveau dans le cadre national à 8 niveaux.",
                'Registered "without level": fiches registered before 2019 may have no level on the '
                "8-level national framework.",
                value=None,
                certainty=BEL,
                cites=("educpros.2012",),
            )
        protected = status is RegStatus.RNCP_EXPIRED
        return Decision(
            INFO,
            f"Niveau {level} du cadre national des certifications professionnelles (8 niveaux)"
            f"{', pour les titulaires protégés par l’article L. 6113-9' if protected else ''}.",
            f"Level {level} of the national qualifications framework (8 levels)"
            f"{', for holders protected by article L. 6113-9' if protected else ''}.",
            value=level,
            cites=("L6113-9",) if protected else (),
        )
    if status in (RegStatus.RS_ACTIVE, RegStatus.RS_EXPIRED):
        return Decision(
            INFO,
            "Pas de niveau de qualification : les niveaux sont définis pour les certifications du RNCP.",
            "No qualification level: levels are defined for RNCP certifications.",
            value=None,
            certainty=BEL,
        )
    return Decision(
        INFO,
        "Pas de niveau de qualification sans enregistrement en vigueur au RNCP.",
        "No qualification level without a registration in force in the RNCP.",
        value=None,
        certainty=OFF,
        cites=("fc.cqp_page",),
    )


LEVEL_RULES = (
    Rule(
        finding="level",
        valid_from=BOOK_START,
        summary="Level on the 8-level national framework (§3.3, §9.2)",
        citations=("L6113-1", "D6113-18", "D6113-19", "D6113-20"),
        certainty=CODE,
        decide=_level,
        general=True,
    ),
)


def _assertion(ctx: Ctx, rule: Rule) -> Decision:
    status = ctx.status
    if status is RegStatus.RNCP_ACTIVE:
        return Decision(
            YES,
            "Enregistrement en vigueur : la certification obtenue aujourd'hui vaut enregistrement au RNCP.",
            "Registration in force: the certification obtained today carries the RNCP registration.",
            value=True,
        )
    if status is not RegStatus.RNCP_EXPIRED:
        return Decision(
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
        return Decision(
            COND,
            f"Peuvent se prévaloir de l'enregistrement échu le {ended_fr} : {who_fr}.",
            f"May assert the registration that ended on {ended_en}: {who_en}.",
            value=None,
        )
    if answer:
        return Decision(
            YES,
            f"Vous pouvez vous prévaloir de l'enregistrement échu le {ended_fr} : vous êtes parmi {who_fr}.",
            f"You may assert the registration that ended on {ended_en}: you are among {who_en}.",
            value=True,
        )
    return Decision(
        NO,
        f"Vous ne pouvez pas vous prévaloir de l'enregistrement échu le {ended_fr} : il est réservé à {who_fr}.",
        f"You may not assert the registration that ended on {ended_en}: it is reserved to {who_en}.",
        value=False,
    )


ASSERTION_RULES = (
    Rule(
        finding="registration.assertion",
        valid_from=BOOK_START,
        summary="Holders may assert a registration only if obtained while it was in force",
        citations=("L6113-1", "R6113-17-3"),
        certainty=SEC,
        decide=_assertion,
        params={"from_l6113_9": date(2022, 12, 23)},
    ),
    Rule(
        finding="registration.assertion",
        valid_from=date(2022, 12, 23),
        summary="L. 6113-9: cohorts, current cohort, VAE-admissible and trainees who entered while valid (§9.3)",
        citations=("L6113-9", "R6113-17-3", "loi.2022-1598"),
        certainty=CODE,
        decide=_assertion,
        params={"from_l6113_9": date(2022, 12, 23)},
    ),
)


RULES: tuple[Rule, ...] = (
    *KIND_RULES,
    *STATUS_RULES,
    *SUCCESSOR_RULES,
    *SCOPE_RULES,
    *LEVEL_RULES,
    *ASSERTION_RULES,
)
