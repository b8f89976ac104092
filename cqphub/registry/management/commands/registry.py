"""`cqphub registry import|show|reindex|search`: the registry on the command line."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from cqphub.registry.importer import ImportFailed, import_paths


class Command(BaseCommand):
    help = "The certification registry: import France compétences' exports, show a fiche, search, reindex."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Import XML v4.x exports (plain or zipped) or the CSV export.")
        imp.add_argument("paths", nargs="+", metavar="PATH")
        imp.add_argument("--no-progress", action="store_true", help="No progress bar even on a terminal.")
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
    def handle_import(self, paths, no_progress=False, **options):
        show_bar = not no_progress and sys.stdout.isatty() and options.get("verbosity", 1) > 0
        try:
            summary = self._import_with_bar(paths) if show_bar else import_paths(paths)
        except ImportFailed as error:
            raise CommandError(f"import failed, registry unchanged: {error}")
        if not summary.changed:
            self.stdout.write(f"Nothing changed: {summary.read} fiches read, all identical to the registry.")
        else:
            self.stdout.write(
                f"{summary.read} fiches read in {summary.seconds:.1f} s: {summary.created} created, "
                f"{summary.updated} updated, {summary.unchanged} unchanged, {summary.withdrawn} withdrawn"
                + (f", {summary.restored} back in the export" if summary.restored else "")
                + "."
            )

    def _import_with_bar(self, paths):
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

            return import_paths(paths, on_bytes=on_bytes, on_file=on_file)

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
