"""Human names of the engine's finding ids and outcomes, for the pages (French first, translated)."""

from django.utils.translation import gettext_lazy as _

FINDING_LABELS = {
    "certification.kind": _("Type de certification"),
    "status.registration": _("Statut légal"),
    "recognition.scope": _("Reconnaissance"),
    "level": _("Niveau de qualification"),
    "registration.assertion": _("Se prévaloir de l'enregistrement (L. 6113-9)"),
    "cpf.eligible": _("Compte personnel de formation (CPF)"),
    "cpf.participation": _("Participation forfaitaire CPF"),
    "cpf.ceiling": _("Plafond CPF par action"),
    "cpf.yearly_credit": _("Crédit CPF annuel"),
    "cpf.cap": _("Plafond des droits CPF"),
    "vae.access": _("Validation des acquis de l'expérience (VAE)"),
    "vae.minimum_experience_months": _("Expérience minimale pour la VAE"),
    "vae.procedure": _("Démarche de VAE"),
    "vae.yearly_limit": _("Demandes de VAE dans l'année"),
    "route.plan": _("Plan de développement des compétences"),
    "route.professionalisation": _("Contrat de professionnalisation"),
    "route.pro_a": _("Reconversion ou promotion par l'alternance (Pro-A)"),
    "route.reconversion": _("Période de reconversion"),
    "route.apprenticeship": _("Apprentissage"),
    "route.ptp": _("Projet de transition professionnelle (PTP)"),
    "route.poe": _("Préparation opérationnelle à l'emploi (POE)"),
    "funding.payers": _("Qui finance"),
    "funding.cej": _("Contrat d'engagement jeune (CEJ)"),
    "funding.agefiph": _("Agefiph"),
    "contact.employer": _("Votre employeur"),
    "contact.france_travail": _("France Travail"),
    "contact.mission_locale": _("Mission locale"),
    "contact.cap_emploi": _("Cap emploi"),
    "contact.opco": _("OPCO"),
    "contact.france_vae": _("France VAE"),
    "contact.cep": _("Conseil en évolution professionnelle (CEP)"),
    "contact.transitions_pro": _("Transitions Pro"),
    "contact.mon_compte_formation": _("Mon Compte Formation"),
}

OUTCOME_LABELS = {
    "yes": _("Oui"),
    "no": _("Non"),
    "conditional": _("Sous conditions"),
    "info": _("Information"),
}

CERTAINTY_LABELS = {
    "verified_in_code": _("vérifié dans le Code du travail"),
    "official_page": _("page officielle"),
    "secondary_source": _("source secondaire"),
    "our_reading": _("notre lecture"),
}

STATUS_LABELS = {
    "young_in_training": _("Jeune en formation initiale ou qui en sort"),
    "employee": _("Salarié"),
    "job_seeker": _("Demandeur d'emploi"),
    "self_employed": _("Travailleur indépendant"),
}

BENEFIT_LABELS = {
    "RSA": _("Revenu de solidarité active (RSA)"),
    "ASS": _("Allocation de solidarité spécifique (ASS)"),
    "AAH": _("Allocation aux adultes handicapés (AAH)"),
}

# Sections of the result page and of the certification panel, in order.
SECTIONS = [
    (
        "recognition",
        _("Reconnaissance"),
        ["status.registration", "recognition.scope", "level", "registration.assertion"],
    ),
    (
        "routes",
        _("Voies d'accès"),
        [
            "route.plan",
            "route.professionalisation",
            "route.reconversion",
            "route.pro_a",
            "route.apprenticeship",
            "route.ptp",
            "route.poe",
            "cpf.eligible",
            "vae.access",
        ],
    ),  # fmt: skip
    ("vae", _("VAE"), ["vae.minimum_experience_months", "vae.procedure", "vae.yearly_limit"]),
    (
        "funding",
        _("Financement"),
        [
            "funding.payers",
            "cpf.participation",
            "cpf.ceiling",
            "cpf.yearly_credit",
            "cpf.cap",
            "funding.cej",
            "funding.agefiph",
        ],
    ),  # fmt: skip
    (
        "contacts",
        _("Qui contacter"),
        [
            "contact.employer",
            "contact.opco",
            "contact.france_travail",
            "contact.mission_locale",
            "contact.cap_emploi",
            "contact.cep",
            "contact.transitions_pro",
            "contact.france_vae",
            "contact.mon_compte_formation",
        ],
    ),  # fmt: skip
]
