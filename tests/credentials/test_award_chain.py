"""Issuing from a closed jury session, revocation, idempotence, reconciliation (database tests)."""

from __future__ import annotations

import io
import json

import pypdf
import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature as _validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from cqphub.credentials import issuer, selectors, services, signing, status_list
from cqphub.credentials.models import BlockAttestation, IssuanceRun, Parchment
from cqphub.juries import selectors as award_selectors
from tests.credentials.chain_fixtures import close_session, resolver


def validate_pdf_signature(signature, context):
    """pyHanko's validator runs asyncio.run(): call it from a thread with no event loop of its own
    (Playwright's sync API, used by the browser tests, may leave one running in this thread)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(_validate_pdf_signature, signature, context).result()


pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(world, president, django_capture_on_commit_callbacks):
    return close_session(world, president, django_capture_on_commit_callbacks)


def _pdf_text(document) -> str:
    from django.core.files.storage import default_storage

    with default_storage.open(document.pdf, "rb") as handle:
        data = handle.read()
    return data, pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_closing_a_session_issues_a_parchment_and_an_attestation(closed):
    jury, candidacies = closed
    parchments = list(Parchment.objects.all())
    attestations = list(BlockAttestation.objects.all())
    assert len(parchments) == 1 and len(attestations) == 1
    parchment = parchments[0]
    assert parchment.number.startswith(f"CQP-{parchment.qualification_id:04d}-{jury.on.year}-")
    assert parchment.sequence == 1 and attestations[0].sequence == 1
    run = IssuanceRun.objects.get(jury_session=jury)
    assert run.state == "done" and run.done == run.total == 2
    for document in parchments + attestations:
        credential = json.loads(document.credential.signed_json)
        assert signing.verify(credential, resolver()).verified
        assert credential["credentialStatus"]["statusListIndex"] == str(document.credential.status_index)
    attestation = json.loads(attestations[0].credential.signed_json)
    assert [r["status"] for r in attestation["credentialSubject"]["result"]]  # the validated blocks
    assert attestation["credentialSubject"]["achievement"]["achievementType"] == "Certificate"


def test_every_mention_is_on_the_parchment(closed):
    parchment = Parchment.objects.select_related("award__candidate", "qualification").get()
    data, text = _pdf_text(parchment)
    flat = " ".join(text.split())
    candidate = parchment.award.candidate
    qualification = parchment.qualification
    mentions = parchment.mentions
    assert candidate.first_names in flat and (candidate.usage_name or candidate.birth_name).upper() in flat
    assert str(candidate.birth_year) in flat
    assert qualification.title in flat
    assert "Certificat de qualification professionnelle" in flat
    assert qualification.committee.name in flat
    assert mentions["certifier"] in flat
    assert services.french_date(parchment.award.decision_date) in flat
    assert mentions["place"] and mentions["place"] in flat
    for block in mentions["blocks"]:
        assert block["code"] in flat and block["title"] in flat
    if mentions["fiche_code"]:
        assert mentions["fiche_code"] in flat
        assert f"niveau {mentions['level']}" in flat
        if mentions["nsf"]:
            assert f"NSF {mentions['nsf'].split(' - ')[0]}" in flat
        if mentions["registration_date"]:
            assert "par décision de France compétences du" in flat
    assert parchment.number in flat
    attached = pypdf.PdfReader(io.BytesIO(data)).attachments["credential.json"][0]
    assert attached.decode() == parchment.credential.signed_json
    signature = PdfFileReader(io.BytesIO(data)).embedded_signatures[0]
    certificate = signature.signer_cert
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[certificate]))
    assert status.intact and status.valid and status.coverage.name == "ENTIRE_FILE"


def test_the_qr_code_carries_the_keyed_verification_url(closed):
    """The QR code drawn on the parchment is segno's symbol of the verification URL with its key."""
    from cqphub.credentials import parchment as pdf
    from tests.credentials.test_parchment import _segno_rows

    for document in (Parchment.objects.get(), BlockAttestation.objects.get()):
        data, _text = _pdf_text(document)
        keyed = issuer.verification_url(document.number)
        assert "?cle=" in keyed
        _size, rows = _segno_rows(keyed)
        assert rows in data and pdf.QrCodes().mask(keyed)[1] == rows
        bare = keyed.split("?")[0]
        assert _segno_rows(bare)[1] not in data


