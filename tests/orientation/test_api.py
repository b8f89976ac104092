"""`POST /api/v1/orientation`."""

import json

import pytest

URL = "/api/v1/orientation"


def post(client, body):
    return client.post(URL, data=json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_orientation_by_code(client, cqp, reference_rows):
    response = post(
        client,
        {
            "certification": "RNCP34567",
            "person": {"status": "employee", "employer_idcc": "1979"},
            "on": "2026-06-01",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["certification"] == "RNCP34567" and body["on"] == "2026-06-01"
    by_id = {f["id"]: f for f in body["findings"]}
    assert by_id["contact.opco"]["value"] == "Akto"
    assert by_id["route.reconversion"]["outcome"] == "conditional"  # written agreement (L. 6324-3)
    assert by_id["cpf.participation"]["checked_until"] == "2026-03-27"
    assert by_id["cpf.participation"]["value"] == 103.2


@pytest.mark.django_db
def test_orientation_with_facts_same_output_as_the_cli(client):
    from cqphub.orientation.services import explain

    body = {
        "facts": {"kind": "CQP", "transmitted": True},
        "person": {"status": "employee"},
        "on": "2024-02-01",
    }
    response = post(client, body)
    assert response.status_code == 200
    assert response.json() == json.loads(json.dumps(explain(**body).to_dict()))
    assert {f["id"]: f for f in response.json()["findings"]}["route.pro_a"][
        "outcome"
    ] == "no"  # RNCP only (audit B1)


@pytest.mark.django_db
def test_unknown_code_is_404(client):
    response = post(client, {"certification": "RNCP424242", "person": {"status": "employee"}})
    assert response.status_code == 404
    assert "RNCP424242" in response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"facts": {"level": 12}, "person": {"status": "employee"}}, "facts.level"),
        ({"facts": {}, "person": {"status": "pirate"}}, "person.status"),
        ({"person": {"status": "employee"}}, "either certification"),
        ({"facts": {}, "person": {"status": "employee"}, "on": "2010-01-01"}, "2019-01-01"),
    ],
)
def test_bad_input_is_422_with_a_clear_message(client, body, message):
    response = post(client, body)
    assert response.status_code == 422
    assert message in json.dumps(response.json())


@pytest.mark.django_db
def test_schema_errors_are_422_too(client):
    response = post(client, {"facts": {}})  # no person
    assert response.status_code == 422
    response = post(client, {"facts": {}, "person": {"status": "employee"}, "on": "not-a-date"})
    assert response.status_code == 422


def test_endpoint_is_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/orientation" in spec["paths"]


@pytest.mark.django_db
def test_the_new_inputs_travel_through_the_api(client):
    """Issue 12: successors, routes, socle, on_france_vae (facts); apprentice, sector, contract, benefits."""
    body = {
        "facts": {
            "kind": "CQP",
            "register": "RNCP",
            "code": "RNCP19468",
            "registered_until": "2021-07-21",
            "successors": [{"code": "RS6117", "register": "RS", "registered_from": "2022-09-29",
                            "registered_until": "2025-09-29"}],
            "routes": {"professionalisation": True, "apprenticeship": False},
        },
        "person": {"status": "apprentice", "age": 19, "contract": "apprenticeship", "sector": "private",
                   "benefits": ["invalidity_pension"]},
        "on": "2024-06-01",
    }  # fmt: skip
    response = post(client, body)
    assert response.status_code == 200, response.content
    by_id = {f["id"]: f for f in response.json()["findings"]}
    assert by_id["status.successor"]["value"] == "RS6117"
    assert by_id["cpf.eligible"]["outcome"] == "yes"
    assert by_id["cpf.yearly_credit"]["value"] == 800  # an apprentice is an employee; BOETH
    bad = post(client, {**body, "person": {"status": "employee", "sector": "moon"}})
    assert bad.status_code == 422 and "person.sector" in bad.json()["detail"]
    schema = client.get("/api/v1/openapi.json").json()
    person_schema = schema["components"]["schemas"]["PersonIn"]["properties"]
    assert {"sector", "contract", "benefits", "esat"} <= set(person_schema)
