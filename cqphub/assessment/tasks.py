"""Background work of the assessment app (django-tasks): convocations (PDF + e-mail).

Run by `cqphub db_worker`; tests run tasks immediately.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task


def convocation_html(entry) -> str:
    session = entry.session
    grids = session.grids.filter(candidacy=entry.candidacy).select_related("block").order_by("block__code")
    return render_to_string(
        "assessment/convocation.html",
        {"entry": entry, "session": session, "candidate": entry.candidacy.candidate, "grids": grids},
    )


def convocation_pdf(entry) -> bytes:
    from weasyprint import HTML  # lazily: Pango only when printing

    return HTML(string=convocation_html(entry)).write_pdf()


@task()
def send_convocation_task(entry_id: int) -> bool:
    """Write the candidate's convocation PDF and e-mail it (once)."""
    from cqphub.assessment.models import SessionCandidate

    with transaction.atomic():
        entry = (
            SessionCandidate.objects.select_for_update(of=("self",))
            .select_related("session__centre", "session__qualification", "candidacy__candidate")
            .get(pk=entry_id)
        )
        if entry.convened_at is not None:
            return False
        entry.convened_at = timezone.now()
        pdf = convocation_pdf(entry)
        entry.convocation.save(f"convocation-{entry.session_id}-{entry.pk}.pdf", ContentFile(pdf), save=False)
        entry.save(update_fields=["convocation", "convened_at"])
        email = entry.candidacy.candidate.email
        if email:
            session = entry.session
            message = EmailMessage(
                _("Convocation à l'évaluation — %(qualification)s")
                % {"qualification": session.qualification},
                _(
                    "Bonjour,\n\nVous êtes convoqué(e) à l'évaluation du %(qualification)s le %(on)s, "
                    "%(place)s. Votre convocation est jointe.\n"
                )
                % {
                    "qualification": session.qualification,
                    "on": session.on.strftime("%d/%m/%Y"),
                    "place": session.place,
                },
                settings.DEFAULT_FROM_EMAIL,
                [email],
            )
            message.attach(f"convocation-{session.on:%Y%m%d}.pdf", pdf, "application/pdf")
            transaction.on_commit(message.send)
    return True
