"""Compile every `locale/*/LC_MESSAGES/django.po` under the package into `.mo`, in pure Python.

Django's own `compilemessages` needs GNU gettext's `msgfmt`, which a fresh machine may lack;
polib does the same job. Only stale `.mo` files are rewritten, so `make run` stays fast.
"""

from pathlib import Path

import polib
from django.core.management.base import BaseCommand

PACKAGE = Path(__file__).resolve().parents[3]


class Command(BaseCommand):
    help = "Compile the .po translation catalogues of cqphub into .mo files (no gettext needed)."

    def handle(self, *args, **options):
        compiled = 0
        for po_path in sorted(PACKAGE.glob("**/locale/*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            compiled += 1
        if options["verbosity"] > 0:
            self.stdout.write(f"{compiled} catalogue(s) compiled.")
