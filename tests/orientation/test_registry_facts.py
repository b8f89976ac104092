"""Facts filled from the real registry exports: successors, access routes, socle, CQP detection (issue 12)."""

from datetime import date

import pytest

from cqphub.orientation.facts import by_right_from, facts_from_certification, is_socle, kind_from, routes_from
from cqphub.orientation.selectors import get_certification
from cqphub.rules import Kind, PersonSituation, Register, evaluate

pytestmark = pytest.mark.django_db


@pytest.fixture
def csv_registry(rncp_csv_sample):
    from cqphub.registry.importer import import_paths

    import_paths([rncp_csv_sample])


@pytest.fixture
def xml_registry(rncp_xml_fixture):
    from cqphub.registry.importer import import_paths
    from tests.factories.registry import XML_FIXTURE_DATE

    import_paths([rncp_xml_fixture], as_of=XML_FIXTURE_DATE)  # the fixture's name carries no date


def by_id(findings):
    return {f.id: f for f in findings}


def test_successor_rs6117_follows_the_expired_cqp_tourier(csv_registry):
    """Audit A3 (S07, S08, S25): RNCP19468 ended 2021-07-21; the same CQP Tourier is RS6117,
    RS-registered 2022-09-29 → 2025-09-29, so it is CPF-eligible on those dates (L. 6323-6 I)."""
    facts = facts_from_certification(get_certification("RNCP19468"))
    assert facts.kind is Kind.CQP
    assert [s.code for s in facts.successors] == ["RS6117"]
    rs = facts.successors[0]
    assert rs.register is Register.RS and rs.registered_from == date(2022, 9, 29)
    employee = PersonSituation.from_dict({"status": "employee", "age": 45})
    on_2024 = by_id(evaluate(facts, employee, date(2024, 6, 1)))
    assert on_2024["status.successor"].value == "RS6117"
    assert on_2024["cpf.eligible"].outcome == "yes"
    assert on_2024["contact.mon_compte_formation"].outcome == "yes"
    assert on_2024["status.registration"].value == "rncp_expired"  # the fiche itself still says so
    before = by_id(evaluate(facts, employee, date(2022, 9, 28)))
    assert before["status.successor"].value is None and before["cpf.eligible"].outcome == "no"
    after = by_id(evaluate(facts, employee, date(2025, 9, 30)))
    assert after["status.successor"].value is None and after["cpf.eligible"].outcome == "no"


def test_routes_as_published_and_not_stated(csv_registry):
    """CSV exports list the routes a fiche opens: RNCP4049 lists no professionalisation route (A4);
    RNCP1197 has no access rows at all: not stated, never closed."""
    assert facts_from_certification(get_certification("RNCP4049")).route("professionalisation") is False
    assert facts_from_certification(get_certification("RNCP4049")).route("vae") is True
    assert facts_from_certification(get_certification("RNCP1197")).routes == ()


def test_rncp35625_closes_apprenticeship_and_professionalisation(xml_registry):
    """Audit A4: the Diplôme ATT fiche says apprentissage: non, contrat de professionnalisation: non."""
    facts = facts_from_certification(get_certification("RNCP35625"))
    young = PersonSituation.from_dict({"status": "young_in_training", "age": 19})
    got = by_id(evaluate(facts, young, date(2025, 6, 1)))
    assert facts.route("apprenticeship") is False and facts.route("professionalisation") is False
    assert got["route.apprenticeship"].outcome == "no"
    assert got["route.professionalisation"].outcome == "no"
    assert "n'ouvre pas la voie" in got["route.professionalisation"].explanation["fr"]


@pytest.mark.parametrize(
    ("abbreviation", "title", "certifiers", "kind"),
    [
        ("CQP", "Tourier", [], Kind.CQP),
        ("", "CQP Tourier", [], Kind.CQP),
        # audit A10: undetected by title alone, recognised by the CPNE certifier
        ("", "Agent de prévention et de sécurité", ["CPNEFP de la prévention et de la sécurité"], Kind.CQP),
        (
            "",
            "Serveur en restauration",
            ["Commission paritaire nationale de l'emploi de l'industrie hôtelière"],
            Kind.CQP,
        ),
        ("", "Serveur en restauration", ["Lycée hôtelier"], Kind.OTHER),
        ("CQPI", "Agent logistique", [], Kind.CQPI),
        ("CQP", "Agent logistique (interbranche)", [], Kind.CQPI),
        ("CQP", "Agent logistique", [], Kind.CQP),  # two IDCC do not make a CQPI
        ("BTS", "Management", ["Ministère de l'éducation nationale"], Kind.OTHER),
    ],
)
def test_cqp_detection(abbreviation, title, certifiers, kind):
    assert kind_from(abbreviation, title, certifiers) is kind


def test_socle_routes_and_registration_type_helpers():
    assert is_socle("CléA - Certificat de connaissances et de compétences professionnelles", "CLEA")
    assert is_socle("Certification relative au socle de connaissances et de compétences professionnelles")
    assert not is_socle("CQP Tourier")
    assert routes_from({"vae": False, "initial": False}) == {}
    assert routes_from({"vae": True})["apprenticeship"] is False
    assert by_right_from("Enregistrement de droit") is True
    assert by_right_from("Enregistrement sur demande") is False
    assert by_right_from("") is None
