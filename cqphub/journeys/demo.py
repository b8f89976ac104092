"""Demo candidates and candidacies, loaded by `cqphub demo load` after the demo qualifications
(idempotent: a person already recorded — same identity key and birth date — is left as is).

About 40 made-up people on the demo CQP (training at the Lyon school or, before its habilitation
ended, the Lille campus; VAE) and the demo CQPI (training at the Lille campus), spread over every
route, funding and workflow status, with positioning, an admissibility decision, grants to the demo
advisor and employer contact, and one candidate account (`candidat@demo.cqphub.fr`).
All names are invented; birth places are INSEE codes of large towns.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from cqphub.journeys.enums import Status
from cqphub.journeys.workflow import Actor

CANDIDATE_EMAIL = "candidat@demo.cqphub.fr"

PEOPLE = [
    # birth name, first names, sex, year, month, day, birth commune / country
    ("Moreau", "Inès", "F", 2005, 3, 12, "69123"),
    ("Lambert", "Hugo", "M", 1988, 7, 2, "75056"),
    ("Rousseau", "Camille", "F", 1993, 11, 25, "13055"),
    ("Fontaine", "Yanis", "M", 2004, 1, 30, "59350"),
    ("Chevalier", "Manon", "F", 1979, 6, 8, "31555"),
    ("Robin", "Théo", "M", 1996, 9, 14, "33063"),
    ("Gauthier", "Sarah", "F", 1990, 2, 19, "44109"),
    ("Perrin", "Lucas", "M", 2003, 12, 5, "67482"),
    ("Morel", "Aïcha", "F", 1985, 4, 27, "99350"),
    ("Girard", "Nathan", "M", 1999, 8, 16, "06088"),
    ("André", "Chloé", "F", 2002, 10, 3, "34172"),
    ("Mercier", "Rayan", "M", 1992, 5, 21, "35238"),
    ("Dupuis", "Léa", "F", 2006, 1, 9, "76540"),
    ("Blanc", "Mathis", "M", 2005, 6, 28, "38185"),
    ("Guerin", "Emma", "F", 1994, 3, 15, "21231"),
    ("Muller", "Noah", "M", 1983, 11, 11, "68224"),
    ("Henry", "Jade", "F", 2001, 7, 7, "37261"),
    ("Roussel", "Adam", "M", 1991, 9, 30, "99127"),
    ("Nicolas", "Louise", "F", 1998, 12, 24, "80021"),
    ("Perrot", "Ethan", "M", 2004, 2, 2, "63113"),
    ("Mathieu", "Lina", "F", 1986, 8, 13, "87085"),
    ("Clement", "Gabriel", "M", 1997, 4, 4, "29019"),
    ("Gaillard", "Zoé", "F", 2003, 5, 17, "49007"),
    ("Barbier", "Samuel", "M", 1980, 10, 29, "57463"),
    ("Arnaud", "Nour", "F", 1995, 1, 22, "99352"),
    ("Martinez", "Tom", "M", 2002, 3, 8, "66136"),
    ("Lemoine", "Alice", "F", 1989, 6, 1, "14118"),
    ("Brun", "Sacha", "M", 2000, 9, 9, "84007"),
    ("Roy", "Maëlys", "F", 1993, 12, 12, "86194"),
    ("Roche", "Kylian", "M", 2005, 7, 19, "42218"),
    ("Meyer", "Anaïs", "F", 1984, 2, 26, "25056"),
    ("Giraud", "Enzo", "M", 1998, 11, 3, "30189"),
    ("Renard", "Lou", "F", 2004, 4, 14, "45234"),
    ("Schmitt", "Malik", "M", 1990, 8, 20, "54395"),
    ("Colin", "Juliette", "F", 1982, 5, 5, "51454"),
    ("Vidal", "Axel", "M", 1996, 1, 1, "83137"),
    ("Caron", "Romane", "F", 2001, 10, 10, "62041"),
    ("Picard", "Bilal", "M", 1987, 3, 31, "99139"),
    ("Dumont", "Margaux", "F", 1999, 7, 23, "72181"),
    ("Fabre", "Liam", "M", 1994, 12, 6, "64445"),
]

# index into PEOPLE → (qualification "cqp"|"cqpi", route, funding, situation, centre key, date, status)
TRAINING_PATH = [
    Status.SUBMITTED,
    Status.ENROLLED,
    Status.IN_TRAINING,
    Status.READY_FOR_ASSESSMENT,
    Status.ASSESSED,
    Status.AWAITING_JURY,
    Status.DECIDED,
    Status.ARCHIVED,
]
VAE_PATH = [
    Status.SUBMITTED,
    Status.ADMISSIBLE,
    Status.IN_ACCOMPANIMENT,
    Status.READY_FOR_ASSESSMENT,
    Status.ASSESSED,
    Status.AWAITING_JURY,
    Status.DECIDED,
    Status.ARCHIVED,
]
YOUNG, EMPLOYEE, SEEKER = "young_in_training", "employee", "job_seeker"
D26, D25 = date(2026, 9, 7), date(2025, 10, 6)

PLAN = [
    ("cqp", "training", "professionalisation", YOUNG, "lyon", D26, Status.DRAFT),
    ("cqp", "training", "plan", EMPLOYEE, "lyon", D26, Status.SUBMITTED),
    ("cqp", "training", "professionalisation", SEEKER, "lyon", D26, Status.ENROLLED),
    ("cqp", "training", "professionalisation", YOUNG, "lyon", D26, Status.IN_TRAINING),
    ("cqp", "training", "cpf", EMPLOYEE, "lyon", D26, Status.IN_TRAINING),
    ("cqp", "training", "reconversion", EMPLOYEE, "lyon", date(2026, 2, 2), Status.READY_FOR_ASSESSMENT),
    ("cqp", "training", "pro_a", EMPLOYEE, "lyon", D25, Status.ASSESSED),
    ("cqp", "training", "poe", SEEKER, "lyon", date(2026, 4, 6), Status.AWAITING_JURY),
    ("cqp", "training", "plan", EMPLOYEE, "north", date(2024, 10, 7), Status.DECIDED),
    ("cqp", "training", "professionalisation", SEEKER, "north", date(2024, 9, 16), Status.ARCHIVED),
    ("cqp", "training", "ptp", EMPLOYEE, "lyon", D26, Status.SUSPENDED),
    ("cqp", "training", "personal", SEEKER, "lyon", D26, Status.WITHDRAWN),
    ("cqp", "training", "professionalisation", YOUNG, "lyon", date(2026, 10, 5), Status.IN_TRAINING),
    ("cqp", "training", "plan", EMPLOYEE, "lyon", date(2026, 10, 5), Status.ENROLLED),
    ("cqp", "training", "cpf", SEEKER, "lyon", date(2026, 11, 2), Status.DRAFT),
    ("cqp", "training", "other", EMPLOYEE, "lyon", date(2026, 3, 2), Status.DECIDED),
    ("cqp", "vae", "france_vae", EMPLOYEE, None, date(2026, 10, 1), Status.DRAFT),
    ("cqp", "vae", "cpf", EMPLOYEE, None, date(2026, 10, 12), Status.SUBMITTED),
    ("cqp", "vae", "france_vae", SEEKER, None, date(2026, 9, 14), Status.SUBMITTED),
    ("cqp", "vae", "cpf", EMPLOYEE, None, date(2026, 6, 1), Status.ADMISSIBLE),
    ("cqp", "vae", "plan", EMPLOYEE, None, date(2026, 5, 4), Status.NOT_ADMISSIBLE),
    ("cqp", "vae", "france_vae", SEEKER, "lyon", date(2026, 4, 6), Status.IN_ACCOMPANIMENT),
    ("cqp", "vae", "reconversion", EMPLOYEE, None, date(2026, 3, 2), Status.READY_FOR_ASSESSMENT),
    ("cqp", "vae", "cpf", EMPLOYEE, None, date(2026, 2, 2), Status.ASSESSED),
    ("cqp", "vae", "ptp", EMPLOYEE, None, date(2026, 1, 12), Status.AWAITING_JURY),
    ("cqp", "vae", "france_vae", SEEKER, None, date(2025, 11, 3), Status.DECIDED),
    ("cqp", "vae", "personal", EMPLOYEE, None, date(2025, 6, 2), Status.ARCHIVED),
    ("cqp", "vae", "other", SEEKER, None, date(2026, 7, 6), Status.WITHDRAWN),
    ("cqp", "vae", "france_vae", EMPLOYEE, "lyon", date(2026, 5, 4), Status.SUSPENDED),
    ("cqpi", "training", "professionalisation", YOUNG, "north", D26, Status.DRAFT),
    ("cqpi", "training", "plan", EMPLOYEE, "north", D26, Status.SUBMITTED),
    ("cqpi", "training", "personal", SEEKER, "north", D26, Status.ENROLLED),
    ("cqpi", "training", "reconversion", EMPLOYEE, "north", date(2026, 3, 2), Status.IN_TRAINING),
    (
        "cqpi",
        "training",
        "professionalisation",
        SEEKER,
        "north",
        date(2026, 1, 5),
        Status.READY_FOR_ASSESSMENT,
    ),
    ("cqpi", "training", "poe", SEEKER, "north", date(2025, 9, 1), Status.ASSESSED),
    ("cqpi", "training", "plan", EMPLOYEE, "north", date(2025, 6, 2), Status.AWAITING_JURY),
    ("cqpi", "training", "professionalisation", YOUNG, "north", date(2025, 4, 7), Status.DECIDED),
    ("cqpi", "training", "other", EMPLOYEE, "north", D26, Status.WITHDRAWN),
    ("cqpi", "training", "plan", EMPLOYEE, "north", date(2026, 2, 2), Status.SUSPENDED),
    ("cqpi", "training", "plan", EMPLOYEE, "north", date(2025, 5, 5), Status.ARCHIVED),
]


def _path(route: str, target: Status) -> list[Status]:
    if target == Status.DRAFT:
        return []
    if target == Status.WITHDRAWN:
        return [Status.SUBMITTED, Status.WITHDRAWN]
    if target == Status.NOT_ADMISSIBLE:
        return [Status.SUBMITTED, Status.NOT_ADMISSIBLE]
    if target == Status.SUSPENDED:
        first = Status.IN_TRAINING if route == "training" else Status.IN_ACCOMPANIMENT
        path = TRAINING_PATH if route == "training" else VAE_PATH
        return [*path[: path.index(first) + 1], Status.SUSPENDED]
    path = TRAINING_PATH if route == "training" else VAE_PATH
    return path[: path.index(target) + 1]


@transaction.atomic
def load_demo_journeys() -> dict[str, int]:
    from cqphub.journeys import services
    from cqphub.journeys.models import Candidate, identity_key
    from cqphub.orgs.demo import DEMO_PASSWORD
    from cqphub.orgs.models import Centre, User, complete_siret
    from cqphub.qualifications.demo import CQP_TITLE, CQPI_TITLE, load_demo_qualifications
    from cqphub.qualifications.models import Qualification

    load_demo_qualifications()
    created = {"candidates": 0, "candidacies": 0}
    qualifications = {
        "cqp": Qualification.objects.filter(title=CQP_TITLE).first(),
        "cqpi": Qualification.objects.filter(title=CQPI_TITLE).first(),
    }
    if None in qualifications.values():
        return created
    centres = {
        "lyon": Centre.objects.get(siret=complete_siret("9990110000001")),
        "north": Centre.objects.get(siret=complete_siret("9990130000001")),
    }
    users = {u.email: u for u in User.objects.filter(email__endswith="@demo.cqphub.fr")}
    branch_admin = users["admin.branche@demo.cqphub.fr"]
    officer = users["certification@demo.cqphub.fr"]
    centre_actor = {"lyon": users["formateur@demo.cqphub.fr"], "north": users["centre@demo.cqphub.fr"]}
    advisor, employer = users["conseiller@demo.cqphub.fr"], users["employeur@demo.cqphub.fr"]

    for index, (person, plan) in enumerate(zip(PEOPLE, PLAN, strict=True)):
        birth_name, first_names, sex, year, month, day, place = person
        key = identity_key(birth_name, first_names)
        if Candidate.objects.filter(
            identity_key=key, birth_year=year, birth_month=month, birth_day=day
        ).exists():
            continue
        which, route, _funding, _situation, centre_key, on, target = plan
        centre = centres[centre_key] if centre_key else None
        candidate = _candidate(centre_actor[centre_key] if centre_key else officer, centre, person)
        created["candidates"] += 1
        actor = centre_actor[centre_key] if centre_key else branch_admin
        version = qualifications[which].latest_published()
        candidacy = _candidacy(
            actor, candidate, version, plan, index, centre=centre, employer=employer, year=year
        )
        created["candidacies"] += 1
        if index % 5 == 0:
            services.grant_access(actor=actor, candidacy=candidacy, user=advisor, role="advisor")
        if route == "training" and target not in (Status.DRAFT, Status.SUBMITTED):
            services.record_positioning(
                actor=actor, candidacy=candidacy, block=version.ordered_blocks()[0], outcome="to_train"
            )
        _walk(candidacy, route, target, actor=actor, officer=officer, branch_admin=branch_admin, on=on)
        if index == 3 and not User.objects.filter(email=CANDIDATE_EMAIL).exists():
            account = User.objects.create_user(
                CANDIDATE_EMAIL, DEMO_PASSWORD, first_name=first_names, last_name=birth_name
            )
            candidate.user = account
            candidate.save(update_fields=["user", "updated"])
    return created


def _candidate(actor, centre, person):
    """The candidate of one line of `PEOPLE`, born in France (a commune) or abroad (a country)."""
    from cqphub.journeys import services
    from cqphub.text import fold_alnum

    birth_name, first_names, sex, year, month, day, place = person
    place_field = {"birth_country": place} if place.startswith("99") else {"birth_commune": place}
    return services.create_candidate(
        actor=actor,
        centre=centre,
        birth_name=birth_name,
        first_names=first_names,
        sex=sex,
        birth_year=year,
        birth_month=month,
        birth_day=day,
        email=f"{fold_alnum(first_names).split()[0]}.{fold_alnum(birth_name)}@example.org",
        **place_field,
    )


def _candidacy(actor, candidate, version, plan, index: int, *, centre, employer, year: int):
    """The candidacy of one line of `PLAN` (a few aim at blocks only)."""
    from cqphub.journeys import services

    _which, route, funding, situation, _centre, on, _target = plan
    return services.create_candidacy(
        actor=actor,
        candidate=candidate,
        version=version,
        route=route,
        funding=funding,
        centre=centre,
        target_blocks=version.ordered_blocks()[:1] if index % 7 == 3 else [],
        situation={"status": situation},
        on=on,
        planned_start=on,
        planned_end=date(on.year + 1, 6, 30) if route == "training" else None,
        planned_hours=450 if route == "training" else None,
        employer_name="Boulangerie du Marché (démo)" if situation == "employee" else "",
        employer_contact=employer if situation == "employee" and index % 3 == 0 else None,
        accompanist="Architecte accompagnateur de parcours (démo)" if route == "vae" else "",
        accompaniment_hours=20 if route == "vae" else None,
        experiences=[
            {
                "activity": "Tourage et façonnage des viennoiseries",
                "employer": "Boulangerie (démo)",
                "start": date(year + 20, 9, 1),
                "hours": 1600,
            }
        ]
        if route == "vae"
        else (),
    )


def _walk(candidacy, route: str, target: Status, *, actor, officer, branch_admin, on) -> None:
    """Take the candidacy along its route to `target`, each step through the service it goes through in
    real life."""
    from cqphub.journeys import services

    for step in _path(route, target):
        if step in (Status.ADMISSIBLE, Status.NOT_ADMISSIBLE):
            decision = "admissible" if step == Status.ADMISSIBLE else "not_admissible"
            services.decide_admissibility(
                actor=officer,
                candidacy=candidacy,
                decision=decision,
                reasons=""
                if decision == "admissible"
                else "Activités sans rapport direct avec le CQP (démo).",
                on=on,
                notify=False,
            )
        elif step == Status.SUBMITTED and route == "vae":
            services.submit_admissibility(actor=actor, candidacy=candidacy, on=on, notify=False)
        elif step in (Status.ASSESSED, Status.AWAITING_JURY, Status.DECIDED):
            services.transition(candidacy, step, by=None, actor=Actor.SYSTEM, notify=False)
        else:
            by = branch_admin if step == Status.ARCHIVED else actor
            reason = {
                Status.WITHDRAWN: "Le candidat a trouvé un autre emploi (démo).",
                Status.SUSPENDED: "Arrêt maladie (démo).",
            }.get(step, "")
            services.transition(candidacy, step, by=by, reason=reason, notify=False)
