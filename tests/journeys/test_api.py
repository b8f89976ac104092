"""`/api/v1/candidacies`: token scoped to one organisation, responses checked against the OpenAPI
document, 404 for anything outside the key's reach, 422 naming the rule that refuses a route."""

from __future__ import annotations

import pytest
from django.test import Client
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from cqphub.journeys import services
from tests.journeys.helpers import enrol, make_candidate

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def spec(world):
    response = Client().get(f"{API}/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    validate(spec)
    return spec


def check(spec, path, method, response):
    operation = spec["paths"][path][method]
    declared = operation["responses"][str(response.status_code)]
    schema = declared["content"]["application/json"]["schema"]
    Draft202012Validator({"components": spec["components"], **schema}).validate(response.json())


def client_for(world, *, centre=None, branch=None, user="trainer"):
    token, key = services.create_api_token(
        actor=None, name="SI du centre", user=world.users[user], centre=centre, branch=branch
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}"), token


def body(world, **extra):
    data = {
        "candidate": {
            "birth_name": "Nguyen",
            "first_names": "Minh",
            "sex": "M",
            "birth_year": 1985,
            "birth_month": 11,
            "birth_day": 3,
            "birth_country": "99243",
        },
        "qualification_id": world.extra["cqp"].pk,
        "route": "training",
        "funding": "professionalisation",
        "situation": {"status": "job_seeker"},
        "planned_start": "2026-09-01",
        "planned_end": "2027-06-30",
        "planned_hours": 450,
    }
    data.update(extra)
    return data


def test_openapi_documents_the_candidacies(spec):
    paths = spec["paths"]
    assert {"get"} <= set(paths[f"{API}/candidacies"]) and "post" in paths[f"{API}/candidacies"]
    assert "post" in paths[f"{API}/candidacies/{{pk}}/transition"]
    assert paths[f"{API}/candidacies"]["get"]["security"]
    assert any(s.get("scheme") == "bearer" for s in spec["components"]["securitySchemes"].values())


def test_centre_key_creates_lists_moves(world, spec):
    client, token = client_for(world, centre=world.extra["lyon"])
    response = client.post(f"{API}/candidacies", body(world), content_type="application/json")
    assert response.status_code == 201, response.content
    check(spec, f"{API}/candidacies", "post", response)
    created = response.json()
    assert created["status"] == "draft" and created["route"] == "training"
    assert {f["id"] for f in created["findings"]} >= {"route.professionalisation", "cpf.eligible"}
    assert created["blocks_to_assess"] == ["BC01", "BC02", "BC03"]
    pk = created["id"]
    response = client.get(f"{API}/candidacies", {"status": "draft", "route": "training"})
    assert response.status_code == 200
    check(spec, f"{API}/candidacies", "get", response)
    assert [r["id"] for r in response.json()["results"]] == [pk]
    response = client.post(
        f"{API}/candidacies/{pk}/transition", {"to": "submitted"}, content_type="application/json"
    )
    assert response.status_code == 200
    check(spec, f"{API}/candidacies/{{pk}}/transition", "post", response)
    assert response.json()["status"] == "submitted"
    # illegal move from the current status: 409 with the reason
    response = client.post(
        f"{API}/candidacies/{pk}/transition", {"to": "decided"}, content_type="application/json"
    )
    assert response.status_code == 409 and "impossible" in response.json()["detail"]
    response = client.get(f"{API}/candidacies/{pk}")
    check(spec, f"{API}/candidacies/{{pk}}", "get", response)
    assert [h["to_status"] for h in response.json()["history"]] == ["draft", "submitted"]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_route_refused_names_the_rule(world):
    client, _token = client_for(world, centre=world.extra["lyon"])
    response = client.post(
        f"{API}/candidacies", body(world, situation={"status": "employee"}), content_type="application/json"
    )
    assert response.status_code == 422
    assert "route.professionalisation" in response.json()["detail"]


def test_duplicates_answer_409(world):
    client, _token = client_for(world, centre=world.extra["lyon"])
    assert client.post(f"{API}/candidacies", body(world), content_type="application/json").status_code == 201
    again = client.post(f"{API}/candidacies", body(world), content_type="application/json")
    assert again.status_code == 409


def test_keys_are_scoped_to_one_organisation(world):
    lyon_client, _ = client_for(world, centre=world.extra["lyon"])
    north_client, _ = client_for(world, centre=world.extra["north"], user="centre_manager")
    branch_client, _ = client_for(world, branch=world.branch, user="certification_officer")
    lyon = enrol(world)
    north = enrol(
        world,
        make_candidate(world, 2),
        qualification=world.extra["cqpi"],
        centre=world.extra["north"],
        funding="personal",
    )
    assert lyon_client.get(f"{API}/candidacies/{lyon.pk}").status_code == 200
    assert lyon_client.get(f"{API}/candidacies/{north.pk}").status_code == 404
    assert north_client.get(f"{API}/candidacies/{lyon.pk}").status_code == 404
    assert {r["id"] for r in branch_client.get(f"{API}/candidacies").json()["results"]} == {lyon.pk, north.pk}
    # a centre key cannot move a candidacy it does not hold, nor enrol on a CQP for another centre
    response = north_client.post(
        f"{API}/candidacies/{lyon.pk}/transition", {"to": "submitted"}, content_type="application/json"
    )
    assert response.status_code == 404
    # the north centre's CQP habilitation expired: refused with the habilitation message
    response = north_client.post(f"{API}/candidacies", body(world), content_type="application/json")
    assert response.status_code == 422 and "habilit" in response.json()["detail"]


def test_no_key_or_a_revoked_key(world):
    assert Client().get(f"{API}/candidacies").status_code == 401
    assert Client(HTTP_AUTHORIZATION="Bearer nope").get(f"{API}/candidacies").status_code == 401
    client, token = client_for(world, centre=world.extra["lyon"])
    services.revoke_api_token(actor=None, token=token)
    assert client.get(f"{API}/candidacies").status_code == 401


def test_a_key_needs_a_role_in_its_organisation(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.create_api_token(
            actor=None, name="x", user=world.users["trainer"], centre=world.extra["north"]
        )
    with pytest.raises(ValidationError):
        services.create_api_token(actor=None, name="x", user=world.users["outsider"], branch=world.branch)
