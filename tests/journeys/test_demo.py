"""The demo journeys: every route and status, idempotent."""

from __future__ import annotations

import pytest

from cqphub.journeys.demo import load_demo_journeys
from cqphub.journeys.enums import Funding, Status
from cqphub.journeys.models import Candidacy, CandidacyTransition, Candidate
from cqphub.orgs.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_demo_covers_every_status_and_route_and_reloads_idempotently(world):
    report = load_demo_journeys()
    assert report == {"candidates": 40, "candidacies": 40}
    assert set(Candidacy.objects.values_list("status", flat=True)) == set(Status.values)
    assert set(Candidacy.objects.values_list("route", flat=True)) == {"training", "vae"}
    used = set(Candidacy.objects.values_list("funding", flat=True))
    assert used == set(Funding.values)
    assert Candidacy.objects.filter(qualification=world.extra["cqpi"]).count() >= 10
    counts = (
        Candidate.objects.count(),
        Candidacy.objects.count(),
        CandidacyTransition.objects.count(),
        AuditEntry.objects.count(),
    )
    assert load_demo_journeys() == {"candidates": 0, "candidacies": 0}
    assert (
        Candidate.objects.count(),
        Candidacy.objects.count(),
        CandidacyTransition.objects.count(),
        AuditEntry.objects.count(),
    ) == counts
    assert Candidate.objects.filter(user__email="candidat@demo.cqphub.fr").count() == 1
