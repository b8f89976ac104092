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


def facts_from_record(record, CertificationFacts, Kind, Register, derive_is_cqp, derive_is_interbranch):
    idcc = tuple(dict.fromkeys(c.code.zfill(4) for c in record.idcc if c.code.isdigit() and len(c.code) <= 4))
    if derive_is_cqp(record.abbreviation_code, record.title):
        kind = (
            Kind.CQPI
            if derive_is_interbranch(record.abbreviation_code, record.title, len(idcc))
            else Kind.CQP
        )
    else:
        kind = Kind.OTHER
    level = record.level if record.level and 1 <= record.level <= 8 else None
    return CertificationFacts(
        kind=kind,
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
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--registry-dir", type=Path, default=ROOT / "bench" / "out" / "fullscale")
    parser.add_argument("--on", default="2026-06-01", help="evaluation date (default 2026-06-01)")
    parser.add_argument("--person", type=Path, help="the person's situation as JSON (default: an employee)")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqphub.settings")
    import django

    django.setup()  # only for derive_is_cqp in cqphub.registry.models; no database is touched
    from cqphub.registry.models import derive_is_cqp, derive_is_interbranch
    from cqphub.registry.parsing import open_export
    from cqphub.rules import CertificationFacts, Kind, PersonSituation, Register, evaluate, evaluate_many

    files = ensure_export(args.registry_dir)
    on = date.fromisoformat(args.on)
    person = PersonSituation.from_dict(json.loads(args.person.read_text()) if args.person else DEFAULT_PERSON)
    size = sum(f.stat().st_size for f in files)
    print(f"export: {', '.join(f.name for f in files)} ({size / 1e6:.0f} MB)")
    print(f"person: {person.to_dict()}; on {on.isoformat()}")

    # 1. load: parse and build the facts (the baseline)
    t0 = time.perf_counter()
    facts = [
        facts_from_record(r, CertificationFacts, Kind, Register, derive_is_cqp, derive_is_interbranch)
        for path in files
        for r in open_export(path)
    ]
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
    print(f"target answer < 2x load: {'met' if ok else 'MISSED'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
