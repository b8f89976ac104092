"""The journeys pages: every URL × every role (harness tests/orgs/permission_matrix.py), and what the
pages show: lists with filters, counts and CSV, the candidacy page, "my file", downloads, English."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cqphub.journeys import services
from cqphub.orgs.models import User
from tests.journeys.helpers import enrol, make_candidate
from tests.orgs.permission_matrix import ROLE_EMAILS, Case, assert_matrix

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"
EVERYONE = dict.fromkeys(ROLE_EMAILS, 200)
STAFF = {"superuser": 200, "branch_admin": 200, "certification_officer": 200}
WRITERS = {"superuser": 200, "trainer": 200, "centre_manager": 200}


def only(roles, status):
    return dict.fromkeys(roles, status)


@pytest.fixture
def objects(world):
    a = enrol(world, employer_contact=world.users["employer_contact"])
    services.grant_access(actor=None, candidacy=a, user=world.users["advisor"], role="advisor")
    identity = services.add_document(
        actor=world.users["trainer"], candidacy=a, kind="identity", uploaded=SimpleUploadedFile("id.pdf", PDF)
    )
    c = enrol(world, make_candidate(world, 2), route="vae", funding="france_vae")
    services.submit_admissibility(actor=world.users["branch_admin"], candidacy=c)
    world.extra.update(a=a, c=c, identity=identity)
    return world


VIEW_A = {"superuser", "branch_admin", "certification_officer", "trainer", "advisor", "employer_contact"}
CASES = [
    Case("journeys:list", lambda w: {}, EVERYONE),
    Case("journeys:new", lambda w: {}, STAFF | WRITERS),
    Case("journeys:import", lambda w: {}, WRITERS),
    Case("journeys:import_template", lambda w: {}, WRITERS),
    Case("journeys:my_file", lambda w: {}, {}),
    Case("journeys:candidate", lambda w: {"pk": w.extra["a"].candidate_id}, only(VIEW_A, 200)),
    Case("journeys:candidacy", lambda w: {"pk": w.extra["a"].pk}, only(VIEW_A, 200)),
    Case(  # who may merge: the centre that entered the record, staff changing one of its candidacies
        "journeys:candidate_merge",
        lambda w: {"pk": w.extra["a"].candidate_id},
        only(STAFF.keys() | {"trainer"}, 200),
    ),
    Case("journeys:candidacy", lambda w: {"pk": w.extra["c"].pk}, STAFF),
    Case(
        "journeys:document",
        lambda w: {"pk": w.extra["a"].pk, "document_id": w.extra["identity"].pk},
        only(VIEW_A - {"employer_contact"}, 200),
    ),
    Case(
        "journeys:transition",
        lambda w: {"pk": w.extra["a"].pk},
        only({"superuser", "branch_admin", "certification_officer", "trainer"}, 302),
        method="post",
        data=lambda w: {"to": "submitted"},
    ),
    Case(
        "journeys:admissibility",
        lambda w: {"pk": w.extra["c"].pk},
        only(STAFF, 302),
        method="post",
        data=lambda w: {"decision": "incomplete", "reasons": "Pièces manquantes"},
    ),
    Case(
        "journeys:positioning",
        lambda w: {"pk": w.extra["a"].pk},
        only({"superuser", "branch_admin", "certification_officer", "trainer"}, 302),
        method="post",
        data=lambda w: {"block": str(w.extra["a"].version.ordered_blocks()[0].pk), "outcome": "to_train"},
    ),
    Case(
        "journeys:upload",
        lambda w: {"pk": w.extra["a"].pk},
        only({"superuser", "branch_admin", "certification_officer", "trainer"}, 302),
        method="post",
        data=lambda w: {"kind": "contract", "file": SimpleUploadedFile("c.pdf", PDF)},
    ),
    Case(
        "journeys:candidate_account",
        lambda w: {"pk": w.extra["a"].candidate_id},
        only({"superuser", "branch_admin", "certification_officer", "trainer"}, 302),
        method="post",
        data=lambda w: {},
    ),
]


def test_permission_matrix(client, objects):
    assert_matrix(client, objects, CASES)


def login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


def test_list_filters_counts_and_csv(client, objects):
    login(client, objects.users["branch_admin"])
    response = client.get(reverse("journeys:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "DURAND1" in html and "DURAND2" in html
    response = client.get(reverse("journeys:list"), {"route": "vae", "status": "submitted"})
    html = response.content.decode()
    assert "DURAND2" in html and "DURAND1" not in html
    response = client.get(reverse("journeys:list"), {"route": "vae", "format": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert body.count("\n") == 2 and "DURAND2" in body
    # an outsider's list is empty
    login(client, objects.users["outsider"])
    assert "DURAND" not in client.get(reverse("journeys:list")).content.decode()


def test_list_past_the_count_cap_says_more_than_and_still_pages(client, objects, monkeypatch):
    from cqphub.journeys import views

    login(client, objects.users["branch_admin"])
    html = client.get(reverse("journeys:list")).content.decode()
    assert "Répartition par état" in html and "Plus de" not in html  # exact counts, cards shown
    monkeypatch.setattr(views, "COUNT_CAP", 1)
    response = client.get(reverse("journeys:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Plus de 1 lignes" in html and "Répartition par état" not in html
    # the page shows the most recent row of the capped total, and the filters still narrow it
    assert html.count("DURAND") == 1
    html = client.get(reverse("journeys:list"), {"route": "vae", "status": "submitted"}).content.decode()
    assert "DURAND2" in html and "Plus de" not in html and "Répartition par état" in html


def test_candidacy_page_shows_findings_history_and_next_step(client, objects):
    login(client, objects.users["trainer"])
    html = client.get(reverse("journeys:candidacy", kwargs={"pk": objects.extra["a"].pk})).content.decode()
    for text in ("Prochaine étape", "Historique", "L. 6321-1", "route.plan@", "BC01", "Pièces", "id.pdf"):
        assert text in html, text


def test_document_is_an_inert_attachment(client, objects):
    login(client, objects.users["trainer"])
    url = reverse(
        "journeys:document", kwargs={"pk": objects.extra["a"].pk, "document_id": objects.extra["identity"].pk}
    )
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Type"] == "application/pdf"


def test_my_file(client, objects):
    me = User.objects.create_user("lea@example.org", "x" * 16)
    candidate = objects.extra["a"].candidate
    candidate.user = me
    candidate.save()
    login(client, me)
    html = client.get(reverse("journeys:my_file")).content.decode()
    assert "Mon dossier" in html and "CQP Boulanger-tourier" in html
    assert client.get(reverse("journeys:candidacy", kwargs={"pk": objects.extra["a"].pk})).status_code == 200
    assert client.get(reverse("journeys:candidacy", kwargs={"pk": objects.extra["c"].pk})).status_code == 404


def test_enrolment_page_refuses_with_the_finding(client, objects):
    login(client, objects.users["trainer"])
    data = {
        "birth_name": "Petit",
        "first_names": "Jules",
        "sex": "M",
        "birth_year": "1980",
        "birth_commune": "75056",
        "qualification": str(objects.extra["cqp"].pk),
        "route": "training",
        "funding": "professionalisation",
        "situation": "employee",
        "centre": str(objects.extra["lyon"].pk),
        "planned_start": "2026-09-01",
    }
    response = client.post(reverse("journeys:new"), data)
    assert response.status_code == 200
    assert "L. 6325-1" in response.content.decode()
    data["situation"] = "job_seeker"
    response = client.post(reverse("journeys:new"), data)
    assert response.status_code == 302


def test_pages_in_english(client, objects):
    login(client, objects.users["branch_admin"])
    response = client.get(reverse("journeys:list"), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert "Candidacies" in html and "Training" in html


def test_candidate_account_opened_on_request_with_an_email_to_choose_a_password(
    client, objects, mailoutbox, django_capture_on_commit_callbacks
):
    candidate = objects.extra["a"].candidate
    url = reverse("journeys:candidate", kwargs={"pk": candidate.pk})
    login(client, objects.users["trainer"])
    assert "Ouvrir le compte" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("journeys:candidate_account", kwargs={"pk": candidate.pk}), follow=True
        )
    assert "Compte ouvert" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.user.email == candidate.email and not candidate.user.has_usable_password()
    [mail] = [m for m in mailoutbox if m.to == [candidate.email]]
    assert "/espace/mot-de-passe-oublie/" in mail.body
    assert "Ouvrir le compte" not in client.get(url).content.decode()
    # a second request is refused with its reason; an outsider does not even see the candidate
    response = client.post(reverse("journeys:candidate_account", kwargs={"pk": candidate.pk}), follow=True)
    assert "déjà un compte" in response.content.decode()
    login(client, objects.users["outsider"])
    assert client.post(reverse("journeys:candidate_account", kwargs={"pk": candidate.pk})).status_code == 404
