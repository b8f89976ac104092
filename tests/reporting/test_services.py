"""Holder report bookkeeping on the database: entries, files, answers, corrections, reminders, command."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from lxml import etree

from cqphub.reporting import holder_report as hr
from cqphub.reporting import services
from cqphub.reporting.models import HolderReportEntry, HolderReportFile
from tests.factories.orgs import MembershipFactory
from tests.reporting import builders

pytestmark = pytest.mark.django_db
NS = {"cpf": hr.NAMESPACE}
TODAY = date(2026, 7, 10)


@pytest.fixture
def xsd(shared_data, settings):
    path = shared_data / "cdc_accrochage" / "cpf_accrochage_pc5_schema_1.0.0_v1.1.2_pix.xsd"
    settings.CQPHUB_CDC_XSD = str(path)
    return path


@pytest.fixture
def no_xsd(settings):
    settings.CQPHUB_CDC_XSD = ""


@pytest.fixture
def cqp():
    qualification, _ = builders.registered_cqp()
    return qualification


@pytest.fixture
def certifier(cqp):
    certifier = cqp.ip_holder
    services.save_cdc_account(certifier=certifier, client_id="12ABC345", contract_id="MCFCER000123")
    return certifier


def entries_of(awards):
    return [services.record_award(a) for a in awards]


def xml_of(report: HolderReportFile) -> bytes:
    with report.content.open("rb") as f:
        return f.read()


def test_an_award_of_a_registered_cqp_gets_an_entry_due_in_three_months(cqp):
    (entry,) = entries_of([builders.award(cqp, decision=date(2026, 11, 30))])
    assert entry.state == "to_report" and entry.due_on == date(2027, 2, 28)
    assert entry.certifier == cqp.ip_holder
    assert services.record_award(entry.award) == entry  # idempotent


def test_an_award_outside_the_registers_gets_no_entry(cqp):
    unregistered, _ = builders.registered_cqp(code="", register="")
    assert services.record_award(builders.award(unregistered)) is None
    # registered only from 2027: a 2026 decision is outside the registers
    later, _ = builders.registered_cqp(code="RNCP99124", since=date(2027, 1, 1))
    assert services.record_award(builders.award(later, decision=date(2026, 6, 30))) is None


def test_without_cdc_ids_nothing_is_written_and_every_award_is_listed(cqp, xsd):
    entries_of([builders.award(cqp, 1), builders.award(cqp, 2)])
    report, result = services.build_file(cqp.ip_holder, today=TODAY)
    assert report is None and result.count == 0
    assert len(result.not_reportable) == 2
    assert all("missing: CDC client id (idClient)" in p.reasons for p in result.not_reportable)
    assert HolderReportEntry.objects.filter(state="to_report").count() == 2


def test_a_file_is_built_validated_and_its_awards_move_in_file(cqp, certifier, xsd):
    awards = [builders.award(cqp, n) for n in range(1, 4)]
    awards.append(builders.award(cqp, 4, route="vae", funding="cpf"))
    entries_of(awards)
    report, result = services.build_file(certifier, today=TODAY)
    assert report.number == 1 and report.count == 4 and report.validated and not report.errors
    assert result.valid
    data = xml_of(report)
    assert hr.validate_file_bytes(data, xsd) == []
    import hashlib

    assert hashlib.sha256(data).hexdigest() == report.sha256
    root = etree.fromstring(data)
    assert root.xpath("//cpf:certification/cpf:code/text()", namespaces=NS) == ["RNCP99123"]
    ids = root.xpath("//cpf:idTechnique/text()", namespaces=NS)
    assert sorted(ids) == sorted(f"cqphub-award-{a.pk}" for a in awards)
    assert sorted(root.xpath("//cpf:modaliteAcces/text()", namespaces=NS)) == [
        "FORMATION_CONTINUE_CONTRAT_DE_PROFESSIONNALISATION"
    ] * 3 + ["VAE"]
    assert root.xpath("//cpf:voieAccessVAE/text()", namespaces=NS) == ["VAE_CLASSIQUE"]
    # no parchment is issued in these tests: the optional urlPreuve is left out, never a dead link
    # (the end-to-end test holds it equal to the link the holder shares)
    assert root.xpath("//cpf:urlPreuve", namespaces=NS) == []
    states = set(HolderReportEntry.objects.values_list("state", "file_number"))
    assert states == {("in_file", 1)}


def test_not_reportable_awards_stay_to_report_and_are_listed_on_the_file(cqp, certifier, xsd):
    good = builders.award(cqp, 1)
    long_name = builders.award(cqp, 2, person=builders.candidate(2, birth_name="X" * 61))
    partial = builders.award(cqp, 3, kind="partial")
    entries_of([good, long_name])
    assert services.record_award(partial) is None  # blocks only: not reported (the page counts them)
    report, result = services.build_file(certifier, today=TODAY)
    assert report.count == 1
    listed = {p["id"]: p["reasons"] for p in report.not_reportable}
    assert listed[f"cqphub-award-{long_name.pk}"] == ["too long: birth name (61 > 60 characters)"]
    assert HolderReportEntry.objects.get(award=long_name).state == "to_report"
    preview = services.preview(certifier)
    assert {p.id_technique for p in preview.not_reportable} == set(listed)


def test_answer_rejection_correction_and_never_twice_accepted(cqp, certifier, xsd):
    a1, a2 = builders.award(cqp, 1), builders.award(cqp, 2)
    e1, e2 = entries_of([a1, a2])
    report, _ = services.build_file(certifier, today=TODAY)
    services.record_answer(report, rejected={e2.pk: "Code INSEE de naissance inconnu"}, on=date(2026, 7, 20))
    e1.refresh_from_db(), e2.refresh_from_db()
    assert e1.state == "accepted" and e1.accepted_files == [1]
    assert e2.state == "rejected" and e2.reason == "Code INSEE de naissance inconnu"
    assert e2.due_on == date(2026, 10, 20)
    # nothing to send until the rejected one is corrected
    again, result = services.build_file(certifier, today=date(2026, 7, 21))
    assert again is None and result.count == 0
    services.correct_entry(e2, reason="Commune corrigée", on=date(2026, 7, 22))
    report2, _ = services.build_file(certifier, today=date(2026, 7, 23))
    assert report2.number == 2 and report2.count == 1
    assert etree.fromstring(xml_of(report2)).xpath("//cpf:idTechnique/text()", namespaces=NS) == [
        f"cqphub-award-{a2.pk}"
    ]
    services.record_answer(report2, rejected={}, on=date(2026, 7, 30))
    e1.refresh_from_db(), e2.refresh_from_db()
    assert e1.accepted_files == [1] and e2.accepted_files == [2]
    events = list(e2.events.values_list("source", "target"))
    assert events == [
        ("to_report", "in_file"),
        ("in_file", "rejected"),
        ("rejected", "corrected"),
        ("corrected", "in_file"),
        ("in_file", "accepted"),
    ]


def test_a_revocation_after_acceptance_goes_in_the_next_file_as_a_correction(cqp, certifier, xsd):
    a1 = builders.award(cqp, 1)
    (e1,) = entries_of([a1])
    report, _ = services.build_file(certifier, today=TODAY)
    services.record_answer(report, rejected={}, on=date(2026, 7, 20))
    builders.revoke(a1, on=date(2026, 10, 2))
    services.record_revocation(a1)
    e1.refresh_from_db()
    assert e1.state == "corrected" and e1.revoked and e1.is_correction
    report2, result = services.build_file(certifier, today=date(2026, 10, 3))
    assert result.corrections == [f"cqphub-award-{a1.pk}"] and report2.corrections == 1
    root = etree.fromstring(xml_of(report2))
    assert root.xpath("//cpf:dateFinValidite/text()", namespaces=NS) == ["2026-10-02"]
    assert root.xpath("//cpf:idTechnique/text()", namespaces=NS) == [f"cqphub-award-{a1.pk}"]


def test_a_revocation_before_reporting_withdraws(cqp, certifier, xsd):
    a1 = builders.award(cqp, 1)
    entries_of([a1])
    builders.revoke(a1)
    services.record_revocation(a1)
    assert HolderReportEntry.objects.get(award=a1).state == "withdrawn"
    assert services.build_file(certifier, today=TODAY)[0] is None


def test_without_a_schema_the_file_is_made_and_marked_not_validated(cqp, certifier, no_xsd):
    entries_of([builders.award(cqp, 1)])
    report, result = services.build_file(certifier, today=TODAY)
    assert report.count == 1 and not report.validated and report.schema == ""
    assert result.validation_message().startswith("NOT VALIDATED")


def test_an_invalid_file_is_kept_for_the_record_but_moves_nothing(cqp, certifier, xsd, monkeypatch):
    entries_of([builders.award(cqp, 1)])
    real = hr.render_passage
    monkeypatch.setattr(
        hr, "render_passage", lambda a: real(a).replace("<cpf:sexe>F</cpf:sexe>", "<cpf:sexe>Z</cpf:sexe>")
    )
    report, result = services.build_file(certifier, today=TODAY)
    assert report.errors and not report.validated and not result.valid
    assert HolderReportEntry.objects.get().state == "to_report"


def test_discarding_a_file_puts_its_awards_back(cqp, certifier, xsd):
    entries_of([builders.award(cqp, 1)])
    report, _ = services.build_file(certifier, today=TODAY)
    services.discard_file(report)
    assert HolderReportEntry.objects.get().state == "to_report"
    report2, _ = services.build_file(certifier, today=TODAY)
    assert report2.number == 2


def test_sync_creates_missing_entries_and_applies_revocations(cqp):
    a1, a2 = builders.award(cqp, 1), builders.award(cqp, 2)
    builders.revoke(a2)
    assert services.sync_entries() >= 2
    assert HolderReportEntry.objects.get(award=a1).state == "to_report"
    assert HolderReportEntry.objects.get(award=a2).state == "withdrawn"
    assert services.sync_entries() == 0


def test_reminders_go_to_the_branch_staff_once_a_day(cqp, certifier):
    staff = MembershipFactory(branch=certifier.branch, role="certification_officer").user
    entries_of([builders.award(cqp, 1, decision=date(2026, 3, 1))])  # due 2026-06-01
    assert services.send_reminders(date(2026, 7, 1)) == 1
    assert mail.outbox[0].to == [staff.email]
    assert "1 certification" in mail.outbox[0].body and "dont 1 en retard" in mail.outbox[0].body
    assert services.send_reminders(date(2026, 7, 1)) == 0


def test_command_writes_the_file_and_says_when_not_validated(cqp, certifier, no_xsd, tmp_path):
    builders.award(cqp, 1)
    out = tmp_path / "flux.xml"
    stdout = io.StringIO()
    call_command(
        "reporting", "holder-report", "--certifier", certifier.siret, "--out", str(out), stdout=stdout
    )
    assert out.read_bytes().startswith(b"<?xml")
    assert "NOT VALIDATED" in stdout.getvalue()
    with pytest.raises(CommandError, match="nothing to report"):
        call_command(
            "reporting",
            "holder-report",
            "--certifier",
            certifier.siret,
            "--out",
            str(out),
            stdout=io.StringIO(),
        )


def test_command_validates_when_the_schema_is_configured(cqp, certifier, xsd, tmp_path):
    builders.award(cqp, 1)
    out = tmp_path / "flux.xml"
    stdout = io.StringIO()
    call_command(
        "reporting",
        "holder-report",
        "--certifier",
        certifier.siret,
        "--out",
        str(out),
        "--since",
        "2026-01-01",
        stdout=stdout,
    )
    assert "valid against the CDC schema 1.1.2" in stdout.getvalue()
    assert hr.validate_file(out, xsd) == []


def test_remind_command_queues_the_task(cqp, certifier, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    MembershipFactory(branch=certifier.branch, role="branch_admin")
    builders.award(cqp, 1, decision=date(2025, 1, 1))
    services.sync_entries()
    out = io.StringIO()
    call_command("reporting", "remind", stdout=out)
    assert "reminders queued" in out.getvalue()
    assert len(mail.outbox) == 1


def test_statistics_are_scheduled_once_per_transaction_and_again_after_a_rollback(
    django_capture_on_commit_callbacks,
):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.schedule_statistics()
        services.schedule_statistics()
    assert len(callbacks) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        services.schedule_statistics()
        raise RuntimeError("the jury's transaction fails")
    with django_capture_on_commit_callbacks() as callbacks:
        services.schedule_statistics()
    assert len(callbacks) == 1  # the rolled-back request left nothing marked as pending


@pytest.mark.parametrize(
    "documents", [("parchment",), ("parchment", "on_request"), ("on_request",), ("attestation",), ()]
)
def test_proof_urls_read_in_bulk_agree_with_the_credentials_selector(documents):
    """The report reads urlPreuve for a chunk of awards at once (adapters.proof_urls); it must name the
    same document as credentials' own per-award selector: the parchment, never an on-request attestation."""
    from cqphub.credentials import selectors as credentials
    from cqphub.credentials.models import BlockAttestation, Parchment
    from cqphub.juries import selectors as juries
    from cqphub.reporting import adapters

    cqp, _ = builders.registered_cqp()
    award = builders.award(cqp, 1)
    for index, kind in enumerate(documents, start=1):
        model = Parchment if kind == "parchment" else BlockAttestation
        extra = {"on_request": kind == "on_request"} if model is BlockAttestation else {}
        model.objects.create(
            award=award, qualification=cqp, number=f"CQP-2026-{kind[:3].upper()}{index:04d}", year=2026,
            sequence=index, holder_name="Léa Durand", **extra,
        )  # fmt: skip
    expected = credentials.verification_url_for_award(juries.award(award.pk))
    assert adapters.proof_urls([award.pk]).get(award.pk, "") == expected
    assert bool(expected) == (documents not in ((), ("on_request",)))
