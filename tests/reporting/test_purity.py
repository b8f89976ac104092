"""The report, the state machine, the statistics and the charts import no Django (DESIGN.md §2)."""

import subprocess
import sys

PURE = [
    "cqphub.reporting.holder_report",
    "cqphub.reporting.states",
    "cqphub.reporting.stats",
    "cqphub.reporting.charts",
]


def test_pure_modules_import_without_django():
    code = (
        "import importlib, sys\n"
        f"for name in {PURE!r}: importlib.import_module(name)\n"
        "print(','.join(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
