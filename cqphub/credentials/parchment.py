"""Parchment PDFs: rendered once per template by WeasyPrint, filled per holder, signed (PAdES).

WeasyPrint lays out a parchment in about 60 ms; a jury session of 5,000 holders needs better. A
parchment's page is the same for every holder of one qualification, jury and set of blocks except
a few fields (name, date of birth, number, QR code). So:

1. **Render once** (`ParchmentTemplate.render`): WeasyPrint renders the page (PDF/A-3b) with the holder
   fields left blank, plus one off-page *carrier* line per field style holding every character a
   name may use, so the embedded font subsets have their glyphs. From the carrier runs we read which
   font resource and glyph id draw each character (and the glyph widths from the font's `W` array),
   then remove the carrier text from the page. pikepdf then adds the constant structure: the page's
   content wrapped in `q … Q` plus an empty holder stream, the embedded-file placeholder for the
   signed credential (PDF/A-3 associated file, `AFRelationship /Source`), and an invisible signature
   field; the file is saved with a classic cross-reference table.
2. **Fill** (`ParchmentTemplate.fill`): one incremental update redefines three objects — the holder
   stream (text drawn with the same fonts, sizes and colour at the fields' positions, the QR code as
   filled squares), the embedded credential and the signature dictionary — then signs.
3. **Sign**: a CAdES-detached CMS (`ETSI.CAdES.detached`, PAdES B-B: content-type, message-digest,
   ESS signing-certificate-v2, no signing-time attribute; the time is the dictionary's `/M`) built
   once per key with asn1crypto; per document only the message digest and the RSA signature change
   (RSA signatures have a fixed length, so they are patched in place).

A holder whose name uses a character outside the carrier set gets a template rendered for them (the
same page, with those characters added to the carriers): slower, never wrong.

Pure module: no Django import.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import pikepdf
import segno
from asn1crypto import (
    algos,
    cms,
    tsp,  # noqa: F401 - registers the signing-certificate-v2 attribute type
    x509,
)
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

MM = 72 / 25.4
# Every character a holder field may use without a dedicated render: Latin-1 letters, Latin
# Extended-A (Central European names), digits, punctuation.
CHARSET = "".join(
    sorted(
        set(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
            " -'’.,/:()°n"
            + "".join(chr(c) for c in range(0xC0, 0x100) if c not in (0xD7, 0xF7))
            + "".join(chr(c) for c in range(0x100, 0x180))
        )
    )
)
CARRIER_RGB = (1, 2)  # red and green of the carriers' colour (rgb(1, 2, 10 + style index))


@dataclass(frozen=True)
class Field:
    """A holder field: baseline position in mm from the page's top-left corner, size in points."""

    x: float
    y: float
    size: float
    style: str = "text"
    align: str = "center"  # center: x is the centre; left: x is the start
    color: tuple[float, float, float] = (0.1, 0.1, 0.1)


@dataclass(frozen=True)
class QrBox:
    x: float  # mm, top-left corner
    y: float
    size: float  # mm, the whole symbol with its quiet zone


def carrier_html(styles: Iterable[str], extra: str = "") -> str:
    """The off-page carrier lines to put at the start of the template's <body>."""
    text = " ".join(sorted(set(CHARSET + extra) - {" "}))
    lines = []
    for index, style in enumerate(styles):
        lines.append(
            f'<div class="carrier field-{style}" aria-hidden="true" style="position:absolute;'
            f"top:-60mm;left:0;white-space:nowrap;font-kerning:none;font-variant-ligatures:none;"
            f'color:rgb({CARRIER_RGB[0]},{CARRIER_RGB[1]},{10 + index})">{text}</div>'
        )
    return "\n".join(lines)


# --- reading glyphs from WeasyPrint's page ------------------------------------------------------

_TOKEN = re.compile(rb"<([0-9a-fA-F]*)>|\[|\]|/([^\s/\[\]<>()]+)|([-+]?\d*\.?\d+)|([A-Za-z'\"*]+)")


