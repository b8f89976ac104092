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


@pytest.mark.shared
def test_the_socle_is_recognised_in_the_real_registry_titles(shared_data):
    import csv
    import lzma

    from cqphub.registry.models import derive_is_socle

    path = shared_data / "rncp" / "mna_rncp_kit_v1.3_2020-11" / "rncp_info.v1.3.csv.xz"
    with lzma.open(path, "rt", encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter=";"))[1:]
    socle = {
        row[0] for row in rows if derive_is_socle("RS" if row[0].startswith("RS") else "RNCP", "", row[1])
    }
    assert {"RS2203", "RS3936"} <= socle  # CléA and CléA numérique
    assert len(socle) < 10  # and nothing else of the 20,000 fiches
