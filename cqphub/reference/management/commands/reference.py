"""`cqphub reference import-…`: load the nomenclatures from the official files a user downloads."""

from __future__ import annotations

import sys
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError

from cqphub.reference import services
from cqphub.reference.parsers import ReferenceFileError

FILE_COMMANDS = {
    "import-idcc": (
        services.import_idcc,
        "Collective agreements: France VAE's list (id,idcc,label) or DILA's KALI list (ID;CC_TI;IDCC;TITRE;…).",
    ),
    "import-opco": (
        services.import_opco,
        "IDCC → OPCO table (referentielCodesIdccOpco: IDCC;Opérateur de compétences;Libellé;obs).",
    ),
    "import-cpne": (
        services.import_cpne,
        "CPNE list of the NPEC referential (code_cpne;idcc;intitule_cpne).",
    ),
    "import-formacode": (services.import_formacode, "Formacode V14 or V13 export (.csv or .csv.xz)."),
}


class Command(BaseCommand):
    help = "Reference lists (IDCC, OPCO, CPNE, ROME, NSF, Formacode): import the official files."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name, (_function, text) in FILE_COMMANDS.items():
            sub.add_parser(name, help=text).add_argument("file", metavar="FILE")
        rome = sub.add_parser(
            "import-rome", help="France Travail's RefRomeCsv folder (.csv or .csv.xz files)."
        )
        rome.add_argument("folder", metavar="DIR")
        rome.add_argument("--no-progress", action="store_true", help="No progress bar even on a terminal.")
        nsf = sub.add_parser(
            "import-nsf", help="The NSF list (default: the packaged official list), or a registry NSF table."
        )
        nsf.add_argument("file", nargs="?", metavar="FILE")
        everything = sub.add_parser(
            "import-all",
            help="Import every reference file recognised in a download folder, in one transaction.",
        )
        everything.add_argument("folder", metavar="DIR")
        everything.add_argument(
            "--no-progress", action="store_true", help="No progress bar even on a terminal."
        )
        sub.add_parser("load-demo", help="Load the project's own small demo lists (idempotent).")

    def handle(self, *args, action, **options):
        verbosity = options.get("verbosity", 1)
        try:
            if action in FILE_COMMANDS:
                summaries = [FILE_COMMANDS[action][0](options["file"])]
            elif action == "import-nsf":
                summaries = [services.import_nsf(options.get("file"))]
            elif action == "load-demo":
                report = services.load_demo_reference()
                self.stdout.write(
                    f"Demo reference lists: {report['created']} created, {report['updated']} updated, "
                    f"{report['unchanged']} unchanged."
                )
                return
            else:
                show_bar = not options.get("no_progress") and sys.stdout.isatty() and verbosity > 0
                with self._progress(show_bar) as progress:
                    if action == "import-rome":
                        summaries = [services.import_rome(options["folder"], progress)]
                    else:
                        summaries = services.import_all(options["folder"], progress)
        except ReferenceFileError as error:
            raise CommandError(f"import failed, nothing written: {error}")
        for summary in summaries:
            self.stdout.write(f"{summary.path}\n  {summary}")
            if verbosity > 0:
                for warning in summary.warnings[: 20 if verbosity == 1 else None]:
                    self.stdout.write(self.style.WARNING(f"  warning: {warning}"))
                if verbosity == 1 and len(summary.warnings) > 20:
                    self.stdout.write(f"  … {len(summary.warnings) - 20} more warnings (-v 2 to see them)")

    @contextmanager
    def _progress(self, enabled: bool):
        if not enabled:
            yield None
            return
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        tasks: dict[str, int] = {}
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
        ) as bar:

            def update(label: str, done: int, total: int) -> None:
                if label not in tasks:
                    tasks[label] = bar.add_task(label, total=total or 1)
                bar.update(tasks[label], completed=done, total=total or 1)

            yield update
