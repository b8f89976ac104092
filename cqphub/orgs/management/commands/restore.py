"""`cqphub restore IN`: put a `cqphub backup` folder back (stop the web and worker processes first)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cqphub.orgs.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup folder made by `cqphub backup` (replaces the database and the media files)."

    def add_arguments(self, parser):
        parser.add_argument("source", help="The backup folder.")
        parser.add_argument(
            "--database-url", help="Restore into this database instead of the configured one."
        )
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, source, database_url=None, yes=False, **options):
        if not yes and options.get("interactive", True):
            answer = input("This replaces the whole database and the media files. Type 'yes' to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            report = restore(Path(source), database_url=database_url)
        except (BackupError, OSError, KeyError, ValueError) as error:
            raise CommandError(f"Restore failed: {error}")
        self.stdout.write(
            f"Restored the backup of {report['created']}: {report['tables']} tables, {report['rows']} rows, "
            "row counts identical to the backup's."
        )
