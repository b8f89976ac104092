#!/usr/bin/env python
"""Benchmark: candidate journeys at scale, beside bare ORM baselines measured in the same run.

Builds the demo organisations and qualifications, then bulk-generates 200,000 candidates and
candidacies (two status changes each, a few shared rules snapshots), and measures:
  - the branch's candidacy list page with two filters (route + status, CQP + route, …), full Django
    request in process, as the branch's certification officer: p50 / p95 (target p95 ≤ 100 ms),
    beside a bare ORM query of the same page (count + 25 rows);
  - the candidacy page: p50 / p95 (target ≤ 50 ms), beside a bare fetch of the row and its history;
  - the bulk import of a 10,000-row CSV file (every check: identity, duplicates against the 200,000,
    habilitation, rules engine), rows/s (target ≥ 2,000), beside a bare `bulk_create` of the same rows.

Database: bench/out/journeys.sqlite3 (rebuilt each run unless --reuse), or with
DATABASE_URL=postgres://…/NAME the database NAME_journeys on that server (dropped and recreated);
--smoke uses journeys-smoke.sqlite3 / NAME_journeys_smoke, so the suite never clobbers a real run.

Usage: python bench/journeys.py [--candidacies 200000] [--rounds 60] [--import-rows 10000] [--reuse] [--smoke]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from bench.databases import bench_database_url  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


CANDIDATE_COLUMNS = (
    "id birth_name usage_name first_names sex birth_year birth_month birth_day birth_commune birth_country email "
    "phone address postcode city user_id consent_at identity_key created_by_centre_id merged_into_id created updated"
).split()
CANDIDACY_COLUMNS = (
    "id candidate_id version_id qualification_id target route funding centre_id employer_name employer_siret "
    "planned_start planned_end planned_hours accompanist accompaniment_hours situation rules_on rules_snapshot_id "
    "status status_changed_at resume_to created_by_id created updated"
).split()
TRANSITION_COLUMNS = "candidacy_id from_status to_status by_id by_repr actor_kind at reason".split()


def insert_rows(connection, model, columns: list[str], rows: list[tuple]) -> None:
    """Rows straight into the table (COPY on PostgreSQL, executemany on SQLite), then the id sequence."""
    from django.db import transaction

    assert set(columns) <= {f.column for f in model._meta.concrete_fields}, columns
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's own cursor
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )
        return
    prepared = [
        tuple(
            v.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
            if isinstance(v, datetime)
            else v.isoformat()
            if isinstance(v, date)
            else v
            for v in row
        )
        for row in rows
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
        for i in range(0, len(prepared), 50_000):
            cursor.executemany(sql, prepared[i : i + 50_000])


def ms(seconds: float) -> float:
    return seconds * 1000


def load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} CPUs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidacies", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the generated database of an earlier run (for tuning)"
    )
    parser.add_argument("--smoke", action="store_true", help="small counts: checks that the benchmark runs")
    args = parser.parse_args()
    if args.smoke:
        args.candidacies, args.rounds, args.import_rows = 300, 2, 200

    os.environ["DATABASE_URL"] = bench_database_url(
        "_journeys_smoke" if args.smoke else "_journeys",
        ROOT / "bench" / "out" / ("journeys-smoke.sqlite3" if args.smoke else "journeys.sqlite3"),
        fresh=not args.reuse,
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqphub.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ["CQPHUB_TASKS"] = "immediate"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from cqphub.journeys.bulk_import import COLUMNS, import_candidates
    from cqphub.journeys.forms import _midnight
    from cqphub.journeys.legal import evaluate
    from cqphub.journeys.models import Candidacy, CandidacyTransition, Candidate, RulesSnapshot, identity_key
    from cqphub.orgs.demo import load_demo_orgs
    from cqphub.orgs.models import Centre, User, complete_siret
    from cqphub.qualifications.demo import CQP_TITLE, CQPI_TITLE, load_demo_qualifications
    from cqphub.qualifications.models import Qualification
    from cqphub.registry.importer import import_paths
    from cqphub.web.demo_data import import_demo_registry

    settings.DEBUG = False  # as in production (CaptureQueriesContext below still counts the queries)
    vendor = connection.vendor
    print(f"database: {vendor}; {load()}")
    call_command("migrate", verbosity=0)
    call_command("compiletranslations", verbosity=0)
    reused = args.reuse and Candidacy.objects.count() >= args.candidacies
    if not reused:
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            import_demo_registry(import_paths)
            load_demo_orgs()
            load_demo_qualifications()
    cqp = Qualification.objects.get(title=CQP_TITLE)
    cqpi = Qualification.objects.get(title=CQPI_TITLE)
    lyon = Centre.objects.get(siret=complete_siret("9990110000001"))
    north = Centre.objects.get(siret=complete_siret("9990130000001"))
    officer = User.objects.get(email="certification@demo.cqphub.fr")
    versions = {cqp.pk: cqp.latest_published(), cqpi.pk: cqpi.latest_published()}

    # -- generate -----------------------------------------------------------------------------
    rng = random.Random(20261130)
    snapshots = {}
    for qualification in (cqp, cqpi):
        for status in ("employee", "job_seeker"):
            findings = evaluate(qualification, {"status": status}, date(2026, 3, 2), age=30)
            snapshots[(qualification.pk, status)] = RulesSnapshot.for_findings(findings)
    statuses = [
        "draft", "submitted", "admissible", "enrolled", "in_training", "in_accompaniment",
        "ready_for_assessment", "assessed", "awaiting_jury", "decided", "withdrawn", "suspended", "archived",
    ]  # fmt: skip
    trainings = ["plan", "cpf", "professionalisation", "reconversion", "poe", "personal"]
    n = args.candidacies
    if reused:
        print(f"reusing the {Candidacy.objects.count():,} candidacies of an earlier run")
    else:
        started = time.perf_counter()
        now = datetime.now(UTC)
        first_candidate = (Candidate.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        first_candidacy = (Candidacy.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        people, candidacies, log = [], [], []
        for i in range(n):
            name = f"Bench{i:07d}"
            pk = first_candidate + i
            people.append(
                (pk, name, "", "Alex", rng.choice("FM"), rng.randint(1960, 2008), rng.randint(1, 12),
                 rng.randint(1, 28), "75056", "", "", "", "", "", "", None, None, identity_key(name, "Alex"),
                 lyon.pk, None, now, now)
            )  # fmt: skip
            qualification = cqp if rng.random() < 0.7 else cqpi
            route = "vae" if qualification == cqp and rng.random() < 0.3 else "training"
            situation = rng.choice(["employee", "job_seeker"])
            created = datetime(2023, 1, 1, 9, tzinfo=UTC) + timedelta(
                days=rng.randint(0, 1400), seconds=rng.randint(0, 30_000)
            )
            status = rng.choice(statuses)
            funding = rng.choice(trainings) if route == "training" else rng.choice(["cpf", "france_vae"])
            centre = (lyon if qualification == cqp else north) if route == "training" else None
            candidacy = first_candidacy + i
            candidacies.append(
                (candidacy, pk, versions[qualification.pk].pk, qualification.pk, "whole", route, funding,
                 centre.pk if centre else None, "", "", None, None, None, "", None,
                 json.dumps({"status": situation}), created.date(), snapshots[(qualification.pk, situation)].pk,
                 status, created, "", None, created, created)
            )  # fmt: skip
            log.append((candidacy, "", "draft", None, "", "", created, ""))
            log.append((candidacy, "draft", status, None, "", "", created, ""))
        insert_rows(connection, Candidate, CANDIDATE_COLUMNS, people)
        insert_rows(connection, Candidacy, CANDIDACY_COLUMNS, candidacies)
        insert_rows(connection, CandidacyTransition, TRANSITION_COLUMNS, log)
        print(
            f"generated {n:,} candidates + candidacies + {2 * n:,} status changes "
            f"in {time.perf_counter() - started:.1f} s (raw inserts: the model code is not what is measured)"
        )
    with connection.cursor() as cursor:
        # planner statistics and (PostgreSQL) the visibility map, as a live database has them from
        # autovacuum or `PRAGMA optimize`: without it, PostgreSQL's index-only scans visit the table
        cursor.execute("VACUUM ANALYZE" if vendor == "postgresql" else "ANALYZE")

    # -- pages --------------------------------------------------------------------------------
    client = Client()
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    filters = [
        {"route": "vae", "status": "submitted"},
        {"qualification": cqp.pk, "route": "training"},
        {"status": "in_training", "centre": lyon.pk},
        {"qualification": cqpi.pk, "status": "awaiting_jury"},
        {"route": "training", "created_from": "2025-01-01"},
        {"status": "decided", "created_to": "2024-06-30"},
    ]
    pages, bare_pages, list_queries, list_cpu = [], [], [], []
    client.get("/espace/parcours/", filters[0])  # warm-up (templates, translations)
    for i in range(args.rounds):
        params = dict(filters[i % len(filters)])
        if i % 3 == 2:
            params["page"] = 3
        with CaptureQueriesContext(connection) as queries:
            t, cpu = time.perf_counter(), time.process_time()
            response = client.get("/espace/parcours/", params)
            pages.append(time.perf_counter() - t)
            list_cpu.append(time.process_time() - cpu)
        list_queries.append(len(queries))
        assert response.status_code == 200, response.status_code
        t = time.perf_counter()
        qs = Candidacy.objects.all()
        for key, value in params.items():
            if key == "page":
                continue
            if key == "created_from":
                qs = qs.filter(created__gte=_midnight(date.fromisoformat(value)))
            elif key == "created_to":
                qs = qs.filter(created__lt=_midnight(date.fromisoformat(value) + timedelta(days=1)))
            else:
                qs = qs.filter(
                    **{{"qualification": "qualification_id", "centre": "centre_id"}.get(key, key): value}
                )
        qs.count()
        list(qs.select_related("candidate", "qualification", "centre").order_by("-created", "-pk")[50:75])
        bare_pages.append(time.perf_counter() - t)
    ids = list(Candidacy.objects.order_by("?").values_list("pk", flat=True)[: args.rounds])
    details, bare_details, detail_queries, detail_cpu = [], [], [], []
    client.get(f"/espace/parcours/{ids[0]}/")
    for pk in ids:
        with CaptureQueriesContext(connection) as queries:
            t, cpu = time.perf_counter(), time.process_time()
            response = client.get(f"/espace/parcours/{pk}/")
            details.append(time.perf_counter() - t)
            detail_cpu.append(time.process_time() - cpu)
        detail_queries.append(len(queries))
        assert response.status_code == 200
        t = time.perf_counter()
        c = Candidacy.objects.select_related("candidate", "qualification", "rules_snapshot").get(pk=pk)
        list(c.transitions.all())
        bare_details.append(time.perf_counter() - t)

    # -- bulk import --------------------------------------------------------------------------
    rows_n = args.import_rows
    run = f"{int(time.time()) % 1_000_000:06d}"  # names unique to this run: --reuse imports again
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), delimiter=";")
    writer.writeheader()
    for i in range(rows_n):
        writer.writerow(
            {"nom_naissance": f"Import{run}{i:06d}", "prenoms": "Sam", "sexe": "F", "annee_naissance": str(1970 + i % 35),
             "mois_naissance": str(1 + i % 12), "jour_naissance": str(1 + i % 28), "commune_naissance": "69123",
             "cqp": str(cqp.pk), "voie": "formation", "financement": ["plan", "cpf", "poe"][i % 3],
             "situation": ["employee", "employee", "job_seeker"][i % 3], "debut_prevu": "2026-09-07",
             "fin_prevue": "2027-06-30", "heures_prevues": "450"}
        )  # fmt: skip
    data = out.getvalue().encode("utf-8")
    # baseline: the same rows through a bare bulk_create (no checks, no rules, no log, no audit)
    snapshot = snapshots[(cqp.pk, "employee")]
    t, cpu = time.perf_counter(), time.process_time()
    with transaction.atomic():
        people = [
            Candidate(birth_name=f"Bare{run}{i:06d}", first_names="Sam", sex="F", birth_year=1970 + i % 35,
                      birth_month=1 + i % 12, birth_day=1 + i % 28, birth_commune="69123",
                      identity_key=identity_key(f"Bare{run}{i:06d}", "Sam"), created_by_centre=lyon)
            for i in range(rows_n)
        ]  # fmt: skip
        Candidate.objects.bulk_create(people, batch_size=1000)
        Candidacy.objects.bulk_create(
            [
                Candidacy(candidate=p, version=versions[cqp.pk], qualification=cqp, route="training", funding="plan",
                          centre=lyon, rules_on=date(2026, 9, 7), rules_snapshot=snapshot,
                          situation={"status": "employee"})
                for p in people
            ],
            batch_size=1000,
        )  # fmt: skip
    bare_import, bare_cpu = time.perf_counter() - t, time.process_time() - cpu
    t, cpu = time.perf_counter(), time.process_time()
    report = import_candidates(actor=officer, centre=lyon, data=data, filename="bench.csv")
    full_import, import_cpu = time.perf_counter() - t, time.process_time() - cpu
    assert len(report.candidacies) == rows_n

    print()
    # app CPU: this process's CPU time (with SQLite, the database's too), which a loaded machine inflates
    # far less than the wall clock
    print(
        f"{'measure':34} {'p50 ms':>8} {'p95 ms':>8}   bare ORM p50 / p95 ms   ratio p95  queries  "
        "app CPU p50 ms  target"
    )
    for label, values, base, queries, cpu_times, target in (
        ("branch list page, two filters", pages, bare_pages, list_queries, list_cpu, 100),
        ("candidacy page", details, bare_details, detail_queries, detail_cpu, 50),
    ):
        p50, p95 = ms(statistics.median(values)), ms(percentile(values, 95))
        b50, b95 = ms(statistics.median(base)), ms(percentile(base, 95))
        ok = "met" if p95 <= target else "MISSED"
        print(
            f"{label:34} {p50:8.1f} {p95:8.1f}   {b50:8.1f} / {b95:8.1f}   {p95 / b95:8.1f}×  {max(queries):7}  "
            f"{ms(statistics.median(cpu_times)):14.1f}  p95 ≤ {target} ms: {ok}"
        )
    rate, bare_rate = rows_n / full_import, rows_n / bare_import
    print(
        f"bulk import of {rows_n:,} rows: {full_import:.2f} s = {rate:,.0f} rows/s "
        f"(target ≥ 2,000: {'met' if rate >= 2000 else 'MISSED'}); bare bulk_create of the same rows: "
        f"{bare_import:.2f} s = {bare_rate:,.0f} rows/s; ratio {full_import / bare_import:.1f}×; app CPU "
        f"{import_cpu:.2f} s vs {bare_cpu:.2f} s bare (ratio {import_cpu / bare_cpu:.1f}×)"
    )
    print(f"{vendor}, {Candidacy.objects.count():,} candidacies; {load()}")


if __name__ == "__main__":
    main()
