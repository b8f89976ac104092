#!/usr/bin/env python
"""Benchmark: the whole-registry import, as ratios to a bare lxml parse of the same files.

Builds (once, cached in bench/out/fullscale) the full-scale France compétences export with
../shared/tools/fullscale_registry.py --scale 1.5 (about 30,700 fiches, ~510 MB of XML), then in one run:
  1. baseline: a bare lxml iterparse pass (tag FICHE, clear) over the XML files, three times (before,
     between and after the imports; the ratios use the median);
  2. the full import into an empty database (`cqphub registry import`, its own process);
  3. a second import of the same files (nothing changes);
and prints both times, their ratios to the baseline, and each import's peak memory (max RSS).
Targets: first import <= 5x the bare parse on SQLite (<= 6x on PostgreSQL), re-import <= 2x, peak memory
<= 400 MB (the largest process: the importer or one of its parsing children).

Usage: python bench/registry_import.py [--out bench/out/fullscale] [--keep] [--smoke]
Database: SQLite file bench/out/bench.sqlite3 by default; DATABASE_URL=postgres://… to measure
PostgreSQL (the script drops and recreates a database named <that database>_import_bench on that server).
The database is dropped at the end (--keep keeps it): left on a PostgreSQL server, a gigabyte of fresh
rows kept the server vacuuming and flushing them for minutes, and a SQLite run started in that time measured
5.3× instead of 4.5–4.8× (its CPU seconds rose from about 25 to 27.5).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.databases import bench_database_url, drop_database, is_postgres  # noqa: E402
from bench.fullscale import ensure_export  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "cqphub.cli"]
DEMO_EXPORT = ROOT / "cqphub" / "web" / "demo" / "export-fiches-rncp-v4-1-demo.xml"


def bare_parse(paths: list[Path]) -> tuple[float, float, int]:
    """(seconds, CPU seconds, fiches)."""
    started, cpu = time.perf_counter(), time.process_time()
    count = 0
    for path in paths:
        for _event, elem in etree.iterparse(str(path), events=("end",), tag="FICHE"):
            count += 1
            elem.clear()
            while elem.getprevious() is not None:
                del elem.getparent()[0]
    return time.perf_counter() - started, time.process_time() - cpu, count


def run_measured(args: list[str], env: dict) -> tuple[float, float, float, str]:
    """Run a command; return (seconds, CPU seconds, peak RSS in MB, output)."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    output = proc.stdout.read().decode()
    proc.stdout.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"command failed: {' '.join(args)}\n{output}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output.strip()


def fresh_database(env: dict) -> str:
    label = "PostgreSQL" if is_postgres(env.get("DATABASE_URL", "")) else "SQLite"
    env["DATABASE_URL"] = bench_database_url(
        "_import_bench", ROOT / "bench" / "out" / "bench.sqlite3", fresh=True
    )
    subprocess.run([*CLI, "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
    return label


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "fullscale")
    parser.add_argument("--smoke", action="store_true", help="the demo export only: checks that it runs")
    parser.add_argument("--keep", action="store_true", help="keep the imported database (dropped otherwise)")
    options = parser.parse_args()
    (ROOT / "bench" / "out").mkdir(parents=True, exist_ok=True)
    xml = [DEMO_EXPORT] if options.smoke else ensure_export(options.out)
    dated = ["--as-of", "2026-11-27"] if options.smoke else []  # the demo file's name carries no date
    size_mb = sum(p.stat().st_size for p in xml) / 1e6
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cqphub.settings"}
    database = fresh_database(env)

    # The bare parse runs before, between and after the imports, and the ratios use its median: on a
    # shared machine one parse alone varied by 40 % from run to run, and so did every ratio to it.
    bases = [bare_parse(xml)]
    first, first_cpu, first_rss, first_out = run_measured(
        [*CLI, "registry", "import", "--no-progress", *dated, *map(str, xml)], env
    )
    bases.append(bare_parse(xml))
    second, second_cpu, second_rss, second_out = run_measured(
        [*CLI, "registry", "import", "--no-progress", *dated, *map(str, xml)], env
    )
    bases.append(bare_parse(xml))
    base, base_cpu, fiches = sorted(bases)[1]
    print(f"\nregistry import benchmark — {database}, {fiches:,} fiches, {size_mb:,.0f} MB of XML")
    print(f"  first import says:  {first_out}")
    print(f"  second import says: {second_out}")
    # wall-clock ratios are the targets; CPU seconds (all threads) tell how much of a wall-clock ratio
    # came from other processes competing for the cores (on a loaded machine the two diverge)
    print(
        f"  {'measure':<28}{'seconds':>10}{'× bare parse':>14}{'CPU s':>8}{'CPU ×':>8}{'peak MB':>10}   target"
    )
    print(
        f"  {'bare lxml iterparse':<28}{base:>10.1f}{1:>14.2f}{base_cpu:>8.1f}{1:>8.2f}{'':>10}"
        f"   baseline ({size_mb / base:.0f} MB/s; median of {', '.join(f'{b[0]:.1f}' for b in bases)} s)"
    )
    first_target = "≤ 6× · ≤ 400 MB" if database == "PostgreSQL" else "≤ 5× · ≤ 400 MB"
    for label, seconds, cpu, rss, target in (
        ("first import (empty db)", first, first_cpu, first_rss, first_target),
        ("second import (unchanged)", second, second_cpu, second_rss, "≤ 2× · ≤ 400 MB"),
    ):
        print(
            f"  {label:<28}{seconds:>10.1f}{seconds / base:>14.2f}{cpu:>8.1f}{cpu / base_cpu:>8.2f}"
            f"{rss:>10.0f}   {target}"
        )
    if not options.keep:
        drop_database(env["DATABASE_URL"])


if __name__ == "__main__":
    main()
