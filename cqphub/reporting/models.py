"""Holder report (accrochage) bookkeeping and the pre-aggregated statistics.

- `CdcAccount`: a certifier's identifiers at the Caisse des dépôts (entered by branch staff).
- `HolderReportFile`: one generated `flux` per certifier, numbered 1, 2, 3…, kept with its hash and
  whether it passed the XSD; the award lists left out are kept with it (what was missing).
- `HolderReportEntry`: one per award of a registered CQP, carrying the reporting state of
  `states.Entry` (the pure state machine), and `HolderReportEvent`, its append-only history.
- `*Stat` tables: statistics cells rebuilt from journeys and juries by `services.refresh_statistics`
  (the dashboard reads these small tables, never the 200,000 candidacies or the 1.2 million decisions).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinLengthValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cqphub.orgs.models import CertifierEntity
from cqphub.reporting.states import State, Urgency


class EntryState(models.TextChoices):
    TO_REPORT = State.TO_REPORT.value, _("À déclarer")
    IN_FILE = State.IN_FILE.value, _("Dans un fichier")
    ACCEPTED = State.ACCEPTED.value, _("Acceptée")
    REJECTED = State.REJECTED.value, _("Rejetée")
    CORRECTED = State.CORRECTED.value, _("Corrigée, à renvoyer")
    WITHDRAWN = State.WITHDRAWN.value, _("Sans objet (révoquée avant envoi)")


URGENCY_LABELS = {
    Urgency.DONE: _("Fait"),
    Urgency.WAITING: _("En attente de réponse"),
    Urgency.DUE: _("À déclarer"),
    Urgency.OVERDUE: _("En retard"),
    Urgency.REJECTED: _("Rejetée"),
}
URGENCY_TONES = {
    Urgency.DONE: "success",
    Urgency.WAITING: "info",
    Urgency.DUE: "neutral",
    Urgency.OVERDUE: "error",
    Urgency.REJECTED: "warning",
}

eight_characters = [
    MinLengthValidator(8),
    RegexValidator(r"^\S{8}$", _("Le matricule (idClient) compte exactement 8 caractères, sans espace.")),
]


class CdcAccount(models.Model):
    """The certifier's identifiers in the CPF information system (letter from the Caisse des dépôts)."""

    certifier = models.OneToOneField(
        CertifierEntity, verbose_name=_("certificateur"), on_delete=models.CASCADE, related_name="cdc_account"
    )
    client_id = models.CharField(
        _("matricule (idClient)"), max_length=8, validators=eight_characters, help_text=_("Ex. : 12ABC345.")
    )
    contract_id = models.CharField(
        _("numéro de contrat (idContrat)"), max_length=20, help_text=_("Ex. : MCFCER000123.")
    )
    sender_client_id = models.CharField(
        _("matricule du déposant"),
        max_length=8,
        blank=True,
        validators=eight_characters,
        help_text=_("Seulement si un tiers de confiance dépose les fichiers au nom du certificateur."),
    )
    trusted_third_party = models.BooleanField(_("déposé par un tiers de confiance"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("identifiants Caisse des dépôts")
        verbose_name_plural = _("identifiants Caisse des dépôts")

    def __str__(self) -> str:
        return f"{self.certifier} — {self.client_id}"

    def owning_branches(self):
        return [self.certifier.branch] if self.certifier.branch_id else []


class HolderReportFile(models.Model):
    certifier = models.ForeignKey(
        CertifierEntity,
        verbose_name=_("certificateur"),
        on_delete=models.PROTECT,
        related_name="holder_reports",
    )
    number = models.PositiveIntegerField(_("numéro"))
    flux_id = models.CharField(_("identifiant du flux (idFlux)"), max_length=50, unique=True)
    content = models.FileField(_("fichier"), upload_to="holder-reports/%Y/", blank=True)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("taille (octets)"), default=0)
    count = models.PositiveIntegerField(_("passages de certification"), default=0)
    corrections = models.PositiveIntegerField(_("dont corrections"), default=0)
    validated = models.BooleanField(_("validé par le schéma XSD"), default=False)
    schema = models.CharField(_("schéma utilisé"), max_length=500, blank=True)
    errors = models.JSONField(_("erreurs de validation"), default=list, blank=True)
    not_reportable = models.JSONField(_("non déclarables"), default=list, blank=True)
    since = models.DateField(_("décisions depuis le"), null=True, blank=True)
    deposited_on = models.DateField(_("déposé le"), null=True, blank=True)
    discarded_at = models.DateTimeField(_("abandonné le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(_("produit le"), default=timezone.now)

    class Meta:
        verbose_name = _("fichier de déclaration des titulaires")
        verbose_name_plural = _("fichiers de déclaration des titulaires")
        ordering = ["certifier", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["certifier", "number"], name="reporting_file_number_once"),
        ]

    def __str__(self) -> str:
        return f"{self.certifier} — n° {self.number}"

    def owning_branches(self):
        return [self.certifier.branch] if self.certifier.branch_id else []

    @property
    def filename(self) -> str:
        return f"accrochage-{self.certifier.siret}-{self.number:04d}.xml"


class HolderReportEntry(models.Model):
    """The reporting state of one award (see `states.Entry` for the transitions)."""

    award = models.OneToOneField(
        "juries.Award",
        verbose_name=_("certification obtenue"),
        on_delete=models.PROTECT,
        related_name="holder_report",
    )
    certifier = models.ForeignKey(
        CertifierEntity, on_delete=models.PROTECT, related_name="holder_report_entries"
    )
    qualification = models.ForeignKey(
        "qualifications.Qualification", on_delete=models.PROTECT, related_name="holder_report_entries"
    )
    decision_date = models.DateField(_("date de la décision"))
    state = models.CharField(
        _("état"), max_length=10, choices=EntryState.choices, default=EntryState.TO_REPORT
    )
    file = models.ForeignKey(
        HolderReportFile, null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    file_number = models.PositiveIntegerField(_("fichier n°"), null=True, blank=True)
    sent_on = models.DateField(_("envoyée le"), null=True, blank=True)
    answered_on = models.DateField(_("réponse le"), null=True, blank=True)
    reason = models.TextField(_("motif"), blank=True)
    accepted_files = models.JSONField(_("fichiers acceptés"), default=list, blank=True)
    is_correction = models.BooleanField(_("correction"), default=False)
    revoked = models.BooleanField(_("révoquée"), default=False)
    changed_while_sent = models.BooleanField(default=False)
    due = models.DateField(_("échéance de correction"), null=True, blank=True)
    due_on = models.DateField(_("à déclarer au plus tard le"), db_index=True)
    reminded_on = models.DateField(_("relance envoyée le"), null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("déclaration d'un titulaire")
        verbose_name_plural = _("déclarations des titulaires")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["certifier", "state", "due_on"], name="reporting_entry_todo")]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in State]), name="reporting_entry_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_id}: {self.get_state_display()}"

    def owning_branches(self):
        return [self.certifier.branch] if self.certifier.branch_id else []


