"""The `cqphub` console script: Django's management commands under the project's settings.

`cqphub registry import FILE…`, `cqphub rules explain …`, `cqphub runserver` are all management
commands; grouped commands (`registry`, `reference`, `rules`, `demo`) take a sub-command.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqphub.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["cqphub", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
