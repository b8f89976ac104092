"""`cqphub journeys remind`: enqueue the deadline reminders (run daily; a worker sends them:
`cqphub db_worker`). `--now` sends them in this process instead."""

from __future__ import annotations

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Candidate journeys: deadline reminders."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{remind}")
        remind = sub.add_parser(
            "remind", help="enqueue the deadline reminders (VAE admissibility, training end…)"
        )
        remind.add_argument("--on", help="as if today were this date (YYYY-MM-DD)")
        remind.add_argument("--now", action="store_true", help="send in this process instead of enqueuing")

    def handle(self, *args, action, **options):
        if action == "remind":
            from cqphub.journeys.tasks import send_due_reminders

            if options["now"]:
                sent = send_due_reminders.call(options.get("on"))
                self.stdout.write(f"{sent} reminder(s) sent")
            else:
                result = send_due_reminders.enqueue(options.get("on"))
                self.stdout.write(f"reminders enqueued (task {result.id})")
