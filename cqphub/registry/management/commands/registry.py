"""`cqphub registry import|show|reindex|search`: the registry on the command line."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from cqphub.registry.importer import ImportFailed, import_paths


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date in the YYYY-MM-DD form") from None


class Command(BaseCommand):
    help = "The certification registry: import France compétences' exports, show a fiche, search, reindex."
    # The site's system checks (URLs, templates, admin: about 0.7 s) belong to the web process and to
    # `cqphub check`; an import run daily by cron, or a `show`, does not pay them at every start.
    requires_system_checks = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Import XML v4.x exports (plain or zipped) or the CSV export.")
        imp.add_argument("paths", nargs="+", metavar="PATH")
        imp.add_argument("--no-progress", action="store_true", help="No progress bar even on a terminal.")
        imp.add_argument(
            "--as-of",
            type=_iso_date,
            metavar="YYYY-MM-DD",
            help="The export's date, for files whose name does not carry it (applies to every file given).",
        )
        imp.add_argument(
            "--allow-mass-withdrawal",
            action="store_true",
            help="Go on when the import would withdraw more than 5%% of a register's fiches.",
        )
        show = sub.add_parser("show", help="Print one curated record.")
        show.add_argument("code")
        show.add_argument("--json", action="store_true", dest="as_json")
        sub.add_parser("reindex", help="Rebuild the search index from the registry.")
        search = sub.add_parser("search", help="Search the registry, as the site does.")
        search.add_argument("query")
        search.add_argument(
            "--filter",
            action="append",
            default=[],
            dest="filters",
            metavar="NAME=VALUE",
            help="e.g. --filter register=RS --filter cqp=1 --filter status=all",
        )
        search.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, action, **options):
        return getattr(self, f"handle_{action}")(**options)

    # -- import ------------------------------------------------------------------------------
    def handle_import(self, paths, no_progress=False, as_of=None, allow_mass_withdrawal=False, **options):
        show_bar = not no_progress and sys.stdout.isatty() and options.get("verbosity", 1) > 0
        rules = {"as_of": as_of, "allow_mass_withdrawal": allow_mass_withdrawal}
        try:
            summary = self._import_with_bar(paths, rules) if show_bar else import_paths(paths, **rules)
        except ImportFailed as error:
            raise CommandError(f"import failed, registry unchanged: {error}")
        kept = f" (kept: {summary.kept_newer} with newer data already held)" if summary.kept_newer else ""
        if not summary.changed:
            self.stdout.write(
                f"Nothing changed: {summary.read} fiches read, all identical to the registry{kept}."
            )
        else:
            self.stdout.write(
                f"{summary.read} fiches read in {summary.seconds:.1f} s: {summary.created} created, "
                f"{summary.updated} updated, {summary.unchanged} unchanged, {summary.withdrawn} withdrawn"
                + (f", {summary.restored} back in the export" if summary.restored else "")
                + (f", kept: {summary.kept_newer} with newer data already held" if summary.kept_newer else "")
                + "."
            )
        dates = ", ".join(
            f"{name.rsplit('/', 1)[-1]} of {when:%Y-%m-%d}"
            for name, when in zip(summary.files, summary.export_dates, strict=True)
        )
        locked = (
            f" Registry locked for writing {summary.switch_seconds:.1f} s." if summary.switch_seconds else ""
        )
        self.stdout.write(f"Exports: {dates}.{locked}")
        if summary.unknown_elements:
            names = ", ".join(f"{tag} ×{count}" for tag, count in summary.unknown_elements.most_common())
            self.stdout.write(f"Elements this version does not read (kept in the raw fiches): {names}.")

    def _import_with_bar(self, paths, rules):
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
            transient=False,
        ) as progress:
            task = {"id": None}

            def on_file(path, size):
                if task["id"] is not None:
                    progress.update(task["id"], completed=progress.tasks[task["id"]].total)
                task["id"] = progress.add_task(path.name, total=size or None)

            def on_bytes(count):
                progress.advance(task["id"], count)

            return import_paths(paths, on_bytes=on_bytes, on_file=on_file, **rules)

    # -- show --------------------------------------------------------------------------------
    def handle_show(self, code, as_json=False, **options):
        from cqphub.registry.serializers import certification_to_dict, with_children

        cert = with_children().filter(code=code.strip().upper()).first()
        if cert is None:
            raise CommandError(f"no fiche {code} in the registry")
        record = certification_to_dict(cert)
        if as_json:
            self.stdout.write(json.dumps(record, ensure_ascii=False, indent=2))
            return
        status = "active" if cert.active else "inactive"
        self.stdout.write(f"{cert.code} — {cert.title}")
        self.stdout.write(
            f"{cert.get_register_display()} · {record['abbreviation']['code'] or '-'} · level {cert.level or '-'}"
            f" · {status} · end {record['dates']['end'] or '-'}"
        )
        for block in record["blocks"]:
            self.stdout.write(f"  {block['code']}  {block['title']}")
        self.stdout.write(
            f"{len(record['certifiers'])} certifier(s), {len(record['partners'])} partner(s); "
            f"predecessors {', '.join(record['predecessors']) or '-'}; successors {', '.join(record['successors']) or '-'}"
        )

    # -- search index ------------------------------------------------------------------------
    def handle_reindex(self, **options):
        from django.db import transaction

        from cqphub.registry import search

        with transaction.atomic():
            search.update_index(None)
        self.stdout.write("Search index rebuilt.")

    def handle_search(self, query, filters, as_json=False, **options):
        from cqphub.registry.search import cli

        cli.run_search_command(query, filters, as_json, self.stdout)
