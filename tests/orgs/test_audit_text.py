"""The audit trail in sentences: labels and names, never field names, keys or internal type names."""

import pytest
from django.utils import translation

from cqphub.orgs.audit_text import sentence
from cqphub.orgs.models import AuditEntry

pytestmark = pytest.mark.django_db


def entry(**kw):
    return AuditEntry.objects.create(actor_repr="claire@example.org", **kw)


def test_a_habilitation_created_reads_as_a_sentence(demo):
    centre = demo.centres[0]
    e = entry(
        action="create",
        object_type="qualifications.habilitation",
        object_id="7",
        object_repr="CQP Boulanger-tourier",
        changes={
            "centre": [None, centre.pk],
            "scope": [None, "both"],
            "valid_from": [None, "2025-03-01"],
            "valid_until": [None, "2030-02-28"],
            "suspension_reason": [None, ""],
        },
    )
    with translation.override("fr"):
        text = sentence(e)
    assert text.startswith("Habilitation créée : CQP Boulanger-tourier — ")
    assert f"centre : {centre.name}" in text and "Former et évaluer" in text
    assert "01/03/2025" in text and "28/02/2030" in text
    for raw in (
        "∅",
        "→",
        "scope",
        "valid_from",
        "suspension_reason",
        "qualifications.habilitation",
        str(centre.pk) + " ",
    ):
        assert raw not in text


def test_an_update_says_what_it_became_and_what_it_was():
    e = entry(
        action="update",
        object_type="orgs.branch",
        object_repr="Boulangerie",
        changes={"name": ["Boulangerie", "Boulangerie-pâtisserie"], "description": ["", "Texte"]},
    )
    with translation.override("fr"):
        text = sentence(e)
    assert text.startswith("Branche modifiée : Boulangerie — ")
    assert "(au lieu de Boulangerie)" in text and "Boulangerie-pâtisserie" in text


def test_custom_verbs_are_named_by_their_app():
    e = entry(
        action="lifecycle:registration_requested",
        object_type="qualifications.qualification",
        object_repr="CQP X",
    )
    assert sentence(e).startswith("Cycle de vie, Demande d'enregistrement : CQP X")
    shared = entry(action="share_block", object_type="qualifications.skillblock", object_repr="BC01")
    assert "share_block" not in sentence(shared)
    unknown = entry(action="strange_thing", object_type="gone.model", object_repr="Z")
    assert sentence(unknown) == "Strange thing : Z"


def test_the_journal_page_shows_sentences_not_diffs(client, demo):
    admin = demo.users["branch_admin"]
    client.force_login(admin)
    html = client.get(f"/espace/branches/{demo.branch.slug}/journal/").content.decode()
    assert "∅" not in html and "(orgs." not in html and "<code>" not in html
