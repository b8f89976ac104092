"""Every benchmark under bench/ runs at a tiny scale (`--smoke`), so none can silently rot.

Their real figures come from running them by hand (README, closing notes); here only "it runs, from a
fresh clone, and prints its table" is checked. bench/juries.py has its own test (tests/juries).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = sorted(
    p.name
    for p in (ROOT / "bench").glob("*.py")
    if not p.name.startswith("_")
    and p.name not in {"databases.py", "fullscale.py", "load_settings.py", "load_urls.py", "juries.py"}
)


def test_every_benchmark_is_listed():
    assert {
        "registry_import.py",
        "search.py",
        "rules.py",
        "load.py",
        "credentials.py",
        "reporting.py",
    } <= set(BENCHMARKS)


@pytest.mark.parametrize("name", BENCHMARKS)
def test_benchmark_runs_at_a_tiny_scale(name, shared_data):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # SQLite files under bench/out
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / name), "--smoke"],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=ROOT,
        env={**env, "CQPHUB_SHARED": str(shared_data.parent)},
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert result.stdout.strip(), "the benchmark printed nothing"
