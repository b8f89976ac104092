"""Assessment sessions, grids, independence, results and sign-off, through the services, on the
factories' scene (tests/factories/journeys.py), not the demo world."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from cqphub.assessment import services
from cqphub.assessment.models import (
    AssessmentPolicy,
    BlockResult,
    CriterionResult,
    Grid,
    GridEntry,
    ReadOnlyError,
)
from cqphub.journeys.enums import Status
from cqphub.orgs.models import Membership, Role
from tests.factories.orgs import UserFactory
from tests.juries.chain import SESSION_DAY, assessment_session, assign_everywhere, ready_candidacy, score, sud

pytestmark = pytest.mark.django_db


def test_a_centre_without_an_active_assess_habilitation_is_refused_with_the_reason(scene):
    # Atelier Sud's only habilitation on the CQP (BC02, assess) is suspended.
    with pytest.raises(ValidationError, match="suspended|suspendue"):
        services.schedule_session(
            actor=None,
            centre=scene.south,
            qualification=scene.cqp,
            on=SESSION_DAY,
            place="Marseille",
        )
    # Le Fournil du Nord's habilitation expired on 2025-08-31.
    with pytest.raises(ValidationError, match="expired|échue"):
        services.schedule_session(
            actor=None,
            centre=scene.north,
            qualification=scene.cqp,
            on=SESSION_DAY,
            place="Lille",
        )


def test_grids_are_copied_from_the_candidacys_frozen_version(scene):
    session = assessment_session(scene)
    candidacy = ready_candidacy(scene)
    services.add_candidate(actor=None, session=session, candidacy=candidacy)
    grids = list(Grid.objects.filter(candidacy=candidacy).select_related("block"))
    version_blocks = [b.code for b in candidacy.version.ordered_blocks()]
    assert sorted(g.block.code for g in grids) == sorted(version_blocks)
    grid = grids[0]
    assert grid.version_id == candidacy.version_id
    criteria = [c.pk for s in grid.block.skills.all() for c in s.criteria.all()]
    assert grid.criterion_ids() == criteria and grid.content["tests"]
    grid.content = {}
    with pytest.raises(ReadOnlyError):
        grid.save()


def test_an_assessor_may_not_assess_a_candidate_employed_by_their_company(scene):
    session = assessment_session(scene)
    candidacy = ready_candidacy(scene, employer_name="Boulangerie X", employer_siret="44306184100047")
    services.add_candidate(actor=None, session=session, candidacy=candidacy)
    block = session.blocks.first()
    with pytest.raises(ValidationError, match="entreprise"):
        services.assign_assessor(
            actor=None,
            session=session,
            block=block,
            assessor=scene.users["assessor"],
            employer_siret="44306184100013",
        )
    assert not session.assignments.exists()  # refused, not half-written


def test_an_assessor_who_trained_the_candidate_is_refused(scene):
    session = assessment_session(scene)
    trainer = scene.users["trainer"]
    Membership.objects.create(user=trainer, role=Role.ASSESSOR, centre=session.centre)
    services.add_candidate(actor=None, session=session, candidacy=ready_candidacy(scene))
    with pytest.raises(ValidationError, match="a formé"):
        services.assign_assessor(actor=None, session=session, block=session.blocks.first(), assessor=trainer)
    # Switched off by the branch for this CQP: allowed.
    AssessmentPolicy.objects.create(qualification=scene.cqp, no_own_trainees=False)
    services.assign_assessor(actor=None, session=session, block=session.blocks.first(), assessor=trainer)


def test_two_assessors_one_from_the_profession_when_the_branch_asks(scene):
    AssessmentPolicy.objects.create(qualification=scene.cqp, two_assessors=True, one_from_profession=True)
    session = assessment_session(scene)
    assign_everywhere(scene, session)
    problems = services.panel_problems(session)
    assert {p.code for p in problems} == {"too_few_assessors", "no_professional"}


def test_only_assessors_of_the_centre_are_assigned(scene):
    session = assessment_session(scene)
    with pytest.raises(ValidationError, match="n'est pas évaluateur"):
        services.assign_assessor(
            actor=None, session=session, block=session.blocks.first(), assessor=UserFactory()
        )


def test_sign_off_is_refused_with_missing_criteria_then_signed_and_read_only(scene):
    session = assessment_session(scene)
    assign_everywhere(scene, session)
    candidacy = ready_candidacy(scene)
    services.add_candidate(actor=None, session=session, candidacy=candidacy)
    grid = Grid.objects.filter(candidacy=candidacy).first()
    assessor = scene.users["assessor"]
    first = grid.criterion_ids()[0]
    services.record_results(actor=assessor, grid=grid, values={first: "met"}, comments={first: "Soigné"})
    with pytest.raises(ValidationError, match="non évalué"):
        services.sign_off(actor=assessor, grid=grid)
    result = score(scene, grid)
    assert result.outcome == "passed" and result.signed_by == assessor and result.met == result.total
    entry = grid.entries.get()
    assert entry.signed_at and entry.signed_by_repr == assessor.email
    with pytest.raises(ValidationError, match="signée"):
        services.record_results(actor=assessor, grid=grid, values={first: "not_met"})
    row = CriterionResult.objects.get(entry=entry, criterion_id=first)
    row.met = False
    with pytest.raises(ReadOnlyError):
        row.save()
    with pytest.raises(ReadOnlyError):
        entry.delete()


def test_someone_not_assigned_cannot_score(scene):
    session = assessment_session(scene)
    candidacy = ready_candidacy(scene)
    services.add_candidate(actor=None, session=session, candidacy=candidacy)
    grid = Grid.objects.filter(candidacy=candidacy).first()
    with pytest.raises(ValidationError, match="pas évaluateur"):
        services.record_results(actor=scene.users["assessor"], grid=grid, values={})


def test_when_every_grid_is_signed_the_candidacy_is_assessed(scene):
    session = assessment_session(scene)
    assign_everywhere(scene, session)
    candidacy = ready_candidacy(scene)
    services.add_candidate(actor=None, session=session, candidacy=candidacy)
    grids = list(Grid.objects.filter(candidacy=candidacy))
    for grid in grids[:-1]:
        score(scene, grid)
    candidacy.refresh_from_db()
    assert candidacy.status == Status.READY_FOR_ASSESSMENT
    score(scene, grids[-1], met=False)
    candidacy.refresh_from_db()
    assert candidacy.status == Status.ASSESSED
    session.refresh_from_db()
    assert session.status == "completed"


def test_a_correction_is_a_new_signed_record_that_keeps_the_old_one(scene):
    session = assessment_session(scene)
    assign_everywhere(scene, session)
    candidacy = ready_candidacy(scene)
    services.add_candidate(actor=None, session=session, candidacy=candidacy)
    grid = Grid.objects.filter(candidacy=candidacy).first()
    first = score(scene, grid, met=False)
    assessor = scene.users["assessor"]
    with pytest.raises(ValidationError, match="motif"):
        services.open_correction(actor=assessor, grid=grid, reason=" ")
    draft = services.open_correction(actor=assessor, grid=grid, reason="Critère 1 mal reporté")
    assert draft.corrects.result == first and draft.number == 2
    services.record_results(actor=assessor, grid=grid, values={cid: "met" for cid in grid.criterion_ids()})
    second = services.sign_off(actor=assessor, grid=grid)
    assert second.supersedes == first and second.outcome == "passed"
    assert list(BlockResult.objects.current().filter(grid=grid)) == [second]
    assert GridEntry.objects.filter(grid=grid).count() == 2  # the first stays
    assert grid.signed_result() == second


def test_levels_on_the_qualifications_scale(scene):
    AssessmentPolicy.objects.create(
        qualification=scene.cqp,
        scale=["non acquis", "en cours", "acquis", "maîtrisé"],
        met_from="acquis",
        required_level="acquis",
    )
    session = assessment_session(scene)
    assign_everywhere(scene, session)
    candidacy = ready_candidacy(scene)
    services.add_candidate(actor=None, session=session, candidacy=candidacy)
    grid = Grid.objects.filter(candidacy=candidacy).first()
    assessor = scene.users["assessor"]
    with pytest.raises(ValidationError, match="niveau"):
        services.record_results(actor=assessor, grid=grid, values={grid.criterion_ids()[0]: "met"})
    ids = grid.criterion_ids()
    values = {cid: "maîtrisé" for cid in ids}
    values[ids[0]] = "en cours"
    services.record_results(actor=assessor, grid=grid, values=values)
    result = services.sign_off(actor=assessor, grid=grid)
    assert result.level in ("acquis", "maîtrisé") and result.outcome == "passed"


def test_a_candidacy_not_ready_is_refused(scene):
    from tests.journeys.helpers import enrol, make_candidate

    session = assessment_session(scene)
    with pytest.raises(ValidationError, match="pas prête"):
        services.add_candidate(actor=None, session=session, candidacy=enrol(scene, make_candidate(scene, 9)))


def test_a_session_on_another_date_checks_the_habilitation_on_that_date(scene):
    sud(scene)
    with pytest.raises(ValidationError):
        assessment_session(scene, on=date(2030, 6, 1))  # after the habilitation ends


def test_convocations_are_a_pdf_and_an_email_sent_once(scene, django_capture_on_commit_callbacks):
    from django.core import mail
    from pypdf import PdfReader

    session = assessment_session(scene)
    candidacy = ready_candidacy(scene)
    entry = services.add_candidate(actor=None, session=session, candidacy=candidacy)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_convocations(actor=scene.users["centre_manager"], session=session) == 1
    entry.refresh_from_db()
    assert entry.convened_at and entry.convocation.name.endswith(".pdf")
    text = PdfReader(entry.convocation.path).pages[0].extract_text()
    assert "Convocation" in text and "BC01" in text
    (message,) = [m for m in mail.outbox if "Convocation" in m.subject]
    assert message.to == [candidacy.candidate.email] and message.attachments[0][2] == "application/pdf"
    with pytest.raises(ValidationError, match="déjà convoqués"):
        services.send_convocations(actor=None, session=session)
