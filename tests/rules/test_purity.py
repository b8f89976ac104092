"""The engine is pure Python: no module of cqphub.rules imports Django (DESIGN.md §2)."""

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import cqphub.rules

PACKAGE = Path(cqphub.rules.__file__).parent
MODULES = sorted(f"cqphub.rules.{m.name}" for m in pkgutil.iter_modules([str(PACKAGE)]))


def test_every_module_imports_without_django_in_a_fresh_interpreter():
    code = (
        "import importlib, sys\n"
        f"for name in {MODULES!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"cqphub.rules pulled in Django: {result.stdout}"


def test_the_source_imports_only_the_standard_library_and_itself():
    allowed = set(sys.stdlib_module_names) | {"cqphub", "__future__"}
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert top in allowed, f"{path.name} imports {name}: the engine must stay stdlib-only"
                if top == "cqphub":
                    assert name.startswith("cqphub.rules"), f"{path.name} imports {name}"


def test_there_are_modules_to_check():
    assert {"cqphub.rules.engine", "cqphub.rules.book", "cqphub.rules.facts"} <= set(MODULES)
