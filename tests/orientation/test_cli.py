"""`cqphub rules list` and `cqphub rules explain`."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cqphub.rules import RULES


def run(*args) -> str:
    out = StringIO()
    call_command("rules", *args, stdout=out)
    return out.getvalue()


def test_list_shows_every_rule_version_with_dates_and_sources():
    text = run("list")
    assert f"{len(RULES)} rule version(s)." in text
    assert "cpf.participation" in text and "2026-01-01" in text and "Code du travail, art. R. 6323" in text


def test_list_json_on_a_date_gives_one_version_per_finding():
    rows = json.loads(run("list", "--on", "2025-06-01", "--json"))
    participation = next(r for r in rows if r["finding"] == "cpf.participation")
    assert participation["valid_from"] == "2025-01-01" and participation["valid_until"] == "2025-12-31"
    assert participation["certainty"] == "official_page"
    assert participation["citations"][0]["url"].startswith("https://www.legifrance.gouv.fr/")


@pytest.fixture
def files(tmp_path):
    person = tmp_path / "person.json"
    person.write_text(json.dumps({"status": "job_seeker", "age": 24, "benefits": ["RSA"]}))
    facts = tmp_path / "facts.json"
    facts.write_text(
        json.dumps(
            {
                "kind": "CQP",
                "register": "RNCP",
                "code": "RNCP12345",
                "registered_from": "2021-03-01",
                "registered_until": "2026-03-01",
                "level": 3,
                "vae_route": True,
                "transmitted": True,
                "idcc": [],
            }
        )  # fmt: skip
    )
    return person, facts


def test_explain_facts_json(files):
    person, facts = files
    out = json.loads(
        run("explain", "--facts", str(facts), "--person", str(person), "--on", "2025-06-01", "--json")
    )
    assert out["certification"] == "RNCP12345" and out["on"] == "2025-06-01"
    by_id = {f["id"]: f for f in out["findings"]}
    assert by_id["cpf.participation"]["value"] == 0  # job seeker
    assert by_id["route.pro_a"]["outcome"] == "no"  # not an employee
    assert by_id["contact.france_travail"]["value"] == "France Travail"
    for finding in out["findings"]:
        assert set(finding) >= {"id", "outcome", "explanation", "citations", "certainty"}
        assert finding["citations"] and set(finding["citations"][0]) >= {"ref", "url", "in_force_since"}


def test_explain_text_in_english(files):
    person, facts = files
    text = run(
        "explain", "--facts", str(facts), "--person", str(person), "--on", "2026-06-01", "--language", "en"
    )
    assert "rncp_expired" in text and "verified in the Code du travail" in text


@pytest.mark.django_db
def test_explain_a_registry_certification(cqp, files):
    person, _ = files
    out = json.loads(run("explain", "--certification", "RNCP34567", "--person", str(person), "--json"))
    assert out["certification"] == "RNCP34567"


@pytest.mark.django_db
def test_unknown_certification_and_bad_files(files, tmp_path):
    person, facts = files
    with pytest.raises(CommandError, match="RNCP999: not in the registry"):
        run("explain", "--certification", "RNCP999", "--person", str(person))
    with pytest.raises(CommandError, match="no such file"):
        run("explain", "--facts", str(facts), "--person", str(tmp_path / "missing.json"))
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        run("explain", "--facts", str(facts), "--person", str(bad))
    bad.write_text(json.dumps({"status": "astronaut"}))
    with pytest.raises(CommandError, match=r"person\.status"):
        run("explain", "--facts", str(facts), "--person", str(bad))
