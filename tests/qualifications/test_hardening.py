"""Security review L5 (drafts and legal life stay in the branch), L6 (no cross-branch references),
I1 (booklet footer escaping)."""

import io

import pytest
from django.core.exceptions import ValidationError

from cqphub.orgs.models import CertifierEntity
from cqphub.qualifications import forms, services
from cqphub.qualifications.demo import CQP_TITLE
from cqphub.qualifications.models import Qualification
from tests.factories.orgs import CertifierEntityFactory
from tests.factories.qualifications import QualificationFactory, make_qualification

pytestmark = pytest.mark.django_db


def test_L5_centre_staff_read_published_versions_only(client, world):
    cqp = Qualification.objects.get(title=CQP_TITLE)
    draft, published = cqp.draft(), cqp.latest_published()
    assert draft is not None and published is not None
    base = f"/espace/qualifications/{cqp.pk}"
    client.force_login(world.users["trainer"])
    assert client.get(f"{base}/versions/{published.number}/").status_code == 200
    for url in (
        f"{base}/versions/{draft.number}/",
        f"{base}/versions/{draft.number}/export.json",
        f"{base}/versions/{draft.number}/export.xlsx",
        f"{base}/versions/{draft.number}/livret.pdf",
        f"{base}/vie-legale/",
        f"{base}/registre/",
        f"{base}/echanges/",
    ):
        assert client.get(url).status_code == 404, url
    page = client.get(f"{base}/").content.decode()
    assert f"/versions/{draft.number}/" not in page
    assert "vie-legale" not in page and "/habilitations/" not in page
    # the branch still sees everything
    client.force_login(world.users["certification_officer"])
    for url in (f"{base}/versions/{draft.number}/", f"{base}/vie-legale/", f"{base}/echanges/"):
        assert client.get(url).status_code == 200, url


def test_L6_ip_holder_from_another_branch_is_refused():
    cqp = QualificationFactory()
    foreign = CertifierEntityFactory()  # its own branch, outside the CQP's committee
    with pytest.raises(ValidationError) as error:
        services.update_qualification(actor=None, qualification=cqp, ip_holder=foreign)
    assert "ip_holder" in error.value.message_dict
    with pytest.raises(ValidationError):
        make_qualification(committee=cqp.committee, ip_holder=foreign)


def test_L6_forms_offer_only_the_branches_certifiers():
    cqp = QualificationFactory()
    foreign = CertifierEntityFactory()  # its own branch, outside the CQP's committee
    committees = type(cqp.committee).objects.filter(pk=cqp.committee_id)
    for form_class in (forms.QualificationCreateForm, forms.FicheStartForm):
        choices = form_class(committees=committees).fields["ip_holder"].queryset
        assert foreign not in choices
        assert cqp.ip_holder in choices
        assert set(choices) <= set(
            CertifierEntity.objects.filter(branch__committees=cqp.committee)
            | CertifierEntity.objects.filter(branch=None)
        )


def test_I1_booklet_footer_keeps_apostrophes_and_quotes():
    from pypdf import PdfReader

    from cqphub.qualifications.booklet import booklet_html, booklet_pdf

    cqp = QualificationFactory(published=True)
    cqp.title = 'CQP Agent d\'accueil "boulangerie" </style>'
    cqp.save()
    version = cqp.latest_published()
    html = booklet_html(version)
    assert "\\u0027" not in html and '</style>"' not in html
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(booklet_pdf(version))).pages)
    assert "du0027accueil" not in text
    assert 'CQP Agent d\'accueil "boulangerie"' in text.replace("’", "'")
