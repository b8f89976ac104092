"""`cqphub journeys …`: candidate journeys on the command line.

cqphub journeys import-candidates FILE --centre SIRET [--actor EMAIL]   # CSV or XLSX, all or nothing
cqphub journeys template FILE.xlsx|FILE.csv [--centre SIRET]          # the import template
cqphub journeys api-token --user EMAIL (--centre SIRET | --branch SLUG)  # a key for /api/v1/candidacies
cqphub journeys remind [--on DATE] [--now]                            # deadline reminders
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Candidate journeys: bulk import of candidates, import template, deadline reminders."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(
            dest="action", required=True, metavar="{import-candidates,template,api-token,remind}"
        )
        imp = sub.add_parser(
            "import-candidates", help="enrol candidates from a CSV or XLSX file (all or nothing)"
        )
        imp.add_argument("file")
        imp.add_argument(
            "--centre", required=True, metavar="SIRET", help="the training centre that enrols them"
        )
        imp.add_argument("--actor", metavar="EMAIL", help="the account recorded as author (audit trail)")
        tpl = sub.add_parser("template", help="write the import template (.xlsx or .csv)")
        tpl.add_argument("file")
        tpl.add_argument("--centre", metavar="SIRET", help="list the CQPs this centre is habilitated for")
        tok = sub.add_parser("api-token", help="create a key for /api/v1/candidacies (shown once)")
        tok.add_argument("--user", required=True, metavar="EMAIL", help="the account the key acts as")
        scope = tok.add_mutually_exclusive_group(required=True)
        scope.add_argument("--centre", metavar="SIRET")
        scope.add_argument("--branch", metavar="SLUG")
        tok.add_argument("--name", default="API", help="a label for the key")
        remind = sub.add_parser(
            "remind", help="enqueue the deadline reminders (VAE admissibility, training end…)"
        )
        remind.add_argument("--on", help="as if today were this date (YYYY-MM-DD)")
        remind.add_argument("--now", action="store_true", help="send in this process instead of enqueuing")

    def _centre(self, siret: str):
        from cqphub.orgs.models import Centre

        centre = Centre.objects.filter(siret=(siret or "").replace(" ", "")).first()
        if centre is None:
            raise CommandError(f"no centre with SIRET {siret}")
        return centre

    def handle(self, *args, action, **options):
        if action == "import-candidates":
            self._import(options)
        elif action == "template":
            self._template(options)
        elif action == "api-token":
            self._token(options)
        else:
            self._remind(options)

    def _import(self, options):
        import time

        from cqphub.journeys.bulk_import import ImportRefused, import_candidates
        from cqphub.orgs.models import User

        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        centre = self._centre(options["centre"])
        actor = None
        if options.get("actor"):
            actor = User.objects.filter(email__iexact=options["actor"]).first()
            if actor is None:
                raise CommandError(f"no account {options['actor']}")
        started = time.perf_counter()
        try:
            report = import_candidates(actor=actor, centre=centre, data=path.read_bytes(), filename=path.name)
        except ImportRefused as exc:
            for error in exc.errors:
                self.stderr.write(f"{path.name}: {error}")
            raise CommandError(f"{path.name}: {len(exc.errors)} error(s), nothing imported")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{path.name}: {len(report.candidacies)} candidacies for {centre} imported in {elapsed:.1f} s"
        )

    def _template(self, options):
        from cqphub.journeys.bulk_import import template_csv, template_xlsx
        from cqphub.qualifications.models import Qualification

        path = Path(options["file"])
        if path.suffix.lower() == ".csv":
            path.write_bytes(template_csv())
        else:
            qualifications = Qualification.objects.all()
            if options.get("centre"):
                qualifications = qualifications.filter(
                    habilitations__centre=self._centre(options["centre"])
                ).distinct()
            path.write_bytes(template_xlsx(qualifications))
        self.stdout.write(f"template written to {path}")

    def _token(self, options):
        from django.core.exceptions import ValidationError

        from cqphub.journeys.services import create_api_token
        from cqphub.orgs.models import Branch, User

        user = User.objects.filter(email__iexact=options["user"]).first()
        if user is None:
            raise CommandError(f"no account {options['user']}")
        centre = self._centre(options["centre"]) if options.get("centre") else None
        branch = None
        if options.get("branch"):
            branch = Branch.objects.filter(slug=options["branch"]).first()
            if branch is None:
                raise CommandError(f"no branch {options['branch']}")
        try:
            token, key = create_api_token(
                actor=None, name=options["name"], user=user, centre=centre, branch=branch
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages))
        self.stdout.write(f"{token}: {key}")
        self.stdout.write("Keep this key now: it is not stored and cannot be shown again.")

    def _remind(self, options):
        from cqphub.journeys.tasks import send_due_reminders

        if options["now"]:
            sent = send_due_reminders.call(options.get("on"))
            self.stdout.write(f"{sent} reminder(s) sent")
        else:
            result = send_due_reminders.enqueue(options.get("on"))
            self.stdout.write(f"reminders enqueued (task {result.id})")