def test_issuing_again_issues_nothing(closed):
    jury, _ = closed
    assert services.request_session_issuance(jury) is None
    awards = list(award_selectors.awards_of_session(jury))
    assert services.issue_awards(awards) == []
    assert Parchment.objects.count() + BlockAttestation.objects.count() == 2


def test_a_resumed_run_issues_only_what_is_missing(closed):
    jury, _ = closed
    attestation = BlockAttestation.objects.get()
    award = attestation.award
    attestation.credential.delete()
    attestation.delete()  # as if the run had crashed before this chunk
    run = IssuanceRun.objects.create(jury_session=jury)
    run = services.run_session(run)
    assert run.done == 1 and BlockAttestation.objects.filter(award=award).count() == 1
    assert BlockAttestation.objects.get(award=award).sequence == 2  # never a number reused


def test_a_run_that_crashes_mid_session_resumes_without_gap_or_double(closed, monkeypatch):
    """Batches commit one by one with the run's progress; a crash rolls back its batch's numbers."""
    jury, _ = closed
    for document in list(Parchment.objects.all()) + list(BlockAttestation.objects.all()):
        document.credential.delete()
        document.delete()
    from cqphub.credentials.models import NumberCounter

    NumberCounter.objects.update(last=0)
    monkeypatch.setattr(services, "CHUNK", 1)
    real_render, calls = services.render_pdf, []

    def crash_on_the_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_render(*args, **kwargs)

    monkeypatch.setattr(services, "render_pdf", crash_on_the_second)
    run = IssuanceRun.objects.create(jury_session=jury)
    with pytest.raises(OSError):
        services.run_session(run)
    run.refresh_from_db()
    assert run.state == "failed" and run.total == 2 and run.done == 1  # the first batch is kept
    first = Parchment.objects.count() + BlockAttestation.objects.count()
    assert first == 1
    monkeypatch.setattr(services, "render_pdf", real_render)
    run = services.run_session(IssuanceRun.objects.create(jury_session=jury))
    assert run.state == "done" and run.total == run.done == 1
    documents = list(Parchment.objects.all()) + list(BlockAttestation.objects.all())
    assert len(documents) == 2 and {d.award_id for d in documents} == {
        a.pk for a in award_selectors.awards_of_session(jury)
    }
    assert sorted(d.sequence for d in documents) == [1, 1]  # one per kind: the crashed batch left no gap
    assert services.run_session(IssuanceRun.objects.create(jury_session=jury)).total == 0


def test_reconciliation_re_signs_each_status_list_once(
    world, closed, monkeypatch, django_capture_on_commit_callbacks
):
    """Two revocations lost at once: both bits flip, the list is signed once for both."""
    from cqphub.credentials.receivers import issue_on_award, revoke_on_award
    from cqphub.juries import services as juries
    from cqphub.juries.models import Decision
    from cqphub.juries.signals import award_recorded, award_revoked

    jury, _ = closed
    documents = list(Parchment.objects.all()) + list(BlockAttestation.objects.all())
    assert len({d.credential.status_list_id for d in documents}) == 1
    award_revoked.disconnect(dispatch_uid="credentials.revoke")
    award_recorded.disconnect(dispatch_uid="credentials.issue")
    try:  # the juries revoke both awards; the signals are lost
        for document in documents:
            decision = Decision.objects.filter(
                session=jury, candidacy=document.award.candidacy, validated=True
            ).first()
            with django_capture_on_commit_callbacks(execute=True):
                juries.revoke_decision(
                    actor=world.users["certification_officer"], decision=decision, reason="Erreur",
                    kind="correction",
                )  # fmt: skip
    finally:
        award_revoked.connect(revoke_on_award, dispatch_uid="credentials.revoke")
        award_recorded.connect(issue_on_award, dispatch_uid="credentials.issue")
    real_sign, signed = services._sign_list, []
    monkeypatch.setattr(services, "_sign_list", lambda row: (signed.append(row.pk), real_sign(row)))
    assert services.reconcile_revocations() == 2
    assert len(signed) == 1
    listed = json.loads(documents[0].credential.status_list.__class__.objects.get().signed)
    assert signing.verify(listed, resolver()).verified
    for document in documents:
        entry = json.loads(document.credential.signed_json)["credentialStatus"]
        assert status_list.is_revoked(entry, listed)
    assert services.reconcile_revocations() == 0


