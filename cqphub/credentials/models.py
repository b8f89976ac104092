"""Numbered documents issued from awards, their signed credentials, revocation lists, counters.

- `NumberCounter`: one row per (qualification, year, kind); the next number is taken under
  `select_for_update`, so two issuances at once can neither reuse nor skip a number.
- `StatusList`: a Bitstring Status List (131,072 bits) per issuer; a revocation flips its bit and
  re-signs the list in the same transaction.
- `Parchment` (full CQP) and `BlockAttestation` (validated blocks): the numbered documents, with the
  printed mentions frozen at issue time and the signed PDF's path in the default storage. An award
  has at most one of each: a partial award its attestation, a full award its parchment and, when
  the holder or the branch's staff ask for it (`on_request`), an attestation of its blocks too.
- `IssuedCredential`: the exact signed JSON as issued (text, never re-serialised), its status index.
- `IssuanceRun`: a whole jury session issued by one background task, with progress.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cqphub.credentials.enums import DocumentKind, RunState


class NumberCounter(models.Model):
    qualification = models.ForeignKey(
        "qualifications.Qualification", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=DocumentKind.choices)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["qualification", "year", "kind"], name="credentials_counter_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.qualification_id}/{self.year}: {self.last}"


class StatusList(models.Model):
    issuer = models.CharField(_("émetteur"), max_length=64)  # key store slug: "platform" or a branch
    number = models.PositiveIntegerField(_("numéro"))
    size = models.PositiveIntegerField(default=131_072)
    bits = models.BinaryField()
    used = models.PositiveIntegerField(default=0)
    signed = models.TextField(blank=True)  # the signed BitstringStatusListCredential, as served
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "number"], name="credentials_status_list_once")
        ]

    def __str__(self) -> str:
        return f"{self.issuer}/{self.number}"


class DocumentQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(revoked_at__isnull=True)


class NumberedDocument(models.Model):
    award = models.ForeignKey("juries.Award", on_delete=models.PROTECT, related_name="+")
    qualification = models.ForeignKey(
        "qualifications.Qualification", on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("numéro"), max_length=64, unique=True)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    holder_name = models.CharField(_("titulaire"), max_length=400)
    holder_birth = models.CharField(_("date de naissance"), max_length=100, blank=True)
    mentions = models.JSONField(_("mentions"), default=dict)  # what the document states, frozen
    pdf = models.CharField(_("fichier PDF"), max_length=300, blank=True)  # path in the default storage
    issued_at = models.DateTimeField(_("délivré le"), default=timezone.now)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    revocation_reason = models.TextField(_("motif de la révocation"), blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["qualification", "year", "sequence"]

    def __str__(self) -> str:
        return self.number

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class Parchment(NumberedDocument):
    KIND = DocumentKind.PARCHMENT

    class Meta(NumberedDocument.Meta):
        verbose_name = _("parchemin")
        verbose_name_plural = _("parchemins")
        constraints = [
            models.UniqueConstraint(fields=["award"], name="credentials_parchment_per_award"),
            models.UniqueConstraint(
                fields=["qualification", "year", "sequence"], name="credentials_parchment_seq"
            ),
        ]


class BlockAttestation(NumberedDocument):
    KIND = DocumentKind.ATTESTATION

    on_request = models.BooleanField(_("à la demande"), default=False)  # a full award's, asked for
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(NumberedDocument.Meta):
        verbose_name = _("attestation de blocs")
        verbose_name_plural = _("attestations de blocs")
        constraints = [
            models.UniqueConstraint(fields=["award"], name="credentials_attestation_per_award"),
            models.UniqueConstraint(
                fields=["qualification", "year", "sequence"], name="credentials_attestation_seq"
            ),
        ]


class IssuedCredential(models.Model):
    credential_id = models.CharField(max_length=100, unique=True)  # urn:uuid:…
    parchment = models.OneToOneField(
        Parchment, null=True, blank=True, on_delete=models.PROTECT, related_name="credential"
    )
    attestation = models.OneToOneField(
        BlockAttestation, null=True, blank=True, on_delete=models.PROTECT, related_name="credential"
    )
    issuer = models.CharField(max_length=64)
    verification_method = models.CharField(max_length=300)
    signed_json = models.TextField()  # exactly as issued: never re-serialised
    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT, related_name="credentials")
    status_index = models.PositiveIntegerField()
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="credentials_status_index_once"
            ),
            models.CheckConstraint(
                condition=(Q(parchment__isnull=False) & Q(attestation__isnull=True))
                | (Q(parchment__isnull=True) & Q(attestation__isnull=False)),
                name="credentials_credential_one_document",
            ),
        ]

    def __str__(self) -> str:
        return self.credential_id

    @property
    def document(self):
        return self.parchment or self.attestation


class IssuanceRun(models.Model):
    """Issuing a whole jury session: one background task, idempotent and resumable."""

    jury_session = models.ForeignKey("juries.JurySession", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=RunState.choices, default=RunState.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.jury_session_id}: {self.state} {self.done}/{self.total}"

    @property
    def progress(self) -> int:
        return (
            round(100 * self.done / self.total) if self.total else (100 if self.state == RunState.DONE else 0)
        )


class SignatureImage(models.Model):
    """A jury president's handwritten signature, drawn on the parchments of the sessions they preside.

    Uploaded by the president themself (PNG or JPEG, checked on its content by `orgs.uploads`), then
    decoded and re-encoded as a plain PNG by Pillow (no metadata, no trailing bytes), stored in the
    default storage under a random name and only ever served back as an attachment.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    image = models.CharField(_("image"), max_length=300)  # path of the re-encoded PNG in the storage
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(_("déposée le"), default=timezone.now)

    class Meta:
        verbose_name = _("signature du président du jury")
        verbose_name_plural = _("signatures des présidents de jury")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.image}"
