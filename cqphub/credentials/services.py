"""Write use cases of the credentials app: issue from awards, revoke, issue a whole session.

Awards are read through `cqphub.juries.selectors` only. Issuing is idempotent (an award has at
most one parchment and one attestation, each enforced by a unique constraint; a full award's
attestation is issued only on request, by `request_block_attestation`) and goes by chunks of
`CHUNK` awards, one transaction each, so a crashed run resumes where it stopped and never issues
twice. Numbers come from a counter row locked with `select_for_update` (no gap, no duplicate under
concurrency); a revocation sets the document's date and flips its status bit in the same
transaction, and re-signs the status list.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import secrets
import time
import uuid
from collections import OrderedDict, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from cqphub.credentials import documents, issuer, openbadges, parchment, signing, status_list
from cqphub.credentials.enums import DocumentKind, RunState
from cqphub.credentials.models import (
    BlockAttestation,
    IssuanceRun,
    IssuedCredential,
    NumberCounter,
    Parchment,
    SignatureImage,
    StatusList,
)
from cqphub.juries import selectors as awards
from cqphub.orgs import uploads

CHUNK = 250
STATUS_STRIDE = 0x9E37  # odd, so i -> i * STRIDE mod 2**17 is a bijection: indexes spread over the list
STATUS_OFFSET = 0x5BD1
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]  # fmt: skip


class Stages:
    """Wall and CPU seconds spent in each stage of issuing, added up (benchmarks and logs read it)."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)

    def reset(self) -> None:
        self.wall.clear()
        self.cpu.clear()

    @contextmanager
    def __call__(self, name: str):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.wall[name] += time.perf_counter() - wall
            self.cpu[name] += time.process_time() - cpu


STAGES = Stages()


def model_for(kind: str):
    return Parchment if kind == DocumentKind.PARCHMENT else BlockAttestation


def format_number(kind: str, qualification_id: int, year: int, sequence: int) -> str:
    prefix = "CQP" if kind == DocumentKind.PARCHMENT else "ATT"
    return f"{prefix}-{qualification_id:04d}-{year}-{sequence:05d}"


def french_date(day) -> str:
    return f"{day.day}{'er' if day.day == 1 else ''} {MONTHS[day.month - 1]} {day.year}"


# --- numbers and status indexes ------------------------------------------------------------------


def reserve_numbers(qualification_id: int, year: int, kind: str, count: int) -> range:
    """`count` consecutive sequence numbers; call inside a transaction (the counter row stays locked)."""
    try:
        with transaction.atomic():
            NumberCounter.objects.get_or_create(qualification_id=qualification_id, year=year, kind=kind)
    except IntegrityError:
        pass  # created by a concurrent issuance: lock it below
    counter = NumberCounter.objects.select_for_update().get(
        qualification_id=qualification_id, year=year, kind=kind
    )
    start = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return range(start, start + count)


def _new_list(slug: str, number: int) -> StatusList:
    bits = status_list.StatusList()
    created = StatusList.objects.create(issuer=slug, number=number, size=bits.size, bits=bytes(bits.bits))
    _sign_list(created)
    created.save(update_fields=["signed"])
    return created


def reserve_status_indexes(slug: str, count: int) -> list[tuple[StatusList, int]]:
    """`count` unused (list, index) pairs of the issuer's lists, spread pseudo-randomly over each list."""
    out: list[tuple[StatusList, int]] = []
    while len(out) < count:
        current = StatusList.objects.select_for_update().filter(issuer=slug).order_by("-number").first()
        if current is None or current.used >= current.size:
            try:
                with transaction.atomic():
                    _new_list(slug, (current.number + 1) if current else 1)
            except IntegrityError:
                pass
            continue
        take = min(count - len(out), current.size - current.used)
        for ordinal in range(current.used, current.used + take):
            out.append((current, (ordinal * STATUS_STRIDE + STATUS_OFFSET) % current.size))
        current.used += take
        current.save(update_fields=["used"])
    return out


