"""Demo qualifications, loaded by `cqphub demo load` after the demo organisations (idempotent:
a qualification found by its title and committee is left as it is).

- "CQP Boulanger-tourier" (CPNEFP Boulangerie): version 1 published, version 2 in draft; registered in
  the RNCP (demo fiche RNCP99001), renewal due within the year.
- "CQPI Vendeur-conseil en boulangerie-pâtisserie" (joint committee of the two branches): version 1
  published; it shares the hygiene block BC03 with the CQP (one object: validated once, counts for both).
- Habilitations: one active, one suspended, one expired (and one active for the CQPI).
All content is the project's own (not taken from a real branch's frameworks).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from cqphub.orgs.demo import SUPERUSER_EMAIL, load_demo_orgs
from cqphub.orgs.models import Centre, CertifierEntity, Committee, User, complete_siret
from cqphub.qualifications import services
from cqphub.qualifications.enums import HabilitationScope, PassRule
from cqphub.qualifications.models import Qualification, SkillBlock

CQP_TITLE = "CQP Boulanger-tourier"
CQPI_TITLE = "CQPI Vendeur-conseil en boulangerie-pâtisserie"

HYGIENE_BLOCK = {
    "code": "BC03",
    "title": "Appliquer les règles d'hygiène, de sécurité alimentaire et de prévention des risques",
    "rule": (PassRule.ALL, None),
    "skills": [
        (
            "C1",
            "Appliquer le plan de maîtrise sanitaire de l'entreprise (bonnes pratiques d'hygiène, HACCP, traçabilité)",
            True,
            [
                "Dangers biologiques, chimiques et physiques",
                "Principes HACCP et points critiques",
                "Règles d'étiquetage et allergènes",
            ],
            [
                "Les températures de conservation sont relevées et conformes",
                "Les lots utilisés sont tracés de la réception à la vente",
            ],
        ),
        (
            "C2",
            "Prévenir les risques professionnels à son poste de travail (gestes et postures, brûlures, coupures)",
            True,
            ["Principaux risques du fournil et du magasin", "Équipements de protection individuelle"],
            [
                "Les équipements de protection sont portés",
                "Les gestes de manutention sont adaptés aux charges",
            ],
        ),
    ],
    "methods": [
        ("practical_work", "Observation en entreprise sur une journée de production ou de vente"),
        ("written_test", "Questionnaire sur l'hygiène et la sécurité alimentaire"),
    ],
    "tests": [
        (
            "Questionnaire hygiène et sécurité",
            "written_test",
            45,
            "20 questions à choix multiples et 2 cas pratiques",
        )
    ],
}

CQP_FRAMEWORKS = {
    "target_jobs": ["Tourier", "Ouvrier boulanger", "Viennoisier"],
    "activities": [
        (
            "A1",
            "Préparation des pâtes feuilletées et levées-feuilletées",
            [
                "Préparer la détrempe et le beurre de tourage pour une production de 200 croissants",
                "Réaliser le tourage au laminoir en respectant les temps de repos",
            ],
        ),
        (
            "A2",
            "Façonnage, fermentation et cuisson des viennoiseries",
            [
                "Détailler et façonner croissants, pains au chocolat et pains aux raisins",
                "Conduire la pousse en chambre de fermentation contrôlée",
                "Cuire et contrôler la coloration en four ventilé",
            ],
        ),
        (
            "A3",
            "Organisation du poste, hygiène et sécurité",
            [
                "Organiser la production du matin selon le bon de commande",
                "Appliquer le plan de maîtrise sanitaire et assurer la traçabilité des lots",
            ],
        ),
    ],
    "blocks": [
        {
            "code": "BC01",
            "title": "Réaliser le tourage des pâtes feuilletées et levées-feuilletées",
            "activities": ["A1"],
            "rule": (PassRule.ALL, None),
            "skills": [
                (
                    "C1",
                    "Préparer la détrempe et le beurre de tourage selon la fiche technique",
                    False,
                    [
                        "Rôle des ingrédients : farine, beurre de tourage, levure, sel",
                        "Températures et consistances de la détrempe",
                    ],
                    [
                        "Les pesées sont conformes à la fiche technique",
                        "La détrempe est entre 22 et 24 °C en fin de pétrissage",
                    ],
                ),
                (
                    "C2",
                    "Réaliser les tours simples et doubles en respectant les temps de repos",
                    False,
                    ["Principe du feuilletage et nombre de couches", "Réglages et sécurité du laminoir"],
                    ["Le nombre et l'ordre des tours sont respectés", "Le beurre ne perce pas la détrempe"],
                ),
                (
                    "C3",
                    "Contrôler la qualité du feuilletage et corriger les défauts",
                    False,
                    ["Défauts courants du feuilletage et leurs causes"],
                    ["Les couches sont régulières à la coupe"],
                ),
            ],
            "methods": [
                ("practical_work", "Production réelle observée par un évaluateur habilité"),
                ("jury_interview", "Entretien technique de 30 minutes"),
            ],
            "tests": [
                (
                    "Production d'une fournée de viennoiseries feuilletées",
                    "practical_work",
                    240,
                    "En entreprise, sur le poste habituel",
                ),
                (
                    "Entretien technique avec le jury",
                    "jury_interview",
                    30,
                    "À partir de la production réalisée",
                ),
            ],
        },
        {
            "code": "BC02",
            "title": "Façonner, faire pousser et cuire les viennoiseries",
            "activities": ["A2"],
            "rule": (PassRule.THRESHOLD, 5),
            "skills": [
                (
                    "C1",
                    "Détailler et façonner croissants, pains au chocolat et pains aux raisins",
                    False,
                    ["Poids et formes normalisés des pièces"],
                    [
                        "Les pièces sont régulières en poids (± 5 %)",
                        "Le façonnage respecte la forme attendue",
                    ],
                ),
                (
                    "C2",
                    "Conduire la fermentation en chambre de pousse contrôlée",
                    False,
                    ["Facteurs de la fermentation : température, hygrométrie, temps"],
                    [
                        "Les réglages de la chambre de pousse sont adaptés",
                        "Le volume des pièces est doublé avant cuisson",
                    ],
                ),
                (
                    "C3",
                    "Conduire la cuisson et contrôler la qualité des produits finis",
                    False,
                    ["Réactions de Maillard et coloration", "Fonctionnement du four ventilé"],
                    ["La coloration est homogène", "Les produits non conformes sont écartés"],
                ),
            ],
            "methods": [
                ("simulation", "Épreuve en atelier de centre, sur matériel professionnel"),
                ("written_test", "Questionnaire de technologie"),
            ],
            "tests": [
                (
                    "Épreuve pratique chronométrée",
                    "simulation",
                    180,
                    "Façonnage et cuisson de 3 produits imposés",
                ),
                ("Questionnaire de technologie boulangère", "written_test", 30, ""),
            ],
        },
        HYGIENE_BLOCK | {"activities": ["A3"]},
    ],
}

CQPI_FRAMEWORKS = {
    "target_jobs": ["Vendeur en boulangerie-pâtisserie", "Vendeuse-conseil en pâtisserie"],
    "activities": [
        (
            "A1",
            "Accueil et conseil de la clientèle",
            [
                "Accueillir les clients aux heures d'affluence",
                "Conseiller un client sur la composition et les allergènes d'un produit",
            ],
        ),
        (
            "A2",
            "Mise en valeur des produits et vente",
            ["Mettre en place la vitrine à l'ouverture", "Conclure une vente et encaisser"],
        ),
        (
            "A3",
            "Tenue du magasin et hygiène",
            [
                "Appliquer le plan de nettoyage du magasin",
                "Contrôler les températures des vitrines réfrigérées",
            ],
        ),
    ],
    "blocks": [
        {
            "code": "BC01",
            "title": "Accueillir et conseiller la clientèle",
            "activities": ["A1"],
            "rule": (PassRule.ALL, None),
            "skills": [
                (
                    "C1",
                    "Accueillir le client et identifier sa demande",
                    False,
                    ["Règles de l'accueil en magasin"],
                    ["Le client est salué et pris en charge sans attente inutile"],
                ),
                (
                    "C2",
                    "Conseiller le client sur les produits, leur composition et les allergènes",
                    False,
                    ["Les 14 allergènes à déclaration obligatoire", "Gamme des produits de la maison"],
                    [
                        "Les informations sur les allergènes sont exactes",
                        "Le conseil est adapté au besoin exprimé",
                    ],
                ),
                (
                    "C3",
                    "Adapter sa communication à un client en situation de handicap",
                    True,
                    ["Principaux types de handicap et adaptations de la relation"],
                    ["La communication est adaptée à la situation du client"],
                ),
            ],
            "methods": [
                ("practical_work", "Observation en magasin"),
                ("jury_interview", "Entretien sur des situations vécues"),
            ],
            "tests": [
                (
                    "Observation en situation de vente",
                    "practical_work",
                    120,
                    "En magasin, aux heures d'affluence",
                )
            ],
        },
        {
            "code": "BC02",
            "title": "Mettre en valeur les produits et réaliser la vente",
            "activities": ["A2"],
            "rule": (PassRule.THRESHOLD, 3),
            "skills": [
                (
                    "C1",
                    "Présenter les produits en vitrine selon les règles de merchandising",
                    False,
                    ["Règles de présentation et d'étiquetage des prix"],
                    ["La vitrine est complète et étiquetée", "Les produits sont mis en valeur par famille"],
                ),
                (
                    "C2",
                    "Conclure la vente et encaisser",
                    False,
                    ["Moyens de paiement et tenue de caisse"],
                    ["L'encaissement est exact", "La vente additionnelle est proposée"],
                ),
            ],
            "methods": [
                ("simulation", "Mise en situation de vente reconstituée"),
                ("portfolio", "Dossier de présentations de vitrine"),
            ],
            "tests": [("Mise en situation de vente", "simulation", 45, "Jeu de rôle avec un évaluateur")],
        },
    ],
}


def _build(actor, version, frameworks: dict, shared: SkillBlock | None = None) -> dict[str, SkillBlock]:
    services.update_version_details(
        actor=actor, version=version, title=version.title, target_jobs=frameworks["target_jobs"]
    )
    activities = {}
    for code, title, situations in frameworks["activities"]:
        activity = services.add_activity(actor=actor, version=version, code=code, title=title)
        activities[code] = activity
        for situation in situations:
            services.add_work_situation(actor=actor, activity=activity, title=situation)
    blocks = {}
    for data in frameworks["blocks"]:
        linked = [activities[c] for c in data["activities"]]
        if shared is not None and data["code"] == shared.code:
            services.share_block(actor=actor, version=version, block=shared, activities=linked)
            blocks[data["code"]] = shared
            continue
        rule, threshold = data["rule"]
        block = services.add_block(
            actor=actor,
            version=version,
            code=data["code"],
            title=data["title"],
            pass_rule=rule,
            pass_threshold=threshold,
            activities=linked,
        )
        for code, statement, transversal, knowledge, criteria in data["skills"]:
            skill = services.add_skill(
                actor=actor,
                version=version,
                block=block,
                code=code,
                statement=statement,
                transversal=transversal,
            )
            for label in knowledge:
                services.add_knowledge_item(actor=actor, version=version, skill=skill, label=label)
            for text in criteria:
                services.add_criterion(actor=actor, version=version, skill=skill, statement=text)
        for kind, description in data["methods"]:
            services.add_assessment_method(
                actor=actor, version=version, block=block, kind=kind, description=description
            )
        for title, method, minutes, description in data["tests"]:
            services.add_assessment_test(
                actor=actor,
                version=version,
                block=block,
                title=title,
                method=method,
                duration_minutes=minutes,
                description=description,
            )
        blocks[data["code"]] = block
    return blocks


def _events(actor, qualification, events) -> None:
    for kind, on, extra in events:
        services.record_lifecycle_event(actor=actor, qualification=qualification, kind=kind, on=on, **extra)


@transaction.atomic
def load_demo_qualifications() -> dict[str, int]:
    load_demo_orgs()
    actor = User.objects.get(email=SUPERUSER_EMAIL)
    created = {"qualifications": 0, "habilitations": 0}
    bakery = Committee.objects.get(short_name="CPNEFP Boulangerie")
    joint = Committee.objects.get(short_name="CPI Boulangerie-Pâtisserie")

    cqp = Qualification.objects.filter(title=CQP_TITLE, committee=bakery).first()
    if cqp is None:
        cqp = _demo_cqp(actor, bakery)
        created["qualifications"] += 1
    cqpi = Qualification.objects.filter(title=CQPI_TITLE, committee=joint).first()
    if cqpi is None:
        cqpi = _demo_cqpi(actor, joint, bakery)
        created["qualifications"] += 1
    if not cqp.habilitations.exists():
        _demo_habilitations(actor, cqp, cqpi, bakery)
        created["habilitations"] += 4
    return created


# The CQP's life so far: transmitted to France compétences and the Caisse des dépôts, then registered.
CQP_EVENTS = [
    ("transmitted_fc", date(2022, 7, 1), {}),
    ("transmitted_cdc", date(2022, 7, 5), {}),
    ("registration_requested", date(2022, 9, 12), {"register": "RNCP"}),
    (
        "registered",
        date(2023, 3, 15),
        {
            "register": "RNCP",
            "fiche_code": "RNCP99001",
            "level": 3,
            "start": date(2023, 4, 1),
            "end": date(2028, 4, 1),
            "note": "Décision du directeur général de France compétences (démo).",
        },
    ),
]
CQPI_EVENTS = [
    ("transmitted_fc", date(2025, 2, 10), {}),
    ("transmitted_cdc", date(2025, 2, 12), {}),
    ("registration_requested", date(2026, 5, 4), {"register": "RNCP"}),
]


def _demo_cqp(actor, bakery) -> Qualification:
    """The CQP: version 1 published and registered, version 2 in draft."""
    cqp = services.create_qualification(
        actor=actor,
        kind="CQP",
        title=CQP_TITLE,
        committee=bakery,
        ip_holder=CertifierEntity.objects.get(siret=complete_siret("9990010000001")),
        creation_decision_date=date(2022, 6, 15),
        rome_codes=["D1102"],
    )
    blocks = _build(actor, cqp.draft(), CQP_FRAMEWORKS)
    services.publish_version(actor=actor, version=cqp.draft())
    _events(actor, cqp, CQP_EVENTS)
    # Version 2 in draft: a new skill in BC02 (which creates revision 2 of the frozen block).
    draft = services.start_new_version(actor=actor, qualification=cqp)
    skill = services.add_skill(
        actor=actor,
        version=draft,
        block=blocks["BC02"],
        code="C4",
        statement="Adapter la production de viennoiseries aux ventes de la journée pour limiter les invendus",
        transversal=True,
    )
    services.add_knowledge_item(
        actor=actor, version=draft, skill=skill, label="Lutte contre le gaspillage alimentaire"
    )
    services.add_criterion(
        actor=actor,
        version=draft,
        skill=skill,
        statement="Les quantités produites suivent les ventes constatées",
    )
    return cqp


def _demo_cqpi(actor, joint, bakery) -> Qualification:
    """The CQPI of the joint committee: version 1 published, sharing the CQP's hygiene block BC03."""
    cqpi = services.create_qualification(
        actor=actor,
        kind="CQPI",
        title=CQPI_TITLE,
        committee=joint,
        ip_holder=CertifierEntity.objects.get(siret=complete_siret("9990020000001")),
        creation_decision_date=date(2025, 1, 20),
        rome_codes=["D1106"],
    )
    hygiene = (
        SkillBlock.objects.filter(code="BC03", committee=bakery, frozen=True).order_by("revision").first()
    )
    _build(
        actor,
        cqpi.draft(),
        CQPI_FRAMEWORKS | {"blocks": [*CQPI_FRAMEWORKS["blocks"], HYGIENE_BLOCK | {"activities": ["A3"]}]},
        shared=hygiene,
    )
    services.publish_version(actor=actor, version=cqpi.draft())
    _events(actor, cqpi, CQPI_EVENTS)
    return cqpi


