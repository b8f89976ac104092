"""A block attestation asked for by the holder of a full CQP (or by the branch's staff), beside the
parchment: its own number, signed credential, status-list entry and PDF; revoked with the decision."""

from __future__ import annotations

import io
import json

import pytest
from django.core.exceptions import ValidationError

from cqphub.credentials import issuer, services, signing, status_list
from cqphub.credentials.models import BlockAttestation, IssuedCredential, NumberCounter, Parchment
from cqphub.juries import selectors as award_selectors
from tests.credentials.chain_fixtures import close_session, resolver
from tests.juries.chain import presiding_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def president(scene):
    """The scene's jury member, who presides (chain_fixtures' `president` is the demo world's)."""
    return presiding_member(scene)


@pytest.fixture
def closed(scene, president, django_capture_on_commit_callbacks):
    return close_session(scene, president, django_capture_on_commit_callbacks)


@pytest.fixture
def full_award(closed):
    return award_selectors.award(Parchment.objects.get().award_id)


@pytest.fixture
def holder(full_award):
    from cqphub.orgs.models import User

    user = User.objects.create_user(email="titulaire@example.org", password="x-Very-long-password-1")
    candidate = full_award.candidate
    candidate.user = user
    candidate.save(update_fields=["user"])
    return user


def _counter(award) -> int:
    return NumberCounter.objects.get(
        qualification_id=award.qualification_id, year=award.decision_date.year, kind="attestation"
    ).last


def _revoke_decision(scene, award, capture, reason="Fraude avérée"):
    from cqphub.juries import services as juries
    from cqphub.juries.models import Decision

    decision = Decision.objects.filter(
        session=award.jury_session, candidacy=award.candidacy, validated=True
    ).first()
    with capture(execute=True):
        juries.revoke_decision(
            actor=scene.users["certification_officer"], decision=decision, reason=reason, kind="fraud"
        )


# --- the service -------------------------------------------------------------------------------


