from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    PARCHMENT = "parchment", _("Parchemin")
    ATTESTATION = "attestation", _("Attestation de blocs de compétences")


class Outcome(models.TextChoices):
    VALID = "valid", _("Valide")
    REVOKED = "revoked", _("Révoqué")
    UNKNOWN = "unknown", _("Inconnu")
    TAMPERED = "tampered", _("Altéré")


class RunState(models.TextChoices):
    QUEUED = "queued", _("En attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminée")
    FAILED = "failed", _("Échec")
