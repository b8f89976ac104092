"""Human names of the engine's finding ids and outcomes, for the pages (French first, translated)."""

from django.utils.translation import gettext_lazy as _

FINDING_LABELS = {
    "certification.kind": _("Type de certification"),
    "status.registration": _("Statut légal"),
    "status.successor": _("Fiche successeur"),
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

# Certainty levels are named in one place: cqphub.rules.model.Certainty.label (fr/en).

# Dated headings (audit D4): the heading follows the date of the answer.
DATED_FINDING_LABELS = {
    # finding id: [(first day, label)], latest first
    "contact.france_travail": [("2024-01-01", _("France Travail")), ("2019-01-01", _("Pôle emploi"))],
    "registration.assertion": [
        ("2022-12-23", _("Se prévaloir de l'enregistrement (L. 6113-9)")),
        ("2019-01-01", _("Se prévaloir d'un enregistrement échu")),
    ],
    "contact.transitions_pro": [("2020-01-01", _("Transitions Pro")), ("2019-01-01", _("Fongecif"))],
}

# The journey's "who are you" choices. A public agent is an employee of the public sector for the
# engine (`sector: public`); a "salarié" is of the private sector (audit D5).
STATUS_LABELS = {
    "young_in_training": _("Élève, étudiant, ou jeune qui sort de formation initiale"),
    "apprentice": _("Apprenti (salarié en contrat d'apprentissage)"),
    "employee": _("Salarié du secteur privé"),
    "public_agent": _("Agent public (fonction publique)"),
    "job_seeker": _("Demandeur d'emploi"),
    "self_employed": _("Travailleur indépendant"),
}

BENEFIT_LABELS = {
    "RSA": _("Revenu de solidarité active (RSA)"),
    "ASS": _("Allocation de solidarité spécifique (ASS)"),
    "AAH": _("Allocation aux adultes handicapés (AAH)"),
    "invalidity_pension": _("Pension d'invalidité"),
    "atmp_annuity": _("Rente d'accident du travail ou de maladie professionnelle"),
}

CONTRACT_LABELS = {
    "cdi": _("CDI"),
    "cdd": _("CDD"),
    "interim": _("Intérim"),
    "apprenticeship": _("Contrat d'apprentissage"),
    "professionalisation": _("Contrat de professionnalisation"),
    "cui": _("Contrat unique d'insertion (CUI)"),
    "other": _("Autre"),
}

SCOPE_LABELS = {"national": _("nationale"), "branch": _("branche")}

# Sections of the result page and of the certification panel, in order.
SECTIONS = [
    (
        "recognition",
        _("Reconnaissance"),
        ["status.registration", "status.successor", "recognition.scope", "level", "registration.assertion"],
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
