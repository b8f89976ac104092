"""Choices of the qualifications app, with French labels (English in the locale catalogue)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cqphub.qualifications import lifecycle as lc


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
    CREATED = lc.CREATED, _("Créée par la CPNE")
    TRANSMITTED = lc.TRANSMITTED, _("Transmise à France compétences et à la Caisse des dépôts")
    REQUESTED = lc.REQUESTED, _("Enregistrement demandé")
    ADJOURNED = lc.ADJOURNED, _("Demande ajournée")
    REFUSED = lc.REFUSED, _("Enregistrement refusé")
    REGISTERED = lc.REGISTERED, _("Enregistrée")
    RENEWAL_REQUESTED = lc.RENEWAL_REQUESTED, _("Renouvellement demandé")
    EXPIRED = lc.EXPIRED, _("Enregistrement échu")
    WITHDRAWN = lc.WITHDRAWN, _("Retirée")


class LifecycleEventKind(models.TextChoices):
    CREATED = lc.E_CREATED, _("Création (décision de la CPNE)")
    TRANSMITTED_FC = lc.E_TRANSMITTED_FC, _("Transmission à France compétences")
    TRANSMITTED_CDC = lc.E_TRANSMITTED_CDC, _("Transmission à la Caisse des dépôts")
    REGISTRATION_REQUESTED = lc.E_REQUESTED, _("Demande d'enregistrement")
    REGISTERED = lc.E_REGISTERED, _("Décision : enregistrée")
    REFUSED = lc.E_REFUSED, _("Décision : refusée")
    ADJOURNED = lc.E_ADJOURNED, _("Décision : ajournée")
    RENEWAL_REQUESTED = lc.E_RENEWAL_REQUESTED, _("Demande de renouvellement")
    EXPIRED = lc.E_EXPIRED, _("Échéance de l'enregistrement")
    WITHDRAWN = lc.E_WITHDRAWN, _("Retrait")


class HabilitationScope(models.TextChoices):
    TRAIN = "train", _("Former")
    ASSESS = "assess", _("Évaluer")
    BOTH = "both", _("Former et évaluer")


class HabilitationState(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspendue")
    EXPIRED = "expired", _("Échue")  # derived from valid_until, never stored