def _demo_habilitations(actor, cqp, cqpi, bakery) -> None:
    """One active, one suspended (on BC02 only), one expired for the CQP; one active for the CQPI."""
    centres = {c.siret: c for c in Centre.objects.all()}
    lyon = centres[complete_siret("9990110000001")]
    south = centres[complete_siret("9990120000001")]
    north = centres[complete_siret("9990130000001")]
    bc02 = SkillBlock.objects.filter(code="BC02", committee=bakery).order_by("revision").first()
    services.create_habilitation(
        actor=actor,
        centre=lyon,
        qualification=cqp,
        scope=HabilitationScope.TRAIN,
        valid_from=date(2024, 9, 1),
        valid_until=date(2029, 8, 31),
    )
    suspended = services.create_habilitation(
        actor=actor,
        centre=south,
        qualification=cqp,
        scope=HabilitationScope.ASSESS,
        valid_from=date(2024, 1, 1),
        valid_until=date(2028, 12, 31),
        blocks=[bc02],
    )
    services.suspend_habilitation(
        actor=actor,
        habilitation=suspended,
        reason="Évaluations non conformes au référentiel constatées lors du contrôle de la CPNE (démo).",
    )
    services.create_habilitation(
        actor=actor,
        centre=north,
        qualification=cqp,
        scope=HabilitationScope.BOTH,
        valid_from=date(2020, 9, 1),
        valid_until=date(2025, 8, 31),
    )
    services.create_habilitation(
        actor=actor,
        centre=north,
        qualification=cqpi,
        scope=HabilitationScope.BOTH,
        valid_from=date(2025, 3, 1),
        valid_until=date(2030, 2, 28),
    )
