"""The demo's documents (one per holder of the closed demo jury, one revoked), and issuing under a
branch's own issuer key (its DID, its status list, rotation that keeps earlier credentials valid)."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache

from cqphub.credentials import did, issuer, selectors, services, signing, status_list
from cqphub.credentials.models import BlockAttestation, Parchment
from cqphub.juries import selectors as award_selectors
from tests.credentials.chain_fixtures import PUBLIC, close_session

pytestmark = pytest.mark.django_db


def _served_resolver(client, path: str):
    """A resolver built from the DID document as the platform serves it (what a verifier follows)."""
    response = client.get(path)
    assert response.status_code == 200
    return did.resolver_from_document(response.json()), response.json()


def _outcome(client, document) -> str:
    page = client.get(issuer.verification_url(document.number).removeprefix(PUBLIC)).content.decode()
    return page.split('data-outcome="', 1)[1].split('"', 1)[0]


# --- the demo ------------------------------------------------------------------------------------


def test_the_demo_issues_each_holder_their_document_and_revokes_one(world, client, settings, tmp_path):
    from cqphub.credentials.demo import DEMO_REVOCATION, load_demo_credentials
    from cqphub.journeys.demo import load_demo_journeys
    from cqphub.juries.demo import load_demo_juries
    from cqphub.juries.models import JurySession

    settings.CREDENTIALS_KEY_DIR = tmp_path / "keys"  # a fresh machine: the demo makes its key
    load_demo_journeys()
    load_demo_juries()  # as `cqphub demo load` does, in this order
    report = load_demo_credentials()
    assert report["key_created"] and report["revoked"] == 1
    session = JurySession.objects.get(status="closed")
    holders = list(award_selectors.awards_of_session(session))
    assert {a.kind for a in holders} == {"full", "partial"}
    documents = []
    for award in holders:
        found = selectors.documents_for_award(award)
        assert [type(d).KIND for d in found] == [services._kind_of(award)], award
        assert found[0].holder_name == services.holder_name(award.candidate)
        documents.extend(found)
    assert report["issued"] == len(documents) == Parchment.objects.count() + BlockAttestation.objects.count()
    resolve, _document = _served_resolver(client, "/.well-known/did.json")
    cache.clear()  # the verification pages are rate-limited per address
    revoked = []
    for document in documents:
        credential = json.loads(document.credential.signed_json)
        assert signing.verify(credential, resolve).verified, document.number
        listed = json.loads(
            client.get(credential["credentialStatus"]["statusListCredential"].removeprefix(PUBLIC)).content
        )
        assert signing.verify(listed, resolve).verified
        flagged = status_list.is_revoked(credential["credentialStatus"], listed)
        assert flagged == (document.revoked_at is not None)
        assert _outcome(client, document) == ("revoked" if flagged else "valid")
        if flagged:
            revoked.append(document)
    assert len(revoked) == 1 and revoked[0].revocation_reason == DEMO_REVOCATION
    assert load_demo_credentials() == {"key_created": False, "issued": 0, "revoked": 0}  # idempotent
    cache.clear()


# --- a branch's own issuer key -------------------------------------------------------------------


@pytest.fixture
def branch_keys(settings, tmp_path, world):
    """A key store with the platform's key and one of the demo CQP's branch."""
    settings.CREDENTIALS_KEY_DIR = tmp_path / "keys"
    store = issuer.key_store()
    store.create(name="Plateforme")
    slug = world.branch.slug[:63]
    store.create(slug, name=world.branch.name)
    return store, slug


def test_a_branch_with_its_own_key_issues_under_its_own_did(
    client, world, president, branch_keys, django_capture_on_commit_callbacks
):
    store, slug = branch_keys
    close_session(world, president, django_capture_on_commit_callbacks)
    branch_did = f"did:web:{issuer.host()}:attestations:issuers:{slug}"
    assert store.issuer(slug) == branch_did
    documents = list(Parchment.objects.all()) + list(BlockAttestation.objects.all())
    assert len(documents) == 2
    resolve, served = _served_resolver(client, f"/attestations/issuers/{slug}/did.json")
    assert served["id"] == branch_did
    methods = [m["id"] for m in served["verificationMethod"]]
    platform_methods = [m["id"] for m in client.get("/.well-known/did.json").json()["verificationMethod"]]
    assert not set(methods) & set(platform_methods)
    for document in documents:
        credential = json.loads(document.credential.signed_json)
        assert credential["issuer"]["id"] == branch_did and credential["issuer"]["name"] == world.branch.name
        assert credential["proof"]["verificationMethod"] in methods
        assert document.credential.issuer == slug
        assert signing.verify(credential, resolve).verified
        list_url = credential["credentialStatus"]["statusListCredential"]
        assert list_url == f"{PUBLIC}/attestations/statuts/{slug}/1"
        listed = client.get(list_url.removeprefix(PUBLIC)).json()
        assert listed["issuer"] == branch_did or listed["issuer"].get("id") == branch_did
        assert signing.verify(listed, resolve).verified
    platform_only = did.resolver_from_document(client.get("/.well-known/did.json").json())
    assert not signing.verify(json.loads(documents[0].credential.signed_json), platform_only).verified


def test_rotating_a_branch_key_keeps_earlier_credentials_verifiable(
    client, world, president, branch_keys, django_capture_on_commit_callbacks
):
    store, slug = branch_keys
    close_session(world, president, django_capture_on_commit_callbacks)
    parchment = Parchment.objects.get()
    old_method = parchment.credential.verification_method
    new_key = store.create(slug, name=world.branch.name)  # rotation: the old key is retired
    assert new_key.verification_method != old_method
    assert [k.active for k in store.keys(slug)] == [False, True]
    award = award_selectors.award(parchment.award_id)
    attestation, created = services.request_block_attestation(award, actor=None)  # signed after rotation
    assert created and attestation.credential.verification_method == new_key.verification_method
    resolve, served = _served_resolver(client, f"/attestations/issuers/{slug}/did.json")
    assert {old_method, new_key.verification_method} <= {m["id"] for m in served["verificationMethod"]}
    for document in (parchment, attestation):
        assert signing.verify(json.loads(document.credential.signed_json), resolve).verified
    cache.clear()
    assert _outcome(client, parchment) == _outcome(client, attestation) == "valid"
    services.revoke(parchment, reason="Erreur")  # the list is re-signed with the new key
    listed = client.get(f"/attestations/statuts/{slug}/1").json()
    assert listed["proof"]["verificationMethod"] == new_key.verification_method
    assert signing.verify(listed, resolve).verified
    assert _outcome(client, parchment) == "revoked"
    cache.clear()
