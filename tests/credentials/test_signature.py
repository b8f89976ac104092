"""The jury president's signature image: who may deposit it, what is refused, where it is drawn."""

from __future__ import annotations

import io

import pypdf
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from cqphub.credentials import services
from cqphub.credentials.models import IssuanceRun, NumberCounter, Parchment, SignatureImage
from tests.credentials.chain_fixtures import close_session

pytestmark = pytest.mark.django_db
URL = "/attestations/ma-signature/"


@pytest.fixture
def closed(world, president, django_capture_on_commit_callbacks):
    return close_session(world, president, django_capture_on_commit_callbacks)


def image_bytes(size=(360, 120), fmt="PNG") -> bytes:
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).line([(10, 90), (120, 20), (220, 100), (340, 30)], fill="navy", width=5)
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


def image_xobjects(data: bytes) -> list:
    """Every image XObject drawn on the first page (inside form XObjects too)."""
    found = []

    def walk(resources):
        for obj in (resources or {}).get("/XObject", {}).values():
            obj = obj.get_object()
            if obj.get("/Subtype") == "/Image":
                found.append(obj)
            elif obj.get("/Subtype") == "/Form":
                walk(obj.get("/Resources"))

    walk(pypdf.PdfReader(io.BytesIO(data)).pages[0].get("/Resources"))
    return found


def parchment_pdf() -> tuple[bytes, str]:
    parchment = Parchment.objects.get()
    with default_storage.open(parchment.pdf, "rb") as handle:
        data = handle.read()
    return data, " ".join(pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text().split())


def reissue(jury) -> None:
    """Issue the session's parchment again (as a resumed run would, after deleting it)."""
    parchment = Parchment.objects.get()
    parchment.credential.delete()
    parchment.delete()
    NumberCounter.objects.update(last=0)
    services.run_session(IssuanceRun.objects.create(jury_session=jury))


def test_without_signature_the_parchment_bears_the_presidents_name(closed):
    data, text = parchment_pdf()
    assert "Sophie Leroy" in text  # the president named on the jury session
    assert image_xobjects(data) == []


def test_the_president_deposits_a_signature_drawn_on_the_next_parchments(client, closed, president):
    jury, _ = closed
    client.force_login(president)
    assert URL in client.get("/espace/").content.decode()  # the dashboard panel points there
    assert client.get(URL).status_code == 200
    response = client.post(URL, {"image": SimpleUploadedFile("ma signature.jpg", image_bytes(fmt="JPEG"))})
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = SignatureImage.objects.get(user=president)
    with default_storage.open(stored.image, "rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"  # re-encoded: never the uploaded bytes
    assert (stored.width, stored.height) == (360, 120)
    reissue(jury)
    data, text = parchment_pdf()
    assert "Sophie Leroy" in text
    images = image_xobjects(data)
    assert len(images) == 1 and (images[0]["/Width"], images[0]["/Height"]) == (360, 120)
    # served back only as an inert attachment
    served = client.get("/attestations/ma-signature/image.png")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert served["Content-Disposition"].startswith("attachment")
    assert "sandbox" in served["Content-Security-Policy"] and served["X-Content-Type-Options"] == "nosniff"
    # removed: the next parchments bear the name alone
    assert client.post(URL, {"remove": "1"}).status_code == 302
    assert not SignatureImage.objects.exists()
    reissue(jury)
    data, text = parchment_pdf()
    assert "Sophie Leroy" in text and image_xobjects(data) == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("signature.png", b"<html><script>alert(1)</script></html>", "Type de fichier refusé"),
        ("signature.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "Image illisible"),
        ("grande.png", image_bytes(size=(3000, 100)), "Image trop grande"),
        ("lourde.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (600 * 1024), "Fichier trop volumineux"),
    ],
)
def test_what_is_not_a_small_png_or_jpeg_is_refused(client, closed, president, name, content, message):
    client.force_login(president)
    response = client.post(URL, {"image": SimpleUploadedFile(name, content)})
    assert response.status_code == 400 and message in response.content.decode()  # a refused POST
    assert not SignatureImage.objects.exists()


def test_only_a_jury_president_may_deposit_one(client, world, closed):
    assert client.get(URL).status_code == 302  # anonymous: to the login page
    for role in ("certification_officer", "trainer", "outsider"):
        user = world.users.get(role)
        if user is None:
            continue
        client.force_login(user)
        assert client.get(URL).status_code == 404, role
        assert URL not in client.get("/espace/").content.decode()
        assert client.post(URL, {"image": SimpleUploadedFile("s.png", image_bytes())}).status_code == 404
        assert client.get("/attestations/ma-signature/image.png").status_code == 404
    assert not SignatureImage.objects.exists()
    with pytest.raises(PermissionError):
        services.set_signature(actor=world.users["certification_officer"], fileobj=io.BytesIO(image_bytes()))
