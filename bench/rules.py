#!/usr/bin/env python
"""Benchmark: the rules engine on the whole registry, beside the time to load the certifications' facts.

The question: "which certifications can I reach, and how?" — one person against every fiche of the
full-scale registry (../shared/tools/fullscale_registry.py --scale 1.5, about 30,700 fiches, cached in
bench/out/fullscale). In one run:
  1. load: parse the XML exports with `cqphub.registry.parsing.open_export` and build the engine's
     `CertificationFacts` for every fiche (the baseline);
  2. answer: `evaluate_many(facts, person, on)` over all of them (the engine's fast path), counting the
     findings and the certifications with at least one training route open;
  3. for reference, plain `evaluate` on every fiche (no sharing between fiches with the same profile).
Prints times, findings per second, and the ratios to the load. Target: answer < 2x load.

Usage: python bench/rules.py [--registry-dir bench/out/fullscale] [--on 2026-06-01] [--person FILE.json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CQPHUB_SHARED", ROOT.parent / "shared"))
# This file is named rules.py: keep its folder off the path so that `import rules` (django-rules,
# a dependency of the project) finds the package, not this script.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

DEFAULT_PERSON = {"status": "employee", "age": 34, "employer_idcc": "1486", "employer_opco": "Atlas"}
ROUTES = ("route.plan", "route.professionalisation", "route.reconversion", "route.pro_a",
          "route.apprenticeship", "route.ptp", "route.poe", "cpf.eligible", "vae.access")  # fmt: skip


def ensure_export(out: Path) -> list[Path]:
    files = sorted(out.glob("export-fiches-*-v4-*.xml"))
    if len(files) >= 2:
        return files
    tool = SHARED / "tools" / "fullscale_registry.py"
    print(f"building the full-scale export in {out} (once; slow)…", flush=True)
    subprocess.run([sys.executable, str(tool), str(out), "--scale", "1.5", "--no-csv"], check=True)
    return sorted(out.glob("export-fiches-*-v4-*.xml"))


def facts_from_record(record, helpers) -> dict:
    """The engine's facts from a parsed record, with the same reading as cqphub/orientation/facts.py."""
    CertificationFacts, Register, kind_from, routes_from, is_socle, by_right_from = helpers
    idcc = tuple(dict.fromkeys(c.code.zfill(4) for c in record.idcc if c.code.isdigit() and len(c.code) <= 4))
    level = record.level if record.level and 1 <= record.level <= 8 else None
    return CertificationFacts(
        kind=kind_from(record.abbreviation_code, record.title, [c.name for c in record.certifiers]),
        register=Register(record.register),
        code=record.code,
        title=record.title,
        registered_from=record.effect_date or record.decision_date,
        registered_until=record.end_date,
        active=record.active,
        level=level,
        vae_route=bool(record.routes.get("vae")),
        partial_validation=record.partial_validation,
        transmitted=None,
        idcc=idcc,
        routes=tuple(routes_from(record.routes).items()),
        socle=is_socle(record.title, record.abbreviation_code),
        registered_by_right=by_right_from(record.registration_type),
    )


def with_successors(facts: list, records_successors: dict[str, list[str]], Successor) -> list:
    """Successor fiches from the continuity links (nearest first, transitively), as the registry does."""
    from dataclasses import replace

    by_code = {f.code: f for f in facts}
    out = []
    for f in facts:
        chain, seen, frontier = [], {f.code}, list(records_successors.get(f.code, ()))
        while frontier:
            code = frontier.pop(0)
            if code in seen:
                continue
            seen.add(code)
            chain.append(code)
            frontier.extend(records_successors.get(code, ()))
        if not chain:
            out.append(f)
            continue
        successors = tuple(
            Successor(
                code=code,
                register=(other := by_code.get(code)) and other.register,
                registered_from=other.registered_from if other else None,
                registered_until=other.registered_until if other else None,
                level=other.level if other else None,
            )
            for code in chain
        )
        out.append(replace(f, successors=successors))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--registry-dir", type=Path, default=ROOT / "bench" / "out" / "fullscale")
    parser.add_argument("--on", default="2026-06-01", help="evaluation date (default 2026-06-01)")
    parser.add_argument("--person", type=Path, help="the person's situation as JSON (default: an employee)")
    parser.add_argument("--smoke", action="store_true", help="the demo export only: checks that it runs")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqphub.settings")
    import django

    django.setup()  # only for the facts helpers of cqphub.orientation.facts; no database is touched
    from cqphub.orientation.facts import by_right_from, is_socle, kind_from, routes_from
    from cqphub.registry.parsing import open_export
    from cqphub.rules import CertificationFacts, PersonSituation, Register, evaluate, evaluate_many
    from cqphub.rules.facts import Successor

    helpers = (CertificationFacts, Register, kind_from, routes_from, is_socle, by_right_from)

    files = (
        [ROOT / "cqphub" / "web" / "demo" / "export-fiches-rncp-v4-1-demo.xml"]
        if args.smoke
        else ensure_export(args.registry_dir)
    )
    on = date.fromisoformat(args.on)
    person = PersonSituation.from_dict(json.loads(args.person.read_text()) if args.person else DEFAULT_PERSON)
    size = sum(f.stat().st_size for f in files)
    print(f"export: {', '.join(f.name for f in files)} ({size / 1e6:.0f} MB)")
    print(f"person: {person.to_dict()}; on {on.isoformat()}")

    # 1. load: parse and build the facts (the baseline)
    t0 = time.perf_counter()
    facts, successors = [], {}
    for path in files:
        for record in open_export(path):
            facts.append(facts_from_record(record, helpers))
            if record.successors:
                successors[record.code] = list(record.successors)
    facts = with_successors(facts, successors, Successor)
    load = time.perf_counter() - t0

    # 2. the whole-registry answer, fast path
    t0 = time.perf_counter()
    findings = reachable = cqps = 0
    profiles = set()
    for f, found in evaluate_many(facts, person, on):
        findings += len(found)
        profiles.add(id(found))
        if f.is_cqp:
            cqps += 1
        if any(x.id in ROUTES and x.outcome.value in ("yes", "conditional") for x in found):
            reachable += 1
    answer = time.perf_counter() - t0

    # 3. reference: plain evaluate on every fiche
    t0 = time.perf_counter()
    plain_findings = sum(len(evaluate(f, person, on)) for f in facts)
    plain = time.perf_counter() - t0
    assert plain_findings == findings

    n = len(facts)
    print(f"certifications: {n:,} ({cqps:,} CQP/CQPI), distinct profiles evaluated: {len(profiles):,}")
    print(f"reachable by at least one route (yes/conditional): {reachable:,}")
    print(f"load (parse XML + build facts):   {load:8.2f} s   {n / load:10,.0f} fiches/s   (baseline 1.00x)")
    print(
        f"answer (evaluate_many):           {answer:8.2f} s   {findings / answer:10,.0f} findings/s"
        f"   {answer / load:.2f}x load"
    )
    print(
        f"reference (evaluate, no sharing): {plain:8.2f} s   {plain_findings / plain:10,.0f} findings/s"
        f"   {plain / load:.2f}x load"
    )
    ok = answer < 2 * load
    if args.smoke:
        # Six fiches take milliseconds: the ratio is timer noise, so the smoke run only checks that it runs.
        print(f"target answer < 2x load: not judged at smoke scale ({'met' if ok else 'missed'} here)")
        return
    print(f"target answer < 2x load: {'met' if ok else 'MISSED'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
