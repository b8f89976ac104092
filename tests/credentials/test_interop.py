"""Independent proof: Digital Bazaar's verifier (Node) checks our credentials, ours checks theirs."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess

import pytest

from cqphub.credentials import canon, contexts, signing, status_list
from tests.conftest import _missing
from tests.credentials.conftest import HOST, LIST_URL, make_credential

SCRIPT = contexts.CONTEXTS_FILE.parent.parent / "interop.mjs"


def node(command: str, payload: dict):
    if not shutil.which("node") or not (SCRIPT.parent / "node_modules").is_dir():
        _missing("Node.js or the npm packages are missing: run `make node`")
    result = subprocess.run(
        ["node", str(SCRIPT), command], input=json.dumps(payload), capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def issued(key_store):
    """Three credentials signed by our code, the second one revoked in the signed status list."""
    key = key_store.active_key().signing_key()
    credentials = [
        signing.sign(make_credential(key_store.issuer(), index=100 + i, name=f"Holder {i}", credential_id=f"urn:uuid:00000000-0000-4000-8000-00000000000{i}"), key)
        for i in range(3)
    ]  # fmt: skip
    bits = status_list.StatusList()
    bits.set(101)
    status = status_list.status_list_credential(
        list_url=LIST_URL, issuer=key_store.issuer(), status_list=bits, valid_from="2026-06-15T00:00:00Z"
    )
    documents = {LIST_URL: signing.sign(status, key), key_store.issuer(): key_store.did_document()}
    return credentials, documents


def test_digital_bazaar_verifies_ours_and_sees_the_revoked_one(issued):
    credentials, documents = issued
    results = node("verify", {"documents": documents, "credentials": credentials})
    assert [r["verified"] for r in results] == [True, True, True], results
    assert [r["revoked"] for r in results] == [False, True, False]


def test_digital_bazaar_rejects_a_changed_byte(issued):
    credentials, documents = issued
    changed = copy.deepcopy(credentials[0])
    name = changed["credentialSubject"]["identifier"][0]["identityHash"]
    changed["credentialSubject"]["identifier"][0]["identityHash"] = name[:-1] + chr(ord(name[-1]) + 1)
    proof_changed = copy.deepcopy(credentials[0])
    value = proof_changed["proof"]["proofValue"]
    proof_changed["proof"]["proofValue"] = value[:10] + ("2" if value[10] != "2" else "3") + value[11:]
    results = node("verify", {"documents": documents, "credentials": [changed, proof_changed]})
    assert [r["verified"] for r in results] == [False, False], results


def test_a_key_rotation_keeps_earlier_credentials_valid_for_digital_bazaar(issued, key_store):
    credentials, documents = issued
    key_store.rotate(name="CPNE")
    documents[key_store.issuer()] = key_store.did_document()
    assert len(documents[key_store.issuer()]["assertionMethod"]) == 2
    results = node("verify", {"documents": documents, "credentials": credentials[:1]})
    assert results[0]["verified"], results


def test_we_verify_what_digital_bazaar_signed():
    unsigned = make_credential(f"did:web:{HOST}")
    answer = node("sign", {"credential": unsigned})
    signed = answer["signed"]
    assert signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert signed["proof"]["verificationMethod"].endswith("#" + answer["publicKeyMultibase"])
    assert signing.verify(signed).verified
    signed["credentialSubject"]["identifier"][0]["identityHash"] = "Someone Else"
    assert signing.verify(signed).reason == "bad-signature"


def test_canonical_forms_equal_rdf_canonize(key_store):
    documents = [
        make_credential(key_store.issuer()),
        make_credential(
            key_store.issuer(), name='Zoë "Zaza" \\ Œuvre\nII', blocks=("BC02",), attestation=True
        ),
        make_credential(
            key_store.issuer(),
            email="",
            holder_did="did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
        ),
    ]
    assert node("canonize", {"documents": documents}) == [canon.canonical_nquads(d) for d in documents]


def test_a_blank_node_pointing_at_itself():
    """A credential without id whose subject is the blank node `_:b0` of the credential itself.

    RDFC-1.0 maps each blank node to the *set* of quads it appears in; rdf-canonize (JavaScript) does,
    pyld lists a quad twice when the node is both its subject and object and so hashes differently.
    Our canonical form is the specification's (and Digital Bazaar's), not pyld's.
    """
    document = make_credential(f"did:web:{HOST}", holder_did="_:b0", credential_id="_:b0")
    reference = node("canonize", {"documents": [document]})[0]
    assert canon.canonical_nquads(document) == reference
    assert canon.pyld_canonical(document) != reference
