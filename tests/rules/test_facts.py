"""Parsing the engine's inputs from plain dicts, with clear messages on bad input."""

from datetime import date

import pytest

from cqphub.rules import CertificationFacts, Kind, PersonSituation, Register, Status
from cqphub.rules.facts import Benefit


def test_facts_from_the_documented_example():
    f = CertificationFacts.from_dict(
        {"kind": "CQP", "register": "RNCP", "code": "rncp12345", "registered_from": "2021-03-01",
         "registered_until": "2026-03-01", "level": 3, "vae_route": True, "transmitted": True, "idcc": ["1486"]}
    )  # fmt: skip
    assert f.kind is Kind.CQP and f.register is Register.RNCP and f.code == "RNCP12345"
    assert f.registered_until == date(2026, 3, 1) and f.idcc == ("1486",)


def test_register_is_deduced_from_the_code_and_idcc_is_padded():
    f = CertificationFacts.from_dict({"code": "RS5719", "idcc": [44]})
    assert f.register is Register.RS and f.idcc == ("0044",) and f.kind is Kind.OTHER


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "diploma"}, r"facts\.kind: expected one of CQP, CQPI, other"),
        ({"register": "XYZ"}, r"facts\.register"),
        ({"registered_from": "01/03/2021"}, r"facts\.registered_from: expected a date as YYYY-MM-DD"),
        ({"registered_from": "2022-01-01", "registered_until": "2021-01-01"}, "is before registered_from"),
        ({"level": 9}, r"facts\.level: expected a number between 1 and 8"),
        ({"level": "three"}, r"facts\.level: expected a whole number"),
        ({"idcc": ["12345"]}, r"facts\.idcc\[0\]: an IDCC is 1 to 4 digits"),
        ({"vae_route": "maybe"}, r"facts\.vae_route: expected true or false"),
        ({"colour": "red"}, r"facts: unknown key\(s\) colour"),
    ],
)
def test_bad_facts_are_named(data, message):
    with pytest.raises(ValueError, match=message):
        CertificationFacts.from_dict(data)


def test_person_from_the_documented_example():
    p = PersonSituation.from_dict(
        {"status": "employee", "age": 24, "disability": False, "benefits": ["RSA", "ASS", "AAH"],
         "low_qualified": False, "employer_idcc": "1486", "experience_months": 18}
    )  # fmt: skip
    assert p.status is Status.EMPLOYEE and p.age == 24
    assert p.benefits == {Benefit.RSA, Benefit.ASS, Benefit.AAH} and p.has_disability
    assert p.to_dict()["benefits"] == ["AAH", "ASS", "RSA"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, r"person\.status: required"),
        ({"status": "retired"}, r"person\.status: expected one of"),
        ({"status": "employee", "age": 7}, r"person\.age: expected a number between 14 and 120"),
        ({"status": "employee", "benefits": ["RMI"]}, r"person\.benefits\[0\]"),
        ({"status": "employee", "employer_idcc": "ABCD"}, r"person\.employer_idcc"),
        ({"status": "employee", "age": True}, r"person\.age: expected a whole number"),
        ([], r"person: expected an object"),
    ],
)
def test_bad_person_is_named(data, message):
    with pytest.raises(ValueError, match=message):
        PersonSituation.from_dict(data)


def test_form_values_as_strings_are_accepted():
    p = PersonSituation.from_dict(
        {"status": "job_seeker", "age": "31", "disability": "on", "benefits": "RSA,ASS"}
    )
    assert p.age == 31 and p.disability and p.benefits == {Benefit.RSA, Benefit.ASS}
