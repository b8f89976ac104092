"""`cqphub demo load`: the project's own demo data (registry fiches, reference lists, branches,
qualifications, one account per role). Safe to run again: nothing is duplicated."""

from django.core.management.base import BaseCommand

from cqphub.web.demo_data import load_demo


class Command(BaseCommand):
    help = "Load the project's demo data (idempotent)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="Load or refresh the demo data.")

    def handle(self, *args, action, **options):
        report = load_demo()
        registry = report["registry"]
        self.stdout.write(
            f"Demo data ready: registry {registry['created']} created, {registry['updated']} updated, "
            f"{registry['unchanged']} unchanged."
        )
