"""The assessment and juries API: results entry and sign-off by an assessor, decisions read;
outsiders get 404, anonymous 401; the OpenAPI document lists the endpoints."""

import base64

import pytest

from cqphub.assessment.models import Grid
from tests.juries.chain import assessment_session, assign_everywhere, ready_candidacy

pytestmark = pytest.mark.django_db


def _basic(user, password):
    token = base64.b64encode(f"{user.email}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


@pytest.fixture
def grid(world):
    from cqphub.assessment import services

    session = assessment_session(world)
    assign_everywhere(world, session)
    candidacy = ready_candidacy(world)
    services.add_candidate(actor=None, session=session, candidacy=candidacy)
    return Grid.objects.filter(candidacy=candidacy).first()


def test_an_assessor_enters_results_and_signs_off_through_the_api(client, world, grid):
    assessor = world.users["assessor"]
    assessor.set_password("pw-assessor-2026")
    assessor.save()
    auth = _basic(assessor, "pw-assessor-2026")
    response = client.get(f"/api/v1/assessment/grids/{grid.pk}", **auth)
    assert response.status_code == 200 and len(response.json()["criteria"]) == len(grid.criteria)
    ids = grid.criterion_ids()
    response = client.put(
        f"/api/v1/assessment/grids/{grid.pk}/results",
        {"values": {str(ids[0]): "met"}},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 200
    response = client.post(f"/api/v1/assessment/grids/{grid.pk}/sign-off", **auth)
    assert response.status_code == 422 and "non évalué" in response.json()["detail"]
    client.put(
        f"/api/v1/assessment/grids/{grid.pk}/results",
        {"values": {str(cid): "met" for cid in ids}},
        content_type="application/json",
        **auth,
    )
    response = client.post(f"/api/v1/assessment/grids/{grid.pk}/sign-off", **auth)
    body = response.json()
    assert response.status_code == 200 and body["signed"] and body["result"]["outcome"] == "passed"
    sessions = client.get("/api/v1/assessment/sessions", **auth).json()
    assert [s["id"] for s in sessions] == [grid.session_id]


def test_outsiders_get_404_and_anonymous_401(client, world, grid):
    assert client.get(f"/api/v1/assessment/grids/{grid.pk}").status_code == 401
    client.force_login(world.users["outsider"])
    assert client.get(f"/api/v1/assessment/grids/{grid.pk}").status_code == 404
    assert client.get(f"/api/v1/assessment/sessions/{grid.session_id}").status_code == 404
    assert client.get("/api/v1/juries/sessions").json() == []


def test_the_openapi_document_describes_the_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/assessment/sessions",
        "/api/v1/assessment/grids/{pk}/results",
        "/api/v1/assessment/grids/{pk}/sign-off",
        "/api/v1/juries/sessions/{pk}/decisions",
    ):
        assert path in paths
