"""Choices of the juries app, with French labels (English in the locale catalogue).

The values of `College`, `Overall` and `Attendance` are those of the pure modules
(`composition.College`, `deliberation.Overall`, `deliberation.Attendance`); a test holds them equal.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class College(models.TextChoices):
    EMPLOYER = "employer", _("Représentant des employeurs")
    EMPLOYEE = "employee", _("Représentant des salariés")
    QUALIFIED = "qualified", _("Personne qualifiée")


class Gender(models.TextChoices):
    FEMALE = "F", _("Femme")
    MALE = "M", _("Homme")
    UNKNOWN = "", _("Non renseigné")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Programmée")
    OPEN = "open", _("Ouverte")
    CLOSED = "closed", _("Close")
    CANCELLED = "cancelled", _("Annulée")


class Attendance(models.TextChoices):
    PRESENT = "present", _("Présent")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Absence excusée")


class Overall(models.TextChoices):
    FULL = "full", _("CQP obtenu")
    PARTIAL = "partial", _("Validation partielle (blocs listés)")
    FAILURE = "failure", _("Non obtenu")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Absence excusée")
    NOT_ASSESSED = "not_assessed", _("Non évalué")


class BlockProposal(models.TextChoices):
    VALIDATED = "validated", _("Validé")
    NOT_VALIDATED = "not_validated", _("Non validé")
    NOT_ASSESSED = "not_assessed", _("Non évalué")


class DecisionKind(models.TextChoices):
    DECISION = "decision", _("Décision du jury")
    CORRECTION = "correction", _("Rectification")
    FRAUD = "fraud", _("Retrait pour fraude ou plagiat (R. 6412-7)")
    APPEAL = "appeal", _("Suite à un recours")


class AwardKind(models.TextChoices):
    FULL = "full", _("CQP complet")
    PARTIAL = "partial", _("Validation partielle (blocs)")


class ExcusalReason(models.TextChoices):
    LINK = "link", _("Lien professionnel ou personnel avec le candidat")
    ACCOMPANIST = "accompanist", _("A accompagné le candidat dans sa VAE")


class AppealOutcome(models.TextChoices):
    PENDING = "pending", _("En cours d'examen")
    UPHELD = "upheld", _("Décision maintenue")
    CHANGED = "changed", _("Décision modifiée")
