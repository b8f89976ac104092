"""Models and write services: CQPI rule, frozen versions, shared blocks, lifecycle, habilitations."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cqphub.orgs.models import AuditEntry
from cqphub.qualifications import selectors, services
from cqphub.qualifications.models import (
    Criterion,
    FrozenError,
    Habilitation,
    QualificationVersion,
    Skill,
    SkillBlock,
)
from tests.factories.orgs import CentreFactory, CertifierEntityFactory, MembershipFactory, UserFactory
from tests.factories.qualifications import (
    QualificationFactory,
    fill_version,
    make_committee,
    make_qualification,
    published_qualification,
)

pytestmark = pytest.mark.django_db


# -- CQP / CQPI rule ------------------------------------------------------------------------


def test_cqpi_needs_two_branches_with_a_clear_message():
    committee = make_committee(1)
    with pytest.raises(ValidationError) as error:
        make_qualification(kind="CQPI", committee=committee)
    message = " ".join(error.value.message_dict["committee"])
    assert "au moins deux branches" in message and committee.branches.get().name in message
    assert QualificationFactory(cqpi=True).committee.branches.count() == 2


def test_cqp_belongs_to_one_branch_committee():
    with pytest.raises(ValidationError) as error:
        make_qualification(kind="CQP", committee=make_committee(2))
    assert "créez plutôt un CQPI" in " ".join(error.value.message_dict["committee"])


def test_creation_makes_a_draft_an_event_and_an_audit_entry():
    actor = UserFactory()
    qualification = make_qualification(actor=actor)
    assert qualification.versions.get().state == "draft"
    assert list(qualification.events.values_list("kind", "on")) == [("created", date(2024, 1, 15))]
    entry = AuditEntry.objects.get(object_type="qualifications.qualification", action="create")
    assert entry.actor == actor and entry.branch == qualification.owning_branches().get()
    assert qualification.owning_branches().count() == 1


def test_rome_codes_are_validated():
    with pytest.raises(ValidationError):
        make_qualification(rome_codes=["D11"])


# -- versions -------------------------------------------------------------------------------


def test_publish_refuses_incomplete_frameworks():
    qualification = make_qualification()
    with pytest.raises(ValidationError) as error:
        services.publish_version(actor=None, version=qualification.draft())
    assert any("aucune activité" in m for m in error.value.messages)
    version = qualification.draft()
    block = services.add_block(
        actor=None, version=version, code="BC01", title="Bloc", pass_rule="threshold", pass_threshold=3
    )
    problems = services.completeness_problems(version)
    assert any("BC01" in p and "aucune compétence" in p for p in problems)
    assert any("seuil du bloc BC01" in p for p in problems)
    assert block.pk


def test_published_version_is_frozen():
    qualification, blocks = published_qualification()
    version = qualification.latest_published()
    assert version.published_at is not None and all(b.frozen for b in SkillBlock.objects.all())
    with pytest.raises(FrozenError):
        services.add_activity(actor=None, version=version, code="A9", title="Nouvelle")
    with pytest.raises(FrozenError):
        version.activities.first().save()
    with pytest.raises(FrozenError):
        Criterion.objects.first().delete()
    with pytest.raises(FrozenError):
        Skill.objects.create(block=blocks["BC01"], code="C9", statement="Interdit")
    version.title = "Autre"
    with pytest.raises(FrozenError):
        version.save()
    with pytest.raises(FrozenError):
        QualificationVersion.objects.get(pk=version.pk).delete()


def test_one_draft_at_a_time():
    qualification = QualificationFactory(published=True)
    services.start_new_version(actor=None, qualification=qualification)
    with pytest.raises(ValidationError):
        services.start_new_version(actor=None, qualification=qualification)
    with pytest.raises(IntegrityError), transaction.atomic():
        QualificationVersion.objects.create(qualification=qualification, number=9, title="x")


def test_new_version_copies_rows_and_shares_blocks_until_edited():
    qualification, blocks = published_qualification()
    v1 = qualification.latest_published()
    v2 = services.start_new_version(actor=None, qualification=qualification)
    assert v2.number == 2 and v2.based_on == v1
    assert list(v2.activities.values_list("code", flat=True)) == list(
        v1.activities.values_list("code", flat=True)
    )
    assert set(v2.blocks.all()) == set(v1.blocks.all())  # same objects, by reference
    assert v2.version_blocks.get(block=blocks["BC01"]).activities.get().version == v2
    # editing a frozen block creates a new revision used by the draft only
    skill = blocks["BC01"].skills.get(code="C1")
    services.add_criterion(actor=None, version=v2, skill=skill, statement="Nouveau critère")
    revised = v2.version_blocks.get(block__code="BC01").block
    assert revised.pk != blocks["BC01"].pk and revised.origin == blocks["BC01"] and revised.revision == 2
    assert not revised.frozen
    assert revised.skills.get(code="C1").criteria.count() == 2
    assert blocks["BC01"].skills.get(code="C1").criteria.count() == 1  # v1 unchanged
    assert v1.version_blocks.get(block__code="BC01").block == blocks["BC01"]
    assert v2.version_blocks.get(block__code="BC02").block == blocks["BC02"]  # untouched: still shared
    services.publish_version(actor=None, version=v2)
    assert SkillBlock.objects.get(pk=revised.pk).frozen


def test_delete_row_in_a_frozen_block_revises_it():
    qualification, blocks = published_qualification()
    v2 = services.start_new_version(actor=None, qualification=qualification)
    criterion = Criterion.objects.filter(skill__block=blocks["BC02"]).first()
    services.delete_row(actor=None, version=v2, row=criterion)
    revised = v2.version_blocks.get(block__code="BC02").block
    assert revised.origin == blocks["BC02"]
    assert Criterion.objects.filter(skill__block=revised).count() == 1
    assert Criterion.objects.filter(skill__block=blocks["BC02"]).count() == 2


# -- shared blocks --------------------------------------------------------------------------


def test_shared_block_is_one_object_counted_for_both():
    cqp, blocks = published_qualification(title="CQP Boulanger")
    common = blocks["BC01"]
    cqpi = QualificationFactory(cqpi=True)
    fill_version(cqpi.draft(), blocks=("BC10",), shared=[common])
    services.publish_version(actor=None, version=cqpi.draft())
    assert SkillBlock.objects.filter(code="BC01").count() == 1
    assert set(selectors.qualifications_counting_block(common)) == {cqp, cqpi}
    # a candidate who validated BC01 through the CQP has it for the CQPI as well
    assert selectors.blocks_covered(cqpi, [common]) == [common]
    assert selectors.blocks_covered(cqp, [common]) == [common]


def test_block_pass_rule():
    _, blocks = published_qualification()
    block = blocks["BC01"]  # 2 criteria, rule "all"
    assert block.is_passed(2) and not block.is_passed(1)
    with pytest.raises(IntegrityError), transaction.atomic():
        SkillBlock.objects.create(
            code="X", title="X", pass_rule="threshold", pass_threshold=None, committee=block.committee
        )


# -- legal life -----------------------------------------------------------------------------


def record(q, kind, on, **extra):
    return services.record_lifecycle_event(actor=None, qualification=q, kind=kind, on=on, **extra)


def test_lifecycle_transitions_and_their_dates():
    q = make_qualification(creation_decision_date=date(2022, 6, 15))
    record(q, "transmitted_fc", date(2022, 7, 1))
    q.refresh_from_db()
    assert q.state == "created" and q.transmitted_fc_on == date(2022, 7, 1)
    record(q, "transmitted_cdc", date(2022, 7, 5))
    record(q, "registration_requested", date(2022, 9, 12), register="RNCP")
    record(
        q,
        "registered",
        date(2023, 3, 15),
        register="RNCP",
        fiche_code="rncp99001",
        level=3,
        start=date(2023, 4, 1),
        end=date(2028, 4, 1),
    )
    q.refresh_from_db()
    assert (q.state, q.register, q.fiche_code, q.level) == ("registered", "RNCP", "RNCP99001", 3)
    assert (q.transmitted_cdc_on, q.registered_from, q.registered_until) == (
        date(2022, 7, 5),
        date(2023, 4, 1),
        date(2028, 4, 1),
    )
    due = {d.key: d.due_on for d in selectors.due_for(q, today=date(2026, 11, 27))}
    assert due["renewal_request"] == date(2027, 9, 1)
    assert q.events.count() == 5
    assert AuditEntry.objects.filter(action="lifecycle:registered").exists()


def test_lifecycle_refusals_name_the_field_and_save_nothing():
    q = make_qualification(creation_decision_date=date(2022, 6, 15))
    with pytest.raises(ValidationError) as error:
        record(q, "registered", date(2023, 3, 15), register="RNCP", fiche_code="RNCP1", level=3)
    assert "transition" == error.value.code or error.value.messages
    with pytest.raises(ValidationError) as error:
        record(q, "transmitted_fc", date(2022, 1, 1))  # before the creation
    assert "on" in error.value.message_dict
    q.refresh_from_db()
    assert q.events.count() == 1 and q.state == "created"


def test_due_within_lists_renewals_and_habilitations():
    qualification, blocks = published_qualification(creation_decision_date=date(2022, 6, 15))
    record(qualification, "transmitted_fc", date(2022, 7, 1))
    record(qualification, "transmitted_cdc", date(2022, 7, 5))
    record(qualification, "registration_requested", date(2022, 9, 12), register="RNCP")
    record(
        qualification,
        "registered",
        date(2023, 3, 15),
        register="RNCP",
        fiche_code="RNCP99001",
        level=3,
        start=date(2023, 4, 1),
        end=date(2028, 4, 1),
    )
    centre = CentreFactory()
    for valid_until in (date(2027, 6, 30), date(2028, 6, 30)):  # within the year, then beyond it
        services.create_habilitation(
            actor=None,
            centre=centre,
            qualification=qualification,
            scope="assess",
            valid_from=date(2025, 1, 1),
            valid_until=valid_until,
            blocks=[blocks["BC01"]],
        )
    admin = MembershipFactory(branch=qualification.committee.branches.first()).user

    items = selectors.due_within(admin, days=365, today=date(2026, 11, 27))
    labels = [(i.qualification.title, i.label, i.due_on) for i in items]
    title = qualification.title
    assert (title, "Déposer la demande de renouvellement de l'enregistrement", date(2027, 9, 1)) in labels
    assert (title, f"Fin de l'habilitation de {centre}", date(2027, 6, 30)) in labels
    assert all(i.due_on <= date(2027, 11, 27) for i in items)
    assert selectors.due_within(UserFactory()) == []


# -- habilitations --------------------------------------------------------------------------


def test_habilitation_validity_and_allows():
    qualification, blocks = published_qualification()
    centre = CentreFactory()
    today = timezone.localdate()
    hab = services.create_habilitation(
        actor=None,
        centre=centre,
        qualification=qualification,
        scope="assess",
        valid_from=today - timedelta(days=10),
        valid_until=today + timedelta(days=10),
        blocks=[blocks["BC01"]],
    )
    assert hab.current_state == "active"
    assert hab.allows("assess", today) and hab.allows("assess", today, blocks["BC01"])
    assert not hab.allows("train", today)
    assert not hab.allows("assess", today, blocks["BC02"])
    assert not hab.allows("assess", today + timedelta(days=11))  # expired
    assert hab.state_on(today + timedelta(days=11)) == "expired"
    assert not hab.allows("assess", today - timedelta(days=11))  # not yet
    # a later revision of a habilitated block is still covered
    v2 = services.start_new_version(actor=None, qualification=qualification)
    services.add_criterion(actor=None, version=v2, skill=blocks["BC01"].skills.first(), statement="Nouveau")
    revised = v2.version_blocks.get(block__code="BC01").block
    assert hab.allows("assess", today, revised)
    with pytest.raises(ValueError):
        hab.allows("teach", today)


def test_suspended_habilitation_blocks_what_it_allowed():
    qualification, _ = published_qualification()
    centre = CentreFactory()
    today = timezone.localdate()
    hab = services.create_habilitation(
        actor=None,
        centre=centre,
        qualification=qualification,
        scope="both",
        valid_from=today - timedelta(days=30),
        valid_until=today + timedelta(days=300),
    )
    assert (
        services.require_habilitation(centre=centre, qualification=qualification, action="assess", on=today)
        == hab
    )
    with pytest.raises(ValidationError):
        services.suspend_habilitation(actor=None, habilitation=hab, reason="  ")
    services.suspend_habilitation(actor=None, habilitation=hab, reason="Contrôle défavorable")
    hab.refresh_from_db()
    assert hab.current_state == "suspended" and not hab.allows("train", today)
    assert hab.allows("train", today - timedelta(days=5))  # before the suspension it was allowed
    with pytest.raises(ValidationError) as error:
        services.require_habilitation(centre=centre, qualification=qualification, action="assess", on=today)
    assert "n'est pas habilité à évaluer" in error.value.messages[0]
    assert AuditEntry.objects.filter(action="suspend", centre=centre).exists()
    services.lift_suspension(actor=None, habilitation=hab)
    assert Habilitation.objects.get(pk=hab.pk).allows("assess", today)


def test_habilitation_refuses_foreign_blocks_and_bad_dates():
    qualification, _ = published_qualification()
    other, other_blocks = published_qualification(title="Autre CQP")
    centre = CentreFactory()
    with pytest.raises(ValidationError):
        services.create_habilitation(
            actor=None,
            centre=centre,
            qualification=qualification,
            scope="train",
            valid_from=date(2025, 1, 1),
            valid_until=date(2026, 1, 1),
            blocks=[other_blocks["BC01"]],
        )
    with pytest.raises(ValidationError):
        services.create_habilitation(
            actor=None,
            centre=centre,
            qualification=qualification,
            scope="train",
            valid_from=date(2025, 1, 1),
            valid_until=date(2024, 1, 1),
        )
    assert other.pk and not Habilitation.objects.exists()


def test_ip_holder_change_is_recorded():
    q = make_qualification()
    new_holder = CertifierEntityFactory(branch=q.committee.branches.first())
    services.update_qualification(actor=None, qualification=q, ip_holder=new_holder)
    assert q.ip_holder_changes.get().holder == new_holder