def test_revoking_a_decision_revokes_and_flips_the_bit(world, closed, django_capture_on_commit_callbacks):
    from cqphub.juries import services as juries
    from cqphub.juries.models import Decision

    jury, candidacies = closed
    parchment = Parchment.objects.get()
    decision = Decision.objects.filter(
        session=jury, candidacy=parchment.award.candidacy, validated=True
    ).first()
    with django_capture_on_commit_callbacks(execute=True):
        juries.revoke_decision(
            actor=world.users["certification_officer"],
            decision=decision,
            reason="Fraude avérée",
            kind="fraud",
        )
    parchment.refresh_from_db()
    assert parchment.revoked_at is not None and parchment.revocation_reason
    credential = parchment.credential
    listed = json.loads(credential.status_list.signed)
    assert signing.verify(listed, resolver()).verified
    entry = json.loads(credential.signed_json)["credentialStatus"]
    assert status_list.is_revoked(entry, listed)
    # the replacing award (partial now) gets its own attestation
    assert BlockAttestation.objects.filter(award__candidacy=parchment.award.candidacy).exists()


def test_a_lost_revocation_signal_is_caught_by_reconciliation(
    world, closed, django_capture_on_commit_callbacks
):
    from cqphub.credentials.receivers import issue_on_award, revoke_on_award
    from cqphub.juries import services as juries
    from cqphub.juries.models import Decision
    from cqphub.juries.signals import award_recorded, award_revoked

    jury, _ = closed
    parchment = Parchment.objects.get()
    decision = Decision.objects.filter(
        session=jury, candidacy=parchment.award.candidacy, validated=True
    ).first()
    award_revoked.disconnect(dispatch_uid="credentials.revoke")
    award_recorded.disconnect(dispatch_uid="credentials.issue")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            juries.revoke_decision(
                actor=world.users["certification_officer"],
                decision=decision,
                reason="Erreur",
                kind="correction",
            )
    finally:
        award_revoked.connect(revoke_on_award, dispatch_uid="credentials.revoke")
        award_recorded.connect(issue_on_award, dispatch_uid="credentials.issue")
    parchment.refresh_from_db()
    assert parchment.revoked_at is None  # the signal was lost
    assert services.reconcile_revocations() == 1
    parchment.refresh_from_db()
    assert parchment.revoked_at is not None
    assert selectors.document_by_number(parchment.number).is_revoked


def test_revoke_needs_a_reason_and_happens_once(closed):
    parchment = Parchment.objects.get()
    with pytest.raises(ValueError):
        services.revoke(parchment, reason=" ")
    assert services.revoke(parchment, reason="Erreur matérielle")
    assert not services.revoke(parchment, reason="encore")


def test_status_indexes_are_spread_and_unique():
    indexes = {
        (ordinal * services.STATUS_STRIDE + services.STATUS_OFFSET) % 131_072 for ordinal in range(131_072)
    }
    assert len(indexes) == 131_072


def test_no_active_key_is_a_clear_error(settings, tmp_path, closed):
    settings.CREDENTIALS_KEY_DIR = tmp_path / "empty"
    with pytest.raises(issuer.NoIssuerKey, match="keys create"):
        issuer.active_key()


# --- public verification, pages, API ----------------------------------------------------------


@pytest.fixture
def revoked_parchment(closed):
    parchment = Parchment.objects.get()
    services.revoke(parchment, reason="Motif confidentiel de révocation")
    parchment.refresh_from_db()
    return parchment


def _keyed(document) -> str:
    """The document's verification page as its QR code and share link give it (with the key)."""
    url = issuer.verification_url(document.number)
    assert url.startswith(f"{issuer.public_url()}/attestations/verifier/{document.number}/?cle=")
    return url.removeprefix(issuer.public_url())


def _no_name(text: str, document) -> None:
    """Neither the holder's full name nor any word of it (family name, first names) is in `text`."""
    assert document.holder_name not in text
    for word in document.holder_name.split():
        assert word.lower() not in text.lower(), word


