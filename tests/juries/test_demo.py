"""The demo data of assessment and juries loads through the real services, and a second load adds nothing."""

import pytest

from cqphub.assessment.models import AssessmentSession, BlockResult
from cqphub.juries.demo import CANDIDATE_EMAIL, load_demo_juries
from cqphub.juries.models import Award, Decision, JurySession, Minutes

pytestmark = pytest.mark.django_db


def test_demo_shows_the_whole_chain(world, client):
    from cqphub.journeys.demo import load_demo_journeys

    load_demo_journeys()  # as `cqphub demo load` does, in this order
    created = load_demo_juries()
    assert created["jury_sessions"] == 3 and created["assessment_sessions"] == 4
    assert set(AssessmentSession.objects.values_list("status", flat=True)) == {
        "completed",
        "convened",
        "planned",
        "cancelled",
    }
    assert set(JurySession.objects.values_list("status", flat=True)) == {"closed", "open", "planned"}
    assert BlockResult.objects.filter(supersedes__isnull=False).exists()  # a corrected grid
    assert {a.kind for a in Award.objects.all()} == {"full", "partial"}
    assert Award.objects.filter(revoked_at__isnull=False).count() == 1
    assert Decision.objects.filter(kind="fraud").count() == 1
    assert (
        Decision.objects.filter(revokes__isnull=True).exclude(reason="").exists()
    )  # a departure with its reason
    assert Minutes.objects.count() == 1
    closed = JurySession.objects.get(status="closed")
    assert set(closed.candidates.values_list("overall", flat=True)) >= {
        "full",
        "partial",
        "failure",
        "absent",
    }
    assert load_demo_juries() == {"assessment_sessions": 0, "jury_sessions": 0, "candidacies": 0}
    from cqphub.orgs.models import User

    client.force_login(User.objects.get(email=CANDIDATE_EMAIL))
    response = client.get("/espace/jurys/mes-resultats/")
    page = response.content.decode()
    assert response.status_code == 200 and ("CQP obtenu" in page or "Validation partielle" in page)
