"""The `cqphub` console script: Django's management commands under the project's settings.

`cqphub registry import FILE…`, `cqphub rules explain …`, `cqphub runserver` are all management
commands; grouped commands (`registry`, `reference`, `rules`, `demo`) take a sub-command.

`cqphub`, `cqphub --help` and `cqphub --version` answer without starting Django (well under a second):
the project's commands are listed from their files; `cqphub help --commands` lists Django's too.
"""

import ast
import os
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
USAGE = """Usage: cqphub <command> [options]        (cqphub help <command> for a command's options)

Start here:
  make run                     the platform with demo data (PORT=8001 to change the port)
  cqphub runserver [ADDR:PORT] serve the site
  cqphub migrate               create or update the database
  cqphub createsuperuser       an administrator account
  cqphub demo accounts         the demo accounts and their password

This project's commands:
{commands}

Django's own commands (check, shell, dbshell, collectstatic…): cqphub help --commands
"""


def project_commands() -> list[tuple[str, str]]:
    """(name, first line of its docstring or help) for each management command of the project's apps."""
    out = []
    for path in sorted(PACKAGE.glob("*/management/commands/*.py")):
        if path.name.startswith("_"):
            continue
        summary = ""
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "help" for t in node.targets):
                    if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                        summary = node.value.value
                        break
            summary = summary or (ast.get_docstring(tree) or "")
        except (OSError, SyntaxError):
            pass
        out.append((path.stem, " ".join(summary.split())[:90]))
    return out


def fast_answer(args: list[str]) -> str | None:
    """The text for `cqphub`, `--help` or `--version` without Django, or None for anything else."""
    if args in ([], ["--help"], ["-h"], ["help"]):
        commands = "\n".join(f"  {name:<28} {summary}" for name, summary in project_commands())
        return USAGE.format(commands=commands)
    if args == ["--version"]:
        from importlib.metadata import version

        return f"cqphub {version('cqphub')} (Django {version('django')})\n"
    return None


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    text = fast_answer(args)
    if text is not None:
        sys.stdout.write(text)
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqphub.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["cqphub", *args])


if __name__ == "__main__":
    main()
