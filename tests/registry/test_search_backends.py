"""Both backends give the same results: the same fiches, the same order, the same facet counts.

The expected answers were recorded once (on SQLite) in `test_search_golden.json`; the same test runs on
PostgreSQL (`DATABASE_URL=postgres://…`) against the same file. To re-record after a deliberate change:
`CQPHUB_UPDATE_GOLDEN=1 pytest tests/registry/test_search_backends.py` (then run it on the other backend).
"""

import json
import os
from pathlib import Path

import pytest

from cqphub.registry.search import SearchFilters, search_certifications
from tests.factories.registry import cqp_registry  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.shared]
GOLDEN = Path(__file__).with_name("test_search_golden.json")

QUERIES = [
    ("", {}),
    ("", {"status": "all"}),
    ("maintenance", {}),
    ("maintenance", {"status": "all", "level": "3"}),
    ("soud", {}),
    ("so", {"status": "all"}),
    ("électr", {"status": "all"}),
    ("agent de", {}),
    ('"chef d\'équipe"', {"status": "all"}),
    ("chef d'équipe", {}),
    ("commerce gros", {}),
    ("vente", {"route": "vae"}),
    ("animateur", {"nsf": "335"}),
    ("technicien", {"kind": "cqpi", "status": "all"}),
    ("sport", {"partial": "1"}),
    ("UIMM", {}),
    ("cpne", {"status": "inactive"}),
    ("G1204", {}),
    ("3117", {"status": "all"}),
    ("37488", {}),
    ("rncp37674", {}),
    ("développeur", {"register": "RNCP"}),
    ("web mobile", {}),
    ("cœur", {}),
    ("boulangerie pâtisserie", {"status": "all"}),
    ("industrie", {"certifier": "Commission paritaire nationale de l'emploi de la métallurgie"}),
    ("logistique", {"idcc": "3117"}),
    ("nettoyage", {"rome": "K2204"}),
    ("automobile", {"level": ["3", "4"]}),
    ("xyzzy", {}),
]


def _answer(query, filters):
    results = search_certifications(query, SearchFilters.parse(filters), page_size=20)
    return {
        "total": results.total,
        "codes": [h.code for h in results.hits],
        "facets": {name: {v.value: v.count for v in values} for name, values in results.facets.items()},
    }


def test_both_backends_agree_with_the_recorded_answers(cqp_registry):  # noqa: F811
    answers = {f"{q} | {json.dumps(f, sort_keys=True)}": _answer(q, f) for q, f in QUERIES}
    if os.environ.get("CQPHUB_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(json.dumps(answers, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
        pytest.skip(f"recorded {GOLDEN.name} on {cqp_registry}")
    expected = json.loads(GOLDEN.read_text())
    assert set(answers) == set(expected)
    for key, answer in answers.items():
        assert answer == expected[key], f"{cqp_registry}: {key!r} differs from the recorded answer"
