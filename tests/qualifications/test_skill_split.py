"""Splitting a fiche's published skills prose into proposed statements (pure), on the real fiches."""

import pytest
from lxml import etree

from cqphub.qualifications.skill_split import BULLET_CHARS, split_skills


def test_bullets_on_lines():
    text = "- Préparer la détrempe selon la fiche technique\n- Réaliser les tours simples et doubles\n• Contrôler la qualité"
    assert [s.statement for s in split_skills(text).skills] == [
        "Préparer la détrempe selon la fiche technique",
        "Réaliser les tours simples et doubles",
        "Contrôler la qualité",
    ]


def test_codes_are_kept_and_flattened_lines_split():
    text = "C1. Accueillir le client    C2.Conseiller le client ; C3. Encaisser"
    result = split_skills(text).skills
    assert [(s.code, s.statement) for s in result] == [
        ("C1", "Accueillir le client"),
        ("C2", "Conseiller le client ; C3. Encaisser"),
    ]


def test_infinitives_after_a_run_of_spaces_but_not_lowercase_words():
    text = "Valider une solution   technique  Maquetter des interfaces  S'adapter au client"
    assert [s.statement for s in split_skills(text).skills] == [
        "Valider une solution technique",
        "Maquetter des interfaces",
        "S'adapter au client",
    ]


def test_lead_in_is_kept_apart():
    result = split_skills(
        "En situation professionnelle :    A5.C1. Réaliser un diagnostic    A5.C2. Valider la démarche"
    )
    assert result.preamble == "En situation professionnelle :"
    assert [s.code for s in result.skills] == ["A5.C1", "A5.C2"]


def test_empty():
    assert split_skills("").skills == [] and split_skills("   ").skills == []


@pytest.fixture(scope="module")
def fiche_blocks(rncp_xml_fixture):
    if not rncp_xml_fixture.exists():
        pytest.skip(f"{rncp_xml_fixture} absent")
    tree = etree.parse(str(rncp_xml_fixture))
    return [
        (block.findtext("CODE"), block.findtext("LISTE_COMPETENCES") or "")
        for block in tree.iter("BLOC_COMPETENCES")
    ]


@pytest.mark.shared
def test_every_real_block_yields_clean_statements(fiche_blocks):
    with_text = [(code, text) for code, text in fiche_blocks if text.strip()]
    assert len(with_text) >= 50
    for code, text in with_text:
        skills = split_skills(text).skills
        assert skills, code
        for skill in skills:
            assert skill.statement == skill.statement.strip() and "  " not in skill.statement, code
            assert skill.statement[0] not in BULLET_CHARS, (code, skill.statement)
            assert skill.statement[0].isupper() or skill.statement[0].isdigit(), (code, skill.statement)


@pytest.mark.shared
def test_known_real_blocks(fiche_blocks):
    texts = [text.strip() for _code, text in fiche_blocks if text.strip()]

    def find(prefix):
        return split_skills(next(text for text in texts if text.startswith(prefix))).skills

    coded = find("A1C1.")
    assert [s.code for s in coded[:4]] == ["A1C1", "A1C2", "A1C3", "A1C4"]
    assert coded[1].statement.startswith("Apprécier, depuis son périmètre")
    starred = find("* Valider le fonctionnement")
    assert [s.statement for s in starred] == [
        "Valider le fonctionnement d’un réseau",
        "Coder",
        "Installer une infrastructure réseau",
        "Exploiter une installation réseau",
        "Maintenir un réseau",
    ]
    dotted = find("C.1. Organiser")
    assert [s.code for s in dotted] == ["C.1", "C.2", "C.3", "C.4", "C.5"]
    plain = find("Installer et configurer son environnement de travail en fonction du projet web")
    assert len(plain) == 4 and plain[1].statement == "Maquetter des interfaces utilisateur web ou web mobile"
    numbered = find("1.1 Recueillir")
    assert [s.code for s in numbered[:3]] == ["1.1", "1.1.1", "1.1.2"]
