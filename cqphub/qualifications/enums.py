"""Choices of the qualifications app, with French labels (English in the locale catalogue)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QualificationKind(models.TextChoices):
    CQP = "CQP", _("CQP (une branche)")
    CQPI = "CQPI", _("CQPI (interbranche, au moins deux branches)")


class VersionState(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publiée")


class Register(models.TextChoices):
    RNCP = "RNCP", _("RNCP")
    RS = "RS", _("Répertoire spécifique")


class PassRule(models.TextChoices):
    ALL = "all", _("Tous les critères satisfaits")
    THRESHOLD = "threshold", _("Un nombre minimal de critères satisfaits")


class AssessmentMethodKind(models.TextChoices):
    PRACTICAL_WORK = "practical_work", _("Mise en situation professionnelle en entreprise")
    SIMULATION = "simulation", _("Mise en situation reconstituée (simulation)")
    JURY_INTERVIEW = "jury_interview", _("Entretien avec le jury")
    PORTFOLIO = "portfolio", _("Dossier / portefeuille de preuves")
    WRITTEN_TEST = "written_test", _("Épreuve écrite")
    ORAL = "oral", _("Oral / questionnement")
    OTHER = "other", _("Autre modalité")


class LifecycleState(models.TextChoices):
    CREATED = "created", _("Créée par la CPNE")
    TRANSMITTED = "transmitted", _("Transmise à France compétences et à la Caisse des dépôts")
    REQUESTED = "requested", _("Enregistrement demandé")
    ADJOURNED = "adjourned", _("Demande ajournée")
    REFUSED = "refused", _("Enregistrement refusé")
    REGISTERED = "registered", _("Enregistrée")
    RENEWAL_REQUESTED = "renewal_requested", _("Renouvellement demandé")
    EXPIRED = "expired", _("Enregistrement échu")
    WITHDRAWN = "withdrawn", _("Retirée")


class LifecycleEventKind(models.TextChoices):
    CREATED = "created", _("Création (décision de la CPNE)")
    TRANSMITTED_FC = "transmitted_fc", _("Transmission à France compétences")
    TRANSMITTED_CDC = "transmitted_cdc", _("Transmission à la Caisse des dépôts")
    REGISTRATION_REQUESTED = "registration_requested", _("Demande d'enregistrement")
    REGISTERED = "registered", _("Décision : enregistrée")
    REFUSED = "refused", _("Décision : refusée")
    ADJOURNED = "adjourned", _("Décision : ajournée")
    RENEWAL_REQUESTED = "renewal_requested", _("Demande de renouvellement")
    EXPIRED = "expired", _("Échéance de l'enregistrement")
    WITHDRAWN = "withdrawn", _("Retrait")


class HabilitationScope(models.TextChoices):
    TRAIN = "train", _("Former")
    ASSESS = "assess", _("Évaluer")
    BOTH = "both", _("Former et évaluer")


class HabilitationState(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspendue")
    EXPIRED = "expired", _("Échue")  # derived from valid_until, never stored
