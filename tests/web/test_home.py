import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_home_says_what_the_platform_is_and_links_to_the_registry(client):
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "certificat" in html.lower() or "CQP" in html
    assert reverse("registry:index") in html


@pytest.mark.django_db
def test_home_in_english(client):
    response = client.get(reverse("web:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()


@pytest.mark.django_db
def test_every_page_links_to_the_registry_and_the_orientation_journey(client):
    html = client.get(reverse("web:about")).content.decode()
    assert reverse("registry:index") in html and reverse("orientation:start") in html
