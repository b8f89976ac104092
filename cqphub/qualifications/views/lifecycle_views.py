"""The legal life tab: events of the qualification's lifecycle and what falls due."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cqphub.orgs.permissions import backoffice_view
from cqphub.qualifications import forms, lifecycle, services
from cqphub.qualifications.views.common import (
    CHANGE,
    INTERNAL,
    _qualification,
    _state_label,
    _submit,
)
from cqphub.ui.responses import form_status


@backoffice_view
def lifecycle_view(request, pk: int):
    qualification = _qualification(request, pk, INTERNAL)
    can_change = request.user.has_perm(CHANGE, qualification)
    snapshot = qualification.snapshot()
    form = None
    if can_change:
        form = forms.LifecycleEventForm(
            request.POST or None, allowed=lifecycle.allowed_events(snapshot.state)
        )

        def record(data):
            services.record_lifecycle_event(actor=request.user, qualification=qualification, **data)

        target = reverse("qualifications:lifecycle", kwargs={"pk": pk})
        done = _submit(request, form, record, success=_("Événement enregistré."), target=target)
        if done:
            return done
    elif request.method == "POST":
        raise Http404
    today = timezone.localdate()
    return render(
        request,
        "qualifications/lifecycle.html",
        {
            "qualification": qualification,
            "events": qualification.events.select_related("recorded_by"),
            "form": form,
            "due": lifecycle.next_due(snapshot, today),
            "today": today,
            "state_label": _state_label(lifecycle.display_state(snapshot, today)),
            "section": "lifecycle",
        },
        status=form_status(request),
    )
