#!/usr/bin/env python
"""Benchmark: registry search and pages on the full-scale registry, beside a bare full-text query.

For a fixed set of 60 queries (1-word, 2-word, prefix, code, with and without filters) it measures, in
one run and on one database:
  - baseline: a bare ranked full-text query for the same words, top 20 (FTS5 `MATCH … ORDER BY rank`
    on SQLite, `@@ to_tsquery … ORDER BY ts_rank` on PostgreSQL), no tiers, filters or facets;
  - the search call: `search_certifications(query, filters)` (tiers, filters, facets, one page, snippets);
  - the results page and the certification page: a full Django request (middleware, view, template),
    in process, server time only;
and prints p50 / p95 of each beside the baseline. The engine keeps each (query, filters) answer until
the next import: "search" and "results page" are measured without it (cleared before each call, the
first time a query is asked), "… (cached)" with it (a query asked again, or its next page). Targets: search p95 ≤ 15 ms on SQLite, ≤ 30 ms on
PostgreSQL; pages p95 ≤ 50 ms. The per-process snapshot load (once after each import) is printed too.

Data: the full-scale export (../shared/tools/fullscale_registry.py --scale 1.5, cached in
bench/out/fullscale, ~30,700 fiches), imported once into bench/out/search.sqlite3, or, with
DATABASE_URL=postgres://…/NAME, into the database `NAME_search` on that server (created when missing).

Usage: python bench/search.py [--out bench/out/fullscale] [--rounds 5] [--reimport]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_EXPORT = ROOT / "cqphub" / "web" / "demo" / "export-fiches-rncp-v4-1-demo.xml"
# the script's folder holds other benchmarks (bench/rules.py…) that must not shadow packages
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from bench.databases import bench_database_url, sqlite_url  # noqa: E402

ONE_WORD = [
    "maintenance", "soudeur", "commerce", "vente", "logistique", "cuisine", "boulanger", "électricien",
    "comptable", "infirmier", "management", "informatique", "transport", "sécurité", "coiffure",
    "animateur", "mécanicien", "jardinier", "assurance", "immobilier",
]  # fmt: skip
TWO_WORDS = [
    "agent maintenance", "chef équipe", "conducteur engins", "technicien réseaux", "responsable commercial",
    "assistant comptable", "développeur web", "agent sécurité", "aide soignant", "gestion paie",
    "préparateur commandes", "cariste logistique",
]  # fmt: skip
PREFIX = ["soud", "electr", "mainten", "infor", "commer", "logis", "boul", "cuis", "mécan", "ges"]
CODES = ["RNCP34172", "rncp 31388", "37488", "RS5000", "rs6117", "11563"]
WITH_FILTERS = [
    ("maintenance", {"level": "4"}),
    ("commerce", {"register": "RS"}),
    ("technicien", {"kind": "cqp"}),
    ("vente", {"route": "vae"}),
    ("", {"kind": "cqp"}),
    ("", {}),
    ("agent", {"status": "all", "level": "3"}),
    ("management", {"partial": "1"}),
    ("sécurité", {"nsf": "344"}),
    ("logistique", {"route": "apprenticeship", "level": "5"}),
    ("soud", {"status": "all"}),
    ("informatique", {"register": "RNCP", "level": "6"}),
]
QUERIES = (
    [(q, {}, "1 word") for q in ONE_WORD]
    + [(q, {}, "2 words") for q in TWO_WORDS]
    + [(q, {}, "prefix") for q in PREFIX]
    + [(q, {}, "code") for q in CODES]
    + [(q, f, "filters") for q, f in WITH_FILTERS]
)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "fullscale")
    parser.add_argument("--rounds", type=int, default=5, help="times each query is run (default 5)")
    parser.add_argument("--reimport", action="store_true", help="import the export again first")
    parser.add_argument(
        "--smoke", action="store_true", help="the demo export, one round: checks that it runs"
    )
    args = parser.parse_args()
    (ROOT / "bench" / "out").mkdir(parents=True, exist_ok=True)
    if args.smoke:
        args.rounds = 1
        os.environ["DATABASE_URL"] = sqlite_url(ROOT / "bench" / "out" / "search-smoke.sqlite3", fresh=True)
    else:
        os.environ["DATABASE_URL"] = bench_database_url(
            "_search", ROOT / "bench" / "out" / "search.sqlite3", fresh=False
        )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqphub.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    settings.DEBUG = False  # no query logging while measuring (static files storage is already chosen)
    from cqphub.registry.models import Certification, Partner
    from cqphub.registry.search import SearchFilters, search_certifications
    from cqphub.registry.search import index as search_index
    from cqphub.registry.search.text import fts5_expression, parse_query, tsquery_expression

    call_command("migrate", verbosity=0)
    if args.reimport or not Certification.objects.exists():
        from bench.fullscale import ensure_export
        from cqphub.registry.importer import import_paths

        exports = [DEMO_EXPORT] if args.smoke else ensure_export(args.out)
        started = time.perf_counter()
        print(f"importing {', '.join(e.name for e in exports)} into {connection.vendor} (once)…", flush=True)
        summary = import_paths(
            exports,
            allow_mass_withdrawal=args.reimport,
            as_of=date(2026, 11, 27) if args.smoke else None,  # the demo file's name carries no date
        )
        print(
            f"  {summary.read} fiches in {time.perf_counter() - started:.0f} s (index included)", flush=True
        )
    if not search_index.current_version():
        search_index.update_index(None)

    vendor = connection.vendor
    be = search_index.backend()
    fiches = Certification.objects.filter(withdrawn_at__isnull=True).count()
    started = time.perf_counter()
    search_index.forget_snapshot()
    search_index.snapshot()
    snapshot_ms = (time.perf_counter() - started) * 1000

    def baseline(query: str):
        parsed = parse_query(query)
        with connection.cursor() as cursor:
            if not parsed.terms:
                cursor.execute("SELECT id FROM registry_certification ORDER BY id LIMIT 20")
                return cursor.fetchall()
            words = fts5_expression(parsed) if vendor == "sqlite" else tsquery_expression(parsed)
            return be.baseline(cursor, words)

    client = Client(HTTP_HOST="localhost")
    timings: dict[str, list[float]] = {
        "baseline": [],
        "search": [],
        "search (cached)": [],
        "results page": [],
        "results page (cached)": [],
        "certification page": [],
    }
    by_kind: dict[str, list[float]] = {}
    for _round in range(args.rounds):
        for query, filters, kind in QUERIES:
            t = time.perf_counter()
            baseline(query)
            timings["baseline"].append((time.perf_counter() - t) * 1000)
            search_index.forget_answers()
            t = time.perf_counter()
            search_certifications(query, SearchFilters.parse(filters))
            elapsed = (time.perf_counter() - t) * 1000
            timings["search"].append(elapsed)
            by_kind.setdefault(kind, []).append(elapsed)
            t = time.perf_counter()
            search_certifications(query, SearchFilters.parse(filters))
            timings["search (cached)"].append((time.perf_counter() - t) * 1000)
            for name in ("results page", "results page (cached)"):
                if name == "results page":
                    search_index.forget_answers()
                t = time.perf_counter()
                response = client.get("/registre/", {"q": query, **filters})
                timings[name].append((time.perf_counter() - t) * 1000)
                assert response.status_code in (200, 302), (query, response.status_code)

    # certification pages: the 10 with most partners, and 40 others spread over the registry
    biggest = list(
        Partner.objects.values_list("certification__code", flat=True)
        .order_by()
        .annotate(n=Count("id"))
        .order_by("-n")[:10]
    )
    step = max(1, fiches // 40)
    spread = list(
        Certification.objects.filter(withdrawn_at__isnull=True).values_list("code", flat=True)[::step][:40]
    )
    codes = biggest + spread
    for _round in range(args.rounds):
        for code in codes:
            t = time.perf_counter()
            response = client.get(f"/registre/{code}/")
            timings["certification page"].append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (code, response.status_code)

    base50, base95 = percentile(timings["baseline"], 50), percentile(timings["baseline"], 95)
    target_search = 15 if vendor == "sqlite" else 30
    print()
    print(f"registry search on {vendor}: {fiches:,} fiches, {len(QUERIES)} queries × {args.rounds} rounds")
    print(f"snapshot load (once per process after an import): {snapshot_ms:.0f} ms")
    print(f"{'measure':<22}{'p50 ms':>9}{'p95 ms':>9}{'× base p50':>12}{'× base p95':>12}   target")
    for name, values in timings.items():
        p50, p95 = percentile(values, 50), percentile(values, 95)
        target = {
            "search": f"p95 ≤ {target_search} ms",
            "search (cached)": "(the same query again)",
            "baseline": "baseline (bare FTS, top 20)",
        }.get(name, "p95 ≤ 50 ms")
        print(f"{name:<22}{p50:>9.2f}{p95:>9.2f}{p50 / base50:>12.1f}{p95 / base95:>12.1f}   {target}")
    print("search call by kind of query (p50, p95; without the cached answers):")
    for kind, values in by_kind.items():
        print(f"  {kind:<20}{percentile(values, 50):>9.2f}{percentile(values, 95):>9.2f}")
    print(f"(certification pages: {len(biggest)} with the most partners, up to {len(spread)} others; "
          f"median of all = {statistics.median(timings['certification page']):.1f} ms)")  # fmt: skip


if __name__ == "__main__":
    main()