def test_verification_page_by_number_valid_and_minimal(client, closed):
    attestation = BlockAttestation.objects.select_related("award__candidate").get()
    response = client.get(_keyed(attestation))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-outcome="valid"' in page and attestation.holder_name in page
    assert "data-key-check" not in page
    candidate = attestation.award.candidate
    assert candidate.email not in page and attestation.holder_birth not in page
    assert response["Cache-Control"] == "no-store"


def test_a_number_alone_shows_the_holders_initials_only(client, closed):
    """Numbers are sequential: without the key, listing numbers must not list holders' names."""
    attestation = BlockAttestation.objects.get()
    assert attestation.holder_name == "Léa Marie DURAND2"
    response = client.get(f"/attestations/verifier/{attestation.number}/")
    page = response.content.decode()
    assert response.status_code == 200 and 'data-outcome="valid"' in page
    assert "L. M. D." in page and 'data-key-check="missing"' in page
    assert "le QR code imprimé sur le document" in page
    assert "Boulanger-tourier" in page  # what was certified is still shown
    _no_name(page, attestation)
    answer = client.get(f"/api/v1/credentials/verify/{attestation.number}")
    data = answer.json()
    assert data["outcome"] == "valid" and data["holder_name"] is None
    assert data["holder_initials"] == "L. M. D." and data["key_check"] == "missing"
    assert data["qualification"] == attestation.mentions["title"] and data["blocks"]
    _no_name(answer.content.decode(), attestation)


@pytest.mark.parametrize(
    "key",
    ["aaaaaaaaaaaaaaaa", "2" * 16, "clé-de-travers", "x" * 64, "OTHER-DOCUMENT", ""],
    ids=["letters", "digits", "non-ascii", "long", "other-document", "empty"],
)
def test_a_wrong_key_shows_initials_only(client, closed, key):
    parchment, attestation = Parchment.objects.get(), BlockAttestation.objects.get()
    if key == "OTHER-DOCUMENT":  # a genuine key, but another document's
        key = issuer.verification_key(parchment.number)
    response = client.get(f"/attestations/verifier/{attestation.number}/", {"cle": key})
    page = response.content.decode()
    expected = "wrong" if key else "missing"
    assert response.status_code == 200 and 'data-outcome="valid"' in page
    assert f'data-key-check="{expected}"' in page and "L. M. D." in page
    _no_name(page, attestation)
    answer = client.get(f"/api/v1/credentials/verify/{attestation.number}", {"key": key})
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["holder_name"] is None and data["key_check"] == expected
    _no_name(answer.content.decode(), attestation)


def test_the_right_key_shows_the_full_name_page_and_api(client, closed):
    attestation = BlockAttestation.objects.get()
    key = issuer.verification_key(attestation.number)
    assert len(key) == 16 and key.isalnum() and key == key.lower()
    for given in (key, key.upper(), f" {key} "):  # read aloud or retyped: case and spaces do not matter
        page = client.get(f"/attestations/verifier/{attestation.number.lower()}/", {"cle": given})
        assert attestation.holder_name in page.content.decode() and b"data-key-check" not in page.content
    data = client.get(f"/api/v1/credentials/verify/{attestation.number}", {"key": key}).json()
    assert data["holder_name"] == attestation.holder_name and data["key_check"] == "valid"
    assert data["holder_initials"] == "L. M. D."


def test_the_key_is_an_hmac_of_the_number_under_the_server_secret(settings, client, closed):
    from cqphub.credentials import verification

    attestation = BlockAttestation.objects.get()
    number = attestation.number
    # not a function of the number alone: it changes with the secret, and from one number to the next
    assert verification.verification_key(number, "a") != verification.verification_key(number, "b")
    assert verification.verification_key(number, "a") != verification.verification_key(number[:-1] + "2", "a")
    settings.CREDENTIALS_VERIFICATION_SECRET = ""
    settings.SECRET_KEY = "first django secret key, long enough for the checks: 0123456789"
    from_secret_key = issuer.verification_key(number)
    settings.SECRET_KEY = "second django secret key, long enough for the checks: 0123456789"
    assert issuer.verification_key(number) != from_secret_key
    settings.CREDENTIALS_VERIFICATION_SECRET = "a dedicated verification secret"
    old = issuer.verification_key(number)
    assert old not in {from_secret_key, verification.verification_key(number, settings.SECRET_KEY)}

    def name_shown(key: str) -> bool:
        return verification.by_number(number, key).holder_name == attestation.holder_name

    assert name_shown(old)
    settings.CREDENTIALS_VERIFICATION_SECRET = "the next verification secret"
    assert not name_shown(old) and name_shown(issuer.verification_key(number))
    settings.CREDENTIALS_VERIFICATION_SECRET_FALLBACKS = ["a dedicated verification secret"]
    assert name_shown(old) and name_shown(issuer.verification_key(number))  # printed keys still work


