"""`cqphub demo load`: the project's own demo data (registry fiches, reference lists, branches,
qualifications, one account per role). Safe to run again: nothing is duplicated."""

from django.core.management.base import BaseCommand

from cqphub.web.demo_data import load_demo


class Command(BaseCommand):
    help = "Load the project's demo data (idempotent)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="Load or refresh the demo data.")
        accounts = sub.add_parser("accounts", help="Print the site's address and the demo accounts.")
        accounts.add_argument(
            "--url", default="http://127.0.0.1:8000/", help="The address the site is served at."
        )

    def handle(self, *args, action, **options):
        if action == "accounts":
            self.stdout.write(accounts_text(options["url"]))
            return
        report = load_demo()
        registry = report["registry"]
        self.stdout.write(
            f"Demo data ready: registry {registry['created']} created, {registry['updated']} updated, "
            f"{registry['unchanged']} unchanged."
        )


def accounts_text(url: str) -> str:
    from cqphub.orgs.demo import ACCOUNTS, DEMO_PASSWORD, SUPERUSER_EMAIL

    width = max(len(a[0]) for a in ACCOUNTS)
    lines = [
        "",
        f"cqphub is starting at {url}",
        f"Professional space: {url.rstrip('/')}/espace/   password for every demo account: {DEMO_PASSWORD}",
        f"  {SUPERUSER_EMAIL:<{width}}  administrator (also /admin/)",
    ]
    for email, _first, _last, role, branch, _centre, organisation in ACCOUNTS:
        where = organisation or branch or "centre"
        lines.append(f"  {email:<{width}}  {role.label} — {where}")
    lines.append("Stop with Ctrl+C.")
    return "\n".join(lines) + "\n"
