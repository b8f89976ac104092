"""`/api/v1/idcc`, `/api/v1/idcc/{idcc}`, `/api/v1/opco`, `/api/v1/rome`, `/api/v1/nsf` on the demo lists."""

import pytest

from cqphub.reference.services import load_demo_reference

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_demo_reference()


def test_idcc_search_by_number_and_accent_insensitive_words(client, demo):
    body = client.get("/api/v1/idcc", {"q": "metallurgie"}).json()
    assert [a["idcc"] for a in body["items"]] == ["3248"]
    assert body["items"][0]["opco"] == {"name": "OPCO 2i", "short_name": "OPCO 2i"}
    assert [a["idcc"] for a in client.get("/api/v1/idcc", {"q": "HÔTELS cafés"}).json()["items"]] == ["1979"]
    assert [a["idcc"] for a in client.get("/api/v1/idcc", {"q": "16"}).json()["items"]] == ["0016"]
    assert client.get("/api/v1/idcc", {"q": "nothing like this"}).json()["count"] == 0


def test_idcc_pagination_is_bounded(client, demo):
    body = client.get("/api/v1/idcc", {"page_size": 5, "page": 2}).json()
    assert (body["count"], body["page"], body["pages"], len(body["items"])) == (20, 2, 4, 5)
    assert body["items"][0]["idcc"] == "1285"
    assert client.get("/api/v1/idcc", {"page_size": 101}).status_code == 422
    assert client.get("/api/v1/idcc", {"page": 0}).status_code == 422


@pytest.mark.parametrize("idcc", ["1486", "01486"])
def test_idcc_detail_with_its_opco(client, demo, idcc):
    response = client.get(f"/api/v1/idcc/{idcc}")
    assert response.status_code == 200
    body = response.json()
    assert body["idcc"] == "1486"
    assert body["opco"] == {"name": "OPCO ATLAS", "short_name": "Atlas"}
    assert body["cpnes"] == []


def test_unknown_idcc_is_a_clear_404(client, demo):
    response = client.get("/api/v1/idcc/9999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Aucune convention collective connue sous l'IDCC 9999."}
    response = client.get("/api/v1/idcc/abc")
    assert response.status_code == 404
    assert "n'est pas un code IDCC" in response.json()["detail"]


def test_opco_list(client, demo):
    body = client.get("/api/v1/opco").json()
    assert len(body) == 11
    assert {"name": "OPCO Santé", "short_name": "OPCO Santé", "agreement_count": 1} in body


def test_rome_search_and_detail(client, demo):
    assert [r["code"] for r in client.get("/api/v1/rome", {"q": "soudage"}).json()["items"]] == ["H2913"]
    assert client.get("/api/v1/rome", {"q": "h2913"}).json()["count"] == 1
    assert client.get("/api/v1/rome/d1102").json()["code"] == "D1102"
    missing = client.get("/api/v1/rome/Z9999")
    assert missing.status_code == 404 and "Z9999" in missing.json()["detail"]


def test_nsf_list(client, demo):
    body = client.get("/api/v1/nsf").json()
    assert (body["count"], body["page_size"], body["pages"]) == (131, 20, 7)
    groups = client.get("/api/v1/nsf", {"level": "group", "page_size": 100}).json()
    assert groups["count"] == 93 and groups["items"][0] == {
        "code": "100",
        "label": "Formations générales",
        "level": "group",
        "parent_code": "10",
        "official": True,
    }
    assert client.get("/api/v1/nsf", {"level": "nonsense"}).status_code == 422


def test_openapi_operations_are_named_and_tagged(client):
    schema = client.get("/api/v1/openapi.json").json()
    operations = {
        op["operationId"]: op["tags"]
        for path, item in schema["paths"].items()
        if path.startswith(("/api/v1/idcc", "/api/v1/opco", "/api/v1/rome", "/api/v1/nsf"))
        for op in item.values()
    }
    assert set(operations) == {
        "reference_idcc_list",
        "reference_idcc_detail",
        "reference_opco_list",
        "reference_rome_list",
        "reference_rome_detail",
        "reference_nsf_list",
    }
    assert all(tags == ["reference"] for tags in operations.values())
