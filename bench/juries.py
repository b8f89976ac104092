#!/usr/bin/env python
"""Benchmark: a national jury session — 5,000 candidates × 6 blocks × 40 criteria.

Each figure is printed beside a baseline measured in the same run, on the same database:
  - proposals (pure): every block's pass rule on its 40 criteria (1.2 million values), then the
    proposal per candidate (`deliberation.propose_all`) — beside the floor of reading every criterion
    once (`sum` of each block's values). Target <= 1 s.
  - proposals (database): `juries.services.proposals(session)` — signed block results and blocks
    already held read from the database, then the pure function. Shown for information.
  - decisions: `juries.services.record_decisions` of every candidate's 6 decisions in one submit
    (30,000 rows, proposals re-read and checked) — beside a bare `executemany` of the same 30,000 rows
    into a copy of the table. Target <= 10 s.
  - minutes: `juries.minutes.render_pdf` of the session (WeasyPrint) — beside WeasyPrint laying out
    plain paragraphs over the same number of pages. Target <= 30 s.

The database part builds its data in bulk (no criterion rows: the jury reads signed block results)
in a fresh database: SQLite in a temporary file, and PostgreSQL when `--postgres URL` is given (a
database of its own, e.g. postgres://postgres@127.0.0.1:5432/juries_bench, dropped and re-created).

Usage: python bench/juries.py [--candidates 5000] [--blocks 6] [--criteria 40] [--postgres URL] [--smoke]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from bench.databases import postgres_database  # noqa: E402

TARGETS = {"proposals": 1.0, "decisions": 10.0, "minutes": 30.0}


LAST_CPU = [0.0]  # CPU time of this process in the last `timed` call (the machine is shared)


def timed(function):
    start, cpu = time.perf_counter(), time.process_time()
    result = function()
    LAST_CPU[0] = time.process_time() - cpu
    return time.perf_counter() - start, result


def line(
    label: str, seconds: float, baseline: float, baseline_label: str, target: float | None = None
) -> None:
    """Wall time (and this process's CPU time) beside the baseline's wall time, as a ratio."""
    cpu = LAST_CPU[0]
    ratio = seconds / baseline if baseline else float("inf")
    verdict = ""
    if target is not None:
        verdict = "  OK" if seconds <= target else f"  OVER the {target:.0f} s target"
    print(
        f"  {label:<36} {seconds:8.3f} s (cpu {cpu:7.3f} s)   baseline {baseline_label} {baseline:8.3f} s"
        f"   ×{ratio:7.1f}{verdict}",
        flush=True,
    )


# ---------------------------------------------------------------------------------------------
# Pure part
# ---------------------------------------------------------------------------------------------


def pure_part(candidates: int, blocks: int, criteria: int) -> float:
    from cqphub.assessment.pass_rules import PassRule, evaluate
    from cqphub.juries.deliberation import CandidateFile, Framework, propose_all

    rng = random.Random(2026)
    codes = tuple(range(1, blocks + 1))
    grids = [{b: [rng.random() < 0.93 for _ in range(criteria)] for b in codes} for _ in range(candidates)]
    held = [frozenset(rng.sample(codes, 1)) if rng.random() < 0.1 else frozenset() for _ in range(candidates)]
    rule = PassRule.from_block("threshold", criteria - 4)
    framework = Framework(codes)

    def baseline():
        return sum(sum(values) for grid in grids for values in grid.values())

    def run():
        files = [
            CandidateFile(i, {b: evaluate(rule, values).outcome.value for b, values in grid.items()}, held[i])
            for i, grid in enumerate(grids)
        ]
        return propose_all(framework, files)

    base, _ = timed(baseline)
    seconds, proposals = timed(run)  # LAST_CPU now holds run's CPU time
    kinds = {}
    for proposal in proposals:
        kinds[proposal.overall.value] = kinds.get(proposal.overall.value, 0) + 1
    print(f"pure ({candidates:,} candidates × {blocks} blocks × {criteria} criteria): {kinds}")
    line("pass rules + proposals", seconds, base, "read criteria once", TARGETS["proposals"])
    return seconds


# ---------------------------------------------------------------------------------------------
# Database part (run in a child process per database)
# ---------------------------------------------------------------------------------------------


def build(candidates: int, blocks: int, criteria: int):
    """The qualification, centre, candidacies, signed block results and an open jury session."""
    from django.db import transaction
    from django.utils import timezone

    from cqphub.assessment import models as am
    from cqphub.journeys.models import Candidacy, Candidate, RulesSnapshot, identity_key
    from cqphub.juries import services as juries
    from cqphub.juries.models import JuryCandidate
    from cqphub.orgs import services as orgs
    from cqphub.orgs.models import User, complete_siret
    from cqphub.qualifications import services as quals

    with transaction.atomic():
        actor = User.objects.create_user("bench.jury@example.org", "bench-password-2026")
        branch = orgs.create_branch(
            actor=actor, name="Boulangerie (bench)", slug="bench", idcc_codes=["0843"]
        )
        committee = orgs.create_committee(
            actor=actor, name="CPNE bench", short_name="CPNE-B", branches=[branch]
        )
        ip = orgs.create_certifier_entity(
            actor=actor, name="Certificateur bench", siret=complete_siret("9995010000001")
        )
        centre = orgs.create_centre(
            actor=actor, name="Centre bench", siret=complete_siret("9995020000001"), kind="both"
        )
        qualification = quals.create_qualification(
            actor=actor,
            kind="CQP",
            title="CQP national (bench)",
            committee=committee,
            ip_holder=ip,
            creation_decision_date=date(2024, 1, 1),
            rome_codes=["D1102"],
            target_jobs=["Boulanger"],
        )
        draft = qualification.draft()
        for b in range(1, blocks + 1):
            activity = quals.add_activity(actor=actor, version=draft, code=f"A{b}", title=f"Activité {b}")
            quals.add_work_situation(actor=actor, activity=activity, title=f"Situation {b}")
            block = quals.add_block(
                actor=actor,
                version=draft,
                code=f"BC0{b}",
                title=f"Bloc {b}",
                pass_rule="threshold",  # noqa: S106
                pass_threshold=criteria - 4,
                activities=[activity],
            )
            quals.add_assessment_method(actor=actor, version=draft, block=block, kind="practical_work")
            per_skill = max(1, criteria // 4)
            for s in range(4):
                skill = quals.add_skill(
                    actor=actor, version=draft, block=block, code=f"C{s + 1}", statement=f"Compétence {s + 1}"
                )
                for c in range(per_skill):
                    quals.add_criterion(
                        actor=actor, version=draft, skill=skill, statement=f"Critère {s + 1}.{c + 1}"
                    )
        version = quals.publish_version(actor=actor, version=draft)
        habilitation = quals.create_habilitation(
            actor=actor,
            centre=centre,
            qualification=qualification,
            scope="both",
            valid_from=date(2024, 1, 1),
            valid_until=date(2030, 12, 31),
        )
        block_rows = version.ordered_blocks()
        people = [
            Candidate(
                birth_name=f"Nom{i:05d}",
                first_names="Camille",
                sex="F" if i % 2 else "M",
                birth_year=1990 + i % 20,
                birth_commune="75056",
                email=f"c{i}@example.org",
                identity_key=identity_key(f"Nom{i:05d}", "Camille"),
            )
            for i in range(candidates)
        ]
        Candidate.objects.bulk_create(people, batch_size=1000)
        people = list(Candidate.objects.order_by("pk"))
        now = timezone.now()
        snapshot = RulesSnapshot.for_findings([])
        Candidacy.objects.bulk_create(
            [
                Candidacy(
                    candidate=p,
                    version=version,
                    qualification=qualification,
                    route="training",
                    funding="plan",
                    centre=centre,
                    rules_on=date(2025, 9, 1),
                    rules_snapshot=snapshot,
                    status="awaiting_jury",
                    status_changed_at=now,
                )
                for p in people
            ],
            batch_size=1000,
        )
        candidacies = list(Candidacy.objects.order_by("pk"))
        session = am.AssessmentSession.objects.create(
            centre=centre,
            qualification=qualification,
            habilitation=habilitation,
            on=date(2026, 6, 1),
            place="Paris",
        )
        rng = random.Random(7)
        content = {"block": {}, "tests": [], "skills": []}
        grids = [
            am.Grid(
                session=session,
                candidacy=c,
                block=b,
                version=version,
                content=content,
                criteria=[],
                pass_rule={},
            )
            for c in candidacies
            for b in block_rows
        ]
        am.Grid.objects.bulk_create(grids, batch_size=2000)
        grids = list(am.Grid.objects.order_by("pk").values_list("pk", "candidacy_id", "block_id"))
        am.GridEntry.objects.bulk_create(
            [am.GridEntry(grid_id=g, number=1, signed_by=actor, signed_at=now) for g, _c, _b in grids],
            batch_size=2000,
        )
        entries = dict(am.GridEntry.objects.values_list("grid_id", "pk"))
        am.BlockResult.objects.bulk_create(
            [
                am.BlockResult(
                    grid_id=g,
                    entry_id=entries[g],
                    candidacy_id=c,
                    block_id=b,
                    outcome="passed" if rng.random() < 0.9 else "failed",
                    met=criteria,
                    total=criteria,
                    signed_by=actor,
                    signed_at=now,
                )
                for g, c, b in grids
            ],
            batch_size=2000,
        )
        juries.set_rules(
            actor=actor, qualification=qualification, valid_from=date(2024, 1, 1), min_size=3, quorum=3
        )
        jury = juries.create_session(
            actor=actor, qualification=qualification, on=date(2026, 6, 20), place="Paris"
        )
        juries.add_member(
            actor=actor,
            session=jury,
            name="Employeur",
            college="employer",
            gender="F",
            president=True,
            user=actor,
        )
        juries.add_member(actor=actor, session=jury, name="Salarié", college="employee", gender="M")
        juries.add_member(actor=actor, session=jury, name="Qualifiée", college="qualified", gender="F")
        JuryCandidate.objects.bulk_create(
            [JuryCandidate(session=jury, candidacy=c) for c in candidacies], batch_size=2000
        )
    juries.open_session(actor=actor, session=jury)
    return actor, jury


def decisions_baseline(rows) -> float:
    """executemany of the same rows into a copy of the decision table (no triggers, no checks)."""
    from django.db import connection, transaction

    columns = (
        "session_id",
        "candidacy_id",
        "block_id",
        "validated",
        "proposal",
        "reason",
        "kind",
        "author_id",
        "author_repr",
        "at",
    )
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("CREATE TEMP TABLE bench_decision (LIKE juries_decision INCLUDING DEFAULTS)")
            cursor.execute("ALTER TABLE bench_decision ALTER COLUMN id DROP NOT NULL")
        else:
            cursor.execute("CREATE TEMP TABLE bench_decision AS SELECT * FROM juries_decision WHERE 0")
        marks = ", ".join(["%s"] * len(columns))
        start = time.perf_counter()
        cursor.executemany(f"INSERT INTO bench_decision ({', '.join(columns)}) VALUES ({marks})", rows)
        seconds = time.perf_counter() - start
        cursor.execute("DROP TABLE bench_decision")
    return seconds


def minutes_baseline(pages: int) -> float:
    from weasyprint import HTML

    paragraph = "<p>" + " ".join(["Délibération du jury paritaire national."] * 60) + "</p>"
    html = (
        "<html><body>"
        + "".join(f"<section style='page-break-after: always'>{paragraph}</section>" for _ in range(pages))
        + "</body></html>"
    )
    seconds, _ = timed(lambda: HTML(string=html).write_pdf())
    return seconds


def database_part(candidates: int, blocks: int, criteria: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from cqphub.juries import minutes, services

    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    seconds, (actor, jury) = timed(lambda: build(candidates, blocks, criteria))
    print(
        f"{vendor}: data built in {seconds:.1f} s ({candidates:,} candidacies, {candidates * blocks:,} signed block results)"
    )

    seconds, proposals = timed(lambda: services.proposals(jury))
    proposals_cpu = LAST_CPU[0]
    decisions = [
        services.DecisionInput(cp.entry.candidacy_id, block, proposal == "validated")
        for cp in proposals
        for block, proposal in cp.proposal.blocks.items()
    ]
    base_rows = [
        (
            jury.pk,
            d.candidacy_id,
            d.block_id,
            d.validated,
            "validated" if d.validated else "not_validated",
            "",
            "decision",
            actor.pk,
            actor.email,
            "2026-06-20 10:00:00+00:00",
        )
        for d in decisions
    ]
    base = decisions_baseline(base_rows)
    LAST_CPU[0] = proposals_cpu
    rows_label = f"executemany {len(base_rows):,}"
    line("proposals from the database", seconds, base, rows_label, None)
    seconds, count = timed(lambda: services.record_decisions(actor=actor, session=jury, decisions=decisions))
    assert count == len(decisions), (count, len(decisions))
    line(f"record {count:,} decisions, one submit", seconds, base, rows_label, TARGETS["decisions"])
    seconds, (pdf, pages) = timed(lambda: minutes.render_pdf(jury))
    minutes_cpu = LAST_CPU[0]
    base = minutes_baseline(pages)
    LAST_CPU[0] = minutes_cpu
    line(
        f"minutes PDF ({pages} pages, {len(pdf) // 1024} KiB)",
        seconds,
        base,
        f"{pages} plain pages",
        TARGETS["minutes"],
    )


def run_child(database_url: str, args) -> int:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "cqphub.settings"}
    env.setdefault("CQPHUB_TASKS", "immediate")
    command = [
        sys.executable,
        __file__,
        "--child",
        "--candidates",
        str(args.candidates),
        "--blocks",
        str(args.blocks),
        "--criteria",
        str(args.criteria),
    ]
    return subprocess.run(command, env=env, check=False).returncode


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--candidates", type=int, default=5000)
    parser.add_argument("--blocks", type=int, default=6)
    parser.add_argument("--criteria", type=int, default=40)
    parser.add_argument(
        "--postgres", default="", help="URL of a PostgreSQL database to (re)create for the run"
    )
    parser.add_argument("--smoke", action="store_true", help="50 candidates: checks that the benchmark runs")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.smoke:
        args.candidates = 50
    if args.child:
        database_part(args.candidates, args.blocks, args.criteria)
        return
    pure_part(args.candidates, args.blocks, args.criteria)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        failures += run_child(f"sqlite:///{tmp}/juries-bench.sqlite3", args) != 0
    if args.postgres:
        postgres_database(args.postgres, fresh=True)
        failures += run_child(args.postgres, args) != 0
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
