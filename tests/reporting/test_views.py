"""Reporting pages: permissions (outsiders 404), holder report page, download, answer, statistics, public section."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from lxml import etree, html

from cqphub.reporting import aggregates, charts, services
from cqphub.reporting.models import HolderReportEntry
from tests.factories.orgs import MembershipFactory, UserFactory
from tests.reporting import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def xsd(shared_data, settings):
    settings.CQPHUB_CDC_XSD = str(
        shared_data / "cdc_accrochage" / "cpf_accrochage_pc5_schema_1.0.0_v1.1.2_pix.xsd"
    )


@pytest.fixture
def world():
    cqp, _ = builders.registered_cqp()
    certifier = cqp.ip_holder
    branch = cqp.committee.branches.first()
    if certifier.branch_id != branch.pk:
        type(certifier).objects.filter(pk=certifier.pk).update(branch=branch)
        certifier.refresh_from_db()
    staff = MembershipFactory(branch=branch, role="certification_officer").user
    outsider = MembershipFactory(role="branch_admin").user  # admin of another branch
    return {"cqp": cqp, "certifier": certifier, "staff": staff, "outsider": outsider}


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_outsiders_get_404_and_anonymous_are_sent_to_login(world):
    siret = world["certifier"].siret
    urls = [
        reverse("reporting:certifier", kwargs={"siret": siret}),
        reverse("reporting:account", kwargs={"siret": siret}),
        reverse("reporting:renewal", kwargs={"pk": world["cqp"].pk}),
    ]
    for url in urls:
        assert client_for(world["outsider"]).get(url).status_code == 404, url
        assert client_for(UserFactory()).get(url).status_code == 404, url
        response = Client().get(url)
        assert response.status_code == 302 and "connexion" in response["Location"]
        assert client_for(world["staff"]).get(url).status_code == 200, url
    assert (
        client_for(world["outsider"]).post(reverse("reporting:build", kwargs={"siret": siret})).status_code
        == 404
    )


def test_files_and_entries_are_404_for_outsiders(world, xsd):
    services.save_cdc_account(certifier=world["certifier"], client_id="12ABC345", contract_id="MCFCER000123")
    services.record_award(builders.award(world["cqp"], 1))
    report, _ = services.build_file(world["certifier"], today=date(2026, 7, 10))
    for name in ("reporting:file", "reporting:download", "reporting:answer", "reporting:discard"):
        url = reverse(name, kwargs={"pk": report.pk})
        assert client_for(world["outsider"]).get(url).status_code == 404, name
        assert client_for(world["staff"]).get(url).status_code == 200, name


def test_the_holder_report_journey_on_the_pages(world, xsd):
    c = client_for(world["staff"])
    siret = world["certifier"].siret
    page = c.get(reverse("reporting:certifier", kwargs={"siret": siret})).content.decode()
    assert "Identifiants manquants" in page
    response = c.post(
        reverse("reporting:account", kwargs={"siret": siret}), {"client_id": "12ABC", "contract_id": ""}
    )
    assert response.status_code == 200 and "8 caractères" in response.content.decode()
    c.post(
        reverse("reporting:account", kwargs={"siret": siret}),
        {"client_id": "12ABC345", "contract_id": "MCFCER000123"},
    )
    good = builders.award(world["cqp"], 1)
    too_long = builders.award(world["cqp"], 2, person=builders.candidate(2, birth_name="N" * 70))
    for a in (good, too_long):
        services.record_award(a)
    unregistered, _ = builders.registered_cqp(code="", register="", title="CQP hors répertoire")
    type(unregistered).objects.filter(pk=unregistered.pk).update(ip_holder=world["certifier"])
    builders.award(unregistered, 3)
    builders.award(world["cqp"], 4, kind="partial")
    page = c.get(reverse("reporting:certifier", kwargs={"siret": siret})).content.decode()
    assert "too long: birth name (70 &gt; 60 characters)" in page
    assert "CQP hors des répertoires : non déclarés" in page and "CQP hors répertoire (1)" in page
    assert "1 validation partielle (blocs de compétences seuls) n'est pas déclarée" in page
    response = c.post(reverse("reporting:build", kwargs={"siret": siret}))
    report = world["certifier"].holder_reports.get()
    assert response["Location"] == reverse("reporting:file", kwargs={"pk": report.pk})
    detail = c.get(response["Location"]).content.decode()
    assert "Validé par le schéma XSD 1.1.2" in detail
    download = c.get(reverse("reporting:download", kwargs={"pk": report.pk}))
    assert download["Content-Type"] == "application/xml"
    assert b"".join(download.streaming_content).startswith(b"<?xml")
    entry = HolderReportEntry.objects.get(award=good)
    c.post(reverse("reporting:answer", kwargs={"pk": report.pk}), {f"reject-{entry.pk}": "Nom inconnu"})
    entry.refresh_from_db()
    assert entry.state == "rejected"
    assert (
        c.get(reverse("reporting:certifier", kwargs={"siret": siret}) + "?etat=rejected")
        .content.decode()
        .count("Nom inconnu")
        == 1
    )
    c.post(reverse("reporting:correct", kwargs={"pk": entry.pk}), {"reason": "Nom corrigé"})
    entry.refresh_from_db()
    assert entry.state == "corrected"


def test_without_schema_the_page_says_not_validated(world, settings):
    settings.CQPHUB_CDC_XSD = ""
    page = client_for(world["staff"]).get(
        reverse("reporting:certifier", kwargs={"siret": world["certifier"].siret})
    )
    assert "ne sont PAS validés" in page.content.decode()


def _stats_world(world):
    cqp = world["cqp"]
    for n in range(1, 8):
        builders.award(cqp, n, decision=date(2025, 6, 30))
    for n in range(8, 10):
        builders.award(cqp, n, decision=date(2026, 6, 30), route="vae", funding="cpf")
    aggregates.refresh_statistics()


def test_statistics_page_charts_equal_their_tables_and_export_csv(world):
    _stats_world(world)
    c = client_for(world["staff"])
    response = c.get(reverse("reporting:statistics"))
    assert response.status_code == 200
    doc = html.fromstring(response.content)
    figures = doc.xpath("//section[contains(@class, 'cq-figure')]")
    assert figures
    checked = 0
    for figure in figures:
        svgs = figure.xpath(".//svg")
        if not svgs:
            continue
        svg = etree.tostring(svgs[0], encoding="unicode")
        svg = (
            re.sub(r"<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', svg, count=1)
            if "xmlns=" not in svg
            else svg
        )
        table_values = []
        for row in figure.xpath(".//table/tbody/tr"):
            cells = [td.text_content().strip() for td in row.xpath("./td")]
            table_values.append(cells[-1])
        plotted = charts.svg_values(svg)
        shown = [
            float(v.replace(" %", "").replace(",", ".").replace("\u202f", ""))
            for v in table_values
            if v not in ("—", "")
        ]
        assert plotted == shown, figure.get("aria-labelledby")
        checked += 1
    assert checked >= 2
    csv = c.get(reverse("reporting:statistics") + "?format=csv&figure=by_status")
    body = csv.content.decode("utf-8-sig")
    assert body.splitlines()[0] == "État;Candidatures"
    assert "Décision du jury rendue;9" in body
    filtered = c.get(
        reverse("reporting:statistics") + f"?route=vae&qualification={world['cqp'].pk}"
    ).content.decode()
    assert "2 candidatures" in filtered


def test_statistics_are_cached_until_the_next_refresh(world, django_assert_max_num_queries):
    _stats_world(world)
    c = client_for(world["staff"])
    url = reverse("reporting:statistics") + "?format=csv&figure=by_status"
    assert "Décision du jury rendue;9" in c.get(url).content.decode("utf-8-sig")
    builders.award(world["cqp"], 10, decision=date(2026, 6, 30))
    with django_assert_max_num_queries(8):  # session, user, device, qualifications, refresh: no cells
        assert "Décision du jury rendue;9" in c.get(url).content.decode("utf-8-sig")
    aggregates.refresh_statistics()  # a new data version: the cached cells are never served again
    assert "Décision du jury rendue;10" in c.get(url).content.decode("utf-8-sig")


def test_statistics_in_english(world):
    _stats_world(world)
    c = client_for(world["staff"])
    with translation.override("en"):
        response = c.get(reverse("reporting:statistics"), HTTP_ACCEPT_LANGUAGE="en")
    text = response.content.decode()
    assert "Candidacies by status" in text


def test_renewal_table_csv(world):
    _stats_world(world)
    c = client_for(world["staff"])
    url = (
        reverse("reporting:renewal", kwargs={"pk": world["cqp"].pk}) + "?jusqua=2026&promotions=2&format=csv"
    )
    body = c.get(url).content.decode("utf-8-sig").splitlines()
    assert body[0] == "Année;Contrat de professionnalisation;VAE;Total"
    assert body[1:] == ["2025;7;0;7", "2026;0;2;2", "Total;7;2;9"]


def test_public_section_hides_small_cells(world):
    _stats_world(world)
    from cqphub.reporting.templatetags.reporting_public import public_blocks

    (block,) = public_blocks([world["cqp"]])
    assert block["rows"] == [
        (2025, None),
        (2026, None),
        ("total", 9),
    ]  # 7 hidden with the 2, so 2 can't be derived
    api = Client().get(f"/api/v1/reporting/qualifications/{world['cqp'].pk}/holders").json()
    assert api["years"] == [{"year": 2025, "holders": None}, {"year": 2026, "holders": None}]
    assert api["total"] == 9 and api["threshold"] == 5


def test_api_status_is_404_for_outsiders(world):
    url = f"/api/v1/reporting/certifiers/{world['certifier'].siret}/status"
    assert client_for(world["outsider"]).get(url).status_code == 404
    assert client_for(world["staff"]).get(url).json()["due"] == 0
    assert Client().get(url).status_code == 401


def _public_total(client, path):
    page = client.get(path).content.decode()
    found = re.search(r'<th scope="row">Total</th><td class="text-end">(\d+)</td>', page)
    assert found, "no published holders total on the page"
    return int(found.group(1))


def test_a_new_award_or_a_revocation_shows_on_the_cached_public_page_at_once(
    demo_world, settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """The fiche's public page is served from the public cache; the award and revocation receivers
    refresh the figures, and the refresh makes the cached page stale at once (not at the next import
    or day)."""
    from django.core.cache import cache

    from cqphub.qualifications.demo import CQP_TITLE
    from cqphub.qualifications.models import Qualification
    from cqphub.reporting import receivers

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    cache.clear()
    cqp = Qualification.objects.get(title=CQP_TITLE)
    path = reverse("registry:detail", kwargs={"code": cqp.certification.code})
    visitor = Client()
    before = _public_total(visitor, path)
    with django_assert_num_queries(1):  # served from the cache: the registry version, nothing else
        assert _public_total(visitor, path) == before

    with django_capture_on_commit_callbacks(execute=True):
        awards = [builders.award(cqp, 900 + n, decision=date(2026, 10, 1)) for n in range(5)]
        for award in awards:
            receivers.on_award_recorded(sender=None, award=award)
    assert _public_total(visitor, path) == before + 5

    with django_capture_on_commit_callbacks(execute=True):
        builders.revoke(awards[0], on=date(2026, 10, 20))
        awards[0].refresh_from_db()
        receivers.on_award_revoked(sender=None, award=awards[0])
    assert _public_total(visitor, path) == before + 4
    with django_assert_num_queries(1):  # and cached again
        assert _public_total(visitor, path) == before + 4
