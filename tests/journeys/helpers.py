"""Shared builders for the journeys tests."""

from __future__ import annotations

from datetime import date

from cqphub.journeys import services
from cqphub.orgs.models import Centre, complete_siret
from cqphub.qualifications.demo import CQP_TITLE, CQPI_TITLE
from cqphub.qualifications.models import Qualification

LYON = complete_siret("9990110000001")  # trains the CQP (active 2024-09-01 → 2029-08-31)
SOUTH = complete_siret("9990120000001")  # assesses BC02 of the CQP, suspended
NORTH = complete_siret("9990130000001")  # CQP habilitation expired 2025-08-31; CQPI active


def enrich(world):
    world.extra["cqp"] = Qualification.objects.get(title=CQP_TITLE)
    world.extra["cqpi"] = Qualification.objects.get(title=CQPI_TITLE)
    world.extra["lyon"] = Centre.objects.get(siret=LYON)
    world.extra["south"] = Centre.objects.get(siret=SOUTH)
    world.extra["north"] = Centre.objects.get(siret=NORTH)
    return world


def person(n: int = 1, **extra):
    data = {
        "birth_name": f"Durand{n}",
        "first_names": "Léa Marie",
        "sex": "F",
        "birth_year": 1998,
        "birth_month": 5,
        "birth_day": 17,
        "birth_commune": "69123",
        "email": f"lea{n}@example.org",
    }
    data.update(extra)
    return data


def make_candidate(world, n: int = 1, *, centre=None, **extra):
    return services.create_candidate(
        actor=world.users["trainer"], centre=centre or world.extra["lyon"], **person(n, **extra)
    )


def enrol(world, candidate=None, *, route="training", funding="plan", on=date(2026, 3, 2), **extra):
    cqp = extra.pop("qualification", None) or world.extra["cqp"]
    defaults = {
        "centre": world.extra["lyon"] if route == "training" else None,
        "situation": {"status": "employee"},
        "planned_start": on,
    }
    defaults.update(extra)
    return services.create_candidacy(
        actor=extra.pop("actor", None) or world.users["trainer"],
        candidate=candidate or make_candidate(world),
        version=cqp.latest_published(),
        route=route,
        funding=funding,
        on=on,
        **{k: v for k, v in defaults.items() if k != "actor"},
    )