def test_initials():
    from cqphub.credentials.verification import initials

    assert initials("Léa Marie DURAND2") == "L. M. D."
    assert initials("Jean-Pierre ÉLOI-ŒUVRÉ") == "J.-P. É.-Œ."
    assert initials("Anne, Sophie  de LA TOUR") == "A. S. D. L. T."
    assert initials("") == ""


def test_verification_page_revoked_shows_the_date_not_the_reason(client, revoked_parchment):
    page = client.get(_keyed(revoked_parchment)).content.decode()
    assert 'data-outcome="revoked"' in page and revoked_parchment.holder_name in page
    assert "Motif confidentiel" not in page
    assert str(revoked_parchment.revoked_at.astimezone().year) in page
    alone = client.get(f"/attestations/verifier/{revoked_parchment.number}/").content.decode()
    assert 'data-outcome="revoked"' in alone and "Motif confidentiel" not in alone
    _no_name(alone, revoked_parchment)


def test_verification_page_unknown_number(client, closed):
    page = client.get("/attestations/verifier/CQP-9999-2026-00001/").content.decode()
    assert 'data-outcome="unknown"' in page


def test_uploaded_json_valid_tampered_and_foreign(client, closed, vectors):
    parchment = Parchment.objects.get()
    text = parchment.credential.signed_json
    from django.core.files.uploadedfile import SimpleUploadedFile

    def upload(content: bytes, name="credential.json"):
        response = client.post("/attestations/verifier/", {"document": SimpleUploadedFile(name, content)})
        assert response.status_code == 200
        return response.content.decode()

    valid = upload(text.encode())
    assert 'data-outcome="valid"' in valid
    assert parchment.holder_name in valid  # whoever holds the signed file holds the name
    changed = text.replace(parchment.holder_name, parchment.holder_name + "E", 1)
    assert 'data-outcome="tampered"' in upload(changed.encode())
    assert 'data-outcome="unknown"' in upload(json.dumps(vectors["signed"]).encode())
    assert 'data-outcome="unknown"' in upload(b"not json at all")


def test_uploaded_pdf_valid_and_tampered(client, closed):
    from django.core.files.storage import default_storage
    from django.core.files.uploadedfile import SimpleUploadedFile

    parchment = Parchment.objects.get()
    with default_storage.open(parchment.pdf, "rb") as handle:
        data = handle.read()
    ok = client.post(
        "/attestations/verifier/", {"document": SimpleUploadedFile("p.pdf", data)}
    ).content.decode()
    assert 'data-outcome="valid"' in ok and parchment.holder_name in ok
    index = data.index(b"/MediaBox")
    altered = data[:index] + b"/MediaBox".replace(b"M", b"N") + data[index + 9 :]
    bad = client.post(
        "/attestations/verifier/", {"document": SimpleUploadedFile("p.pdf", altered)}
    ).content.decode()
    assert 'data-outcome="tampered"' in bad


