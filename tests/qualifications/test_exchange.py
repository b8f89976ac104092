"""Export and re-import of the frameworks: JSON and XLSX round trips without loss, row-by-row errors,
nothing saved on error; the printable booklet."""

import io
import json

import jsonschema
import pytest
from openpyxl import load_workbook

from cqphub.qualifications import services
from cqphub.qualifications.demo import CQP_TITLE, CQPI_TITLE
from cqphub.qualifications.exchange.document import SCHEMA, build_document, frameworks_only, validate_document
from cqphub.qualifications.exchange.xlsx import SHEETS, read_workbook, template_workbook, write_workbook
from cqphub.qualifications.models import Qualification, SkillBlock
from tests.factories.qualifications import make_qualification

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_docs(world):
    return {
        title: build_document(Qualification.objects.get(title=title).latest_published())
        for title in (CQP_TITLE, CQPI_TITLE)
    }


def test_export_matches_the_json_schema(demo_docs):
    for doc in demo_docs.values():
        jsonschema.validate(doc, SCHEMA)
        assert validate_document(doc) == []
        assert doc["blocks"] and all(b["skills"] and b["methods"] for b in doc["blocks"])


@pytest.mark.parametrize("via", ["json", "xlsx"])
def test_round_trip_without_loss(demo_docs, via):
    for doc in demo_docs.values():
        if via == "json":
            document = json.loads(json.dumps(doc, ensure_ascii=False))
        else:
            document, errors = read_workbook(write_workbook(doc))
            assert errors == []
        assert frameworks_only(document) == frameworks_only(doc)
        # import into a fresh qualification's draft, export again: the same frameworks
        target = make_qualification(title="Copie")
        services.import_frameworks(actor=None, version=target.draft(), document=document)
        again = build_document(target.draft())
        assert frameworks_only(again) == frameworks_only(doc)


def test_reimport_into_the_same_draft_keeps_shared_blocks(world):
    cqp = Qualification.objects.get(title=CQP_TITLE)
    draft = cqp.draft()
    before = {vb.block.code: vb.block_id for vb in draft.version_blocks.select_related("block")}
    doc = build_document(draft)
    document, errors = read_workbook(write_workbook(doc))
    assert not errors
    blocks = SkillBlock.objects.count()
    services.import_frameworks(actor=None, version=draft, document=document)
    after = {vb.block.code: vb.block_id for vb in draft.version_blocks.select_related("block")}
    assert after == before and SkillBlock.objects.count() == blocks
    assert frameworks_only(build_document(draft)) == frameworks_only(doc)


def _sheet_rows(data: bytes, name: str):
    return list(load_workbook(io.BytesIO(data))[name].iter_rows(values_only=True))


def test_template_has_every_sheet_and_headers():
    data = template_workbook()
    workbook = load_workbook(io.BytesIO(data))
    for name, headers in SHEETS.items():
        assert list(workbook[name].iter_rows(values_only=True))[0][: len(headers)] == tuple(headers)
    assert "Aide" in workbook.sheetnames


def _broken_workbook(doc) -> bytes:
    workbook = load_workbook(io.BytesIO(write_workbook(doc)))
    workbook["Critères"].append(["BC01", "C9", "Critère d'une compétence inconnue"])  # row after the last
    workbook["Blocs"]["C3"] = "la plupart"  # 2nd block: unknown pass rule
    workbook["Épreuves"].append(["BC01", "Épreuve", "danse", None, ""])
    workbook["Compétences"]["D2"] = "peut-être"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_bad_spreadsheet_gives_a_row_by_row_report(demo_docs):
    doc = demo_docs[CQP_TITLE]
    data = _broken_workbook(doc)
    document, errors = read_workbook(data)
    assert document is None
    messages = [str(e) for e in errors]
    criteria_rows = len(_sheet_rows(data, "Critères"))
    assert (
        f"Feuille « Critères », ligne {criteria_rows} : compétence « C9 » inconnue dans le bloc « BC01 »"
        in messages
    )
    assert any(
        m.startswith("Feuille « Blocs », ligne 3 : règle de validation « la plupart »") for m in messages
    )
    assert any(
        m.startswith("Feuille « Épreuves », ligne") and "modalité « danse » inconnue" in m for m in messages
    )
    assert any(
        m.startswith("Feuille « Compétences », ligne 2 : transversale « peut-être »") for m in messages
    )


