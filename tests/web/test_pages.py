"""The shell's pages: home tasks, error pages in both languages, legal notice, accessibility statement."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_home_offers_the_four_tasks_and_no_feature_that_does_not_exist(client):
    html = client.get(reverse("web:home")).content.decode()
    for task in (
        "Trouver une certification",
        "Savoir ce que je peux faire",
        "Vérifier un certificat",
        "Espace professionnel",
    ):
        assert task in html
    assert reverse("orientation:start") in html and "/attestations/verifier/" in html
    assert "certificats vérifiables et le suivi des titulaires" not in html
    assert 'placeholder="ex. boulanger' in html  # "soudeur" found nothing in the real registry


@pytest.mark.parametrize(
    ("lang", "title", "back"),
    [
        ("fr", "Cette page est introuvable", "Revenir à l'accueil"),
        ("en", "This page cannot be found", "Back to the home page"),
    ],
)
def test_I2_404_is_styled_translated_and_offers_a_way_back(client, lang, title, back):
    response = client.get("/pas-une-page/", HTTP_ACCEPT_LANGUAGE=lang)
    html = response.content.decode()
    assert response.status_code == 404
    assert title in html and back in html and 'href="/"' in html
    assert "theme.css" in html and f'lang="{lang}"' in html
    assert "URLconf" not in html  # never Django's list of URL patterns


def test_I2_back_office_404_offers_the_dashboard_to_a_signed_in_user(client, django_user_model):
    client.force_login(django_user_model.objects.create_user(email="x@example.org", password="x-12345678"))
    response = client.get("/espace/qualifications/999999/")
    assert response.status_code == 404 and reverse("orgs:dashboard") in response.content.decode()


def test_I2_403_and_500_pages(client):
    from django.core.exceptions import PermissionDenied
    from django.views import defaults

    from cqphub.web.views import server_error

    request = RequestFactory().get("/x/")
    request.user = __import__("django.contrib.auth.models", fromlist=["AnonymousUser"]).AnonymousUser()
    with translation.override("fr"):
        forbidden = defaults.permission_denied(request, PermissionDenied()).content.decode()
        error = server_error(request)
    assert "Vous ne pouvez pas faire cette action" in forbidden
    assert error.status_code == 500 and "Un problème est survenu de notre côté" in error.content.decode()
    with translation.override("en"):
        assert "A problem occurred on our side" in server_error(request).content.decode()


def test_I2_500_falls_back_to_plain_bilingual_text_when_the_template_breaks(monkeypatch):
    from cqphub.web import views

    response = views.server_error(RequestFactory().get("/"), template_name="does-not-exist.html")
    assert response.status_code == 500
    assert "Erreur du serveur" in response.content.decode() and "try again" in response.content.decode()


def test_csrf_failure_is_the_styled_403(client):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(reverse("orgs:login"), {"username": "a", "password": "b"})
    assert response.status_code == 403 and "cq-error-page" in response.content.decode()


def test_legal_notice_and_accessibility_statement_name_the_operator(client, settings):
    settings.CQPHUB_OPERATOR = {"name": "Branche Exemple", "email": "a11y@exemple.fr", "address": "1 rue X"}
    legal = client.get(reverse("web:legal")).content.decode()
    assert "Branche Exemple" in legal and "1 rue X" in legal and "mailto:a11y@exemple.fr" in legal
    statement = client.get(reverse("web:accessibility")).content.decode()
    for part in (
        "État de conformité",
        "partiellement conforme",
        "Contenus non accessibles",
        "Établissement de cette déclaration",
        "Retour d'information et contact",
        "Voies de recours",
        "Défenseur des droits",
        "mailto:a11y@exemple.fr",
    ):
        assert part in statement, part
    footer = client.get(reverse("web:home")).content.decode()
    assert reverse("web:legal") in footer and reverse("web:accessibility") in footer


def test_favicon_is_declared(client):
    assert 'rel="icon"' in client.get(reverse("web:home")).content.decode()
