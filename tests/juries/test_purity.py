"""The pure modules of assessment and juries import neither Django nor the ORM."""

import subprocess
import sys

PURE = [
    "cqphub.assessment.pass_rules",
    "cqphub.assessment.independence",
    "cqphub.juries.deliberation",
    "cqphub.juries.composition",
]


def test_pure_modules_import_without_django_in_a_fresh_interpreter():
    code = (
        "import importlib, sys\n"
        f"for name in {PURE!r}: importlib.import_module(name)\n"
        "print(','.join(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"pulled in Django: {result.stdout}"
