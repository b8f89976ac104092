"""The merge page for duplicate candidate records: who may use it (404 for everyone else), the two
steps (form, then confirmation), the audit entry, and nothing half-written when the merge fails."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from lxml import html as lxml_html

from cqphub.journeys import services
from cqphub.journeys.models import Candidacy, Candidate
from cqphub.orgs.models import AuditEntry
from tests.journeys.helpers import enrol, make_candidate
from tests.orgs.permission_matrix import Case, assert_matrix

pytestmark = pytest.mark.django_db

CARD = "//div[contains(concat(' ', @class, ' '), ' cq-card ')]"
MERGERS = {"superuser", "branch_admin", "certification_officer", "trainer"}


@pytest.fixture
def pair(world):
    """Léa Durand entered twice by the Lyon centre: a training candidacy on the first record, a VAE
    candidacy on the second."""
    first = enrol(world)
    duplicate = make_candidate(world, 1, confirm_not_duplicate=True, phone="06 12 34 56 78")
    second = enrol(world, duplicate, route="vae", funding="france_vae")
    world.extra.update(keep=first.candidate, duplicate=duplicate, first=first, second=second)
    return world


def url(world):
    return reverse("journeys:candidate_merge", kwargs={"pk": world.extra["keep"].pk})


def login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


def choose(client, world, reason="Même pièce d'identité, saisie deux fois."):
    return client.post(url(world), {"duplicate": str(world.extra["duplicate"].pk), "reason": reason})


def test_permission_matrix(client, pair):
    cases = [
        Case("journeys:candidate_merge", lambda w: {"pk": w.extra["keep"].pk}, dict.fromkeys(MERGERS, 200)),
        Case(  # confirming with no choice made in this session: back to the form, nothing merged
            "journeys:candidate_merge",
            lambda w: {"pk": w.extra["keep"].pk},
            dict.fromkeys(MERGERS, 302),
            method="post",
            data=lambda w: {"confirmed": "1"},
        ),
    ]
    assert_matrix(client, pair, cases)
    assert not Candidate.objects.filter(merged_into__isnull=False).exists()
    assert not AuditEntry.objects.filter(action="merge").exists()


def test_outsiders_cannot_merge_even_with_the_ids(client, pair):
    for role in ("outsider", "centre_manager", "assessor", "advisor", "employer_contact", "jury_member"):
        login(client, pair.users[role])
        assert choose(client, pair).status_code == 404, role
        assert client.post(url(pair), {"confirmed": "1"}).status_code == 404, role
    assert not Candidate.objects.filter(merged_into__isnull=False).exists()


def test_merge_in_two_steps_is_audited(client, pair):
    keep, duplicate = pair.extra["keep"], pair.extra["duplicate"]
    login(client, pair.users["certification_officer"])
    page = client.get(url(pair))
    doc = lxml_html.fromstring(page.content)
    assert doc.xpath("//h1")[0].text_content().strip() == "Fusionner deux fiches de candidat"
    assert doc.xpath(f"//input[@name='duplicate'][@value='{duplicate.pk}']")
    assert len(doc.xpath(CARD)) == 1  # the record kept

    response = choose(client, pair)
    assert response.status_code == 200
    doc = lxml_html.fromstring(response.content)
    question = doc.xpath("//section[contains(@class, 'cq-confirm')]//h2")[0].text_content()
    assert f"n° {duplicate.pk}" in question and f"n° {keep.pk}" in question
    assert doc.xpath("//section[contains(@class, 'cq-confirm')]//input[@name='confirmed']")
    assert len(doc.xpath(CARD)) == 2  # kept and duplicate side by side
    assert not Candidate.objects.filter(pk=duplicate.pk, merged_into__isnull=False).exists()

    response = client.post(url(pair), {"confirmed": "1"})
    assert response.status_code == 302 and response["Location"] == keep.get_absolute_url()
    duplicate.refresh_from_db()
    keep.refresh_from_db()
    assert duplicate.merged_into_id == keep.pk
    assert set(keep.candidacies.values_list("pk", flat=True)) == {
        pair.extra["first"].pk,
        pair.extra["second"].pk,
    }
    assert keep.phone == "06 12 34 56 78"  # a missing contact detail is taken from the duplicate
    entry = AuditEntry.objects.filter(action="merge").latest("pk")
    assert entry.actor_id == pair.users["certification_officer"].pk
    assert entry.changes["merged"] == [None, duplicate.pk]
    assert entry.changes["candidacies_moved"] == [None, [pair.extra["second"].pk]]
    assert "Même pièce" in entry.changes["reason"][1]
    # done once: the pending choice is gone, confirming again merges nothing more
    assert client.post(url(pair), {"confirmed": "1"}).status_code == 302
    assert AuditEntry.objects.filter(action="merge").count() == 1


def test_a_failed_merge_leaves_nothing_half_written(client, pair, monkeypatch):
    keep, duplicate = pair.extra["keep"], pair.extra["duplicate"]
    login(client, pair.users["trainer"])
    assert choose(client, pair).status_code == 200

    def fail(*args, **kwargs):  # the audit entry is the last write: everything before it is undone
        raise ValidationError("Journal indisponible.")

    monkeypatch.setattr(services.audit, "record", fail)
    response = client.post(url(pair), {"confirmed": "1"})
    assert response.status_code == 400
    doc = lxml_html.fromstring(response.content)
    summary = doc.xpath("//*[contains(@class, 'cq-error-summary')]")
    assert summary and "Journal indisponible." in summary[0].text_content()
    duplicate.refresh_from_db()
    keep.refresh_from_db()
    assert duplicate.merged_into_id is None
    assert keep.phone == ""
    assert Candidacy.objects.get(pk=pair.extra["second"].pk).candidate_id == duplicate.pk
    assert not AuditEntry.objects.filter(action="merge").exists()


def test_form_errors_are_summarised(client, pair):
    login(client, pair.users["trainer"])
    response = client.post(url(pair), {"duplicate": "", "reason": ""})
    assert response.status_code == 400
    doc = lxml_html.fromstring(response.content)
    links = doc.xpath("//*[contains(@class, 'cq-error-summary')]//a/@href")
    assert len(links) == 2 and "#id_reason" in links
    assert not doc.xpath("//section[contains(@class, 'cq-confirm')]")


def test_a_duplicate_the_user_may_not_merge_is_not_offered(client, pair):
    """A record entered by another centre, with no candidacy the trainer handles, is not theirs to merge."""
    other = make_candidate(pair, 1, centre=pair.extra["north"], confirm_not_duplicate=True)
    login(client, pair.users["trainer"])
    doc = lxml_html.fromstring(client.get(url(pair)).content)
    offered = {int(v) for v in doc.xpath("//input[@name='duplicate']/@value")}
    assert offered == {pair.extra["duplicate"].pk}
    response = client.post(url(pair), {"duplicate": str(other.pk), "reason": "Même personne."})
    assert response.status_code == 400
    assert lxml_html.fromstring(response.content).xpath("//*[contains(@class, 'cq-error-summary')]")
    assert client.post(url(pair), {"confirmed": "1"}).status_code == 302  # nothing pending
    other.refresh_from_db()
    assert other.merged_into_id is None


def test_candidate_page_points_to_the_merge(client, pair):
    login(client, pair.users["branch_admin"])
    page = client.get(reverse("journeys:candidate", kwargs={"pk": pair.extra["keep"].pk}))
    doc = lxml_html.fromstring(page.content)
    assert doc.xpath(f"//a[@href='{url(pair)}']")
