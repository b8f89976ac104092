"""The project's own demo data, loaded by `make run` (`cqphub demo load`), idempotently.

The registry part is a small export written by the project in France compétences' XML v4.1 format,
imported through the real importer (a second load finds every fiche unchanged). Each app that has
demo data exposes a `load_demo_*()` function; they run in dependency order.
"""

from __future__ import annotations

from datetime import date
from importlib import import_module
from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent / "demo"

# (module, function) in dependency order; each is idempotent.
LOADERS = [
    ("cqphub.reference.services", "load_demo_reference"),
    ("cqphub.orgs.demo", "load_demo_orgs"),
    ("cqphub.qualifications.demo", "load_demo_qualifications"),
    ("cqphub.journeys.demo", "load_demo_journeys"),
    ("cqphub.juries.demo", "load_demo_juries"),  # assessment sessions and juries (after journeys')
    ("cqphub.credentials.demo", "load_demo_credentials"),  # documents of the closed demo juries
    (
        "cqphub.reporting.demo",
        "load_demo_reporting",
    ),  # holder report: one file, a rejection, an overdue award
]


DEMO_EXPORT_DATE = date(2026, 1, 15)  # the date written in the demo fiches' own history


def import_demo_registry(import_paths):
    """The platform's own demo fiches: never withdrawn by an import of France compétences' files."""
    return import_paths(
        sorted(DEMO_DIR.glob("export-fiches-*.xml")), as_of=DEMO_EXPORT_DATE, origin="platform"
    )


def load_demo(stdout=None) -> dict:
    from cqphub.registry.importer import import_paths

    report = {}
    summary = import_demo_registry(import_paths)
    report["registry"] = summary.as_dict()
    for module_name, function_name in LOADERS:
        module = import_module(module_name)
        report[module_name] = getattr(module, function_name)()
    return report
