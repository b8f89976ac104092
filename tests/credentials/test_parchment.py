"""Parchment PDFs: rendered once, filled per holder, PAdES-signed, credential attached."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pypdf
import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature as _validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from cqphub.credentials import parchment


def validate_pdf_signature(signature, context):
    """pyHanko's validator runs asyncio.run(): call it from a thread with no event loop of its own
    (Playwright's sync API, used by the browser tests, may leave one running in this thread)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(_validate_pdf_signature, signature, context).result()


FIELDS = {
    "holder_name": parchment.Field(148.5, 95, 24, style="name"),
    "birth": parchment.Field(148.5, 104, 11),
    "number": parchment.Field(20, 200, 9, align="left"),
}
QR = parchment.QrBox(250, 160, 32)
HTML = """<html><head><style>@page{size:A4 landscape;margin:0} body{font-family:'DejaVu Serif';margin:0}
.field-name{font-size:24pt;font-weight:bold} .field-text{font-size:11pt}
h1{position:absolute;top:30mm;width:297mm;text-align:center;font-size:30pt;margin:0}</style></head>
<body><!--CARRIERS--><h1>Certificat de qualification professionnelle</h1></body></html>"""
VALUES = {
    "holder_name": "Łucja Ørsted-Ñúñez",
    "birth": "née le 3 mars 1990",
    "number": "N° CQP-TOURIER-2026-00042",
}
URL = "https://attestations.example.fr/attestations/verifier/CQP-TOURIER-2026-00042/"


@pytest.fixture(scope="module")
def template():
    return parchment.ParchmentTemplate.render(HTML, FIELDS, QR)


@pytest.fixture
def signer(key_store):
    key = key_store.active_key()
    return parchment.PdfSigner(key.pdf_key_pem, key.pdf_certificate_pem)


@pytest.fixture
def pdf(template, signer):
    credential = json.dumps({"type": ["VerifiableCredential"], "name": "CQP Tourier"}).encode()
    return template.fill(
        VALUES, qr_url=URL, attachment=credential, signer=signer, signed_at=datetime(2026, 6, 15, tzinfo=UTC)
    )


def test_holder_text_is_drawn_and_extractable(pdf):
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for value in VALUES.values():
        assert value in text
    assert "Certificat de qualification professionnelle" in text
    assert "ĀāĂă" not in text  # the glyph carriers are removed from the page


def test_the_signed_credential_is_attached(pdf):
    attachments = pypdf.PdfReader(io.BytesIO(pdf)).attachments
    assert json.loads(attachments["credential.json"][0])["name"] == "CQP Tourier"


def test_pades_signature_is_valid_and_covers_the_whole_file(pdf, signer):
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[signer.certificate]))
    assert status.intact and status.valid and status.trusted
    assert status.coverage.name == "ENTIRE_FILE"
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"


def test_a_changed_byte_breaks_the_pades_signature(pdf, signer):
    index = pdf.index(b"N\\260 CQP") if b"N\\260 CQP" in pdf else len(pdf) // 3
    altered = pdf[:index] + bytes([pdf[index] ^ 1]) + pdf[index + 1 :]
    signature = PdfFileReader(io.BytesIO(altered), strict=False).embedded_signatures[0]
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[signer.certificate]))
    assert not status.intact


def test_each_holder_gets_their_own_qr_and_fields(template, signer):
    first = template.fill(VALUES, qr_url=URL, attachment=b"{}", signer=signer)
    second = template.fill(
        {**VALUES, "holder_name": "Ana Lopes"}, qr_url=URL + "x", attachment=b"{}", signer=signer
    )
    assert "Ana Lopes" in pypdf.PdfReader(io.BytesIO(second)).pages[0].extract_text()
    assert "Ana Lopes" not in pypdf.PdfReader(io.BytesIO(first)).pages[0].extract_text()


def test_a_name_outside_the_carrier_set_needs_its_own_render(template, signer):
    values = {**VALUES, "holder_name": "Δημήτρης Παπαδόπουλος"}
    assert not template.can_draw(values)
    own = parchment.ParchmentTemplate.render(HTML, FIELDS, QR, extra_characters="ΔημήτρςΠαπαδόπουλος")
    assert own.can_draw(values)
    pdf = own.fill(values, qr_url=URL, attachment=b"{}", signer=signer)
    assert "Δημήτρης Παπαδόπουλος" in pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_the_document_stays_pdf_a(pdf):
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert "/OutputIntents" in root and "/Metadata" in root
    assert b"pdfaid:part" in root["/Metadata"].get_data() or b"pdfaid" in root["/Metadata"].get_data()
    filespec = root["/AF"][0].get_object()
    assert filespec["/AFRelationship"] == "/Source" and filespec["/UF"] == "credential.json"


def _segno_rows(url: str) -> tuple[int, bytes]:
    """segno's own symbol (same error level and mask), as 1-bit rows padded to whole bytes."""
    import segno

    matrix = segno.make(url, error="m", mask=3, micro=False, boost_error=False).matrix
    row_bytes = (len(matrix) + 7) // 8
    return len(matrix), b"".join(
        int("".join("1" if m else "0" for m in row).ljust(row_bytes * 8, "0"), 2).to_bytes(row_bytes, "big")
        for row in matrix
    )


def test_qr_codes_by_differences_equal_segno_symbols():
    import random

    codes = parchment.QrCodes()
    rng = random.Random(10)
    urls = [
        f"https://attestations.example.fr/attestations/verifier/{kind}-{q:04d}-{year}-{n:05d}/"
        for kind in ("CQP", "ATT")
        for q in (1, 12, 4321)
        for year in (2026, 2031)
        for n in rng.sample(range(100_000), 40)
    ]
    urls += ["https://a.fr/x", "https://a.fr/y", "https://b.org/zzzzzzzzzzzzzzzzzzzz", "https://é.fr/CQP-1/"]
    for url in urls:
        assert codes.mask(url) == _segno_rows(url), url
    assert codes._differences  # the fast path was taken


def test_qr_codes_of_keyed_urls_stay_cheap_and_exact():
    """Issued URLs carry a verification key whose 16 characters all vary from one holder to the next:
    per-bit differences are learnt over the first URLs, then a session costs no segno encoding."""
    import random

    from cqphub.credentials.verification import verification_key

    rng = random.Random(11)
    numbers = [f"CQP-0012-2026-{n:05d}" for n in rng.sample(range(1, 100_000), 400)]
    urls = [
        f"https://attestations.example.fr/attestations/verifier/{n}/?cle={verification_key(n, 'secret')}"
        for n in numbers
    ]
    codes = parchment.QrCodes()
    for url in urls[:2]:  # a lone parchment: a few encodings, not hundreds
        codes.mask(url)
    assert codes.encodings <= 1 + 1 + codes.LEARN_PER_CALL
    for url in urls[2:200]:
        codes.mask(url)
    warm = codes.encodings
    assert warm < 200  # instead of one encoding per URL
    for url in urls[200:]:
        assert codes.mask(url) == _segno_rows(url), url
    assert codes.encodings - warm <= 5  # warm: XORs only (a rare bit not yet seen is learnt)
    for url in rng.sample(urls[:200], 20):
        assert codes.mask(url) == _segno_rows(url), url
