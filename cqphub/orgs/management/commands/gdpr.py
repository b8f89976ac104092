"""`cqphub gdpr export EMAIL`, `cqphub gdpr erase EMAIL`, `cqphub gdpr purge` (security review M4).

- export: everything the platform holds about a person, as JSON (stdout, or `--out FILE`);
- erase: erase or anonymise it; refused, with the reasons, where the law requires keeping a record
  (each app registers its reasons: see `cqphub/orgs/gdpr.py`); `--dry-run` only lists the reasons;
- purge: the retention run (log-in attempts, expired sessions, audit entries' personal data, and
  what the other apps registered). Schedule it daily (DEPLOY.md).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cqphub.orgs import gdpr


class Command(BaseCommand):
    help = "Personal data: export or erase what is held about a person; run the retention policy."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Write everything held about EMAIL as JSON.")
        export.add_argument("email")
        export.add_argument("--out", help="File to write (default: standard output).")
        erase = sub.add_parser("erase", help="Erase or anonymise everything about EMAIL.")
        erase.add_argument("email")
        erase.add_argument("--dry-run", action="store_true", help="Only say whether it may be erased.")
        sub.add_parser("purge", help="Apply the retention periods (run it daily).")

    def handle(self, *args, action, **options):
        if action == "export":
            text = json.dumps(gdpr.export(options["email"]), ensure_ascii=False, indent=2, default=str)
            if options.get("out"):
                Path(options["out"]).write_text(text + "\n", encoding="utf-8")
                self.stdout.write(f"Written to {options['out']}.")
            else:
                self.stdout.write(text)
        elif action == "erase":
            reasons = gdpr.keep_reasons(options["email"])
            if reasons:
                raise CommandError(
                    "Erasure refused: the law requires keeping these records:\n- " + "\n- ".join(reasons)
                )
            if options["dry_run"]:
                self.stdout.write("Nothing requires keeping these records: they may be erased.")
                return
            try:
                report = gdpr.erase(options["email"])
            except gdpr.ErasureRefused as refused:  # a reason appeared meanwhile
                raise CommandError("Erasure refused:\n- " + "\n- ".join(refused.reasons))
            self.stdout.write(json.dumps(report, indent=2))
        else:
            self.stdout.write(json.dumps(gdpr.purge(), indent=2))
