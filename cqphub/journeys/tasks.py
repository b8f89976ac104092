"""Background work of the journeys app (django-tasks; database queue in production).

- `send_status_notice(candidacy_id, status)`: tells the candidate their file changed state;
- `send_due_reminders(today)`: the deadline reminders (VAE admissibility answer due two months after
  the complete file, R. 6412-4; end of training; file still missing its identity document), each sent
  once (`Reminder` row per candidacy, kind and due date).

A worker runs them: `cqphub db_worker` (django-tasks-db). `cqphub journeys remind` enqueues the
reminder sweep; run it daily (cron / systemd timer). Tests run tasks immediately (ImmediateBackend).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

REMIND_BEFORE = timedelta(days=14)
COMPLETENESS_AFTER = timedelta(days=30)


@dataclass(frozen=True)
class Deadline:
    candidacy_id: int
    kind: str  # vae_admissibility | training_end | file_completeness
    due_on: date
    label: str
    citation: str = ""


def deadlines(candidacy, today: date | None = None) -> list[Deadline]:
    """What falls due on this candidacy (pure reading of its state)."""
    from cqphub.journeys.enums import DocumentKind, Route, Status
    from cqphub.qualifications.lifecycle import add_months

    out = []
    if candidacy.route == Route.VAE and candidacy.status == Status.SUBMITTED:
        admissibility = getattr(candidacy, "admissibility", None)
        if admissibility is not None and admissibility.complete_on:
            out.append(
                Deadline(
                    candidacy.pk,
                    "vae_admissibility",
                    add_months(admissibility.complete_on, 2),
                    _("Réponse sur la recevabilité (sans réponse : recevable)"),
                    "R. 6412-4",
                )
            )
    if candidacy.status == Status.IN_TRAINING and candidacy.planned_end:
        out.append(Deadline(candidacy.pk, "training_end", candidacy.planned_end, _("Fin de la formation")))
    if candidacy.status in (Status.DRAFT, Status.SUBMITTED, Status.ENROLLED, Status.ADMISSIBLE):
        has_identity = candidacy.documents.filter(kind=DocumentKind.IDENTITY).exists()
        if not has_identity:
            created = timezone.localtime(candidacy.created).date()
            out.append(
                Deadline(
                    candidacy.pk,
                    "file_completeness",
                    created + COMPLETENESS_AFTER,
                    _("Dossier incomplet : pièce d'identité manquante"),
                )
            )
    return out


def _recipients(candidacy, kind: str) -> list[str]:
    from cqphub.orgs.models import BRANCH_STAFF_ROLES, Membership, Role

    emails: list[str] = []
    if kind == "vae_admissibility":
        emails += list(
            Membership.objects.active()
            .filter(role__in=[str(r) for r in BRANCH_STAFF_ROLES], branch__in=candidacy.owning_branches())
            .values_list("user__email", flat=True)
        )
    elif candidacy.centre_id:
        emails += list(
            Membership.objects.active()
            .filter(role__in=[Role.CENTRE_MANAGER, Role.TRAINER], centre_id=candidacy.centre_id)
            .values_list("user__email", flat=True)
        )
    if kind == "file_completeness" and candidacy.candidate.email:
        emails.append(candidacy.candidate.email)
    return sorted(set(emails))


@task()
def send_status_notice(candidacy_id: int, status: str) -> bool:
    from cqphub.journeys.enums import Status
    from cqphub.journeys.models import Candidacy

    candidacy = Candidacy.objects.select_related("candidate", "qualification").filter(pk=candidacy_id).first()
    if candidacy is None or not candidacy.candidate.email:
        return False
    label = Status(status).label if status in Status.values else status
    send_mail(
        _("Votre candidature au %(qualification)s") % {"qualification": candidacy.qualification},
        _("Bonjour,\n\nVotre candidature au %(qualification)s est maintenant : %(status)s.\n")
        % {"qualification": candidacy.qualification, "status": label},
        settings.DEFAULT_FROM_EMAIL,
        [candidacy.candidate.email],
    )
    return True


def enqueue_status_notice(candidacy_id: int, status: str) -> None:
    send_status_notice.enqueue(candidacy_id, status)


@task()
def send_due_reminders(today: str | None = None) -> int:
    """Send each reminder whose date has come (REMIND_BEFORE ahead of its deadline), once."""
    from cqphub.journeys.enums import Status
    from cqphub.journeys.models import Candidacy, Reminder

    day = date.fromisoformat(today) if today else timezone.localdate()
    sent = 0
    open_states = [Status.DRAFT, Status.SUBMITTED, Status.ENROLLED, Status.ADMISSIBLE, Status.IN_TRAINING]
    rows = (
        Candidacy.objects.filter(status__in=open_states)
        .select_related("candidate", "qualification", "admissibility")
        .order_by("pk")
    )
    for candidacy in rows.iterator(chunk_size=500):
        for deadline in deadlines(candidacy, day):
            if deadline.due_on - REMIND_BEFORE > day:
                continue
            recipients = _recipients(candidacy, deadline.kind)
            if not recipients:
                continue
            try:
                with transaction.atomic():
                    Reminder.objects.create(
                        candidacy=candidacy,
                        kind=deadline.kind,
                        due_on=deadline.due_on,
                        sent_at=timezone.now(),
                        recipients=recipients,
                    )
            except IntegrityError:
                continue  # already sent
            send_mail(
                f"{deadline.label} — {candidacy.candidate.display_name}",
                _("%(label)s : échéance le %(due)s (%(qualification)s, candidature n° %(pk)s). %(citation)s")
                % {
                    "label": deadline.label,
                    "due": deadline.due_on.strftime("%d/%m/%Y"),
                    "qualification": candidacy.qualification,
                    "pk": candidacy.pk,
                    "citation": deadline.citation,
                },
                settings.DEFAULT_FROM_EMAIL,
                recipients,
            )
            sent += 1
    return sent