def _sign_list(row: StatusList) -> None:
    bits = status_list.StatusList(row.size, bytes(row.bits))
    unsigned = status_list.status_list_credential(
        list_url=issuer.status_list_url(row.issuer, row.number),
        issuer=issuer.key_store().issuer(row.issuer),
        status_list=bits,
        valid_from=timezone.now().replace(microsecond=0).isoformat().replace("+00:00", "Z"),
    )
    signed = signing.sign(unsigned, issuer.active_key(row.issuer).signing_key())
    row.signed = json.dumps(signed, ensure_ascii=False, separators=(",", ":"))
    row.updated = timezone.now()


# --- the president's signature ------------------------------------------------------------------

SIGNATURE_POLICY = uploads.UploadPolicy(kinds=(uploads.PNG, uploads.JPEG), max_bytes=512 * 1024)
SIGNATURE_MAX_PIXELS = (2400, 1200)  # width, height


def signature_of(user_id: int) -> SignatureImage | None:
    return SignatureImage.objects.filter(user_id=user_id).first()


def signature_data_uri(signature: SignatureImage) -> str:
    """The stored PNG as a data: URI for WeasyPrint (never fetched from a URL)."""
    with default_storage.open(signature.image, "rb") as handle:
        return "data:image/png;base64," + base64.b64encode(handle.read()).decode("ascii")


