"""Background work of the juries app (django-tasks): minutes after closing, result notifications.

Run by `cqphub db_worker`; tests run tasks immediately (CQPHUB_TASKS=immediate).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task


@task()
def generate_minutes_task(session_id: int, actor_id: int | None = None) -> int:
    from django.contrib.auth import get_user_model

    from cqphub.juries import minutes
    from cqphub.juries.models import JurySession

    session = JurySession.objects.get(pk=session_id)
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return minutes.generate(session, actor).pk


def result_text(entry) -> str:
    from cqphub.juries.enums import Overall

    candidacy = entry.candidacy
    lines = [
        _("Bonjour,"),
        "",
        _("Le jury du %(qualification)s réuni le %(on)s a délibéré.")
        % {"qualification": candidacy.qualification, "on": entry.session.on.strftime("%d/%m/%Y")},
        _("Résultat : %(overall)s.") % {"overall": Overall(entry.overall).label},
    ]
    validated = (
        entry.session.decisions.current().filter(candidacy=candidacy, validated=True).select_related("block")
    )
    blocks = [f"{d.block.code} {d.block.title}" for d in validated]
    if blocks:
        lines += ["", _("Blocs de compétences validés :")] + [f"- {b}" for b in blocks]
    lines += ["", _("Vous pouvez consulter votre résultat dans votre espace.")]
    return "\n".join(lines)


@task()
def notify_result_task(entry_id: int) -> bool:
    """E-mail a candidate their result; records when (the VAE 15-day deadline is tracked on the row)."""
    from cqphub.juries.models import JuryCandidate

    with transaction.atomic():
        entry = (
            JuryCandidate.objects.select_for_update(of=("self",))
            .select_related("session", "candidacy__candidate", "candidacy__qualification")
            .get(pk=entry_id)
        )
        if entry.notified_at is not None or not entry.overall:
            return False
        email = entry.candidacy.candidate.email
        if not email:
            return False  # no address: staff notify by post and record it (services.mark_notified)
        send_mail(
            _("Résultat du jury — %(qualification)s") % {"qualification": entry.candidacy.qualification},
            result_text(entry),
            settings.DEFAULT_FROM_EMAIL,
            [email],
        )
        entry.notified_at = timezone.now()
        entry.save(update_fields=["notified_at"])
    return True