def test_api_verification(client, revoked_parchment):
    key = issuer.verification_key(revoked_parchment.number)
    answer = client.get(f"/api/v1/credentials/verify/{revoked_parchment.number}", {"key": key}).json()
    assert (
        answer["outcome"] == "revoked"
        and answer["revoked_on"] == revoked_parchment.revoked_at.date().isoformat()
    )
    assert answer["holder_name"] == revoked_parchment.holder_name and "reason" not in json.dumps(answer)
    alone = client.get(f"/api/v1/credentials/verify/{revoked_parchment.number}").json()
    assert alone["outcome"] == "revoked" and alone["revoked_on"] == answer["revoked_on"]
    assert alone["holder_name"] is None and alone["holder_initials"] == "L. M. D."
    posted = client.post(
        "/api/v1/credentials/verify",
        data=revoked_parchment.credential.signed_json,
        content_type="application/json",
    ).json()
    assert posted["outcome"] == "revoked" and posted["number"] == revoked_parchment.number
    assert posted["holder_name"] == revoked_parchment.holder_name and posted["key_check"] is None
    uploaded = client.post(
        "/api/v1/credentials/verify/file",
        {"document": io.BytesIO(revoked_parchment.credential.signed_json.encode())},
    ).json()
    assert uploaded["outcome"] == "revoked" and uploaded["holder_name"] == revoked_parchment.holder_name
    assert client.get("/api/v1/credentials/verify/ATT-0001-2026-99999").json()["outcome"] == "unknown"


def test_verification_is_rate_limited(client, closed):
    from django.core.cache import cache

    cache.clear()
    statuses = [client.get("/attestations/verifier/CQP-0001-2026-00001/").status_code for _ in range(32)]
    assert statuses[:30] == [200] * 30 and statuses[-1] == 429
    # the API shares the page's budget: a script cannot switch to it to list more numbers
    api = client.get("/api/v1/credentials/verify/CQP-0001-2026-00001")
    assert api.status_code == 429 and "retry" in api.json()["detail"]
    cache.clear()


def test_did_document_and_status_list_are_served_with_cache_headers(client, revoked_parchment):
    did = client.get("/.well-known/did.json")
    assert did.status_code == 200 and did["Cache-Control"] == "public, max-age=3600"
    document = did.json()
    assert document["id"] == "did:web:attestations.example.fr"
    credential = json.loads(revoked_parchment.credential.signed_json)
    list_url = credential["credentialStatus"]["statusListCredential"]
    assert list_url.startswith("https://attestations.example.fr/attestations/statuts/platform/")
    served = client.get(list_url.removeprefix("https://attestations.example.fr"))
    assert served.status_code == 200 and served["Cache-Control"] == "public, max-age=300"
    listed = served.json()
    from cqphub.credentials import did

    assert signing.verify(listed, did.resolver_from_document(document)).verified
    assert signing.verify(credential, did.resolver_from_document(document)).verified
    assert status_list.is_revoked(credential["credentialStatus"], listed)
    assert client.get("/attestations/statuts/platform/99").status_code == 404
    assert client.get("/attestations/issuers/nobody/did.json").status_code == 404


def test_holder_page_and_downloads(client, world, closed):
    from cqphub.orgs.models import User

    parchment = Parchment.objects.select_related("award__candidate").get()
    candidate = parchment.award.candidate
    holder = User.objects.create_user(email="titulaire@example.org", password="x-Very-long-password-1")
    candidate.user = holder
    candidate.save(update_fields=["user"])
    client.force_login(holder)
    page = client.get("/attestations/mes-attestations/").content.decode()
    share = issuer.verification_url(parchment.number)
    assert parchment.number in page and share in page and "?cle=" in share
    client.logout()
    shared = client.get(share.removeprefix(issuer.public_url())).content.decode()
    assert 'data-outcome="valid"' in shared and parchment.holder_name in shared
    client.force_login(holder)
    pdf = client.get(f"/attestations/documents/{parchment.number}.pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF-")
    vc = client.get(f"/attestations/documents/{parchment.number}.json")
    assert b"".join(vc.streaming_content).decode() == parchment.credential.signed_json
    # inert downloads, as orgs.uploads.attachment_response serves every stored file
    for response, kind in ((pdf, "application/pdf"), (vc, "application/vc+ld+json")):
        assert response["Content-Type"] == kind
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"].startswith("sandbox")
        assert response["Content-Disposition"].startswith("attachment;")
        assert parchment.number in response["Content-Disposition"]
        assert response["Cache-Control"] == "private, no-store"
    assert client.get(f"/attestations/documents/{parchment.number}.html").status_code == 404
    other = BlockAttestation.objects.get()
    assert client.get(f"/attestations/documents/{other.number}.json").status_code == 404
    client.force_login(world.users["outsider"])
    assert client.get(f"/attestations/documents/{parchment.number}.pdf").status_code == 404
    client.force_login(world.users["certification_officer"])
    assert client.get(f"/attestations/documents/{parchment.number}.json").status_code == 200


