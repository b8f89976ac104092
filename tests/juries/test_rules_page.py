"""The jury rules page (`/espace/jurys/regles/`): branch staff record a dated version of a CQP's own
jury rules; a wrong one is refused with its reason and writes nothing; everyone else gets 404."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from cqphub.juries import services
from cqphub.juries.models import JuryRules
from tests.juries.chain import SESSION_DAY, jury_session

pytestmark = pytest.mark.django_db
URL = reverse("juries:rules")


def rules_data(cqp, **extra):
    data = {
        "qualification": cqp.pk,
        "valid_from": "2025-09-01",
        "min_size": "3",
        "quorum": "3",
        "parity": "on",
        "min_qualified": "1",
        "reference": "Règlement du CQP, art. 12",
    }
    data.update(extra)
    return data


def test_staff_record_a_version_and_the_composition_check_applies_it(client, world):
    cqp = world.extra["cqp"]
    client.force_login(world.users["certification_officer"])
    page = client.get(URL)
    assert page.status_code == 200 and "Aucune règle de jury" in page.content.decode()
    response = client.post(URL, rules_data(cqp))
    assert response.status_code == 302 and response["Location"] == URL
    rules = JuryRules.objects.get(qualification=cqp)
    assert (rules.valid_from, rules.min_size, rules.quorum, rules.parity, rules.min_qualified) == (
        date(2025, 9, 1),
        3,
        3,
        True,
        1,
    )
    listed = client.get(URL).content.decode()
    assert "Règles de jury enregistrées." in listed and "01/09/2025" in listed
    # a session without members is now checked against these rules (three members, quorum 3)
    staff = world.users["certification_officer"]
    session = services.create_session(actor=staff, qualification=cqp, on=SESSION_DAY, place="Paris")
    report = services.composition_report(session)
    assert report.branch_rules.valid_from == date(2025, 9, 1)
    assert {"branch.min_size", "branch.quorum"} <= {f.code for f in report.findings}
    assert not report.can_open


def test_a_later_version_applies_from_its_date(client, world):
    cqp = world.extra["cqp"]
    client.force_login(world.users["branch_admin"])
    assert client.post(URL, rules_data(cqp, min_size="2", quorum="2", parity="")).status_code == 302
    assert client.post(URL, rules_data(cqp, valid_from="2026-06-01")).status_code == 302
    jury = jury_session(world, on=SESSION_DAY)  # three members, parity: meets the later version
    report = services.composition_report(jury)
    assert report.branch_rules.min_size == 3 and report.branch_rules.valid_from == date(2026, 6, 1)
    assert "branch.no_rules" not in {f.code for f in report.findings}
    assert JuryRules.objects.filter(qualification=cqp).count() == 2


@pytest.mark.parametrize(
    "extra,field_error",
    [
        ({"quorum": "4"}, "Le quorum ne peut dépasser le nombre minimal de membres."),
        ({"min_size": "0"}, None),
        ({"valid_from": ""}, None),
    ],
)
def test_wrong_rules_are_refused_and_nothing_is_written(client, world, extra, field_error):
    cqp = world.extra["cqp"]
    client.force_login(world.users["certification_officer"])
    response = client.post(URL, rules_data(cqp, **extra))
    assert response.status_code == 400
    if field_error:
        assert field_error in response.content.decode()
    assert not JuryRules.objects.filter(qualification=cqp).exists()


def test_the_same_date_twice_is_refused(client, world):
    cqp = world.extra["cqp"]
    client.force_login(world.users["certification_officer"])
    assert client.post(URL, rules_data(cqp)).status_code == 302
    response = client.post(URL, rules_data(cqp, min_size="5", quorum="4"))
    assert response.status_code == 400
    assert "Ce CQP a déjà des règles de jury à partir de cette date." in response.content.decode()
    assert list(JuryRules.objects.filter(qualification=cqp).values_list("min_size", flat=True)) == [3]


@pytest.mark.parametrize("role", ["jury_member", "centre_manager", "assessor", "outsider", "no_role"])
def test_others_get_404_and_write_nothing(client, world, role):
    client.force_login(world.users[role])
    assert client.get(URL).status_code == 404
    assert client.post(URL, rules_data(world.extra["cqp"])).status_code == 404
    assert not JuryRules.objects.exists()


def test_the_page_in_english(client, world):
    client.force_login(world.users["certification_officer"])
    with translation.override("en"):
        text = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Jury rules of the CQPs" in text and "Minimum number of members" in text


@pytest.mark.parametrize(
    "language,link_text",
    [("fr", "Enregistrer les règles de jury du CQP"), ("en", "Record the CQP’s jury rules")],
)
def test_the_no_rules_warning_links_to_the_rules_page(client, world, language, link_text):
    staff = world.users["certification_officer"]
    session = services.create_session(
        actor=staff, qualification=world.extra["cqp"], on=SESSION_DAY, place="Lyon"
    )
    assert "branch.no_rules" in {f.code for f in services.composition_report(session).findings}
    client.force_login(staff)
    with translation.override(language):
        page = client.get(session.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<a href="{URL}">{link_text}</a>' in page
    services.set_rules(
        actor=staff, qualification=world.extra["cqp"], valid_from=date(2024, 1, 1), min_size=3, quorum=3,
        parity=True, reference="Règlement du CQP, art. 12",
    )  # fmt: skip
    assert f'<a href="{URL}">' not in client.get(session.get_absolute_url()).content.decode()
