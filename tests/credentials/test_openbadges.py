"""Open Badges 3.0 OpenBadgeCredential: what goes where."""

import hashlib

from cqphub.credentials import contexts, openbadges
from tests.credentials.conftest import ACHIEVEMENT, HOST, LIST_URL, make_credential

ISSUER = f"did:web:{HOST}"


def test_credential_envelope():
    credential = make_credential(ISSUER)
    assert credential["@context"] == [contexts.VC_V2, contexts.OB_V3]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"]["id"] == ISSUER and credential["issuer"]["type"] == ["Profile"]
    assert credential["issuer"]["otherIdentifier"][0]["identifier"] == "77567227200017"
    assert credential["validFrom"] == "2026-06-15T00:00:00Z"
    assert credential["credentialStatus"]["statusListCredential"] == LIST_URL
    assert credential["credentialStatus"]["statusListIndex"] == "7"


def test_holder_identified_by_salted_email_hash():
    credential = make_credential(ISSUER, email="Jeanne.Martin@Example.org")
    name, email = credential["credentialSubject"]["identifier"]
    assert name == {
        "type": "IdentityObject",
        "identityType": "name",
        "hashed": False,
        "identityHash": "Jeanne Martin",
    }
    expected = "sha256$" + hashlib.sha256(b"jeanne.martin@example.orgc2VsLWRlLXRlc3Q").hexdigest()
    assert (
        email["identityHash"] == expected and email["hashed"] is True and email["salt"] == "c2VsLWRlLXRlc3Q"
    )
    assert "Jeanne.Martin" not in str(credential)


def test_holder_identified_by_did():
    credential = make_credential(
        ISSUER, email="", holder_did="did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    )
    subject = credential["credentialSubject"]
    assert subject["id"].startswith("did:key:") and len(subject["identifier"]) == 1


def test_achievement_mentions():
    achievement = make_credential(ISSUER)["credentialSubject"]["achievement"]
    assert achievement["name"] == "CQP Tourier"
    assert achievement["achievementType"] == "Certification"
    assert achievement["humanCode"] == "RNCP37488"
    assert achievement["fieldOfStudy"].startswith("221")
    assert achievement["criteria"]["narrative"].startswith("Validation")
    targets = {a["targetCode"]: a for a in achievement["alignment"]}
    assert targets["RNCP37488"]["targetUrl"] == "https://www.francecompetences.fr/recherche/rncp/37488/"
    assert {"D1102", "D1104", "3"} <= set(targets)
    assert targets["3"]["targetFramework"] == "European Qualifications Framework"
    assert [d["name"] for d in achievement["resultDescription"]] == [
        "BC01 — Préparer les pâtes",
        "BC02 — Façonner et garnir",
        "BC03 — Cuire et présenter",
    ]


def test_blocks_are_results_tied_to_their_descriptions():
    credential = make_credential(ISSUER, blocks=("BC01", "BC03"), attestation=True)
    subject = credential["credentialSubject"]
    assert subject["achievement"]["achievementType"] == "Certificate"
    assert subject["achievement"]["id"].endswith("#blocks")
    assert [r["resultDescription"] for r in subject["result"]] == [
        openbadges.block_description_id(ACHIEVEMENT, ACHIEVEMENT.blocks[0]),
        openbadges.block_description_id(ACHIEVEMENT, ACHIEVEMENT.blocks[2]),
    ]
    assert {r["status"] for r in subject["result"]} == {"Completed"}


def test_text_is_cleaned_of_control_characters():
    assert openbadges.clean("A\tB\x07C\r\nD ") == "A BC\nD"
