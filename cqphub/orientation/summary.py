"""The result's first screen: what this person can do now, ranked, with who pays, how long, whom to call.

Built from the engine's findings only (the legal answer stays the engine's); this module adds the
practical frame — payer, typical length, contact and its address — and the order in which to propose
the routes for the person's status (an editorial choice, like `funding.payers`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from cqphub.rules import Finding, PersonSituation, Status

MON_COMPTE_FORMATION = ("Mon Compte Formation", "https://www.moncompteformation.gouv.fr/")
FRANCE_VAE = ("France VAE", "https://vae.gouv.fr/")
FRANCE_TRAVAIL = ("France Travail", "https://www.francetravail.fr/")
TRANSITIONS_PRO = ("Transitions Pro", "https://www.transitionspro.fr/")
ALTERNANCE = ("Portail de l'alternance", "https://www.alternance.emploi.gouv.fr/")
OPCO_TABLES = (
    "OPCO de votre branche",
    "https://www.centre-inffo.fr/site-droit-formation/france-competences-modalites-detablissement-dactualisation-et-de-diffusion-des-tables-de-correspondance-des-branches-et-entreprises-adherentes-des-opco",
)
MISSION_LOCALE = ("Mission locale", "https://www.unml.info/")


@dataclass(frozen=True)
class Option:
    finding: Finding
    title: str
    payer: str
    length: str
    contacts: tuple[tuple[str, str], ...]  # (name, url)

    @property
    def possible(self) -> bool:
        return self.finding.outcome.value == "yes"


def _catalogue():
    return {
        "route.plan": (
            _("Une formation payée par votre employeur"),
            _("Votre employeur ; l'OPCO aide les entreprises de moins de 50 salariés"),
            _("La durée de la formation choisie, sur le temps de travail"),
            (OPCO_TABLES,),
        ),
        "cpf.eligible": (
            _("Payer la formation avec votre compte personnel de formation (CPF)"),
            _("Vos droits CPF, avec une participation forfaitaire sauf exemption"),
            _("La durée de la formation choisie"),
            (MON_COMPTE_FORMATION,),
        ),
        "vae.access": (
            _("Faire valider votre expérience (VAE)"),
            _("CPF, employeur, Transitions Pro ou France Travail selon votre situation"),
            _(
                "Quelques mois : décision de recevabilité en 2 mois, jury dans les 3 mois qui suivent le dossier"
            ),
            (FRANCE_VAE,),
        ),
        "route.reconversion": (
            _("Une période de reconversion"),
            _("L'OPCO, selon ses critères ; le CPF peut compléter"),
            _("150 à 450 heures sur 12 mois au plus"),
            (OPCO_TABLES,),
        ),
        "route.pro_a": (
            _("La reconversion ou promotion par l'alternance (Pro-A)"),
            _("L'OPCO de votre branche"),
            _("6 à 12 mois en alternance"),
            (OPCO_TABLES,),
        ),
        "route.ptp": (
            _("Un projet de transition professionnelle"),
            _("Transitions Pro (formation et salaire pendant le congé)"),
            _("La durée de la formation, en congé"),
            (TRANSITIONS_PRO,),
        ),
        "route.professionalisation": (
            _("Un contrat de professionnalisation"),
            _("L'employeur paie le salaire, l'OPCO la formation"),
            _("6 à 12 mois, jusqu'à 36 mois dans certains cas"),
            (FRANCE_TRAVAIL, OPCO_TABLES),
        ),
        "route.apprenticeship": (
            _("Un contrat d'apprentissage"),
            _("L'employeur paie le salaire, l'OPCO la formation"),
            _("6 mois à 3 ans"),
            (ALTERNANCE,),
        ),
        "route.poe": (
            _("Une préparation opérationnelle à l'emploi (POE)"),
            _("France Travail (POEI) ou l'OPCO (POEC)"),
            _("Jusqu'à 400 heures avant l'embauche"),
            (FRANCE_TRAVAIL,),
        ),
    }


ORDER = {
    Status.EMPLOYEE: ["route.plan", "cpf.eligible", "vae.access", "route.reconversion", "route.pro_a", "route.ptp",
                      "route.professionalisation", "route.apprenticeship", "route.poe"],
    Status.APPRENTICE: ["route.plan", "vae.access", "cpf.eligible", "route.professionalisation", "route.reconversion"],
    Status.JOB_SEEKER: ["route.poe", "route.professionalisation", "cpf.eligible", "vae.access", "route.apprenticeship"],
    Status.YOUNG_IN_TRAINING: ["route.apprenticeship", "route.professionalisation", "vae.access", "cpf.eligible",
                               "route.poe"],
    Status.SELF_EMPLOYED: ["cpf.eligible", "vae.access", "route.professionalisation", "route.apprenticeship"],
}  # fmt: skip


def _contacts(key: str, by_id: dict[str, Finding], default):
    """The catalogue's contacts, with the names the engine gives on that date (Pôle emploi…)."""
    out = []
    for name, url in default:
        if name == "France Travail":
            found = by_id.get("contact.france_travail")
            name = found.value if found and found.value else name
        if name == "OPCO de votre branche":
            found = by_id.get("contact.opco")
            name = f"OPCO {found.value}" if found and found.value else _("OPCO de votre branche")
        out.append((str(name), url))
    return tuple(out)


def options(findings: list[Finding], person: PersonSituation, limit: int = 5) -> list[Option]:
    """The routes open (yes) or possible (conditional) to this person, best first, at most `limit`."""
    by_id = {f.id: f for f in findings}
    catalogue = _catalogue()
    order = ORDER.get(person.status, list(catalogue))
    if person.is_public_agent:
        order = ["vae.access", "cpf.eligible"]
    ranked = []
    for rank, key in enumerate(order):
        found = by_id.get(key)
        if found is None or found.outcome.value not in ("yes", "conditional"):
            continue
        title, payer, length, contacts = catalogue[key]
        option = Option(found, str(title), str(payer), str(length), _contacts(key, by_id, contacts))
        ranked.append((0 if option.possible else 1, rank, option))
    return [option for _, _, option in sorted(ranked, key=lambda row: row[:2])][:limit]


def not_applicable(findings: list[Finding]) -> list[Finding]:
    """The routes that do not apply, with the engine's reason: folded under the options."""
    return [f for f in findings if f.id in _catalogue() and f.outcome.value == "no"]
