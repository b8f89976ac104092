"""Holder report to the Caisse des dépôts and statistics: `cqphub reporting holder-report|refresh-stats|remind|sync`."""

from __future__ import annotations

import shutil
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from cqphub.orgs.models import CertifierEntity


class Command(BaseCommand):
    help = "Holder report (accrochage) files, statistics refresh, reminders."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        report = sub.add_parser(
            "holder-report", help="Write the certifier's next holder report file (numbered, recorded)."
        )
        report.add_argument("--certifier", required=True, help="SIRET of the certifier entity")
        report.add_argument("--out", required=True, help="where to write the XML file")
        report.add_argument(
            "--since", type=date.fromisoformat, help="only decisions from this date (YYYY-MM-DD)"
        )
        sub.add_parser("sync", help="Create the reporting entries of awards that have none.")
        sub.add_parser("refresh-stats", help="Rebuild the statistics cells.")
        remind = sub.add_parser(
            "remind", help="Enqueue the reminder e-mails about due, overdue and rejected declarations."
        )
        remind.add_argument("--now", action="store_true", help="send them in this process instead of queuing")

    def handle(self, *args, action, **options):
        return getattr(self, "handle_" + action.replace("-", "_"))(**options)

    def handle_holder_report(self, certifier, out, since=None, **options):
        from cqphub.reporting import services

        try:
            entity = CertifierEntity.objects.get(siret="".join(certifier.split()))
        except CertifierEntity.DoesNotExist:
            raise CommandError(f"no certifier entity with SIRET {certifier}")
        services.sync_entries()
        report, result = services.build_file(entity, since=since)
        for problem in result.not_reportable:
            self.stdout.write(f"not reportable: {problem.reference}: {'; '.join(problem.reasons)}")
        for problem in result.excluded:
            self.stdout.write(f"not reported: {problem.reference}: {'; '.join(problem.reasons)}")
        if report is None:
            raise CommandError(
                f"nothing to report for {entity.name}: 0 reportable awards, "
                f"{len(result.not_reportable)} not reportable"
            )
        if report.errors:
            for error in report.errors[:20]:
                self.stderr.write(error)
            raise CommandError(
                f"file {report.number} does NOT validate against the CDC schema: not written to {out}"
            )
        with report.content.open("rb") as source, open(out, "wb") as target:
            shutil.copyfileobj(source, target)
        self.stdout.write(
            f"file {report.number} ({report.flux_id}): {report.count} passages, {report.corrections} corrections, "
            f"{len(result.not_reportable)} not reportable → {out}"
        )
        self.stdout.write(result.validation_message())

    def handle_sync(self, **options):
        from cqphub.reporting import services

        self.stdout.write(f"{services.sync_entries()} entries created or updated")

    def handle_refresh_stats(self, **options):
        from cqphub.reporting.aggregates import refresh_statistics

        refresh = refresh_statistics()
        self.stdout.write(
            f"statistics rebuilt in {refresh.seconds:.2f} s ({refresh.candidacies} candidacies, "
            f"{refresh.decisions} decisions)"
        )

    def handle_remind(self, now=False, **options):
        from cqphub.reporting import services
        from cqphub.reporting.tasks import send_reminders_task

        if now:
            self.stdout.write(f"{services.send_reminders()} reminder e-mails sent")
            return
        result = send_reminders_task.enqueue()
        self.stdout.write(f"reminders queued (task {result.id})")