def _widths(font: pikepdf.Object) -> dict[int, float]:
    descendant = font.DescendantFonts[0]
    default = float(descendant.get("/DW", 1000))
    widths: dict[int, float] = {}
    array = list(descendant.get("/W", []))
    i = 0
    while i < len(array):
        first = int(array[i])
        if isinstance(array[i + 1], pikepdf.Array):
            for offset, width in enumerate(array[i + 1]):
                widths[first + offset] = float(width)
            i += 2
        else:
            last, width = int(array[i + 1]), float(array[i + 2])
            for gid in range(first, last + 1):
                widths[gid] = width
            i += 3
    widths[-1] = default
    return widths


def _carrier_glyphs(content: bytes, styles: list[str], text: str) -> tuple[dict, bytes]:
    """{style: {char: (font name, gid)}} read from the carrier runs, and the content without them."""
    found: dict[str, dict[str, tuple[str, int]]] = {}
    out = bytearray()
    position = 0
    style: str | None = None
    for block in re.finditer(rb"([\d.]+) ([\d.]+) ([\d.]+) rg\s*BT(.*?)ET", content, re.S):
        r, g, b = (round(float(v) * 255) for v in block.group(1, 2, 3))
        if (r, g) != CARRIER_RGB or not 10 <= b < 10 + len(styles):
            continue
        style = styles[b - 10]
        glyphs: list[tuple[str, int]] = []
        font = ""
        stack: list = []
        for token in _TOKEN.finditer(block.group(4)):
            hexa, name, _number, operator = token.groups()
            if name is not None:
                stack.append(name.decode())
            elif hexa is not None:
                glyphs.extend((font, int(hexa[i : i + 4], 16)) for i in range(0, len(hexa), 4))
            elif operator == b"Tf":
                font = next(s for s in reversed(stack) if isinstance(s, str))
                stack.clear()
        characters = [c for c in text]
        if len(glyphs) != len(characters):
            raise ValueError(
                f"carrier of style {style!r}: {len(characters)} characters, {len(glyphs)} glyphs"
            )
        found[style] = dict(zip(characters, glyphs, strict=True))
        out += content[position : block.start(4)] + b"\n"
        position = block.end(4)
    out += content[position:]
    missing = set(styles) - set(found)
    if missing:
        raise ValueError(f"no carrier found for the field styles {sorted(missing)}")
    return found, bytes(out)


# --- signing ------------------------------------------------------------------------------------


class PdfSigner:
    """PAdES B-B signer with an RSA key and its certificate; the CMS is a template patched per PDF."""

    def __init__(self, key_pem: str, certificate_pem: str, *, signer_name: str = ""):
        key = serialization.load_pem_private_key(key_pem.encode(), password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("the parchment signing key must be RSA (fixed-length signatures)")
        self.key = key
        self.certificate = x509.Certificate.load(_pem_to_der(certificate_pem))
        self.signer_name = signer_name or self.certificate.subject.native.get("common_name", "")
        self._build_template()

    def _build_template(self) -> None:
        size = self.key.key_size // 8
        certificate_hash = hashlib.sha256(self.certificate.dump()).digest()
        attributes = cms.CMSAttributes(
            [
                cms.CMSAttribute({"type": "content_type", "values": ["data"]}),
                cms.CMSAttribute({"type": "message_digest", "values": [b"\x00" * 32]}),
                cms.CMSAttribute(
                    {
                        "type": "signing_certificate_v2",
                        "values": [
                            {
                                "certs": [
                                    {
                                        "hash_algorithm": {"algorithm": "sha256"},
                                        "cert_hash": certificate_hash,
                                        "issuer_serial": {
                                            "issuer": [
                                                x509.GeneralName({"directory_name": self.certificate.issuer})
                                            ],
                                            "serial_number": self.certificate.serial_number,
                                        },
                                    }
                                ]
                            }
                        ],
                    }
                ),
            ]
        )
        signer_info = cms.SignerInfo(
            {
                "version": "v1",
                "sid": cms.SignerIdentifier(
                    {
                        "issuer_and_serial_number": {
                            "issuer": self.certificate.issuer,
                            "serial_number": self.certificate.serial_number,
                        }
                    }
                ),
                "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
                "signed_attrs": attributes,
                "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": "sha256_rsa"}),
                "signature": b"\x00" * size,
            }
        )
        signed_data = cms.SignedData(
            {
                "version": "v1",
                "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
                "encap_content_info": {"content_type": "data"},
                "certificates": [self.certificate],
                "signer_infos": [signer_info],
            }
        )
        content = cms.ContentInfo({"content_type": "signed_data", "content": signed_data})
        der = content.dump()
        attributes_der = attributes.dump()  # tagged as a SET: what is signed
        signed_attrs_in_cms = b"\xa0" + attributes_der[1:]
        self.cms_template = der
        self.attrs_offset = der.index(signed_attrs_in_cms)
        self.attrs_length = len(attributes_der)
        self.digest_offset = attributes_der.index(b"\x04\x20" + b"\x00" * 32) + 2
        self.signature_offset = der.rindex(b"\x00" * size)
        self.signature_size = size
        self.contents_size = len(der) + 64  # hex-encoded in /Contents, some slack

    def cms(self, digest: bytes) -> bytes:
        der = bytearray(self.cms_template)
        start = self.attrs_offset + self.digest_offset
        der[start : start + 32] = digest
        attributes = b"\x31" + bytes(der[self.attrs_offset + 1 : self.attrs_offset + self.attrs_length])
        signature = self.key.sign(attributes, padding.PKCS1v15(), hashes.SHA256())
        der[self.signature_offset : self.signature_offset + self.signature_size] = signature
        return bytes(der)


