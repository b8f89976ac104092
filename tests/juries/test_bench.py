"""bench/juries.py runs (--smoke: 50 candidates on SQLite), so it cannot rot."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_juries_smoke():
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "juries.py"), "--smoke"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "record 300 decisions, one submit" in result.stdout and "minutes PDF" in result.stdout
