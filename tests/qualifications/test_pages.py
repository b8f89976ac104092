"""Back-office pages: forms call the services, errors are shown, nothing half-saved."""

import re

import pytest

from cqphub.orgs.models import Committee
from cqphub.qualifications.demo import CQP_TITLE
from cqphub.qualifications.models import Qualification

pytestmark = pytest.mark.django_db
BASE = "/espace/qualifications/"


def test_create_refuses_a_cqpi_of_one_branch_with_the_message(client, world):
    client.force_login(world.users["branch_admin"])
    bakery = Committee.objects.get(short_name="CPNEFP Boulangerie")
    form = client.get(BASE + "nouvelle/").content.decode()
    assert "CPNEFP Métallurgie" not in form  # only the committees of the user's branches
    data = {
        "kind": "CQPI",
        "title": "CQPI Essai",
        "committee": bakery.pk,
        "ip_holder": Qualification.objects.first().ip_holder_id,
        "creation_decision_date": "2026-01-15",
        "rome_codes": "D1102",
        "target_jobs": "Vendeur",
    }
    response = client.post(BASE + "nouvelle/", data)
    assert response.status_code == 400 and "au moins deux branches" in response.content.decode()
    assert not Qualification.objects.filter(title="CQPI Essai").exists()
    data["kind"] = "CQP"
    response = client.post(BASE + "nouvelle/", data)
    created = Qualification.objects.get(title="CQPI Essai")
    assert response.status_code == 302 and response["Location"] == f"{BASE}{created.pk}/"


def test_overview_shows_state_due_and_versions(client, world):
    cqp = Qualification.objects.get(title=CQP_TITLE)
    client.force_login(world.users["jury_member"])
    page = client.get(f"{BASE}{cqp.pk}/").content.decode()
    assert "RNCP99001" in page and "01/09/2027" in page and "Version 2" in page
    assert "Commencer une nouvelle version" not in page  # jury members do not edit
    # what it opens: the rules engine's findings for a registered CQP
    assert "Niveau 3 du cadre national" in page and "Accessible par la VAE" in page


def test_lifecycle_page_records_an_event_or_names_the_error(client, world):
    cqp = Qualification.objects.get(title=CQP_TITLE)
    client.force_login(world.users["certification_officer"])
    response = client.post(f"{BASE}{cqp.pk}/vie-legale/", {"kind": "expired", "on": "2027-01-01"})
    assert response.status_code == 400 and "ne peut être échu avant" in response.content.decode()
    response = client.post(f"{BASE}{cqp.pk}/vie-legale/", {"kind": "renewal_requested", "on": "2027-06-01"})
    assert response.status_code == 302
    cqp.refresh_from_db()
    assert cqp.state == "renewal_requested"


def test_registry_page_shows_differences(client, world):
    cqp = Qualification.objects.get(title=CQP_TITLE)
    client.force_login(world.users["branch_admin"])
    page = client.get(f"{BASE}{cqp.pk}/registre/").content.decode()
    assert "RNCP99001" in page and "BC03" in page and "différent" in page


def test_start_from_a_fiche_review_then_save(client, world):
    from cqphub.orgs.models import CertifierEntity

    client.force_login(world.users["certification_officer"])
    start = {
        "fiche_code": "RNCP99001",
        "kind": "CQP",
        "committee": Committee.objects.get(short_name="CPNEFP Boulangerie").pk,
        "ip_holder": CertifierEntity.objects.get(branch__slug="boulangerie-patisserie").pk,
        "creation_decision_date": "2026-11-01",
    }
    response = client.post(BASE + "depuis-une-fiche/", start | {"step": "review"})
    page = response.content.decode()
    assert (
        response.status_code == 200
        and "Préparer la détrempe et le beurre de tourage selon la fiche technique" in page
    )
    count = Qualification.objects.count()
    assert Qualification.objects.count() == count  # nothing saved by the proposal
    data = start | {"step": "save"}
    for index, statements in enumerate(
        [
            ["Préparer la détrempe", "Réaliser les tours", "Contrôler le feuilletage"],
            ["Façonner", "Cuire", "HACCP"],
        ]
    ):
        data |= {f"b{index}-TOTAL_FORMS": "3", f"b{index}-INITIAL_FORMS": "3"}
        for n, text in enumerate(statements):
            data[f"b{index}-{n}-statement"] = text
    data["b1-2-DELETE"] = "on"  # the officer removes one proposal
    response = client.post(BASE + "depuis-une-fiche/", data)
    assert response.status_code == 302
    assert Qualification.objects.count() == count + 1
    created = Qualification.objects.order_by("-pk").first()
    draft = created.draft()
    blocks = draft.ordered_blocks()
    assert [b.code for b in blocks] == ["RNCP99001BC01", "RNCP99001BC02"]
    assert list(blocks[1].skills.values_list("statement", flat=True)) == ["Façonner", "Cuire"]
    assert created.certification.code == "RNCP99001" and created.rome_codes == ["D1102"]


def test_dashboard_lists_what_falls_due(client, world):
    client.force_login(world.users["branch_admin"])
    page = client.get("/espace/").content.decode()
    assert "Échéances des 12 prochains mois" in page


def test_compare_page(client, world):
    cqp = Qualification.objects.get(title=CQP_TITLE)
    client.force_login(world.users["branch_admin"])
    page = client.get(f"{BASE}{cqp.pk}/comparer/?a=1&b=2").content.decode()
    assert "BC02 › C4" in page and "ajouté" in page
    assert "ajout(s)" not in page  # "1 ajout", "2 ajouts" (walkthrough)
    assert re.search(r"\b1 ajout,|\b\d+ ajouts,", page)


def test_english_catalogue(client, world):
    from django.utils import translation

    with translation.override("en"):
        assert translation.gettext("Nouvelle qualification") == "New qualification"
    client.force_login(world.users["branch_admin"])
    client.cookies["django_language"] = "en"
    page = client.get(BASE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Qualifications of my branches" in page