@transaction.atomic
def set_signature(*, actor, fileobj, name: str = "") -> SignatureImage:
    """A jury president's own signature image (PNG or JPEG): checked, re-encoded as PNG, stored.

    Raises ValidationError for a file that is not a PNG or JPEG by content, too large in bytes or
    pixels, or that Pillow cannot decode. Replaces (and deletes) the previous image.
    """
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _
    from PIL import Image, UnidentifiedImageError

    from cqphub.orgs.audit import record

    if not awards.presides_a_jury(actor):
        raise PermissionError("only a jury president uploads their signature")
    uploads.check_upload(fileobj, SIGNATURE_POLICY, name=name)
    fileobj.seek(0)
    try:
        with Image.open(fileobj) as image:
            width, height = image.size
            if width > SIGNATURE_MAX_PIXELS[0] or height > SIGNATURE_MAX_PIXELS[1]:
                raise ValidationError(
                    _("Image trop grande : %(width)s × %(height)s pixels (2400 × 1200 au plus)."),
                    code="pixels",
                    params={"width": width, "height": height},
                )
            image.load()
            clean = image.convert("RGBA" if "A" in image.getbands() or image.mode == "P" else "RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("Image illisible : déposez un fichier PNG ou JPEG."), code="unreadable")
    buffer = io.BytesIO()
    clean.save(buffer, format="PNG", optimize=True)  # no metadata, no trailing bytes
    data = buffer.getvalue()
    previous = SignatureImage.objects.select_for_update().filter(user=actor).first()
    path = default_storage.save(f"credentials/signatures/{uuid.uuid4().hex}.png", ContentFile(data))
    values = {"image": path, "sha256": hashlib.sha256(data).hexdigest(), "width": width, "height": height,
              "uploaded_at": timezone.now()}  # fmt: skip
    if previous is None:
        signature = SignatureImage.objects.create(user=actor, **values)
    else:
        old = previous.image
        for field, value in values.items():
            setattr(previous, field, value)
        previous.save()
        signature = previous
        transaction.on_commit(lambda: default_storage.delete(old))
    record(actor, "update" if previous else "create", signature, changes={"sha256": values["sha256"]})
    _templates.clear()  # templates embed the image: the next parchments use the new one
    return signature


@transaction.atomic
def remove_signature(*, actor) -> bool:
    from cqphub.orgs.audit import record

    signature = SignatureImage.objects.select_for_update().filter(user=actor).first()
    if signature is None:
        return False
    path = signature.image
    record(actor, "delete", signature)
    signature.delete()
    transaction.on_commit(lambda: default_storage.delete(path))
    _templates.clear()
    return True


# --- what an award says ------------------------------------------------------------------------


def holder_name(candidate) -> str:
    family = (candidate.usage_name or candidate.birth_name).upper()
    return f"{candidate.first_names} {family}".strip()


def holder_birth(candidate) -> str:
    sex = getattr(candidate, "sex", "")
    born = {"F": "née", "M": "né"}.get(sex, "né(e)")
    if candidate.birth_day and candidate.birth_month:
        from datetime import date

        text = (
            f"{born} le {french_date(date(candidate.birth_year, candidate.birth_month, candidate.birth_day))}"
        )
    elif candidate.birth_month:
        text = f"{born} en {MONTHS[candidate.birth_month - 1]} {candidate.birth_year}"
    else:
        text = f"{born} en {candidate.birth_year}"
    return text


def _version_blocks(version) -> list:
    blocks = list(version.blocks.all())
    return sorted(blocks, key=lambda b: (b.code, b.pk))


def _registry(version):
    certification = getattr(version, "certification", None)
    nsf = ""
    if certification is not None:
        first = certification.classifications.filter(scheme="NSF").order_by("position").first()
        if first is not None:
            nsf = f"{first.code} - {first.label}" if first.label else first.code
    return certification, nsf


@dataclass
class AwardFacts:
    """Everything issued documents say about one award (computed once per qualification version)."""

    achievement: openbadges.AchievementInfo
    mentions: dict
    template_key: tuple
    template_context: dict


def award_facts(award, kind: str, validated: list) -> AwardFacts:
    qualification, version, session = award.qualification, award.version, award.jury_session
    certification, nsf = _registry(version)
    fiche = version.fiche_code or qualification.fiche_code
    level = qualification.level or (certification.level if certification else None)
    blocks = _version_blocks(version)
    creators = qualification.committee.name
    certifier = qualification.ip_holder.name if qualification.ip_holder_id else creators
    achievement = openbadges.AchievementInfo(
        id=f"{issuer.public_url()}/attestations/referentiels/{qualification.pk}/versions/{version.number}",
        name=qualification.title,
        description=version.title or qualification.title,
        criteria=(
            "Délivré par décision du jury paritaire, après évaluation de chaque bloc de compétences "
            f"selon le référentiel d'évaluation (version {version.number})."
        ),
        kind=qualification.kind,
        fiche_code=fiche,
        level=level,
        nsf=nsf,
        rome=tuple((code, code) for code in (qualification.rome_codes or [])),
        creators=(creators,),
        blocks=tuple(openbadges.BlockInfo(b.code, b.title) for b in blocks),
    )
    shown = [
        {"code": b.code, "title": b.title} for b in (blocks if kind == DocumentKind.PARCHMENT else validated)
    ]
    registration_date = certification.decision_date if certification else None
    registration_end = (certification.end_date if certification else None) or qualification.registered_until
    place = award.place or session.place or ""
    mentions = {
        "title": qualification.title,
        "kind": qualification.kind,
        "document": kind,
        "fiche_code": fiche,
        "register": qualification.register or (certification.register if certification else ""),
        "level": level,
        "nsf": nsf,
        "blocks": shown,
        "decision_date": award.decision_date.isoformat(),
        "place": place,
        "certifier": certifier,
        "creators": creators,
        "registration_date": registration_date.isoformat() if registration_date else "",
        "registration_end": registration_end.isoformat() if registration_end else "",
    }
    president = awards.session_president(session)
    signature = signature_of(president.user_id) if president is not None and president.user_id else None
    context = {
        "title": qualification.title,
        "kind": qualification.kind,
        "attestation": kind == DocumentKind.ATTESTATION,
        "certifier": certifier,
        "creators": creators,
        "place": place,
        "decision_date": french_date(award.decision_date),
        "blocks": shown,
        "fiche_code": fiche,
        "register": mentions["register"],
        "registration_date": french_date(registration_date) if registration_date else "",
        "registration_end": french_date(registration_end) if registration_end else "",
        "level": level,
        "nsf": nsf.split(" - ")[0] if nsf else "",
        "president": getattr(president, "name", "") if president else "",
        "president_title": "Le président ou la présidente du jury," if president else "",
        "signature_image": signature_data_uri(signature) if signature is not None else "",
        "verify_hint": f"{issuer.host()}/attestations/verifier/",
    }
    key = (version.pk, session.pk, kind, award.decision_date, place, tuple(b["code"] for b in shown),
           context["president"], signature.sha256 if signature is not None else "")  # fmt: skip
    return AwardFacts(achievement, mentions, key, context)


_templates: OrderedDict = OrderedDict()


def parchment_template(facts: AwardFacts, extra: str = "") -> parchment.ParchmentTemplate:
    key = (facts.template_key, extra)
    template = _templates.get(key)
    if template is None:
        html = documents.parchment_html(facts.template_context)
        template = parchment.ParchmentTemplate.render(
            html, documents.FIELDS, documents.QR, extra_characters=extra, title=facts.mentions["title"]
        )
        _templates[key] = template
        while len(_templates) > 32:
            _templates.popitem(last=False)
    return template


_signers: dict = {}


def pdf_signer(slug: str) -> parchment.PdfSigner:
    key = issuer.active_key(slug)
    signer = _signers.get(key.verification_method)
    if signer is None:
        signer = _signers[key.verification_method] = parchment.PdfSigner(
            key.pdf_key_pem, key.pdf_certificate_pem, signer_name=issuer.issuer_name(slug)
        )
    return signer


def render_pdf(
    facts: AwardFacts,
    values: dict,
    *,
    url: str,
    attachment: bytes,
    signer: parchment.PdfSigner,
    when: datetime,
) -> bytes:
    template = parchment_template(facts)
    if not template.can_draw(values):
        known = set(parchment.CHARSET)
        extra = "".join(sorted({c for v in values.values() for c in v} - known))
        template = parchment_template(facts, extra)
    return template.fill(
        values,
        qr_url=url,
        attachment=attachment,
        signer=signer,
        signed_at=when,
        location=facts.mentions["place"],
    )


def _save_pdf(path: str, data: bytes) -> str:
    """Saved under `path` (or a free variant of it, left by a run that crashed before committing)."""
    return default_storage.save(path, ContentFile(data))


# --- issuing -----------------------------------------------------------------------------------


def _kind_of(award) -> str:
    """The document a decision issues by itself: a parchment for a full CQP, else an attestation."""
    return DocumentKind.PARCHMENT if award.kind == "full" else DocumentKind.ATTESTATION


def _issued_award_ids(award_ids) -> set[int]:
    """Awards that already have the document of their own kind (a full award's on-request
    attestation does not count: its parchment is still due)."""
    ids = set(Parchment.objects.filter(award_id__in=award_ids).values_list("award_id", flat=True))
    return ids | set(
        BlockAttestation.objects.filter(award_id__in=award_ids, on_request=False).values_list(
            "award_id", flat=True
        )
    )


def issue_awards(award_list: list, *, with_pdf: bool = True, then=None) -> list:
    """Issue the documents and credentials of these awards (skipping revoked or already issued ones).

    One transaction: numbers (one locked counter update per qualification, year and kind), status
    indexes (one locked update per list), every credential signed and PDF written, then one bulk
    insert per table. A crash leaves nothing of the batch but PDF files nobody points to: the next
    run issues the same awards again, with the same numbers (the counter update was rolled back).
    """
    with transaction.atomic():
        created = _issue_awards(award_list, with_pdf=with_pdf)
        if then is not None:
            then()  # e.g. a run's progress, committed with the batch
        before_commit = time.perf_counter()
    STAGES.wall["commit"] += time.perf_counter() - before_commit
    return created


def _issue_awards(award_list: list, *, with_pdf: bool) -> list:
    with STAGES("select"):
        todo = [a for a in award_list if a.revoked_at is None]
        done = _issued_award_ids([a.pk for a in todo])
        todo = sorted((a for a in todo if a.pk not in done), key=lambda a: (a.decision_date, a.pk))
    return _issue([(award, _kind_of(award)) for award in todo], with_pdf=with_pdf)


@dataclass
class IssuerKeys:
    """What signs one issuer's documents in a batch: its active key, PDF signer and profile."""

    slug: str
    verification_method: str
    signing_key: object
    pdf_signer: parchment.PdfSigner | None
    profile: openbadges.Issuer

    @classmethod
    def load(cls, slug: str, *, with_pdf: bool) -> IssuerKeys:
        key = issuer.active_key(slug)
        return cls(
            slug=slug,
            verification_method=key.verification_method,
            signing_key=key.signing_key(),
            pdf_signer=pdf_signer(slug) if with_pdf else None,
            profile=openbadges.Issuer(did=key.issuer, name=issuer.issuer_name(slug), url=issuer.public_url()),
        )


@dataclass
class Issuance:
    """One document to issue: the award, the kind of document, and what the batch reserved for it."""

    award: object
    kind: str
    sequence: int = 0
    status_row: StatusList | None = None
    status_index: int = 0
    requested_by: object = None  # the user who asked for a full award's block attestation

    @property
    def number(self) -> str:
        return format_number(
            self.kind, self.award.qualification_id, self.award.decision_date.year, self.sequence
        )


def _issue(todo: list[tuple], *, with_pdf: bool, requested_by=None) -> list:
    """Issue a document of the given kind for each (award, kind); call inside a transaction."""
    if not todo:
        return []
    issuances = [Issuance(award, kind, requested_by=requested_by) for award, kind in todo]
    now = timezone.now().replace(microsecond=0)
    with STAGES("numbers"):
        _number(issuances)
    created: list = []
    for slug, members in _by_issuer(issuances).items():
        with STAGES("keys"):
            keys = IssuerKeys.load(slug, with_pdf=with_pdf)
        with STAGES("status indexes"):
            slots = reserve_status_indexes(slug, len(members))
        for issuance, (status_row, index) in zip(members, slots, strict=True):
            issuance.status_row, issuance.status_index = status_row, index
        facts_cache: dict = {}
        pairs = [
            _sign_and_render(issuance, keys, facts_cache, now=now, with_pdf=with_pdf) for issuance in members
        ]
        with STAGES("insert"):
            created.extend(_insert(pairs))
    return created


def _number(issuances: list[Issuance]) -> None:
    """Each issuance's sequence: one locked counter update per qualification, year and kind."""
    groups: dict[tuple, list[Issuance]] = defaultdict(list)
    for issuance in issuances:
        award = issuance.award
        groups[(award.qualification_id, award.decision_date.year, issuance.kind)].append(issuance)
    for (qualification_id, year, kind), members in sorted(groups.items()):
        for issuance, sequence in zip(
            members, reserve_numbers(qualification_id, year, kind, len(members)), strict=True
        ):
            issuance.sequence = sequence


def _by_issuer(issuances: list[Issuance]) -> dict[str, list[Issuance]]:
    """Issuances grouped by the key store slug that signs them (the platform's or a branch's)."""
    by_slug: dict[str, list[Issuance]] = defaultdict(list)
    slugs: dict[int, str] = {}
    with STAGES("keys"):
        for issuance in issuances:
            award = issuance.award
            if award.qualification_id not in slugs:
                slugs[award.qualification_id] = issuer.issuer_slug_for(award.qualification)
            by_slug[slugs[award.qualification_id]].append(issuance)
    return by_slug


def _sign_and_render(issuance: Issuance, keys: IssuerKeys, facts_cache: dict, *, now, with_pdf: bool):
    """The unsaved document and credential of one issuance: credential signed, PDF written."""
    award, kind, number = issuance.award, issuance.kind, issuance.number
    blocks = [ab.block for ab in sorted(award.award_blocks.all(), key=lambda ab: (ab.order, ab.pk))]
    facts = _facts(award, kind, blocks, facts_cache)
    name, birth = holder_name(award.candidate), holder_birth(award.candidate)
    with STAGES("credential"):
        credential = _signed_credential(issuance, keys, facts, blocks, name, now=now)
    path = ""
    if with_pdf:
        with STAGES("pdf"):
            pdf = render_pdf(
                facts,
                {"holder_name": name, "birth": birth, "number": f"N° {number}"},
                url=issuer.verification_url(number),
                attachment=credential.signed_json.encode(),
                signer=keys.pdf_signer,
                when=now,
            )
        with STAGES("storage"):
            path = _save_pdf(f"credentials/{award.decision_date.year}/{number}.pdf", pdf)
    values = dict(award=award, qualification_id=award.qualification_id, number=number,
                  year=award.decision_date.year, sequence=issuance.sequence, holder_name=name,
                  holder_birth=birth, mentions=facts.mentions, pdf=path, issued_at=now)  # fmt: skip
    if kind == DocumentKind.ATTESTATION and award.kind == "full":
        values.update(on_request=True, requested_by=issuance.requested_by)
    return model_for(kind)(**values), credential


def _facts(award, kind: str, blocks: list, cache: dict) -> AwardFacts:
    """The award's facts, computed once per version, session, kind, date, place and blocks."""
    key = (award.version_id, award.jury_session_id, kind, award.decision_date, award.place,
           tuple(b.pk for b in blocks))  # fmt: skip
    facts = cache.get(key)
    if facts is None:
        with STAGES("facts"):
            facts = cache[key] = award_facts(award, kind, blocks)
    return facts


def _signed_credential(issuance: Issuance, keys: IssuerKeys, facts: AwardFacts, blocks: list, name: str,
                       *, now) -> IssuedCredential:  # fmt: skip
    """The Open Badges 3.0 credential of one issuance, signed, as an unsaved row (JSON kept as text)."""
    award = issuance.award
    credential_id = f"urn:uuid:{uuid.uuid4()}"
    unsigned = openbadges.build_credential(
        credential_id=credential_id,
        issuer=keys.profile,
        achievement=facts.achievement,
        holder=openbadges.Holder(name=name, email=award.candidate.email or ""),
        validated_blocks=[b.code for b in blocks],
        valid_from=f"{award.decision_date.isoformat()}T00:00:00Z",
        status=status_list.StatusEntry(
            issuer.status_list_url(keys.slug, issuance.status_row.number), issuance.status_index
        ),
        salt=secrets.token_urlsafe(12),
        attestation=issuance.kind == DocumentKind.ATTESTATION,
    )
    signed = signing.sign(unsigned, keys.signing_key, created=now.isoformat().replace("+00:00", "Z"))
    return IssuedCredential(
        credential_id=credential_id,
        issuer=keys.slug,
        verification_method=keys.verification_method,
        signed_json=json.dumps(signed, ensure_ascii=False, separators=(",", ":")),
        status_list=issuance.status_row,
        status_index=issuance.status_index,
        issued_at=now,
    )


def _insert(pairs: list[tuple]) -> list:
    """One bulk insert per document table, then one for the credentials pointing at them."""
    by_model: dict = defaultdict(list)
    for document, _credential in pairs:
        by_model[type(document)].append(document)
    for model, rows in by_model.items():
        model.objects.bulk_create(rows)  # primary keys set on PostgreSQL and SQLite
    for document, credential in pairs:
        if isinstance(document, Parchment):
            credential.parchment = document
        else:
            credential.attestation = document
    IssuedCredential.objects.bulk_create([credential for _document, credential in pairs])
    return [document for rows in by_model.values() for document in rows]


def issue_award(award) -> list:
    return issue_awards([award])


# --- a block attestation on request --------------------------------------------------------------


def is_holder_or_branch_staff(actor, award) -> bool:
    """The holder (their account), the superuser, or staff of a branch owning the qualification: who may
    read an award's documents and ask for its block attestation."""
    from cqphub.orgs.rules import is_branch_staff

    if actor is None:  # the command line, run by the platform's operators
        return True
    if not getattr(actor, "is_authenticated", False):
        return False
    if award.candidate.user_id is not None and award.candidate.user_id == actor.pk:
        return True
    return bool(actor.is_superuser or is_branch_staff(actor, award.qualification))


def _attestation_of(award_id: int) -> BlockAttestation | None:
    return BlockAttestation.objects.filter(award_id=award_id).first()


def request_block_attestation(award, *, actor) -> tuple[BlockAttestation, bool]:
    """The block attestation of an award, issued now if it has none: (attestation, created).

    For a full award this is the attestation of its validated blocks, issued on request beside the
    parchment: its own number in the qualification's and year's attestation sequence, its own
    signed credential and status-list entry, its own PDF. For a partial award it is the attestation
    the decision issued (issued now if the session's run has not reached it yet). One transaction;
    asking twice returns the same attestation. Raises ValidationError (nothing written) for a
    revoked award, an award of a session not closed, or one without validated blocks; and
    PermissionError for an actor who is neither its holder nor staff of its branch.
    """
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from cqphub.orgs.audit import record

    award = awards.award(award.pk)  # fresh, with its blocks, revoked or not
    if not is_holder_or_branch_staff(actor, award):
        raise PermissionError("only the holder or the branch's staff ask for a block attestation")
    existing = _attestation_of(award.pk)
    if existing is not None:
        return existing, False
    if award.revoked_at is not None:
        raise ValidationError(
            _("Cette décision a été révoquée : aucune attestation ne peut être délivrée."), code="revoked"
        )
    if award.jury_session.status != "closed":
        raise ValidationError(
            _("La décision du jury n'est pas encore arrêtée : la session n'est pas close."), code="undecided"
        )
    if not award.award_blocks.all():
        raise ValidationError(_("Aucun bloc validé : il n'y a rien à attester."), code="no_blocks")
    try:
        with transaction.atomic():
            (attestation,) = _issue([(award, DocumentKind.ATTESTATION)], with_pdf=True, requested_by=actor)
            record(actor, "create", attestation, changes={"number": attestation.number, "on_request": True})
    except IntegrityError:  # a concurrent request issued it first (its number was rolled back here)
        return BlockAttestation.objects.get(award_id=award.pk), False
    return attestation, True


# --- revocation --------------------------------------------------------------------------------


def _flip(credentials: list[IssuedCredential]) -> None:
    by_list: dict[int, list[int]] = defaultdict(list)
    for credential in credentials:
        by_list[credential.status_list_id].append(credential.status_index)
    for list_id, indexes in sorted(by_list.items()):
        row = StatusList.objects.select_for_update().get(pk=list_id)
        bits = status_list.StatusList(row.size, bytes(row.bits))
        for index in indexes:
            bits.set(index)
        row.bits = bytes(bits.bits)
        _sign_list(row)
        row.save(update_fields=["bits", "signed", "updated"])


@transaction.atomic
def revoke(document, *, reason: str, when: datetime | None = None) -> bool:
    """Revoke one document and its credential (status bit flipped, list re-signed). False if it was already."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("a revocation needs a reason")
    model = type(document)
    locked = model.objects.select_for_update().get(pk=document.pk)
    if locked.revoked_at is not None:
        return False
    locked.revoked_at = when or timezone.now()
    locked.revocation_reason = reason
    locked.save(update_fields=["revoked_at", "revocation_reason"])
    _flip([locked.credential])
    document.revoked_at, document.revocation_reason = locked.revoked_at, reason
    return True


def documents_of_award(award_id: int) -> list:
    return list(Parchment.objects.filter(award_id=award_id)) + list(
        BlockAttestation.objects.filter(award_id=award_id)
    )


@transaction.atomic
def revoke_for_award(award, *, reason: str = "") -> int:
    count = 0
    for document in documents_of_award(award.pk):
        count += revoke(
            document, reason=reason or award.revocation_reason or "décision révoquée", when=award.revoked_at
        )
    return count


def reconcile_revocations() -> int:
    """Revoke every document whose award is revoked but which is not (a lost signal cannot lose one).

    One transaction; each status list concerned is re-signed once, however many bits flip in it.
    """
    with transaction.atomic():
        flipped = []
        for model in (Parchment, BlockAttestation):
            stale = list(
                model.objects.select_for_update(of=("self",))
                .filter(revoked_at__isnull=True, award__revoked_at__isnull=False)
                .select_related("award", "credential")
                .order_by("pk")
            )
            for document in stale:
                document.revoked_at = document.award.revoked_at
                document.revocation_reason = document.award.revocation_reason or "décision révoquée"
            model.objects.bulk_update(stale, ["revoked_at", "revocation_reason"])
            flipped.extend(document.credential for document in stale)
        if flipped:
            _flip(flipped)
    return len(flipped)


# --- a whole session ---------------------------------------------------------------------------


def _pending(session):
    """The session's current awards still without the document of their own kind (a queryset: one
    query to test; a full award's on-request attestation does not stand for its parchment)."""
    return awards.awards_of_session(session).filter(
        (Q(kind="full") & ~Exists(Parchment.objects.filter(award=OuterRef("pk"))))
        | (~Q(kind="full") & ~Exists(BlockAttestation.objects.filter(award=OuterRef("pk"))))
    )


def pending_awards(session) -> list:
    return list(_pending(session))


def request_session_issuance(session, *, actor=None) -> IssuanceRun | None:
    """Queue the issuance of a closed session (None when everything is issued already)."""
    from cqphub.credentials.tasks import issue_session_task

    active = [RunState.QUEUED, RunState.RUNNING]
    running = IssuanceRun.objects.filter(jury_session=session, state__in=active).first()
    if running is not None:  # a session's close sends one signal per award: one read each, no lock
        return running
    with transaction.atomic():
        running = IssuanceRun.objects.filter(
            jury_session=session, state__in=[RunState.QUEUED, RunState.RUNNING]
        ).first()
        if running is not None:
            return running
        if not _pending(session).exists():  # one query: a session's close sends a signal per award
            return None
        run = IssuanceRun.objects.create(jury_session=session, requested_by=actor)
    transaction.on_commit(lambda: issue_session_task.enqueue(run.pk))
    return run


def run_session(run: IssuanceRun, *, with_pdf: bool = True) -> IssuanceRun:
    """The task's body: issue what is missing, by chunks, recording progress; resumable."""
    session = run.jury_session
    with STAGES("load awards"):
        todo = pending_awards(session)
    IssuanceRun.objects.filter(pk=run.pk).update(
        state=RunState.RUNNING, started_at=timezone.now(), total=len(todo) + 0, done=0, error=""
    )
    done = 0
    try:
        for start in range(0, len(todo), CHUNK):
            chunk = todo[start : start + CHUNK]
            done += len(chunk)
            issue_awards(
                chunk,
                with_pdf=with_pdf,
                then=lambda d=done: IssuanceRun.objects.filter(pk=run.pk).update(done=d),
            )
        with STAGES("reconcile"):
            reconcile_revocations()
    except Exception as error:
        IssuanceRun.objects.filter(pk=run.pk).update(
            state=RunState.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    IssuanceRun.objects.filter(pk=run.pk).update(state=RunState.DONE, finished_at=timezone.now())
    run.refresh_from_db()
    return run