def test_a_full_holder_gets_a_numbered_signed_attestation_beside_the_parchment(full_award, holder):
    parchment = Parchment.objects.get(award=full_award)
    partial = BlockAttestation.objects.get()  # the session's partial award's, numbered 1
    attestation, created = services.request_block_attestation(full_award, actor=holder)
    assert created and attestation.on_request and attestation.requested_by == holder
    year = full_award.decision_date.year
    assert attestation.number == f"ATT-{full_award.qualification_id:04d}-{year}-00002"
    assert (attestation.sequence, partial.sequence) == (2, 1) and _counter(full_award) == 2
    assert Parchment.objects.get(award=full_award) == parchment and parchment.revoked_at is None
    codes = [ab.block.code for ab in full_award.award_blocks.all()]
    assert [b["code"] for b in attestation.mentions["blocks"]] == codes and attestation.mentions[
        "document"
    ] == "attestation"
    credential = json.loads(attestation.credential.signed_json)
    assert signing.verify(credential, resolver()).verified
    assert credential["credentialSubject"]["achievement"]["achievementType"] == "Certificate"
    assert [r["status"] for r in credential["credentialSubject"]["result"]]
    assert credential["id"] != json.loads(parchment.credential.signed_json)["id"]
    slots = set(IssuedCredential.objects.values_list("status_list_id", "status_index"))
    assert len(slots) == IssuedCredential.objects.count() == 3  # its own status-list entry
    import pypdf
    from django.core.files.storage import default_storage

    with default_storage.open(attestation.pdf, "rb") as handle:
        data = handle.read()
    text = " ".join(pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    assert attestation.number in text and attestation.holder_name.split()[-1] in text
    assert pypdf.PdfReader(io.BytesIO(data)).attachments["credential.json"][0].decode() == (
        attestation.credential.signed_json
    )
    from cqphub.orgs.models import AuditEntry

    assert AuditEntry.objects.filter(actor=holder, action="create").exists()


def test_the_proof_url_of_a_full_award_stays_its_parchments(full_award, holder):
    """The holder report's urlPreuve points at the parchment, even when the attestation came first."""
    from cqphub.credentials import selectors

    parchment = Parchment.objects.get(award=full_award)
    services.request_block_attestation(full_award, actor=holder)
    assert selectors.verification_url_for_award(full_award) == issuer.verification_url(parchment.number)
    parchment.credential.delete()
    parchment.delete()
    assert selectors.verification_url_for_award(full_award) == ""


def test_asking_twice_returns_the_same_attestation(full_award, holder):
    first, created = services.request_block_attestation(full_award, actor=holder)
    again, created_again = services.request_block_attestation(full_award, actor=None)
    assert created and not created_again and again == first
    assert BlockAttestation.objects.filter(award=full_award).count() == 1 and _counter(full_award) == 2
    assert IssuedCredential.objects.count() == 3


def test_a_request_that_loses_a_race_returns_the_winners_attestation(full_award, holder, monkeypatch):
    """Another request committed between the check and the insert: the unique constraint refuses
    the second attestation, its transaction (and so its number) is rolled back, the first returned."""
    first, _ = services.request_block_attestation(full_award, actor=holder)
    real, calls = services._attestation_of, []

    def not_yet_seen(award_id):
        calls.append(award_id)
        return None

    monkeypatch.setattr(services, "_attestation_of", not_yet_seen)
    again, created = services.request_block_attestation(full_award, actor=holder)
    monkeypatch.setattr(services, "_attestation_of", real)
    assert calls and again == first and not created
    assert BlockAttestation.objects.filter(award=full_award).count() == 1 and _counter(full_award) == 2
    assert IssuedCredential.objects.count() == 3


def test_a_partial_award_returns_the_attestation_its_decision_issued(closed, scene):
    issued = BlockAttestation.objects.get()
    award = award_selectors.award(issued.award_id)
    attestation, created = services.request_block_attestation(
        award, actor=scene.users["certification_officer"]
    )
    assert attestation == issued and not created and not attestation.on_request


def test_refused_for_a_revoked_award_and_nothing_written(
    scene, full_award, django_capture_on_commit_callbacks
):
    _revoke_decision(scene, full_award, django_capture_on_commit_callbacks)
    revoked = award_selectors.award(full_award.pk)
    before = (BlockAttestation.objects.count(), _counter(full_award), IssuedCredential.objects.count())
    with pytest.raises(ValidationError, match="révoquée") as caught:
        services.request_block_attestation(revoked, actor=None)
    assert caught.value.code == "revoked"
    after = (BlockAttestation.objects.count(), _counter(full_award), IssuedCredential.objects.count())
    assert after == before


def _award_like(award, **changes):
    from cqphub.juries.models import Award

    values = dict(candidate=award.candidate, candidacy=award.candidacy, version=award.version,
                  qualification=award.qualification, kind="full", decision_date=award.decision_date,
                  place=award.place, jury_session=award.jury_session, route=award.route)  # fmt: skip
    return Award.objects.create(**(values | changes))


def test_refused_for_an_award_without_validated_blocks(full_award):
    empty = _award_like(full_award)
    with pytest.raises(ValidationError, match="Aucun bloc validé") as caught:
        services.request_block_attestation(empty, actor=None)
    assert caught.value.code == "no_blocks" and not BlockAttestation.objects.filter(award=empty).exists()


def test_refused_for_an_award_of_a_session_not_closed(full_award):
    from cqphub.juries.models import AwardBlock, JurySession

    session = JurySession.objects.get(pk=full_award.jury_session_id)
    session.pk, session.status = None, "open"
    session.save()
    undecided = _award_like(full_award, jury_session=session)
    AwardBlock.objects.create(award=undecided, block=full_award.award_blocks.all()[0].block)
    with pytest.raises(ValidationError, match="pas encore arrêtée") as caught:
        services.request_block_attestation(undecided, actor=None)
    assert caught.value.code == "undecided" and not BlockAttestation.objects.filter(award=undecided).exists()


def test_refused_for_someone_else(scene, full_award):
    with pytest.raises(PermissionError):
        services.request_block_attestation(full_award, actor=scene.users["outsider"])
    assert not BlockAttestation.objects.filter(award=full_award).exists()


def test_revoking_the_decision_revokes_the_parchment_and_the_attestation(
    scene, full_award, holder, django_capture_on_commit_callbacks
):
    attestation, _ = services.request_block_attestation(full_award, actor=holder)
    parchment = Parchment.objects.get(award=full_award)
    _revoke_decision(scene, full_award, django_capture_on_commit_callbacks)
    for document in (parchment, attestation):
        document.refresh_from_db()
        assert document.revoked_at is not None
        listed = json.loads(document.credential.status_list.signed)
        assert signing.verify(listed, resolver()).verified
        assert status_list.is_revoked(json.loads(document.credential.signed_json)["credentialStatus"], listed)


def test_reconciliation_catches_an_attestation_whose_revocation_signal_was_lost(
    scene, full_award, holder, django_capture_on_commit_callbacks
):
    from cqphub.credentials.receivers import issue_on_award, revoke_on_award
    from cqphub.juries.signals import award_recorded, award_revoked

    attestation, _ = services.request_block_attestation(full_award, actor=holder)
    award_revoked.disconnect(dispatch_uid="credentials.revoke")
    award_recorded.disconnect(dispatch_uid="credentials.issue")  # its run would reconcile at once
    try:
        _revoke_decision(scene, full_award, django_capture_on_commit_callbacks, reason="Erreur")
    finally:
        award_revoked.connect(revoke_on_award, dispatch_uid="credentials.revoke")
        award_recorded.connect(issue_on_award, dispatch_uid="credentials.issue")
    attestation.refresh_from_db()
    assert attestation.revoked_at is None  # the signal was lost
    assert services.reconcile_revocations() == 2  # the parchment and the attestation
    attestation.refresh_from_db()
    assert attestation.revoked_at is not None


def test_an_attestation_asked_for_before_the_parchment_does_not_stand_for_it(closed, full_award, holder):
    """The session's run still issues the parchment of a full award whose attestation came first."""
    from cqphub.credentials.models import IssuanceRun

    jury, _ = closed
    parchment = Parchment.objects.get(award=full_award)
    parchment.credential.delete()
    parchment.delete()  # as if the run had not reached this award yet
    services.request_block_attestation(full_award, actor=holder)
    assert [a.pk for a in services.pending_awards(jury)] == [full_award.pk]
    run = services.run_session(IssuanceRun.objects.create(jury_session=jury))
    assert run.done == 1 and Parchment.objects.filter(award=full_award).count() == 1
    assert services.pending_awards(jury) == []


# --- pages and command line ----------------------------------------------------------------------


def _url(award) -> str:
    return f"/attestations/decisions/{award.pk}/attestation-de-blocs/"


def test_the_holder_asks_from_their_page(client, scene, full_award, holder):
    client.force_login(holder)
    page = client.get("/attestations/mes-attestations/").content.decode()
    assert "Demander une attestation de blocs" in page and _url(full_award) in page
    assert client.get(_url(full_award)).status_code == 405  # a POST only
    response = client.post(_url(full_award), follow=True)
    attestation = BlockAttestation.objects.get(award=full_award)
    assert response.redirect_chain == [("/attestations/mes-attestations/", 302)]
    page = response.content.decode()
    assert f"Attestation de blocs n° {attestation.number} délivrée." in page
    assert attestation.number in page and "délivrée sur demande" in page
    assert "Demander une attestation de blocs" not in page
    again = client.post(_url(full_award), follow=True).content.decode()
    assert "était déjà délivrée" in again and BlockAttestation.objects.filter(award=full_award).count() == 1
    json_download = client.get(f"/attestations/documents/{attestation.number}.json")
    assert b"".join(json_download.streaming_content).decode() == attestation.credential.signed_json


def test_the_post_needs_the_csrf_token(scene, full_award, holder):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(holder)
    assert strict.post(_url(full_award)).status_code == 403
    assert not BlockAttestation.objects.filter(award=full_award).exists()


def test_another_holder_or_an_outsider_gets_404(client, scene, full_award, holder):
    from cqphub.orgs.models import User

    partial = BlockAttestation.objects.select_related("award__candidate").get()
    other = User.objects.create_user(email="autre@example.org", password="x-Very-long-password-2")
    partial.award.candidate.user = other
    partial.award.candidate.save(update_fields=["user"])
    for user in (other, scene.users["outsider"], scene.users["trainer"]):
        client.force_login(user)
        assert client.post(_url(full_award)).status_code == 404
    assert client.post("/attestations/decisions/999999/attestation-de-blocs/").status_code == 404
    assert not BlockAttestation.objects.filter(award=full_award).exists()


def test_staff_issue_it_from_the_list(client, scene, full_award):
    client.force_login(scene.users["certification_officer"])
    page = client.get("/attestations/gestion/").content.decode()
    assert "Délivrer l'attestation de blocs" in page and _url(full_award) in page
    response = client.post(_url(full_award))
    assert response.status_code == 302 and response["Location"] == "/attestations/gestion/"
    attestation = BlockAttestation.objects.get(award=full_award)
    assert attestation.requested_by == scene.users["certification_officer"]
    page = client.get("/attestations/gestion/").content.decode()
    assert attestation.number in page and _url(full_award) not in page


def test_a_refusal_is_shown_to_the_holder(
    client, scene, full_award, holder, django_capture_on_commit_callbacks
):
    _revoke_decision(scene, full_award, django_capture_on_commit_callbacks)
    client.force_login(holder)
    page = client.get("/attestations/mes-attestations/").content.decode()
    assert _url(full_award) not in page  # a revoked parchment offers no attestation
    response = client.post(_url(full_award), follow=True)
    assert "aucune attestation ne peut être délivrée" in response.content.decode()
    assert not BlockAttestation.objects.filter(award=full_award).exists()


def test_the_verification_page_shows_it_valid_then_revoked(
    client, scene, full_award, holder, django_capture_on_commit_callbacks
):
    attestation, _ = services.request_block_attestation(full_award, actor=holder)
    url = issuer.verification_url(attestation.number).removeprefix(issuer.public_url())
    page = client.get(url).content.decode()
    assert 'data-outcome="valid"' in page and attestation.holder_name in page
    for block in attestation.mentions["blocks"]:
        assert block["code"] in page
    _revoke_decision(scene, full_award, django_capture_on_commit_callbacks)
    page = client.get(url).content.decode()
    assert 'data-outcome="revoked"' in page and "Fraude" not in page
    answer = client.get(f"/api/v1/credentials/verify/{attestation.number}").json()
    assert answer["outcome"] == "revoked"


def test_cli_attest(full_award):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = io.StringIO()
    call_command("credentials", "attest", str(full_award.pk), stdout=out)
    attestation = BlockAttestation.objects.get(award=full_award)
    assert out.getvalue().strip() == f"{attestation.number}: issued"
    out = io.StringIO()
    call_command("credentials", "attest", str(full_award.pk), stdout=out)
    assert out.getvalue().strip() == f"{attestation.number}: already issued"
    with pytest.raises(CommandError, match="no award"):
        call_command("credentials", "attest", "999999", stdout=io.StringIO())
    empty = _award_like(full_award)
    with pytest.raises(CommandError, match="Aucun bloc validé"):
        call_command("credentials", "attest", str(empty.pk), stdout=io.StringIO())
