"""Write use cases of the credentials app: issue from awards, revoke, issue a whole session.

Awards are read through `cqphub.juries.selectors` only. Issuing is idempotent (an award has at
most one parchment or attestation, enforced by a unique constraint) and goes by chunks of
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
from django.db.models import Exists, OuterRef
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
    return DocumentKind.PARCHMENT if award.kind == "full" else DocumentKind.ATTESTATION


def _issued_award_ids(award_ids) -> set[int]:
    ids = set(Parchment.objects.filter(award_id__in=award_ids).values_list("award_id", flat=True))
    return ids | set(
        BlockAttestation.objects.filter(award_id__in=award_ids).values_list("award_id", flat=True)
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
    if not todo:
        return []
    now = timezone.now().replace(microsecond=0)
    stamp = now.isoformat().replace("+00:00", "Z")
    groups: dict[tuple, list] = defaultdict(list)
    for award in todo:
        groups[(award.qualification_id, award.decision_date.year, _kind_of(award))].append(award)
    numbers: dict[int, int] = {}
    with STAGES("numbers"):
        for (qualification_id, year, kind), members in sorted(groups.items()):
            for award, sequence in zip(
                members, reserve_numbers(qualification_id, year, kind, len(members)), strict=True
            ):
                numbers[award.pk] = sequence
    by_slug: dict[str, list] = defaultdict(list)
    slugs: dict[int, str] = {}
    with STAGES("keys"):
        for award in todo:
            if award.qualification_id not in slugs:
                slugs[award.qualification_id] = issuer.issuer_slug_for(award.qualification)
            by_slug[slugs[award.qualification_id]].append(award)
    created_docs: list = []
    for slug, members in by_slug.items():
        with STAGES("keys"):
            key = issuer.active_key(slug)
            signing_key = key.signing_key()
            signer = pdf_signer(slug) if with_pdf else None
            issuer_profile = openbadges.Issuer(
                did=key.issuer, name=issuer.issuer_name(slug), url=issuer.public_url()
            )
        with STAGES("status indexes"):
            slots = reserve_status_indexes(slug, len(members))
        docs_by_kind: dict = defaultdict(list)
        credentials = []
        facts_cache: dict = {}
        for award, (status_row, index) in zip(members, slots, strict=True):
            kind = _kind_of(award)
            blocks = [ab.block for ab in sorted(award.award_blocks.all(), key=lambda ab: (ab.order, ab.pk))]
            facts_key = (award.version_id, award.jury_session_id, kind, award.decision_date, award.place,
                         tuple(b.pk for b in blocks))  # fmt: skip
            facts = facts_cache.get(facts_key)
            if facts is None:
                with STAGES("facts"):
                    facts = facts_cache[facts_key] = award_facts(award, kind, blocks)
            year = award.decision_date.year
            number = format_number(kind, award.qualification_id, year, numbers[award.pk])
            candidate = award.candidate
            name, birth = holder_name(candidate), holder_birth(candidate)
            credential_id = f"urn:uuid:{uuid.uuid4()}"
            with STAGES("credential"):
                unsigned = openbadges.build_credential(
                    credential_id=credential_id,
                    issuer=issuer_profile,
                    achievement=facts.achievement,
                    holder=openbadges.Holder(name=name, email=candidate.email or ""),
                    validated_blocks=[b.code for b in blocks],
                    valid_from=f"{award.decision_date.isoformat()}T00:00:00Z",
                    status=status_list.StatusEntry(issuer.status_list_url(slug, status_row.number), index),
                    salt=secrets.token_urlsafe(12),
                    attestation=kind == DocumentKind.ATTESTATION,
                )
                signed = signing.sign(unsigned, signing_key, created=stamp)
                text = json.dumps(signed, ensure_ascii=False, separators=(",", ":"))
            path = ""
            if with_pdf:
                with STAGES("pdf"):
                    pdf = render_pdf(
                        facts,
                        {"holder_name": name, "birth": birth, "number": f"N° {number}"},
                        url=issuer.verification_url(number),
                        attachment=text.encode(),
                        signer=signer,
                        when=now,
                    )
                with STAGES("storage"):
                    path = _save_pdf(f"credentials/{year}/{number}.pdf", pdf)
            document = model_for(kind)(
                award=award,
                qualification_id=award.qualification_id,
                number=number,
                year=year,
                sequence=numbers[award.pk],
                holder_name=name,
                holder_birth=birth,
                mentions=facts.mentions,
                pdf=path,
                issued_at=now,
            )
            docs_by_kind[kind].append(document)
            credentials.append(
                IssuedCredential(
                    credential_id=credential_id,
                    issuer=slug,
                    verification_method=key.verification_method,
                    signed_json=text,
                    status_list=status_row,
                    status_index=index,
                    issued_at=now,
                    **{"parchment" if kind == DocumentKind.PARCHMENT else "attestation": document},
                )
            )
        with STAGES("insert"):
            for kind, docs in docs_by_kind.items():
                model_for(kind).objects.bulk_create(docs)  # primary keys set on PostgreSQL and SQLite
            for credential in credentials:
                document = credential.parchment or credential.attestation
                if credential.parchment is not None:
                    credential.parchment_id = document.pk
                else:
                    credential.attestation_id = document.pk
            IssuedCredential.objects.bulk_create(credentials)
        for docs in docs_by_kind.values():
            created_docs.extend(docs)
    return created_docs


def issue_award(award) -> list:
    return issue_awards([award])


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
    """The session's current awards that have no document yet (a queryset: one query to test)."""
    return awards.awards_of_session(session).filter(
        ~Exists(Parchment.objects.filter(award=OuterRef("pk"))),
        ~Exists(BlockAttestation.objects.filter(award=OuterRef("pk"))),
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
