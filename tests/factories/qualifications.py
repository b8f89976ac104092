"""Factories for qualifications (`cqphub.qualifications`): built through the services where an
invariant matters (first draft, "created" event), directly for plain rows."""

from __future__ import annotations

from datetime import date

import factory

from cqphub.qualifications import services
from cqphub.qualifications.enums import HabilitationScope, PassRule
from cqphub.qualifications.models import Qualification
from tests.factories.orgs import BranchFactory, CertifierEntityFactory, CommitteeFactory


def make_committee(branches: int = 1):
    return CommitteeFactory(branches=[BranchFactory() for _ in range(branches)])


def make_qualification(
    *, kind: str = "CQP", committee=None, title: str = "CQP Pâtissier confiseur", actor=None, **extra
):
    committee = committee or make_committee(2 if kind == "CQPI" else 1)
    return services.create_qualification(
        actor=actor,
        kind=kind,
        title=title,
        committee=committee,
        ip_holder=extra.pop("ip_holder", None) or CertifierEntityFactory(branch=committee.branches.first()),
        creation_decision_date=extra.pop("creation_decision_date", date(2024, 1, 15)),
        rome_codes=extra.pop("rome_codes", ["D1104"]),
        target_jobs=extra.pop("target_jobs", ["Pâtissier"]),
    )


def fill_version(version, *, actor=None, blocks=("BC01", "BC02"), shared=(), criteria_per_skill=1):
    """Complete frameworks: one activity per block with a situation, two skills with knowledge and
    `criteria_per_skill` criteria each, a method and a test per block. Returns {code: block}."""
    made = {}
    for index, code in enumerate(blocks, start=1):
        activity = services.add_activity(
            actor=actor, version=version, code=f"A{index}", title=f"Activité {index}"
        )
        services.add_work_situation(actor=actor, activity=activity, title=f"Situation de travail {index}")
        block = services.add_block(
            actor=actor,
            version=version,
            code=code,
            title=f"Bloc {code}",
            pass_rule=PassRule.ALL,
            activities=[activity],
        )
        for n in (1, 2):
            skill = services.add_skill(
                actor=actor,
                version=version,
                block=block,
                code=f"C{n}",
                statement=f"Réaliser la tâche {n} du bloc {code}",
                transversal=(n == 2),
            )
            services.add_knowledge_item(actor=actor, version=version, skill=skill, label=f"Savoir {n}")
            for m in range(1, criteria_per_skill + 1):
                services.add_criterion(
                    actor=actor, version=version, skill=skill, statement=f"Critère {n}.{m}"
                )
        services.add_assessment_method(
            actor=actor, version=version, block=block, kind="practical_work", description="En entreprise"
        )
        services.add_assessment_test(
            actor=actor,
            version=version,
            block=block,
            title=f"Épreuve {code}",
            method="simulation",
            duration_minutes=60,
        )
        made[code] = block
    offset = len(blocks)
    for index, block in enumerate(shared, start=offset + 1):
        activity = services.add_activity(
            actor=actor, version=version, code=f"A{index}", title=f"Activité {index}"
        )
        services.add_work_situation(actor=actor, activity=activity, title=f"Situation {index}")
        services.share_block(actor=actor, version=version, block=block, activities=[activity])
        made[block.code] = block
    return made


class QualificationFactory(factory.Factory):
    """A qualification made through the services (first draft, "created" event, audit).

    Traits: `cqpi` (an interbranch CQP, committee of two branches), `filled` (the draft's frameworks
    complete, blocks `blocks`, then the other qualifications' blocks `shared`), `published` (filled,
    then version 1 published), `revising` (published, then version 2 in draft as in the demo: its last
    block revised by a new skill C3, the others version 1's, frozen), `registered` (published,
    transmitted, then registered in the RNCP from `registration`, default 2024-07-01 to 2029-07-01).
    Other keywords go to `make_qualification` (`committee`, `title`, `actor`, `ip_holder`, …).
    """

    class Meta:
        model = Qualification

    kind = "CQP"
    title = "CQP Pâtissier confiseur"
    stage = "draft"
    blocks = ("BC01", "BC02")
    registration = (date(2024, 7, 1), date(2029, 7, 1))  # the RNCP registration's start and end
    criteria_per_skill = 1
    shared = ()  # other qualifications' blocks the draft shares (as the demo's CQPI shares BC03)

    class Params:
        cqpi = factory.Trait(kind="CQPI", title="CQPI Vendeur conseil")
        filled = factory.Trait(stage="filled")
        published = factory.Trait(stage="published")
        revising = factory.Trait(stage="revising")
        registered = factory.Trait(stage="registered")

    @classmethod
    def _create(cls, model_class, *, stage, blocks, registration, criteria_per_skill, shared, **kwargs):
        qualification = make_qualification(**kwargs)
        if stage in ("filled", "published", "revising", "registered"):
            fill_version(
                qualification.draft(),
                actor=kwargs.get("actor"),
                blocks=blocks,
                shared=shared,
                criteria_per_skill=criteria_per_skill,
            )
        if stage in ("published", "revising", "registered"):
            services.publish_version(actor=kwargs.get("actor"), version=qualification.draft())
        if stage == "revising":
            revise_last_block(qualification, actor=kwargs.get("actor"))
        if stage == "registered":
            start, end = registration
            register_in_rncp(qualification, actor=kwargs.get("actor"), start=start, end=end)
        return qualification


