"""Walkthrough findings on the qualification pages: no "Suspendre" on an expired habilitation, and the
booklet's assessment methods in the reader's language."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cqphub.qualifications import services
from cqphub.qualifications.demo import CQP_TITLE
from cqphub.qualifications.models import Qualification
from tests.factories.qualifications import QualificationFactory

pytestmark = pytest.mark.django_db
BASE = "/espace/qualifications/"


def _rows_by_centre(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return body.split("<tr>")[1:]


def test_an_expired_habilitation_offers_no_suspension(client, world):
    cqp = Qualification.objects.get(title=CQP_TITLE)
    expired = [h for h in cqp.habilitations.all() if h.current_state == "expired"]
    active = [h for h in cqp.habilitations.all() if h.current_state == "active"]
    assert expired and active  # the demo holds both
    client.force_login(world.users["branch_admin"])
    page = client.get(f"{BASE}{cqp.pk}/habilitations/").content.decode()
    for row in _rows_by_centre(page):
        suspend_links = row.count("/suspendre/")
        if "Échue" in row:
            assert suspend_links == 0 and "habilitez à nouveau" in row
        elif "Active" in row:
            assert suspend_links == 1
    with pytest.raises(ValidationError) as error:
        services.suspend_habilitation(actor=None, habilitation=expired[0], reason="Contrôle")
    assert "échue" in error.value.messages[0]
    # the form itself refuses too (someone who kept the URL)
    url = f"{BASE}{cqp.pk}/habilitations/{expired[0].pk}/suspendre/"
    response = client.post(url, {"reason": "Contrôle"})
    assert response.status_code == 400 and "rien à suspendre" in response.content.decode()
    expired[0].refresh_from_db()
    assert expired[0].state == "active" and expired[0].current_state == "expired"


def test_booklet_names_assessment_methods_in_the_active_language():
    from cqphub.qualifications.booklet import booklet_html

    version = QualificationFactory(published=True).latest_published()  # a "practical_work" method per block
    with translation.override("en"):
        english = booklet_html(version)
    with translation.override("fr"):
        french = booklet_html(version)
    assert "Practical situation at work" in english
    assert "Mise en situation professionnelle en entreprise" not in english
    assert "Mise en situation professionnelle en entreprise" in french