def test_bad_file_through_the_page_saves_nothing(client, world):
    cqp = Qualification.objects.get(title=CQP_TITLE)
    draft = cqp.draft()
    before = build_document(draft)
    blocks = SkillBlock.objects.count()
    client.force_login(world.users["certification_officer"])
    upload = io.BytesIO(_broken_workbook(build_document(cqp.latest_published())))
    upload.name = "referentiels.xlsx"
    response = client.post(f"/espace/qualifications/{cqp.pk}/echanges/", {"file": upload})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Rien n’a été enregistré" in body and "compétence « C9 » inconnue" in body
    assert build_document(draft) == before and SkillBlock.objects.count() == blocks
    # a JSON document with errors: same, every problem with its path
    bad = dict(before, blocks=[dict(before["blocks"][0], pass_rule="threshold", pass_threshold=None)])
    upload = io.BytesIO(json.dumps(bad).encode())
    upload.name = "referentiels.json"
    response = client.post(f"/espace/qualifications/{cqp.pk}/echanges/", {"file": upload})
    assert response.status_code == 400 and "blocks[0].pass_threshold" in response.content.decode()
    assert build_document(draft) == before


def test_good_file_through_the_page_replaces_the_draft(client, world):
    cqp = Qualification.objects.get(title=CQP_TITLE)
    doc = build_document(cqp.latest_published())
    doc["title"] = "CQP Boulanger-tourier (révision 2027)"
    client.force_login(world.users["certification_officer"])
    upload = io.BytesIO(json.dumps(doc).encode())
    upload.name = "referentiels.json"
    response = client.post(f"/espace/qualifications/{cqp.pk}/echanges/", {"file": upload})
    # first a preview of the changes: nothing written yet
    assert response.status_code == 200 and "Aperçu de l'import" in response.content.decode()
    assert cqp.draft().title != "CQP Boulanger-tourier (révision 2027)"
    assert client.post(f"/espace/qualifications/{cqp.pk}/echanges/", {"confirm": "stale"}).status_code == 400
    response = client.post(f"/espace/qualifications/{cqp.pk}/echanges/", {"file": _again(doc)})
    token = response.context["token"]
    response = client.post(f"/espace/qualifications/{cqp.pk}/echanges/", {"confirm": token})
    assert response.status_code == 302
    assert cqp.draft().title == "CQP Boulanger-tourier (révision 2027)"


def _again(doc):
    upload = io.BytesIO(json.dumps(doc).encode())
    upload.name = "referentiels.json"
    return upload


def test_exports_download(client, world):
    cqp = Qualification.objects.get(title=CQP_TITLE)
    client.force_login(world.users["jury_member"])
    response = client.get(f"/espace/qualifications/{cqp.pk}/versions/1/export.json")
    assert response.status_code == 200 and json.loads(response.content)["title"] == CQP_TITLE
    response = client.get(f"/espace/qualifications/{cqp.pk}/versions/1/export.xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert client.get("/espace/qualifications/modele-referentiels.xlsx").status_code == 200


def test_booklet_is_a_pdf_with_the_title(client, world):
    from pypdf import PdfReader

    from cqphub.qualifications.booklet import booklet_html, booklet_pdf

    cqp = Qualification.objects.get(title=CQP_TITLE)
    version = cqp.latest_published()
    html = booklet_html(version)
    assert CQP_TITLE in html and "Référentiel d’évaluation" in html and "BC03" in html
    pdf = booklet_pdf(version, uncompressed=True)
    assert pdf.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert CQP_TITLE in text
    assert "BC03" in text
    client.force_login(world.users["branch_admin"])
    response = client.get(f"/espace/qualifications/{cqp.pk}/versions/1/livret.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