def revise_last_block(qualification, *, actor=None):
    """Start version 2 and add a skill (with a knowledge item and a criterion) to its last block, which
    makes that block the draft's own revision; the other blocks stay version 1's, frozen."""
    draft = services.start_new_version(actor=actor, qualification=qualification)
    block = draft.ordered_blocks()[-1]
    skill = services.add_skill(
        actor=actor, version=draft, block=block, code="C3", statement="Adapter la production aux ventes"
    )
    services.add_knowledge_item(actor=actor, version=draft, skill=skill, label="Lutte contre le gaspillage")
    services.add_criterion(
        actor=actor, version=draft, skill=skill, statement="Les quantités suivent les ventes"
    )
    return draft


def register_in_rncp(
    qualification, *, actor=None, code="RNCP99123", start=date(2024, 7, 1), end=date(2029, 7, 1)
):
    """Its legal life through the services: transmitted to France compétences and the Caisse des dépôts,
    registration requested, then registered in the RNCP under `code` from `start` to `end`."""
    registered = {"register": "RNCP", "fiche_code": code, "level": 3, "start": start, "end": end}
    for kind, on, extra in (
        ("transmitted_fc", date(2024, 2, 1), {}),
        ("transmitted_cdc", date(2024, 2, 5), {}),
        ("registration_requested", date(2024, 3, 1), {"register": "RNCP"}),
        ("registered", date(2024, 6, 1), registered),
    ):
        services.record_lifecycle_event(actor=actor, qualification=qualification, kind=kind, on=on, **extra)
    qualification.refresh_from_db()
    return qualification


def blocks_by_code(qualification) -> dict:
    version = qualification.latest_published() or qualification.draft()
    return {block.code: block for block in version.ordered_blocks()}


def published_qualification(**kwargs):
    """(qualification, {code: block}) for a qualification whose version 1 is published."""
    qualification = QualificationFactory(published=True, **kwargs)
    return qualification, blocks_by_code(qualification)


def make_habilitation(
    *,
    centre,
    qualification,
    scope=HabilitationScope.TRAIN,
    valid_from=date(2024, 9, 1),
    valid_until=date(2029, 8, 31),
    blocks=(),
    suspended=False,
    actor=None,
):
    """A habilitation of `centre` for `qualification` through the services, dated; `suspended` suspends
    it with a reason (as the branch does after a control)."""
    habilitation = services.create_habilitation(
        actor=actor,
        centre=centre,
        qualification=qualification,
        scope=scope,
        valid_from=valid_from,
        valid_until=valid_until,
        blocks=blocks,
    )
    if suspended:
        services.suspend_habilitation(
            actor=actor, habilitation=habilitation, reason="Évaluations non conformes au référentiel."
        )
    return habilitation


def publish_fiche(qualification, **fields):
    """The registry fiche France compétences publishes for a registered `qualification` (its code,
    dates, level, blocks and IDCC), open to VAE and by blocks unless `fields` say otherwise. The rules
    engine reads a CQP's facts from its fiche when there is one (cqphub/journeys/legal.py)."""
    from tests.factories.registry import make_certification

    version = qualification.latest_published()
    fields = {
        "abbreviation_code": "CQP",
        "level": qualification.level,
        "decision_date": date(2023, 3, 15),
        "effect_date": qualification.registered_from,
        "end_date": qualification.registered_until,
        "registration_type": "Enregistrement sur demande",
        "route_continuing": True,
        "route_professionalisation": True,
        "route_individual": True,
        "route_vae": True,
        "partial_validation": True,
    } | fields
    return make_certification(
        qualification.fiche_code,
        qualification.title,
        blocks=[(f"{qualification.fiche_code}{b.code}", b.title) for b in version.ordered_blocks()],
        idcc=[(code, "Convention collective de la branche") for code in qualification.idcc_codes],
        **fields,
    )