class HolderReportEvent(models.Model):
    """Append-only history of an entry: who moved it, when, from what to what, why."""

    entry = models.ForeignKey(HolderReportEntry, on_delete=models.CASCADE, related_name="events")
    on = models.DateField(_("le"))
    source = models.CharField(_("de"), max_length=10, choices=EntryState.choices)
    target = models.CharField(_("vers"), max_length=10, choices=EntryState.choices)
    file_number = models.PositiveIntegerField(_("fichier n°"), null=True, blank=True)
    reason = models.TextField(_("motif"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["entry", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.source} → {self.target}"


# --- pre-aggregated statistics (rebuilt by services.refresh_statistics) --------------------------


class _Stat(models.Model):
    qualification = models.ForeignKey(
        "qualifications.Qualification", on_delete=models.CASCADE, related_name="+"
    )
    centre = models.ForeignKey(
        "orgs.Centre", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    route = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()

    class Meta:
        abstract = True
        indexes = [
            models.Index(fields=["qualification", "route", "year"], name="%(class)s_q_route_year"),
            models.Index(fields=["centre", "year"], name="%(class)s_centre_year"),
        ]


class CandidacyStat(_Stat):
    status = models.CharField(max_length=24)
    n = models.PositiveIntegerField(default=0)
    vae_decided = models.PositiveIntegerField(default=0)
    vae_admitted = models.PositiveIntegerField(default=0)
    decided = models.PositiveIntegerField(default=0)
    holders = models.PositiveIntegerField(default=0)
    reported = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.qualification_id} {self.route} {self.year}"


class BlockStat(_Stat):
    block = models.CharField(max_length=60)
    decided = models.PositiveIntegerField(default=0)
    validated = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.qualification_id} {self.route} {self.year}"


class DelayStat(_Stat):
    days = models.PositiveIntegerField()
    n = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.qualification_id} {self.route} {self.year}"


class HolderStat(_Stat):
    n = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.qualification_id} {self.route} {self.year}"


class StatsRefresh(models.Model):
    at = models.DateTimeField(default=timezone.now)
    seconds = models.FloatField(default=0)
    candidacies = models.PositiveIntegerField(default=0)
    decisions = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} ({self.seconds:.1f} s)"