def test_staff_revokes_from_the_list(client, world, closed):
    parchment = Parchment.objects.get()
    client.force_login(world.users["outsider"])
    assert client.get(f"/attestations/gestion/{parchment.number}/revoquer/").status_code == 404
    client.force_login(world.users["certification_officer"])
    assert parchment.number in client.get("/attestations/gestion/").content.decode()
    response = client.post(
        f"/attestations/gestion/{parchment.number}/revoquer/", {"reason": "Erreur de saisie"}
    )
    assert response.status_code == 302
    parchment.refresh_from_db()
    assert parchment.revoked_at is not None


# --- command line -------------------------------------------------------------------------------


def test_cli_list_show_revoke(closed, tmp_path):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("credentials", "list", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert {r["kind"] for r in rows} == {"parchment", "attestation"} and {r["state"] for r in rows} == {
        "valid"
    }
    number = next(r["number"] for r in rows if r["kind"] == "parchment")
    out = io.StringIO()
    call_command("credentials", "show", number, "--format", "json", stdout=out)
    assert out.getvalue() == Parchment.objects.get(number=number).credential.signed_json
    target = tmp_path / "p.pdf"
    call_command("credentials", "show", number, "--format", "pdf", "--out", str(target), stdout=io.StringIO())
    assert target.read_bytes().startswith(b"%PDF-")
    call_command("credentials", "revoke", number, "--reason", "Erreur", stdout=io.StringIO())
    out = io.StringIO()
    call_command(
        "credentials",
        "list",
        "--json",
        "--qualification",
        str(rows[0] and Parchment.objects.get().qualification_id),
        stdout=out,
    )
    assert {r["number"]: r["state"] for r in json.loads(out.getvalue())}[number] == "revoked"


def test_cli_keys(settings, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    settings.CREDENTIALS_KEY_DIR = tmp_path / "keys"
    out = io.StringIO()
    call_command("credentials", "keys", "list", stdout=out)
    assert "keys create" in out.getvalue()
    call_command("credentials", "keys", "create", stdout=io.StringIO())
    with pytest.raises(CommandError, match="rotate"):
        call_command("credentials", "keys", "create", stdout=io.StringIO())
    call_command("credentials", "keys", "rotate", stdout=io.StringIO())
    out = io.StringIO()
    call_command("credentials", "keys", "list", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and "retired" in lines[0] and lines[1].endswith("active")


# --- permission matrix (harness: tests/orgs/permission_matrix.py) ------------------------------

STAFF = {"superuser": 200, "branch_admin": 200, "certification_officer": 200}


def test_permission_matrix(client, world, closed):
    from tests.orgs.permission_matrix import ROLE_EMAILS, Case, assert_matrix

    number = Parchment.objects.get().number
    world.extra["credential_number"] = number
    world.extra["full_award_id"] = Parchment.objects.get().award_id
    cases = [
        Case("credentials:holder", lambda w: {}, dict.fromkeys(ROLE_EMAILS, 200)),
        Case("credentials:staff", lambda w: {}, STAFF | {"outsider": 200}),
        Case("credentials:download", lambda w: {"number": w.extra["credential_number"], "fmt": "pdf"}, STAFF),
        Case(
            "credentials:download", lambda w: {"number": w.extra["credential_number"], "fmt": "json"}, STAFF
        ),
        Case("credentials:revoke", lambda w: {"number": w.extra["credential_number"]}, STAFF),
        Case(  # a full award's block attestation, asked for: staff are redirected to their list
            "credentials:request_attestation",
            lambda w: {"award_id": w.extra["full_award_id"]},
            dict.fromkeys(STAFF, 302),
            method="post",
        ),
    ]
    assert_matrix(client, world, cases)
    client.force_login(world.users["outsider"])
    assert number not in client.get("/attestations/gestion/").content.decode()  # another branch's documents
    assert (
        BlockAttestation.objects.filter(award_id=world.extra["full_award_id"], on_request=True).count() == 1
    )
