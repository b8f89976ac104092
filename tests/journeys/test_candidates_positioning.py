"""Duplicate detection, the audited merge, positioning per block and the blocks already held."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from cqphub.journeys import selectors, services
from cqphub.journeys.models import Candidate
from cqphub.journeys.selectors import HeldBlock, blocks_already_held, blocks_to_assess
from cqphub.orgs.models import AuditEntry
from cqphub.qualifications.models import SkillBlock
from tests.journeys.helpers import enrol, make_candidate, person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "variant,duplicate",
    [
        ({"birth_name": "DURAND1", "first_names": "lea"}, True),
        ({"birth_name": "durand1", "first_names": "Léa"}, True),
        ({"birth_name": "Durand1", "first_names": "LÉA Sophie"}, True),  # first first-name counts
        ({"birth_name": "Durand1", "first_names": "Léa", "birth_day": None}, True),  # day unknown: may be her
        ({"birth_name": "Durand1", "first_names": "Léa", "birth_month": None, "birth_day": None}, True),
        ({"birth_name": "Durand1", "first_names": "Léa", "birth_day": 18}, False),
        ({"birth_name": "Durand1", "first_names": "Léa", "birth_year": 1999}, False),
        ({"birth_name": "Durant1", "first_names": "Léa"}, False),
        ({"birth_name": "Durand1", "first_names": "Marie Léa"}, False),
    ],
)
def test_duplicates_are_flagged_before_creation(scene, variant, duplicate):
    first = make_candidate(scene, 1)
    data = person(1, **variant)
    data = {k: v for k, v in data.items() if v is not None}
    if duplicate:
        with pytest.raises(services.DuplicateCandidate) as exc:
            services.create_candidate(actor=scene.users["trainer"], **data)
        assert exc.value.duplicates == [first]
        assert Candidate.objects.count() == 1
        # a person may confirm it is someone else: created, and the confirmation is audited
        other = services.create_candidate(actor=scene.users["trainer"], confirm_not_duplicate=True, **data)
        entry = AuditEntry.objects.get(object_type="journeys.candidate", object_id=str(other.pk))
        assert entry.changes["confirmed_not_duplicate_of"] == [None, [first.pk]]
    else:
        assert services.create_candidate(actor=scene.users["trainer"], **data).pk


def test_identity_is_validated(scene):
    with pytest.raises(ValidationError):
        make_candidate(scene, 2, birth_commune="", birth_country="")  # neither
    with pytest.raises(ValidationError):
        make_candidate(scene, 3, birth_country="99350")  # both
    with pytest.raises(ValidationError):
        make_candidate(scene, 4, birth_day=31, birth_month=2)
    with pytest.raises(ValidationError):
        make_candidate(scene, 5, birth_commune="6912")
    abroad = make_candidate(
        scene, 6, birth_commune="", birth_country="99350", birth_month=None, birth_day=None
    )
    assert abroad.birth_date_display == "1998"


def test_merge_moves_candidacies_and_is_audited(scene):
    keep = make_candidate(scene, 1)
    twin = services.create_candidate(
        actor=scene.users["trainer"],
        confirm_not_duplicate=True,
        **person(1, first_names="LEA", phone="0600000000"),
    )
    candidacy = enrol(scene, twin)
    with pytest.raises(ValidationError):
        services.merge_candidates(actor=scene.users["branch_admin"], keep=keep, duplicate=twin, reason="")
    services.merge_candidates(
        actor=scene.users["branch_admin"], keep=keep, duplicate=twin, reason="Même personne (CNI)"
    )
    candidacy.refresh_from_db()
    twin.refresh_from_db()
    keep.refresh_from_db()
    assert candidacy.candidate == keep
    assert twin.merged_into == keep
    assert keep.phone == "0600000000"
    entry = AuditEntry.objects.get(action="merge")
    assert entry.changes["merged"] == [None, twin.pk] and entry.changes["candidacies_moved"] == [
        None,
        [candidacy.pk],
    ]
    assert list(Candidate.objects.active()) == [keep]
    # a merged record is not found as a duplicate any more, and cannot be enrolled
    assert list(selectors.possible_duplicates(birth_name="Durand1", first_names="Léa", birth_year=1998)) == [
        keep
    ]
    with pytest.raises(ValidationError):
        enrol(scene, twin)


def _block(scene, code, qualification="cqp"):
    return next(
        b for b in getattr(scene, qualification).latest_published().ordered_blocks() if b.code == code
    )


def test_positioning_per_block(scene):
    candidacy = enrol(scene)
    trainer = scene.users["trainer"]
    bc01, bc02, bc03 = (_block(scene, c) for c in ("BC01", "BC02", "BC03"))
    services.record_positioning(actor=trainer, candidacy=candidacy, block=bc01, outcome="to_train")
    services.record_positioning(
        actor=trainer, candidacy=candidacy, block=bc02, outcome="acquired", evidence="3 ans de tourage"
    )
    with pytest.raises(ValidationError):  # an exemption names its rule
        services.record_positioning(actor=trainer, candidacy=candidacy, block=bc03, outcome="exempt")
    with pytest.raises(ValidationError):  # validated earlier: held, or an attestation described
        services.record_positioning(
            actor=trainer,
            candidacy=candidacy,
            block=bc03,
            outcome="exempt",
            exemption_rule="earlier_validation",
        )
    with pytest.raises(ValidationError) as exc:  # no published correspondence
        services.record_positioning(
            actor=trainer,
            candidacy=candidacy,
            block=bc03,
            outcome="exempt",
            exemption_rule="correspondence",
            corresponding_certification="RNCP12345",
        )
    assert "corresponding_certification" in exc.value.message_dict
    services.record_positioning(
        actor=trainer,
        candidacy=candidacy,
        block=bc03,
        outcome="exempt",
        exemption_rule="earlier_validation",
        evidence="Attestation du bloc BC03 délivrée par le jury du 12/06/2024",
    )
    plan = {p.block.code: (p.to_train, p.to_assess) for p in selectors.block_plan(candidacy)}
    assert plan == {"BC01": (True, True), "BC02": (False, True), "BC03": (False, False)}
    assert [b.code for b in blocks_to_assess(candidacy)] == ["BC01", "BC02"]
    # re-positioning replaces, and is audited as an update
    services.record_positioning(actor=trainer, candidacy=candidacy, block=bc01, outcome="acquired")
    assert candidacy.positionings.count() == 3
    assert AuditEntry.objects.filter(object_type="journeys.positioning", action="update").count() == 1


def test_a_block_held_counts_for_the_cqpi_that_shares_it(scene):
    """BC03 is one block shared by the CQP and the CQPI (hygiene, in the demo): validated once, never
    re-assessed."""
    candidate = make_candidate(scene)
    cqp_candidacy = enrol(scene, candidate)
    bc03 = _block(scene, "BC03")
    services.record_positioning(
        actor=scene.users["trainer"],
        candidacy=cqp_candidacy,
        block=bc03,
        outcome="exempt",
        exemption_rule="earlier_validation",
        evidence="Attestation BC03 (2024)",
    )
    held = blocks_already_held(candidate)
    assert [h.block.pk for h in held] == [bc03.pk] and held[0].source == "positioning"
    cqpi_candidacy = enrol(scene, candidate, qualification=scene.cqpi, centre=scene.north, funding="personal")
    cqpi_blocks = [b.code for b in scene.cqpi.latest_published().ordered_blocks()]
    assert "BC03" in cqpi_blocks
    remaining = [b.code for b in blocks_to_assess(cqpi_candidacy)]
    assert "BC03" not in remaining and remaining
    # exempting it on the CQPI needs no new evidence: the block is held
    services.record_positioning(
        actor=scene.users["centre_manager"],
        candidacy=cqpi_candidacy,
        block=bc03,
        outcome="exempt",
        exemption_rule="earlier_validation",
    )


def test_other_apps_plug_in_their_validated_blocks(scene):
    """The juries app registers a provider (juries → journeys), journeys never imports it."""
    candidate = make_candidate(scene)
    candidacy = enrol(scene, candidate)
    bc01 = _block(scene, "BC01")

    def awards(person):
        if person.pk == candidate.pk:
            yield HeldBlock(bc01, date(2025, 6, 30), "jury", None, "Jury du 30/06/2025")

    selectors.register_held_blocks_provider(awards)
    selectors.register_held_blocks_provider(awards)  # idempotent
    try:
        assert [(h.block.code, h.source) for h in blocks_already_held(candidate)] == [("BC01", "jury")]
        assert "BC01" not in [b.code for b in blocks_to_assess(candidacy)]
    finally:
        selectors.unregister_held_blocks_provider(awards)
    assert blocks_already_held(candidate) == []


def test_target_blocks_must_belong_to_the_version(scene):
    stray = SkillBlock.objects.exclude(pk__in=[b.pk for b in scene.cqp.latest_published().ordered_blocks()])
    candidate = make_candidate(scene)
    with pytest.raises(ValidationError):
        enrol(scene, candidate, target_blocks=[stray.first()])
    candidacy = enrol(scene, candidate, target_blocks=[_block(scene, "BC02")])
    assert candidacy.target == "blocks"
    assert [b.code for b in selectors.target_blocks(candidacy)] == ["BC02"]
    with pytest.raises(ValidationError):
        services.record_positioning(
            actor=scene.users["trainer"], candidacy=candidacy, block=_block(scene, "BC01"), outcome="to_train"
        )