def _pem_to_der(pem: str) -> bytes:
    from cryptography import x509 as cx509

    return cx509.load_pem_x509_certificate(pem.encode()).public_bytes(serialization.Encoding.DER)


# --- QR codes ----------------------------------------------------------------------------------


def _qr_bits(url: str | bytes, version: int | None = None) -> tuple[int, int, int]:
    """(version, size, the matrix as one integer: rows of `size` bits, each padded to whole bytes)."""
    # a fixed mask keeps the code valid for every reader and skips the 8-mask scoring
    code = segno.make(url, error="m", mask=3, micro=False, boost_error=False, mode="byte", version=version)
    matrix = code.matrix
    size = len(matrix)
    pad = (-size) % 8
    bits = "".join("".join("1" if m else "0" for m in row) + "0" * pad for row in matrix)
    return code.version, size, int(bits, 2)


class QrCodes:
    """QR codes of many URLs of one shape, each in microseconds instead of milliseconds.

    With the version, error level, mode and mask fixed, a QR symbol is the fixed patterns XOR the
    masked placement of (data codewords, Reed-Solomon codewords), and Reed-Solomon is linear over
    GF(2). So the symbol of a URL that differs from a base URL of the same length is the base symbol
    XOR, for each bit that differs between their bytes, the difference that flipping that one bit of
    the base makes; those differences are computed once (one segno encoding each) and kept. A
    session's verification URLs differ in a few digits of the number and in the verification key
    (16 base32 characters, 7 varying bits each): about 140 differences in all, then XORs.

    A URL needing more than MAX_NEW_DIFFERENCES unknown differences (the first ones of a shape) is
    encoded directly, and LEARN_PER_CALL of its missing differences are learnt on the way: a lone
    parchment costs a few encodings, a session's first few dozen URLs warm the cache for the rest.
    Tests hold the result equal to segno's own symbol.
    """

    MAX_BASES = 64
    MAX_NEW_DIFFERENCES = 6
    LEARN_PER_CALL = 6

    def __init__(self) -> None:
        self._bases: dict[int, tuple[bytes, int, int, int]] = {}  # length -> url, version, size, bits
        self._differences: dict[tuple[bytes, int, int], int] = {}  # (base, byte, bit) -> difference
        self.encodings = 0  # segno encodings made (tests and benchmarks read it)

    def _encode(self, url: str | bytes, version: int | None = None) -> tuple[int, int, int]:
        self.encodings += 1
        return _qr_bits(url, version)

    def _learn(self, base: tuple[bytes, int, int, int], position: int, bit: int) -> int:
        base_url, version, _size, bits = base
        flipped = bytearray(base_url)
        flipped[position] ^= 1 << bit
        difference = self._differences[(base_url, position, bit)] = (
            self._encode(bytes(flipped), version)[2] ^ bits
        )
        return difference

    def bits(self, url: str) -> tuple[int, int]:
        if not url.isascii():
            _version, size, bits = self._encode(url)
            return size, bits
        data = url.encode("ascii")
        base = self._bases.get(len(data))
        if base is None:
            if len(self._bases) >= self.MAX_BASES:
                self._bases.clear()
                self._differences.clear()
            version, size, bits = self._encode(data)
            self._bases[len(data)] = (data, version, size, bits)
            return size, bits
        base_url, _version, size, bits = base
        flips = [
            (i, bit)
            for i, (a, b) in enumerate(zip(base_url, data, strict=True))
            if a != b
            for bit in range(8)
            if (a ^ b) >> bit & 1
        ]
        missing = [flip for flip in flips if (base_url, *flip) not in self._differences]
        if len(missing) > self.MAX_NEW_DIFFERENCES:
            for position, bit in missing[: self.LEARN_PER_CALL]:
                self._learn(base, position, bit)
            return self._encode(data)[1:]
        for position, bit in flips:
            difference = self._differences.get((base_url, position, bit))
            if difference is None:
                difference = self._learn(base, position, bit)
            bits ^= difference
        return size, bits

    def mask(self, url: str) -> tuple[int, bytes]:
        """(modules per side, the 1-bit image rows, each padded to whole bytes)."""
        size, bits = self.bits(url)
        return size, bits.to_bytes(size * ((size + 7) // 8), "big")


QR_CODES = QrCodes()


# --- template + fill ----------------------------------------------------------------------------


def _pdf_string(text: str) -> bytes:
    """A PDF text string (UTF-16BE with BOM when needed), escaped."""
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        raw = b"\xfe\xff" + text.encode("utf-16-be")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


class ParchmentTemplate:
    """One rendered page with holes for the holder fields (see the module docstring)."""

    def __init__(
        self, pdf: bytes, fields: dict[str, Field], qr: QrBox | None, glyphs, fonts, numbers, title: str
    ):
        self.pdf = pdf
        self.fields = fields
        self.qr = qr
        self.glyphs = glyphs  # style -> char -> (font resource, gid)
        self.fonts = fonts  # font resource -> (gid -> width)
        self.numbers = numbers  # object numbers: holder, file, signature, root, info, size, startxref, id
        self.title = title
        self.page_height = numbers["page_height"]

    @classmethod
    def render(
        cls,
        html: str,
        fields: dict[str, Field],
        qr: QrBox | None = None,
        *,
        base_url: str | None = None,
        extra_characters: str = "",
        attachment_name: str = "credential.json",
        title: str = "",
    ) -> ParchmentTemplate:
        from weasyprint import HTML

        styles = sorted({f.style for f in fields.values()})
        if "<!--CARRIERS-->" not in html:
            raise ValueError("the parchment HTML needs a <!--CARRIERS--> marker at the start of <body>")
        html = html.replace("<!--CARRIERS-->", carrier_html(styles, extra_characters))
        rendered = HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/a-3b")
        text = " ".join(sorted(set(CHARSET + extra_characters) - {" "}))
        return cls._prepare(rendered, fields, qr, styles, text, attachment_name, title)

    @classmethod
    def _prepare(cls, rendered, fields, qr, styles, text, attachment_name, title) -> ParchmentTemplate:
        pdf = pikepdf.open(io.BytesIO(rendered))
        page = pdf.pages[0]
        contents = page.obj.Contents
        streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        if len(streams) != 1:
            raise ValueError("a parchment is one page with one content stream")
        glyphs, cleaned = _carrier_glyphs(streams[0].read_bytes(), styles, text)
        streams[0].write(cleaned)
        fonts = {}
        for name, font in page.Resources.Font.items():
            fonts[name.lstrip("/")] = _widths(font)
        # constant structure: q [content] Q, holder stream, attachment, signature field
        holder = pdf.make_stream(b"")
        page.obj.Contents = pikepdf.Array(
            [pdf.make_stream(b"q\n"), streams[0], pdf.make_stream(b"\nQ\n"), holder]
        )
        embedded = pdf.make_stream(b"{}")
        embedded.Type = pikepdf.Name.EmbeddedFile
        embedded.Subtype = pikepdf.Name("/application#2Fld+json")
        filespec = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Filespec,
                F=pikepdf.String(attachment_name),
                UF=pikepdf.String(attachment_name),
                Desc=pikepdf.String("Signed Open Badges 3.0 credential (W3C Verifiable Credential)"),
                AFRelationship=pikepdf.Name.Source,
                EF=pikepdf.Dictionary(F=embedded, UF=embedded),
            )
        )
        pdf.Root.Names = pikepdf.Dictionary(
            EmbeddedFiles=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String(attachment_name), filespec]))
        )
        pdf.Root.AF = pikepdf.Array([filespec])
        signature = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Sig))
        field = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Widget,
                FT=pikepdf.Name.Sig,
                T=pikepdf.String("Signature"),
                Rect=pikepdf.Array([0, 0, 0, 0]),
                F=132,
                P=page.obj,
                V=signature,
            )
        )
        page.obj.Annots = pdf.make_indirect(pikepdf.Array([field]))
        pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([field]), SigFlags=3)
        buffer = io.BytesIO()
        pdf.save(
            buffer,
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
            compress_streams=True,
            linearize=False,
            deterministic_id=True,
        )
        data = buffer.getvalue()
        saved = pikepdf.open(io.BytesIO(data))
        spage = saved.pages[0].obj
        numbers = {
            "holder": spage.Contents[3].objgen[0],
            "file": saved.Root.Names.EmbeddedFiles.Names[1].EF.F.objgen[0],
            "signature": saved.Root.AcroForm.Fields[0].V.objgen[0],
            "root": saved.Root.objgen[0],
            "info": saved.trailer.Info.objgen[0] if "/Info" in saved.trailer else None,
            "size": int(saved.trailer.Size),
            "startxref": int(re.findall(rb"startxref\s+(\d+)", data)[-1]),
            "id": bytes(saved.trailer.ID[0]).hex(),
            "page_height": float(spage.MediaBox[3]),
        }
        return cls(data, fields, qr, glyphs, fonts, numbers, title)

    def can_draw(self, values: dict[str, str]) -> bool:
        return all(
            all(c in self.glyphs[self.fields[name].style] for c in value) for name, value in values.items()
        )

    def _text(self, field: Field, value: str) -> bytes:
        mapping = self.glyphs[field.style]
        runs: list[tuple[str, list[int]]] = []
        width = 0.0
        for char in value:
            font, gid = mapping[char]
            widths = self.fonts[font]
            width += widths.get(gid, widths[-1]) * field.size / 1000
            if runs and runs[-1][0] == font:
                runs[-1][1].append(gid)
            else:
                runs.append((font, [gid]))
        x = field.x * MM - (width / 2 if field.align == "center" else 0)
        y = self.page_height - field.y * MM
        r, g, b = field.color
        out = [f"BT {r:.3f} {g:.3f} {b:.3f} rg {x:.3f} {y:.3f} Td".encode()]
        for font, gids in runs:
            out.append(f"/{font} {field.size:.2f} Tf <{''.join(f'{gid:04x}' for gid in gids)}> Tj".encode())
        out.append(b"ET")
        return b" ".join(out)

    def _qr(self, url: str) -> bytes:
        """The QR code as a 1-bit image mask painted in black: one inline image, no per-module path."""
        size, data = QR_CODES.mask(url)
        count = size + 8  # 4-module quiet zone on each side
        module = self.qr.size * MM / count
        left = self.qr.x * MM + 4 * module
        bottom = self.page_height - self.qr.y * MM - (4 + size) * module
        return (
            f"q 0 0 0 rg {size * module:.3f} 0 0 {size * module:.3f} {left:.3f} {bottom:.3f} cm "
            f"BI /W {size} /H {size} /IM true /BPC 1 /D [1 0] /I false /L {len(data)} ID ".encode()
            + data
            + b" EI Q"
        )

    def fill(
        self,
        values: dict[str, str],
        *,
        qr_url: str,
        attachment: bytes,
        signer: PdfSigner,
        signed_at: datetime | None = None,
        reason: str = "",
        location: str = "",
    ) -> bytes:
        """The holder's signed parchment. Raises KeyError when a character has no glyph (can_draw)."""
        content = b"\n".join(self._text(self.fields[name], value) for name, value in values.items())
        if self.qr is not None:
            content += b"\n" + self._qr(qr_url)
        numbers = self.numbers
        moment = (signed_at or datetime.now(UTC)).astimezone(UTC)
        base = self.pdf
        parts: list[bytes] = [b"\n"]
        offsets: dict[int, int] = {}
        position = len(base) + 1

        def add(number: int, body: bytes) -> None:
            nonlocal position
            offsets[number] = position
            chunk = f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
            parts.append(chunk)
            position += len(chunk)

        add(numbers["holder"], b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        add(
            numbers["file"],
            b"<< /Type /EmbeddedFile /Subtype /application#2Fld+json /Length %d /Params << /Size %d /ModDate %s >> >>\nstream\n"
            % (len(attachment), len(attachment), _pdf_string(_pdf_date(moment)))
            + attachment
            + b"\nendstream",
        )
        hex_size = signer.contents_size * 2
        signature_head = (
            b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /M "
            + _pdf_string(_pdf_date(moment))
            + b" /Name "
            + _pdf_string(signer.signer_name)
            + (b" /Reason " + _pdf_string(reason) if reason else b"")
            + (b" /Location " + _pdf_string(location) if location else b"")
            + b" /Contents <"
        )
        signature_number = numbers["signature"]
        object_head = f"{signature_number} 0 obj\n".encode()
        contents_start = position + len(object_head) + len(signature_head) - 1  # offset of '<'
        contents_end = contents_start + 1 + hex_size + 1  # just past '>'
        # everything after '>' has a fixed length, so the byte range is known before writing it
        xref_parts = [b"xref\n0 1\n0000000000 65535 f \n"]
        tail_template_length = len(b" /ByteRange [0 0000000000 0000000000 0000000000] >>\nendobj\n")
        xref_start = contents_end + tail_template_length
        offsets[signature_number] = position
        for number in sorted(offsets):
            xref_parts.append(b"%d 1\n%010d 00000 n \n" % (number, offsets[number]))
        trailer = (
            b"trailer\n<< /Size %d /Root %d 0 R" % (numbers["size"], numbers["root"])
            + (b" /Info %d 0 R" % numbers["info"] if numbers["info"] else b"")
            + b" /Prev %d /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n"
            % (
                numbers["startxref"],
                numbers["id"].encode(),
                hashlib.md5(content + attachment, usedforsecurity=False).hexdigest().encode(),
                xref_start,
            )
        )
        tail_after = b"".join(xref_parts) + trailer
        total = xref_start + len(tail_after)
        byte_range = b" /ByteRange [0 %10d %10d %10d] >>\nendobj\n" % (
            contents_start,
            contents_end,
            total - contents_end,
        )
        assert len(byte_range) == tail_template_length
        head = b"".join(parts) + object_head + signature_head[:-1]
        digest = hashlib.sha256()
        digest.update(base)
        digest.update(head)
        digest.update(byte_range)
        digest.update(tail_after)
        der = signer.cms(digest.digest())
        if len(der) > signer.contents_size:
            raise ValueError("signature larger than its reserved space")
        contents = b"<" + der.hex().encode() + b"0" * (hex_size - 2 * len(der)) + b">"
        return base + head + contents + byte_range + tail_after


def _pdf_date(moment: datetime) -> str:
    return moment.strftime("D:%Y%m%d%H%M%SZ")
