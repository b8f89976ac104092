"""Candidacies against the rules engine and the habilitations by date, the workflow enforced at model
and service level, VAE admissibility, reminders, documents.

Built with factories (`CqpScene`: a registered CQP, its centres with dated habilitations, staff in
every role), not the demo world: each test makes only the parts it names."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cqphub.journeys import services
from cqphub.journeys.enums import Status
from cqphub.journeys.models import Candidacy, CandidacyTransition, StatusChangeRefused
from cqphub.journeys.services import RouteRefused
from cqphub.journeys.workflow import Actor
from cqphub.orgs.models import AuditEntry
from tests.factories.journeys import CqpScene
from tests.factories.qualifications import revise_last_block
from tests.journeys.helpers import enrol, make_candidate

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(db):
    return CqpScene()


JOB_SEEKER = {"status": "job_seeker"}
EMPLOYEE = {"status": "employee"}


def test_enrolment_stores_the_findings_with_rule_versions_and_citations(scene):
    candidacy = enrol(scene, funding="professionalisation", situation=JOB_SEEKER)
    assert candidacy.status == Status.DRAFT
    assert candidacy.qualification == scene.cqp
    by_id = candidacy.findings_by_id()
    pro = by_id["route.professionalisation"]
    assert pro["outcome"] == "yes"
    assert pro["rule"].startswith("route.professionalisation@")
    assert any("6325-1" in c["ref"] for c in pro["citations"])
    assert candidacy.rules_on == date(2026, 3, 2)
    log = list(candidacy.transitions.all())
    assert [(t.from_status, t.to_status) for t in log] == [("", "draft")]
    assert AuditEntry.objects.filter(object_type="journeys.candidacy", action="create").count() == 1


def test_a_draft_version_is_never_the_target(scene):
    draft = revise_last_block(scene.cqp)
    with pytest.raises(ValidationError) as exc:
        services.create_candidacy(
            actor=None,
            candidate=make_candidate(scene),
            version=draft,
            route="training",
            funding="plan",
            centre=scene.lyon,
            situation=EMPLOYEE,
            on=date(2026, 3, 2),
        )
    assert exc.value.code == "version_draft"


@pytest.mark.parametrize(
    "route,funding,situation,on,qualification,refused_by",
    [
        # VAE only for an RNCP-registered CQP (L. 6313-5): the CQPI is transmitted, not registered
        ("vae", "cpf", EMPLOYEE, date(2026, 3, 2), "cqpi", "vae.access"),
        ("vae", "france_vae", EMPLOYEE, date(2026, 3, 2), "cqp", None),
        # after its registration ended (2028-04-01), no new VAE path on the CQP
        ("vae", "france_vae", EMPLOYEE, date(2028, 6, 1), "cqp", "vae.access"),
        # CPF outside the registers (L. 6323-6)
        ("training", "cpf", EMPLOYEE, date(2026, 3, 2), "cqpi", "cpf.eligible"),
        ("training", "cpf", EMPLOYEE, date(2026, 3, 2), "cqp", None),
        # the professionalisation contract: 16–25, job seekers ≥ 26, RSA/ASS/AAH (L. 6325-1)
        ("training", "professionalisation", EMPLOYEE, date(2026, 3, 2), "cqp", "route.professionalisation"),
        ("training", "professionalisation", JOB_SEEKER, date(2026, 3, 2), "cqp", None),
        (
            "training",
            "professionalisation",
            {"status": "young_in_training"},
            date(2026, 3, 2),
            "cqp",
            "route.professionalisation",
        ),
        (
            "training",
            "professionalisation",
            {"status": "employee", "benefits": ["RSA"]},
            date(2026, 3, 2),
            "cqp",
            None,
        ),
        # Pro-A until 31 Dec 2025, the période de reconversion from 1 Jan 2026 (L. 6324-1)
        ("training", "pro_a", EMPLOYEE, date(2025, 12, 15), "cqp", None),
        ("training", "pro_a", EMPLOYEE, date(2026, 1, 5), "cqp", "route.pro_a"),
        ("training", "reconversion", EMPLOYEE, date(2025, 12, 15), "cqp", "route.reconversion"),
        ("training", "reconversion", EMPLOYEE, date(2026, 1, 5), "cqp", None),
        ("training", "reconversion", JOB_SEEKER, date(2026, 1, 5), "cqp", "route.reconversion"),
        # the plan is for employees; a job seeker goes through POE
        ("training", "plan", JOB_SEEKER, date(2026, 3, 2), "cqp", "route.plan"),
        ("training", "poe", JOB_SEEKER, date(2026, 3, 2), "cqp", None),
        ("training", "poe", EMPLOYEE, date(2026, 3, 2), "cqp", "route.poe"),
        ("training", "personal", JOB_SEEKER, date(2026, 3, 2), "cqpi", None),
    ],
)
def test_routes_by_date_against_the_rules_engine(
    scene, route, funding, situation, on, qualification, refused_by
):
    # the candidate is born 17/05/1998: 27 on these dates, so "young in training" is out of 16–25
    qualification = getattr(scene, qualification)
    centre = scene.north if qualification == scene.cqpi else scene.lyon
    kwargs = {"centre": centre if route == "training" else None}
    if refused_by is None:
        candidacy = enrol(
            scene,
            route=route,
            funding=funding,
            situation=situation,
            on=on,
            qualification=qualification,
            **kwargs,
        )
        assert candidacy.pk
        return
    with pytest.raises(RouteRefused) as exc:
        enrol(
            scene,
            route=route,
            funding=funding,
            situation=situation,
            on=on,
            qualification=qualification,
            **kwargs,
        )
    assert exc.value.finding["id"] == refused_by
    assert exc.value.finding["outcome"] == "no"
    assert exc.value.finding["explanation"]["fr"] in exc.value.messages[0]
    assert not Candidacy.objects.exists()


def test_age_comes_from_the_date_of_birth_on_the_enrolment_date(scene):
    young = make_candidate(scene, 7, birth_year=2004, birth_month=9, birth_day=1)
    # 21 on 2026-03-02: a young person completing initial training may sign a professionalisation contract
    candidacy = enrol(scene, young, funding="professionalisation", situation={"status": "young_in_training"})
    assert candidacy.findings_by_id()["route.professionalisation"]["outcome"] == "yes"


def test_funding_must_belong_to_the_route(scene):
    with pytest.raises(ValidationError) as exc:
        enrol(scene, route="vae", funding="professionalisation")
    assert "funding" in exc.value.message_dict


@pytest.mark.parametrize(
    "centre,on,ok",
    [
        ("lyon", date(2026, 3, 2), True),
        ("lyon", date(2024, 6, 1), False),  # before its habilitation (from 2024-09-01)
        ("north", date(2025, 6, 1), True),  # trains and assesses until 2025-08-31
        ("north", date(2026, 3, 2), False),  # expired
        ("south", date(2026, 3, 2), False),  # assess only, and suspended
    ],
)
def test_training_needs_a_habilitation_valid_on_the_date(scene, centre, on, ok):
    if ok:
        assert enrol(scene, centre=getattr(scene, centre), on=on).pk
        return
    with pytest.raises(ValidationError) as exc:
        enrol(scene, centre=getattr(scene, centre), on=on)
    assert "habilité" in exc.value.messages[0]


def test_vae_one_file_per_certification_per_year(scene):
    candidate = make_candidate(scene)
    first = enrol(scene, candidate, route="vae", funding="france_vae")
    services.transition(first, Status.WITHDRAWN, by=scene.users["branch_admin"], reason="erreur")
    second = enrol(scene, candidate, route="vae", funding="france_vae")
    with pytest.raises(ValidationError) as exc:
        enrol(scene, candidate, route="vae", funding="cpf", on=date(2026, 6, 1))
    assert exc.value.code == "vae_one_per_year"
    assert second.pk


# --- the workflow, enforced at model level and at service level -------------------------------


def test_model_refuses_a_status_change_outside_the_workflow(scene):
    candidacy = enrol(scene)
    candidacy.status = Status.DECIDED
    with pytest.raises(StatusChangeRefused):
        candidacy.save()
    with pytest.raises(TypeError):
        Candidacy.objects.filter(pk=candidacy.pk).update(status=Status.DECIDED)
    candidacy.refresh_from_db()
    assert candidacy.status == Status.DRAFT
    other = Candidacy(
        candidate=candidacy.candidate,
        version=candidacy.version,
        route="training",
        funding="plan",
        centre=candidacy.centre,
        rules_on=date(2026, 3, 2),
        status=Status.ENROLLED,
    )
    with pytest.raises(StatusChangeRefused):
        other.save()


def test_the_transition_log_is_append_only(scene):
    candidacy = enrol(scene)
    row = candidacy.transitions.get()
    row.reason = "changed"
    with pytest.raises(TypeError):
        row.save()
    with pytest.raises(TypeError):
        row.delete()
    with pytest.raises(TypeError):
        CandidacyTransition.objects.filter(pk=row.pk).update(reason="x")


def test_training_chain_to_the_jury(scene):
    trainer, admin = scene.users["trainer"], scene.users["branch_admin"]
    candidacy = enrol(scene, funding="plan")
    services.transition(candidacy, Status.SUBMITTED, by=trainer)
    services.transition(candidacy, Status.ENROLLED, by=trainer)
    services.transition(candidacy, Status.IN_TRAINING, by=trainer)
    services.transition(candidacy, Status.SUSPENDED, by=trainer, reason="arrêt maladie")
    with pytest.raises(ValidationError) as exc:
        services.transition(candidacy, Status.ENROLLED, by=trainer)
    assert exc.value.code == "resume_elsewhere"
    services.transition(candidacy, Status.IN_TRAINING, by=trainer)
    services.transition(candidacy, Status.READY_FOR_ASSESSMENT, by=trainer)
    # the centre cannot mark it assessed: the assessment app does, as the system
    with pytest.raises(ValidationError) as exc:
        services.transition(candidacy, Status.ASSESSED, by=trainer)
    assert exc.value.code == "not_your_step"
    services.transition(candidacy, Status.ASSESSED, by=scene.users["assessor"], actor=Actor.SYSTEM)
    services.transition(candidacy, Status.AWAITING_JURY, by=None)
    services.transition(
        candidacy, Status.DECIDED, by=scene.users["jury_member"], actor=Actor.SYSTEM, reason="jury"
    )
    services.transition(candidacy, Status.ARCHIVED, by=admin)
    log = [(t.from_status, t.to_status) for t in candidacy.transitions.order_by("at", "pk")]
    assert log[0] == ("", "draft") and log[-1] == ("decided", "archived") and len(log) == 11
    suspension = candidacy.transitions.get(to_status="suspended")
    assert suspension.by == trainer and suspension.reason == "arrêt maladie"
    assert AuditEntry.objects.filter(object_type="journeys.candidacy", action="transition").count() == 10
    # the candidate was told at each step (console e-mail backend in production)
    assert len(mail.outbox) == 10


@pytest.mark.parametrize(
    "illegal", [Status.ENROLLED, Status.ADMISSIBLE, Status.DECIDED, Status.IN_ACCOMPANIMENT]
)
def test_illegal_transitions_are_refused_by_the_service(scene, illegal):
    candidacy = enrol(scene)
    with pytest.raises(ValidationError):
        services.transition(candidacy, illegal, by=scene.users["branch_admin"], reason="r")
    candidacy.refresh_from_db()
    assert candidacy.status == Status.DRAFT
    assert candidacy.transitions.count() == 1


def test_a_withdrawal_needs_a_reason(scene):
    candidacy = enrol(scene)
    with pytest.raises(ValidationError) as exc:
        services.transition(candidacy, Status.WITHDRAWN, by=scene.users["trainer"])
    assert exc.value.code == "reason_required"


def test_outsiders_cannot_act(scene):
    candidacy = enrol(scene)
    for role in ("outsider", "jury_member", "advisor", "no_role", "centre_manager"):
        with pytest.raises(ValidationError) as exc:
            services.transition(candidacy, Status.SUBMITTED, by=scene.users[role])
        assert exc.value.code == "not_your_step", role


def test_vae_admissibility_decisions(scene):
    officer = scene.users["certification_officer"]
    candidacy = enrol(
        scene,
        route="vae",
        funding="france_vae",
        centre=scene.lyon,  # the organisation that accompanies
        experiences=[
            {"activity": "Tourier", "employer": "Boulangerie X", "start": date(2019, 1, 1), "hours": 3200}
        ],
    )
    services.submit_admissibility(actor=scene.users["trainer"], candidacy=candidacy, on=date(2026, 3, 2))
    with pytest.raises(ValidationError):  # a centre does not decide admissibility
        services.decide_admissibility(
            actor=scene.users["trainer"], candidacy=candidacy, decision="admissible"
        )
    with pytest.raises(ValidationError):  # incomplete without saying what is missing
        services.decide_admissibility(actor=officer, candidacy=candidacy, decision="incomplete")
    services.decide_admissibility(
        actor=officer, candidacy=candidacy, decision="incomplete", reasons="Attestations d'emploi manquantes"
    )
    candidacy.refresh_from_db()
    assert candidacy.status == Status.DRAFT
    services.submit_admissibility(actor=scene.users["trainer"], candidacy=candidacy, on=date(2026, 3, 20))
    adm = services.decide_admissibility(
        actor=officer, candidacy=candidacy, decision="admissible", on=date(2026, 4, 2)
    )
    assert adm.decided_by == officer and adm.decided_on == date(2026, 4, 2)
    candidacy.refresh_from_db()
    assert candidacy.status == Status.ADMISSIBLE
    assert candidacy.experiences.get().hours == 3200
    services.transition(candidacy, Status.IN_ACCOMPANIMENT, by=scene.users["trainer"])


def test_not_admissible_is_reasoned_and_final_but_archivable(scene):
    officer = scene.users["certification_officer"]
    candidacy = enrol(scene, route="vae", funding="cpf")
    services.submit_admissibility(actor=officer, candidacy=candidacy)
    services.decide_admissibility(
        actor=officer, candidacy=candidacy, decision="not_admissible", reasons="Activité sans rapport direct"
    )
    candidacy.refresh_from_db()
    assert candidacy.status == Status.NOT_ADMISSIBLE
    assert candidacy.transitions.last().reason == "Activité sans rapport direct"
    with pytest.raises(ValidationError):
        services.transition(candidacy, Status.ADMISSIBLE, by=officer)


# --- deadlines and reminders ----------------------------------------------------------------


def test_admissibility_reminder_is_sent_once(scene):
    from cqphub.journeys.tasks import send_due_reminders

    scene.users.make_all()  # every role has an account: only the branch staff are told
    candidacy = enrol(scene, route="vae", funding="france_vae")
    services.submit_admissibility(
        actor=scene.users["certification_officer"], candidacy=candidacy, on=date(2026, 3, 2)
    )
    mail.outbox.clear()
    assert send_due_reminders.call("2026-04-01") == 0  # due 2026-05-02: too early
    sent = send_due_reminders.call("2026-04-20")
    assert sent >= 1
    subjects = [m.subject for m in mail.outbox]
    assert any("recevabilité" in s for s in subjects)
    to = {address for m in mail.outbox if "recevabilité" in m.subject for address in m.to}
    assert to == {scene.users["branch_admin"].email, scene.users["certification_officer"].email}
    mail.outbox.clear()
    assert send_due_reminders.call("2026-04-21") == 0


def test_training_end_reminder(scene):
    from cqphub.journeys.tasks import send_due_reminders

    trainer = scene.users["trainer"]
    candidacy = enrol(scene, planned_end=date(2026, 9, 30))
    for status in (Status.SUBMITTED, Status.ENROLLED, Status.IN_TRAINING):
        services.transition(candidacy, status, by=trainer)
    mail.outbox.clear()
    send_due_reminders.call("2026-09-20")
    assert any("Fin de la formation" in m.subject for m in mail.outbox)


# --- documents ---------------------------------------------------------------------------------


PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_documents_are_checked_by_content(scene, settings):
    candidacy = enrol(scene)
    actor = scene.users["trainer"]
    doc = services.add_document(
        actor=actor,
        candidacy=candidacy,
        kind="identity",
        uploaded=SimpleUploadedFile("cni scan.PDF", PDF, "text/html"),
    )
    assert doc.content_type == "application/pdf" and doc.size == len(PDF)
    assert doc.original_name == "cni-scan.pdf"
    assert "cni" not in doc.file.name  # random key in storage
    with pytest.raises(ValidationError) as exc:
        services.add_document(
            actor=actor,
            candidacy=candidacy,
            kind="identity",
            uploaded=SimpleUploadedFile("evil.pdf", b"<html><script>alert(1)</script>", "application/pdf"),
        )
    assert exc.value.code == "kind"
    settings.DOCUMENT_MAX_BYTES = 20
    with pytest.raises(ValidationError) as exc:
        services.add_document(
            actor=actor, candidacy=candidacy, kind="identity", uploaded=SimpleUploadedFile("a.pdf", PDF)
        )
    assert exc.value.code == "too_big"
    assert candidacy.documents.count() == 1
