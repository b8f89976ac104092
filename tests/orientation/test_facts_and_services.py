"""Facts built from registry rows, and the explain / orient services."""

from datetime import date

import pytest

from cqphub.orientation.facts import facts_from_certification
from cqphub.orientation.selectors import (
    certification_facts,
    find_agreements,
    find_certifications,
    general_findings_for,
    get_certification,
)
from cqphub.orientation.services import OrientationError, UnknownCertification, explain, orient, person_from
from cqphub.rules import GENERAL_IDS, Kind, Register

pytestmark = pytest.mark.django_db


def test_facts_from_a_registry_cqp(cqp):
    f = facts_from_certification(get_certification("rncp34567"))
    assert f.kind is Kind.CQP and f.register is Register.RNCP and f.code == "RNCP34567"
    assert (f.registered_from, f.registered_until) == (date(2021, 3, 1), date(2027, 3, 1))
    assert f.level == 3 and f.vae_route and f.partial_validation and f.idcc == ("1979",)
    assert f.transmitted is None  # not in the open data


def test_interbranch_and_other_kinds(diploma):
    from tests.orientation.conftest import make_certification

    cqpi = make_certification("RNCP30303", "CQPI Agent logistique", abbreviation_code="CQPI")
    assert facts_from_certification(cqpi).kind is Kind.CQPI
    assert facts_from_certification(diploma).kind is Kind.OTHER


def test_branch_opco_from_the_certification_s_idcc(cqp, reference_rows):
    assert certification_facts(get_certification("RNCP34567")).branch_opco == "Akto"


def test_general_findings_for_a_certification_page(cqp):
    findings = general_findings_for(cqp, date(2026, 6, 1))
    ids = {f.id for f in findings}
    assert ids == set(GENERAL_IDS)
    by_id = {f.id: f for f in findings}
    assert by_id["status.registration"].value == "rncp_active"
    assert by_id["route.apprenticeship"].outcome == "no"


def test_explain_by_code_fills_the_employer_s_opco(cqp, reference_rows):
    result = explain(
        certification="RNCP34567", person={"status": "employee", "employer_idcc": "1486"}, on="2026-06-01"
    )
    out = result.to_dict()
    assert out["certification"] == "RNCP34567" and out["on"] == "2026-06-01"
    opco = next(f for f in out["findings"] if f["id"] == "contact.opco")
    assert opco["value"] == "Atlas"


def test_explain_with_facts_for_a_branch_only_cqp(reference_rows):
    facts = {"kind": "CQP", "register": None, "code": "CQP-HCR-1", "transmitted": True, "idcc": ["1979"]}
    out = explain(facts=facts, person={"status": "young_in_training", "age": 19}, on="2026-06-01").to_dict()
    by_id = {f["id"]: f for f in out["findings"]}
    assert by_id["status.registration"]["value"] == "branch_only"
    assert by_id["cpf.eligible"]["outcome"] == "no"
    assert by_id["contact.opco"]["value"] == "Akto"  # the target branch's OPCO


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"person": {"status": "employee"}}, "either certification"),
        ({"certification": "RNCP1", "facts": {}, "person": {"status": "employee"}}, "either certification"),
        ({"facts": {"kind": "X"}, "person": {"status": "employee"}}, r"facts\.kind"),
        ({"facts": {}, "person": {"age": 3}}, r"person\.status: required"),
        ({"facts": {}, "person": {"status": "employee"}, "on": "2018-01-01"}, "starts on 2019-01-01"),
        ({"facts": {}, "person": {"status": "employee"}, "on": "tomorrow"}, "on: expected a date"),
    ],
)
def test_bad_input_is_named(kwargs, message):
    with pytest.raises(OrientationError, match=message):
        explain(**kwargs)


def test_unknown_code():
    with pytest.raises(UnknownCertification):
        explain(certification="RNCP99999999", person={"status": "employee"})


def test_orient_by_trade_lists_the_matching_cqps(cqp, rs_cqp, diploma):
    result = orient(person=person_from({"status": "job_seeker"}), on=date(2026, 6, 1), trade="cuisine")
    assert [r.certification for r in result.results] == ["RNCP34567"]


def test_searches_for_the_journey(cqp, diploma, reference_rows):
    assert [c.code for c in find_certifications("commis")] == ["RNCP34567"]
    assert [c.code for c in find_certifications("34567")] == ["RNCP34567"]
    assert [a.idcc for a in find_agreements("syntec")] == ["1486"]
    assert [a.idcc for a in find_agreements("1979")] == ["1979"]
    assert find_certifications("") == []
