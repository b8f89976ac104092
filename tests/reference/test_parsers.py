"""The parsers alone: no database."""

from pathlib import Path

import pytest

from cqphub.reference import parsers
from cqphub.reference.parsers import ReferenceFileError
from cqphub.reference.services import NSF_FILE


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1486", "1486"), ("01486", "1486"), (1486, "1486"), (" 16 ", "0016"), ("0016", "0016")],
)
def test_normalize_idcc(value, expected):
    assert parsers.normalize_idcc(value) == expected


@pytest.mark.parametrize("value", ["", "abc", "12a", "0", "10000", "-16", "16.0"])
def test_normalize_idcc_refuses(value):
    with pytest.raises(ValueError):
        parsers.normalize_idcc(value)


@pytest.mark.parametrize(
    ("code", "level", "parent"),
    [
        ("3", "domain", ""),
        ("22", "subdomain", "2"),
        ("221", "group", "22"),
        ("221w", "subgroup", "221"),
        ("w", "letter", ""),
    ],
)
def test_nsf_levels(code, level, parent):
    assert parsers.nsf_level_and_parent(code) == (level, parent)


def test_packaged_nsf_list_is_the_decree():
    parsed = parsers.parse_nsf(NSF_FILE)
    by_level = {}
    for row in parsed.rows:
        by_level.setdefault(row.level, []).append(row)
    # art. D311-4 of the Code de l'éducation: 4 + 17 domains, 93 groups; 17 letter codes
    assert {k: len(v) for k, v in by_level.items()} == {
        "domain": 4,
        "subdomain": 17,
        "group": 93,
        "letter": 17,
    }
    labels = {r.code: r.label for r in parsed.rows}
    assert labels["221"] == "Agro-alimentaire, alimentation, cuisine"
    assert labels["251"] == "Mécanique générale et de précision, usinage"
    assert labels["w"] == "Commercialisation"
    assert min(r.code for r in by_level["group"]) == "100"
    assert "346" in labels and "423" in labels


def test_eleven_known_opcos_and_their_usual_names():
    assert len(parsers.KNOWN_OPCOS) == 11
    assert parsers.canonical_opco("OPCO entreprises de proximité") == (
        "OPCO entreprises de proximité",
        "OPCO EP",
    )
    assert parsers.canonical_opco("Akto")[0].startswith("OPCO entreprises et salariés")
    assert parsers.canonical_opco("OPCO Mobilités") == ("OPCO Mobilité", "OPCO Mobilités")
    assert parsers.canonical_opco("Unknown OPCO") == ("Unknown OPCO", "Unknown OPCO")


def write(tmp_path: Path, name: str, text: str, encoding="utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_bad_idcc_names_file_and_line(tmp_path):
    path = write(
        tmp_path, "opco.csv", "\ufeffIDCC;Opérateur de compétences;Libellé;obs\n16;AFDAS;A;\n12a4;AFDAS;B;\n"
    )
    with pytest.raises(ReferenceFileError) as error:
        parsers.parse_idcc_opco(path)
    assert error.value.line == 3
    assert str(error.value).startswith(f"{path}, line 3: IDCC '12a4'")


def test_missing_column_is_reported_on_line_1(tmp_path):
    path = write(tmp_path, "idcc.csv", "id,code,label\n1,0016,Transports\n")
    with pytest.raises(ReferenceFileError, match=r"line 1: missing column\(s\) idcc"):
        parsers.parse_idcc_list(path)


def test_empty_and_missing_files(tmp_path):
    with pytest.raises(ReferenceFileError, match="empty file"):
        parsers.parse_idcc_list(write(tmp_path, "empty.csv", ""))
    with pytest.raises(ReferenceFileError, match="file not found"):
        parsers.parse_idcc_list(tmp_path / "nope.csv")


def test_windows_1252_is_accepted(tmp_path):
    path = write(tmp_path, "idcc.csv", "id,idcc,label\nx,1979,Hôtels cafés restaurants\n", encoding="cp1252")
    assert parsers.parse_idcc_list(path).rows[0].title == "Hôtels cafés restaurants"


def test_cpne_idcc_lists(tmp_path):
    path = write(tmp_path, "cpne.csv", "code_cpne;idcc;intitule_cpne\n1;NA;A\n9;627, 749,1597;B\n")
    rows = parsers.parse_cpne(path).rows
    assert rows[0].idccs == ()
    assert rows[1].idccs == ("0627", "0749", "1597")


def test_formacode_v13_parent_from_the_column_depth(tmp_path):
    path = write(
        tmp_path,
        "v13.csv",
        "A;B;C;D;E;F;G;H;\n150;DEV;DEV 15054;;;;;\n150;DEV;;ACCOMP 15061;;;;\n150;DEV;;;TRE 15070;;;\n150;DEV;;ADAPT 15031;;;;\n",
    )
    rows = {r.code: r for r in parsers.parse_formacode(path).rows}
    assert (rows["15054"].parent_code, rows["15061"].parent_code) == ("", "15054")
    assert (rows["15070"].parent_code, rows["15031"].parent_code) == ("15061", "15054")
    assert rows["15070"].version == "13"


@pytest.mark.parametrize(
    ("value", "expected"), [("1486", "1486"), (16, "0016"), ("abc", None), ("0", None), ("", None)]
)
def test_parse_idcc_or_none_answers_none_where_normalize_raises(value, expected):
    assert parsers.parse_idcc_or_none(value) == expected
