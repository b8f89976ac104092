"""Jury sessions end to end through the services: composition, decisions, closing, awards,
revocation, appeals, notification; append-only decisions refused by the model and the database."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from cqphub.journeys.enums import Status
from cqphub.journeys.selectors import blocks_already_held
from cqphub.juries import selectors, services
from cqphub.juries.enums import College, DecisionKind, ExcusalReason, Overall
from cqphub.juries.models import AppendOnlyError, Award, Decision, Minutes
from cqphub.juries.signals import award_recorded, award_revoked
from tests.juries.chain import (
    PRESIDENT_PASSWORD,
    assessed,
    assessment_session,
    assign_everywhere,
    closed_session,
    jury_session,
    presiding_member,
)

pytestmark = pytest.mark.django_db
capture = None

PASSWORD = PRESIDENT_PASSWORD


@pytest.fixture(autouse=True)
def _commits(django_capture_on_commit_callbacks):
    global capture
    capture = django_capture_on_commit_callbacks


@pytest.fixture
def president(scene):
    return presiding_member(scene)


def _closed_session(scene, president, *, failing=((), ("BC01",), ("BC01", "BC02", "BC03"))):
    return closed_session(scene, president, capture, password=PASSWORD, failing=failing)


def test_a_session_opens_only_with_a_valid_composition(scene):
    staff = scene.users["certification_officer"]
    jury = jury_session(scene)
    jury.members.get(name="Paul Girard").delete()  # parity broken, under the minimum size
    services.add_candidate(actor=staff, session=jury, candidacy=assessed(scene))
    with pytest.raises(ValidationError) as error:
        services.open_session(actor=staff, session=jury)
    text = " ".join(error.value.messages)
    assert "Parité" in text and "3 membres" in text
    services.add_member(actor=staff, session=jury, name="Paul Girard", college=College.EMPLOYEE, gender="M")
    services.open_session(actor=staff, session=jury)
    jury.refresh_from_db()
    assert jury.status == "open" and jury.composition["can_open"]


def test_a_linked_member_is_excused_for_that_candidate_and_recorded(scene):
    staff = scene.users["certification_officer"]
    jury = jury_session(scene)
    services.add_member(actor=staff, session=jury, name="Luc Faure", college=College.EMPLOYEE, gender="M")
    services.add_member(actor=staff, session=jury, name="Anne Blanc", college=College.EMPLOYER, gender="F")
    entry = services.add_candidate(actor=staff, session=jury, candidacy=assessed(scene))
    member = jury.members.get(name="Paul Girard")
    services.record_excusal(
        actor=staff, entry=entry, member=member, reason=ExcusalReason.LINK, note="Ancien tuteur"
    )
    report = services.composition_report(jury)
    assert report.excused_for(entry.candidacy_id) == {member.pk}
    services.open_session(actor=staff, session=jury)
    jury.refresh_from_db()
    assert jury.composition["excusals"] == [
        {"member": member.pk, "candidacy": entry.candidacy_id, "reason": "link"}
    ]


def test_closing_writes_full_partial_and_no_award_and_decides_candidacies(scene, president):
    received = []
    award_recorded.connect(
        lambda sender, award, **kw: received.append(award.pk), weak=False, dispatch_uid="t1"
    )
    try:
        jury, (full, partial, failed) = _closed_session(scene, president)
    finally:
        award_recorded.disconnect(dispatch_uid="t1")
    awards = {a.candidacy_id: a for a in selectors.awards_of_session(jury)}
    assert awards[full.pk].kind == "full" and awards[partial.pk].kind == "partial"
    assert failed.pk not in awards
    codes = [ab.block.code for ab in selectors.award_blocks(awards[partial.pk])]
    assert "BC01" not in codes and codes
    assert sorted(received) == sorted(a.pk for a in awards.values())
    for candidacy in (full, partial, failed):
        candidacy.refresh_from_db()
        assert candidacy.status == Status.DECIDED
    overall = dict(jury.candidates.values_list("candidacy_id", "overall"))
    assert overall == {full.pk: Overall.FULL, partial.pk: Overall.PARTIAL, failed.pk: Overall.FAILURE}
    assert Minutes.objects.filter(session=jury).count() == 1  # tasks run at once in tests
    award = awards[full.pk]
    assert (award.decision_date, award.route, award.version_id) == (jury.on, "training", full.version_id)


def test_closing_needs_the_president_and_a_reauthentication(scene, president):
    session = assessment_session(scene)
    assign_everywhere(scene, session)
    candidacy = assessed(scene, session=session)
    jury = jury_session(scene)
    staff = scene.users["certification_officer"]
    services.add_candidate(actor=staff, session=jury, candidacy=candidacy)
    services.open_session(actor=staff, session=jury)
    with pytest.raises(ValidationError, match="Décision manquante"):
        services.close_session(actor=president, session=jury, password=PASSWORD)
    services.decide_as_proposed(actor=president, session=jury)
    with pytest.raises(ValidationError, match="président"):
        services.close_session(actor=staff, session=jury, password=PASSWORD)
    with pytest.raises(ValidationError, match="Mot de passe"):
        services.close_session(actor=president, session=jury, password="wrong")
    services.close_session(actor=president, session=jury, password=PASSWORD)
    jury.refresh_from_db()
    assert jury.status == "closed" and jury.closing_check == "password"
    with pytest.raises(ValidationError, match="close"):
        services.add_member(actor=staff, session=jury, name="X", college=College.QUALIFIED)


def test_departing_from_a_proposal_needs_a_reason(scene, president):
    session = assessment_session(scene)
    assign_everywhere(scene, session)
    candidacy = assessed(scene, failing_blocks=("BC01",), session=session)
    jury = jury_session(scene)
    staff = scene.users["certification_officer"]
    services.add_candidate(actor=staff, session=jury, candidacy=candidacy)
    services.open_session(actor=staff, session=jury)
    bc01 = next(b for b in candidacy.version.ordered_blocks() if b.code == "BC01")
    item = services.DecisionInput(candidacy.pk, bc01.pk, True)
    with pytest.raises(ValidationError, match="motivez"):
        services.record_decisions(actor=president, session=jury, decisions=[item])
    services.record_decisions(
        actor=president,
        session=jury,
        decisions=[
            services.DecisionInput(candidacy.pk, bc01.pk, True, "Épreuve rattrapée à l'oral devant le jury")
        ],
    )
    decision = Decision.objects.get(candidacy=candidacy, block=bc01)
    assert decision.departs and decision.proposal == "not_validated"


def test_decisions_are_append_only_in_the_model_and_the_database(scene, president):
    jury, (full, *_rest) = _closed_session(scene, president, failing=((),))
    decision = Decision.objects.filter(candidacy=full).first()
    decision.validated = False
    with pytest.raises(AppendOnlyError):
        decision.save()
    with pytest.raises(AppendOnlyError):
        decision.delete()
    with pytest.raises(AppendOnlyError):
        Decision.objects.filter(pk=decision.pk).update(validated=False)
    with pytest.raises(AppendOnlyError):
        Decision.objects.filter(pk=decision.pk).delete()
    for sql in (
        "UPDATE juries_decision SET validated = %s WHERE id = %s",
        "DELETE FROM juries_decision WHERE id = %s",
    ):
        params = [False, decision.pk] if sql.startswith("UPDATE") else [decision.pk]
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    assert Decision.objects.get(pk=decision.pk).validated is True


def test_a_fraud_withdrawal_revokes_in_one_transaction_and_rewrites_the_award(scene, president):
    jury, (full, *_rest) = _closed_session(scene, president, failing=((),))
    events = []
    award_revoked.connect(
        lambda sender, award, replacement, reason, **kw: events.append((award.pk, replacement)),
        weak=False,
        dispatch_uid="t2",
    )
    try:
        old_award = selectors.awards_for_candidacy(full).get()
        decision = Decision.objects.filter(candidacy=full, block__code="BC02").get()
        officer = scene.users["certification_officer"]
        with capture(execute=True):
            new = services.revoke_decision(
                actor=officer,
                decision=decision,
                reason="Dossier plagié (R. 6412-7), candidat entendu le 02/07/2026",
                kind=DecisionKind.FRAUD,
            )
    finally:
        award_revoked.disconnect(dispatch_uid="t2")
    assert new.revokes == decision and new.validated is False and new.author == officer
    old_award.refresh_from_db()
    assert old_award.revoked_at is not None
    current = selectors.awards_for_candidacy(full).get()
    assert current.kind == "partial" and current.revokes == old_award
    assert "BC02" not in [ab.block.code for ab in selectors.award_blocks(current)]
    assert events and events[0][0] == old_award.pk and events[0][1].pk == current.pk
    assert [a.pk for a in selectors.award_history(current)] == [old_award.pk, current.pk]
    with pytest.raises(ValidationError, match="déjà été révoquée"):
        services.revoke_decision(
            actor=officer, decision=decision, reason="encore", kind=DecisionKind.CORRECTION
        )
    history = list(selectors.decision_history(full).filter(block__code="BC02"))
    assert [d.kind for d in history] == ["decision", "fraud"]


def test_an_appeal_that_changes_the_outcome_is_a_new_decision(scene, president):
    jury, (_full, partial) = _closed_session(scene, president, failing=((), ("BC01",)))
    decision = Decision.objects.get(candidacy=partial, block__code="BC01")
    officer = scene.users["certification_officer"]
    appeal = services.record_appeal(
        actor=officer, decision=decision, lodged_on=date(2026, 7, 1), grounds="Erreur de report"
    )
    services.decide_appeal(actor=officer, appeal=appeal, outcome="changed", note="Erreur de report confirmée")
    appeal.refresh_from_db()
    assert appeal.outcome_decision.validated is True and appeal.outcome_decision.kind == "appeal"
    assert selectors.awards_for_candidacy(partial).get().kind == "full"


def test_validated_blocks_count_as_held_for_a_later_candidacy_and_the_shared_cqpi_block(scene, president):
    jury, (partial,) = _closed_session(scene, president, failing=(("BC01",),))
    held = {h.block.code for h in blocks_already_held(partial.candidate) if h.source == "jury"}
    assert held and "BC01" not in held


def test_results_are_notified_and_the_vae_deadline_is_tracked(scene, president):
    jury, (full, failed) = _closed_session(scene, president, failing=((), ("BC01", "BC02", "BC03")))
    entry = jury.candidates.get(candidacy=full)
    assert entry.notify_by is None  # training route: no legal deadline
    mail.outbox.clear()
    with capture(execute=True):
        assert services.notify_results(actor=scene.users["certification_officer"], session=jury) == 2
    assert len(mail.outbox) == 2
    entry.refresh_from_db()
    assert entry.notified_at is not None
    assert list(selectors.notified_entries(full.candidate)) == [entry]


def test_awards_selectors_for_credentials_and_reporting(scene, president):
    jury, (full, partial) = _closed_session(scene, president, failing=((), ("BC01",)))
    found = selectors.awards_decided_between(jury.on, jury.on, qualification=scene.cqp)
    assert {a.candidacy_id for a in found} == {full.pk, partial.pk}
    assert not selectors.awards_decided_between(date(2020, 1, 1), date(2020, 12, 31)).exists()
    assert selectors.awards_for_candidate(full.candidate).get().kind == "full"
    with pytest.raises(AppendOnlyError):
        Award.objects.filter(candidacy=full).update(kind="partial")


def test_minutes_are_a_pdf_with_its_hash_kept_and_immutable(scene, president):
    from pypdf import PdfReader

    from cqphub.juries import minutes

    jury, (full, partial) = _closed_session(scene, president, failing=((), ("BC01",)))
    record = Minutes.objects.get(session=jury)
    assert minutes.verify(record) and len(record.sha256) == 64 and record.pages >= 1
    reader = PdfReader(record.pdf.path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Procès-verbal" in text and "Sophie Leroy" in text and "Signatures" in text
    assert full.candidate.display_name in text and f"page 1 / {record.pages}" in text
    context = minutes.minutes_context(jury)  # one row per candidate, a mark per block column
    cells = {row.name: dict(zip(context["columns"], row.cells, strict=True)) for row in context["rows"]}
    assert cells[full.candidate.display_name]["BC01"] == "V"
    assert cells[partial.candidate.display_name]["BC01"] == "NV"
    with pytest.raises(AppendOnlyError):
        record.save()
    with open(record.pdf.path, "ab") as handle:  # tampering shows
        handle.write(b"%")
    assert not minutes.verify(record)


def test_decisions_are_read_through_the_api_with_revoked_rows(client, scene, president):
    jury, (full,) = _closed_session(scene, president, failing=((),))
    decision = Decision.objects.filter(candidacy=full).first()
    with capture(execute=True):
        services.revoke_decision(
            actor=scene.users["certification_officer"], decision=decision, reason="Erreur de saisie"
        )
    client.force_login(president)
    rows = client.get(f"/api/v1/juries/sessions/{jury.pk}/decisions").json()
    revoked = next(r for r in rows if r["id"] == decision.pk)
    replacement = next(r for r in rows if r["revokes"] == decision.pk)
    assert not revoked["current"] and replacement["current"] and replacement["kind"] == "correction"


def test_the_vae_accompanist_on_the_jury_is_excused_and_d6412_6_checked(scene):
    from cqphub.assessment import services as assessment
    from cqphub.journeys.services import transition
    from cqphub.journeys.workflow import Actor
    from tests.journeys.helpers import enrol, make_candidate
    from tests.juries.chain import score

    candidacy = enrol(scene, make_candidate(scene, 7), route="vae", funding="cpf", accompanist="Paul GIRARD")
    for status in (Status.SUBMITTED, Status.ADMISSIBLE, Status.READY_FOR_ASSESSMENT):
        transition(candidacy, status, by=scene.users["certification_officer"], actor=Actor.BRANCH)
    session = assessment_session(scene)
    assign_everywhere(scene, session)
    assessment.add_candidate(actor=None, session=session, candidacy=candidacy)
    for grid in session.grids.all():
        score(scene, grid)
    jury = jury_session(scene)
    staff = scene.users["certification_officer"]
    services.add_candidate(actor=staff, session=jury, candidacy=candidacy)
    report = services.composition_report(jury)
    paul = jury.members.get(name="Paul Girard")
    assert report.excused_for(candidacy.pk) == {paul.pk}
    codes = {f.code for f in report.findings if f.candidate == candidacy.pk}
    assert "vae.gender_unbalanced" in codes  # the two who remain are women
    with pytest.raises(ValidationError, match="représentation équilibrée"):
        services.open_session(actor=staff, session=jury)


def test_vae_candidates_are_assessed_by_the_jury_itself_on_the_same_grids(scene, president):
    from cqphub.assessment.models import Grid
    from cqphub.journeys.services import transition
    from cqphub.journeys.workflow import Actor
    from tests.journeys.helpers import enrol, make_candidate
    from tests.juries.chain import score

    candidacy = enrol(scene, make_candidate(scene, 8), route="vae", funding="cpf")
    for status in (Status.SUBMITTED, Status.ADMISSIBLE, Status.READY_FOR_ASSESSMENT):
        transition(candidacy, status, by=scene.users["certification_officer"], actor=Actor.BRANCH)
    jury = jury_session(scene)
    staff = scene.users["certification_officer"]
    services.add_candidate(actor=staff, session=jury, candidacy=candidacy)
    jury.refresh_from_db()
    assert jury.assessment.kind == "jury" and jury.assessment.centre is None
    grids = list(Grid.objects.filter(session=jury.assessment, candidacy=candidacy))
    assert len(grids) == len(candidacy.version.ordered_blocks())
    services.open_session(actor=staff, session=jury)
    for grid in grids:  # the president (a member with an account) scores the file and the interview
        score(scene, grid, assessor=president)
    services.decide_as_proposed(actor=president, session=jury)
    with capture(execute=True):
        services.close_session(actor=president, session=jury, password=PASSWORD)
    candidacy.refresh_from_db()
    assert candidacy.status == Status.DECIDED
    award = selectors.awards_for_candidacy(candidacy).get()
    entry = jury.candidates.get(candidacy=candidacy)
    assert award.route == "vae" and award.kind == "full"
    assert (entry.notify_by - jury.on).days == 15  # R. 6412-7


def test_the_bulk_held_blocks_read_equals_the_journeys_selector(scene, president):
    from cqphub.journeys.services import record_positioning
    from tests.journeys.helpers import enrol, make_candidate

    jury, (full, partial) = _closed_session(scene, president, failing=((), ("BC01",)))
    other = enrol(scene, make_candidate(scene, 9))
    block = other.version.ordered_blocks()[0]
    record_positioning(
        actor=scene.users["trainer"],
        candidacy=other,
        block=block,
        outcome="exempt",
        exemption_rule="earlier_validation",
        evidence="Attestation de bloc du 12/05/2021 (CPNE)",
    )
    people = [full.candidate, partial.candidate, other.candidate]
    bulk = selectors.held_blocks_by_candidate([p.pk for p in people])
    for person in people:
        assert bulk.get(person.pk, set()) == {h.block.pk for h in blocks_already_held(person)}
    assert bulk[other.candidate.pk] == {block.pk}
