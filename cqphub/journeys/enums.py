"""Choices of the journeys app, with French labels (English in the locale catalogue).

The status values are those of the pure workflow module (`workflow.Status`); a test holds them equal.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    FEMALE = "F", _("Femme")
    MALE = "M", _("Homme")


class Route(models.TextChoices):
    TRAINING = "training", _("Formation")
    VAE = "vae", _("VAE (validation des acquis de l'expérience)")


class Target(models.TextChoices):
    WHOLE = "whole", _("Le CQP entier")
    BLOCKS = "blocks", _("Des blocs de compétences")


class Funding(models.TextChoices):
    """How a path is funded / framed (RULES.md §§5–7)."""

    PLAN = "plan", _("Plan de développement des compétences")
    CPF = "cpf", _("Compte personnel de formation (CPF)")
    PROFESSIONALISATION = "professionalisation", _("Contrat de professionnalisation")
    PRO_A = "pro_a", _("Reconversion ou promotion par alternance (Pro-A, avant 2026)")
    RECONVERSION = "reconversion", _("Période de reconversion (depuis 2026)")
    PTP = "ptp", _("Projet de transition professionnelle (Transitions Pro)")
    POE = "poe", _("Préparation opérationnelle à l'emploi (POEI / POEC)")
    FRANCE_VAE = "france_vae", _("Service public de la VAE (France VAE)")
    PERSONAL = "personal", _("Financement personnel")
    OTHER = "other", _("Autre financement")


TRAINING_FUNDINGS = (
    Funding.PLAN,
    Funding.CPF,
    Funding.PROFESSIONALISATION,
    Funding.PRO_A,
    Funding.RECONVERSION,
    Funding.PTP,
    Funding.POE,
    Funding.PERSONAL,
    Funding.OTHER,
)
# VAE funding (RULES.md §7): CPF, GIP France VAE, employer / OPCO (plan, période de reconversion
# L. 6324-2), Transitions Pro flat rate, personal, other (Agefiph, France Travail…).
VAE_FUNDINGS = (
    Funding.CPF,
    Funding.FRANCE_VAE,
    Funding.PLAN,
    Funding.RECONVERSION,
    Funding.PTP,
    Funding.PERSONAL,
    Funding.OTHER,
)


class Status(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Déposée")
    ADMISSIBLE = "admissible", _("Recevable")
    NOT_ADMISSIBLE = "not_admissible", _("Non recevable")
    ENROLLED = "enrolled", _("Inscrite")
    IN_TRAINING = "in_training", _("En formation")
    IN_ACCOMPANIMENT = "in_accompaniment", _("En accompagnement")
    READY_FOR_ASSESSMENT = "ready_for_assessment", _("Prête pour l'évaluation")
    ASSESSED = "assessed", _("Évaluée")
    AWAITING_JURY = "awaiting_jury", _("En attente du jury")
    DECIDED = "decided", _("Décision du jury rendue")
    WITHDRAWN = "withdrawn", _("Abandonnée")
    SUSPENDED = "suspended", _("Suspendue")
    ARCHIVED = "archived", _("Archivée")


class AdmissibilityDecision(models.TextChoices):
    ADMISSIBLE = "admissible", _("Recevable")
    NOT_ADMISSIBLE = "not_admissible", _("Non recevable")
    INCOMPLETE = "incomplete", _("Dossier incomplet")


class PositioningOutcome(models.TextChoices):
    ACQUIRED = "acquired", _("Déjà acquis (à évaluer, sans formation)")
    TO_TRAIN = "to_train", _("À former")
    EXEMPT = "exempt", _("Dispensé (ni formé ni évalué)")


class ExemptionRule(models.TextChoices):
    EARLIER_VALIDATION = "earlier_validation", _("Bloc validé antérieurement")
    CORRESPONDENCE = "correspondence", _("Bloc correspondant d'une autre certification (correspondances)")


class DocumentKind(models.TextChoices):
    IDENTITY = "identity", _("Pièce d'identité")
    EXPERIENCE = "experience", _("Justificatif d'expérience")
    CONTRACT = "contract", _("Contrat ou convention")
    ADMISSIBILITY = "admissibility", _("Dossier de recevabilité")
    VAE_FILE = "vae_file", _("Dossier de validation (VAE)")
    ATTESTATION = "attestation", _("Attestation de bloc validé")
    OTHER = "other", _("Autre pièce")


class GrantRole(models.TextChoices):
    ADVISOR = "advisor", _("Conseiller")
    EMPLOYER = "employer", _("Contact employeur")
