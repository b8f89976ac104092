"""Derived facts of a fiche: CQP or not, interbranch, registration status on a date."""

from datetime import date

import pytest

from cqphub.registry.models import derive_is_cqp, derive_is_interbranch, registration_status


@pytest.mark.parametrize(
    ("abbreviation", "title", "expected"),
    [
        ("CQP", "Tourier", True),
        ("CQPI", "Agent logistique", True),
        ("CQPM", "Opérateur régleur", True),
        ("", "CQP Tourier", True),
        ("", "Certificat de qualification professionnelle Vendeur", True),
        ("TP", "Développeur web et web mobile", False),
        ("", "Accompagnement CQP des salariés", False),
        ("BTS", "CQPx hors sujet", False),
    ],
)
def test_is_cqp(abbreviation, title, expected):
    assert derive_is_cqp(abbreviation, title) is expected


def test_is_interbranch():
    assert derive_is_interbranch("CQPI", "Agent logistique", 0)
    assert derive_is_interbranch("", "CQPI Agent de maintenance", 0)
    assert derive_is_interbranch("", "CQP Agent logistique (CQPI)", 0)
    assert derive_is_interbranch("CQP", "CQP interbranche Agent de maintenance", 1)
    assert not derive_is_interbranch("TP", "Technicien interbranche", 0)
    assert derive_is_interbranch("CQP", "Opérateur", 2)
    assert not derive_is_interbranch("CQP", "Tourier", 1)
    assert not derive_is_interbranch("TP", "Soudeur", 3)


def test_registration_status():
    start, end = date(2021, 3, 1), date(2026, 3, 1)
    assert registration_status(start, end, date(2021, 2, 28)) == "not_yet"
    assert registration_status(start, end, date(2021, 3, 1)) == "active"
    assert registration_status(start, end, date(2026, 3, 1)) == "active"
    assert registration_status(start, end, date(2026, 3, 2)) == "expired"
    assert registration_status(None, None, date(2030, 1, 1)) == "active"
