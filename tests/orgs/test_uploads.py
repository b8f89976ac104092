"""The upload-safety module: kinds judged on content, limits with clear messages, inert downloads."""

import io
import zipfile

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cqphub.orgs import uploads

PDF_BYTES = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + b"\0" * 64
HTML_BYTES = b"<html><script>alert(document.cookie)</script></html>"
POLICY = uploads.UploadPolicy(kinds=(uploads.PDF, uploads.PNG), max_bytes=1024)


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_kind_is_judged_on_content_not_name():
    checked = uploads.check_upload(PDF_BYTES, POLICY, name="../../etc/passwd.png")
    assert checked.kind == uploads.PDF and checked.safe_name == "passwd.pdf"
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(HTML_BYTES, POLICY, name="scan.pdf")
    assert error.value.code == "kind" and "PDF, PNG" in error.value.messages[0]


def test_size_and_empty_limits():
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(PDF_BYTES + b"\0" * 2000, POLICY, name="big.pdf")
    assert (
        error.value.code == "too_big" and "1,0" in error.value.messages[0] or "1.0" in error.value.messages[0]
    )
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(b"", POLICY, name="empty.pdf")
    assert error.value.code == "empty"


def test_zip_bomb_and_member_count_refused():
    policy = uploads.UploadPolicy(
        kinds=(uploads.XLSX,),
        max_bytes=10 * 1024 * 1024,
        zip_limits=uploads.ZipLimits(max_members=10, max_total_bytes=5 * 1024 * 1024),
    )
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"\0" * (20 * 1024 * 1024)})
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(bomb, policy)
    assert error.value.code == "zip_size"
    many = _zip({"xl/workbook.xml": b"x", **{f"xl/m{n}.xml": b"x" for n in range(20)}})
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(many, policy)
    assert error.value.code == "zip_members"
    ratio = uploads.ZipLimits(max_total_bytes=100 * 1024 * 1024, max_ratio=100)
    with pytest.raises(ValidationError) as error:
        uploads.check_zip(io.BytesIO(bomb), ratio)
    assert error.value.code == "zip_ratio"


def test_safe_file_field_attaches_the_check():
    class Form(forms.Form):
        file = uploads.SafeFileField(policy=POLICY)

    form = Form(files={"file": SimpleUploadedFile("x.png", PNG_BYTES)})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["file"].safe.kind == uploads.PNG
    assert 'accept=".pdf,.png"' in str(form["file"])
    bad = Form(files={"file": SimpleUploadedFile("x.pdf", HTML_BYTES)})
    assert not bad.is_valid() and "Type de fichier refusé" in str(bad.errors)


def test_validator_is_deconstructible():
    validator = uploads.UploadValidator(POLICY)
    path, args, kwargs = validator.deconstruct()
    assert path == "cqphub.orgs.uploads.UploadValidator" and args == (POLICY,)
    validator(SimpleUploadedFile("x.pdf", PDF_BYTES))
    with pytest.raises(ValidationError):
        validator(SimpleUploadedFile("x.pdf", HTML_BYTES))


@pytest.mark.parametrize(
    ("data", "name", "content_type", "filename"),
    [
        (PDF_BYTES, "Relevé d'évaluation.pdf", "application/pdf", "Releve-d-evaluation.pdf"),
        (HTML_BYTES, "page.html", "application/octet-stream", "page.html"),
        (b"<svg onload=alert(1)>", 'x";.svg', "application/octet-stream", "x.svg"),
    ],
)
def test_attachment_response_is_inert(data, name, content_type, filename):
    response = uploads.attachment_response(io.BytesIO(data), filename=name)
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == data
