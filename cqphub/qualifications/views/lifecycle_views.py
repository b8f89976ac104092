"""The legal life tab: events of the qualification's lifecycle and what falls due."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cqphub.orgs.permissions import backoffice_view
from cqphub.qualifications import forms, lifecycle, services
from cqphub.qualifications.views.common import (
    CHANGE,
    INTERNAL,
    _add_errors,
    _qualification,
    _state_label,
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
        if request.method == "POST" and form.is_valid():
            try:
                services.record_lifecycle_event(
                    actor=request.user, qualification=qualification, **form.cleaned_data
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Événement enregistré."))
                return redirect("qualifications:lifecycle", pk=pk)
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
