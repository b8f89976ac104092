"""`cqphub backup OUT`: the database and the media files into the folder OUT (see orgs/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cqphub.orgs.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database (safe while the site serves) and the media files into a folder."

    def add_arguments(self, parser):
        parser.add_argument("out", help="Folder to create, e.g. /backups/cqphub-$(date +%%F)")
        parser.add_argument("--database-url", help="Back up this database instead of the configured one.")

    def handle(self, *args, out, database_url=None, **options):
        try:
            manifest = backup(Path(out), database_url=database_url)
        except (BackupError, OSError) as error:
            raise CommandError(f"Backup failed: {error}")
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"Backup written to {out}: {manifest['engine']}, {len(manifest['tables'])} tables, {rows} rows, "
            f"{len(manifest['files'])} file(s), integrity checked.\n"
            "Remember: SECRET_KEY and the signing keys are NOT in it; keep them apart (KEYS-README.txt)."
        )
