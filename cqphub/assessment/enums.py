"""Choices of the assessment app, with French labels (English in the locale catalogue)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Programmée")
    CONVENED = "convened", _("Candidats convoqués")
    COMPLETED = "completed", _("Évaluations signées")
    CANCELLED = "cancelled", _("Annulée")


class Attendance(models.TextChoices):
    PRESENT = "present", _("Présent")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Absence excusée")


class Outcome(models.TextChoices):
    """Values of `pass_rules.Outcome`."""

    PASSED = "passed", _("Bloc réussi")
    FAILED = "failed", _("Bloc non réussi")
    INCOMPLETE = "incomplete", _("Grille incomplète")


class SessionKind(models.TextChoices):
    CENTRE = "centre", _("Session d'un centre d'évaluation")
    JURY = "jury", _("Évaluation par le jury (VAE : dossier de validation et entretien)")
