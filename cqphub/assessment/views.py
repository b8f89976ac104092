"""Assessment pages (`/espace/evaluation/`): sessions, grids, scoring on a phone. Thin: services write."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cqphub.assessment import services
from cqphub.assessment.forms import (
    AddCandidateForm,
    AssignForm,
    AttendanceForm,
    CorrectionForm,
    ScheduleForm,
    managed_centres,
)
from cqphub.assessment.models import Grid, SessionCandidate
from cqphub.assessment.selectors import grids_to_score, visible_sessions
from cqphub.orgs.models import Membership, Role
from cqphub.orgs.permissions import backoffice_view


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def can_manage(user, session) -> bool:
    if user.is_superuser:
        return True
    return (
        Membership.objects.active()
        .filter(user=user, role=Role.CENTRE_MANAGER, centre_id=session.centre_id)
        .exists()
    )


def _session_or_404(request, pk):
    return get_object_or_404(
        visible_sessions(request.user).select_related("centre", "qualification", "habilitation"), pk=pk
    )


def _grid_or_404(request, pk) -> Grid:
    grid = get_object_or_404(
        Grid.objects.select_related(
            "session__centre", "session__qualification", "candidacy__candidate", "block"
        ),
        pk=pk,
    )
    user = request.user
    if services.may_score(user, grid) or can_manage(user, grid.session):
        return grid
    if visible_sessions(user).filter(pk=grid.session_id).exists() and not _is_only_assessor(user):
        return grid  # branch staff read every grid of their CQPs
    raise Http404("No such grid.")


def _is_only_assessor(user) -> bool:
    roles = set(Membership.objects.active().filter(user=user).values_list("role", flat=True))
    return not user.is_superuser and roles <= {Role.ASSESSOR, Role.TRAINER}


@backoffice_view
def index(request):
    sessions = (
        visible_sessions(request.user)
        .select_related("centre", "qualification")
        .annotate(candidate_count=Count("candidates", distinct=True))
        .order_by("-on", "-pk")
    )
    grids = (
        grids_to_score(request.user)
        .filter(results__isnull=True)
        .exclude(session__status="cancelled")
        .order_by("session__on", "candidacy__candidate__birth_name", "block__code")
    )
    return render(
        request,
        "assessment/index.html",
        {
            "sessions": sessions,
            "grids": grids,
            "can_schedule": managed_centres(request.user).exists(),
        },
    )


@backoffice_view
def schedule(request):
    if not managed_centres(request.user).exists():
        raise Http404("No centre to schedule for.")
    form = ScheduleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.schedule_session(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Session programmée."))
            return redirect(session)
    return render(request, "assessment/schedule.html", {"form": form})


@backoffice_view
def session_detail(request, pk):
    session = _session_or_404(request, pk)
    manage = can_manage(request.user, session)
    if request.method == "POST":
        if not manage:
            raise Http404("Read only.")
        _session_action(request, session)
        return redirect(session)
    return render(
        request,
        "assessment/session.html",
        {
            "session": session,
            "rows": _session_rows(session),
            "assignments": session.assignments.select_related("assessor", "block").order_by("block__code"),
            "problems": [services.conflict_message(p) for p in services.panel_problems(session)],
            "manage": manage,
            "add_form": AddCandidateForm(session=session) if manage else None,
            "assign_form": AssignForm(session=session) if manage else None,
            "attendance_choices": AttendanceForm.base_fields["attendance"].choices,
        },
    )


def _session_action(request, session) -> None:
    """The session page's forms, told apart by `action`; a refusal is shown as a message."""
    action = request.POST.get("action")
    try:
        if action == "add_candidate":
            form = AddCandidateForm(request.POST, session=session)
            if form.is_valid():
                services.add_candidate(actor=request.user, session=session, **form.cleaned_data)
                messages.success(request, _("Candidat ajouté ; ses grilles sont prêtes."))
            else:
                messages.error(request, _("Choisissez une candidature de la liste."))
        elif action == "assign":
            form = AssignForm(request.POST, session=session)
            if form.is_valid():
                services.assign_assessor(actor=request.user, session=session, **form.cleaned_data)
                messages.success(request, _("Évaluateur affecté."))
            else:
                messages.error(request, _("Choisissez un bloc et un évaluateur."))
        elif action == "convene":
            count = services.send_convocations(actor=request.user, session=session)
            messages.success(request, _("%(count)s convocation(s) en cours d'envoi.") % {"count": count})
        elif action == "attendance":
            entry = get_object_or_404(SessionCandidate, pk=request.POST.get("entry"), session=session)
            form = AttendanceForm(request.POST)
            if form.is_valid():
                services.set_attendance(actor=request.user, entry=entry, **form.cleaned_data)
                messages.success(request, _("Présence enregistrée."))
    except ValidationError as error:
        _errors(request, error)


def _session_rows(session) -> list[tuple]:
    """(entry, its grids by block code) for each candidate of the session, by birth name."""
    entries = list(
        session.candidates.select_related("candidacy__candidate").order_by("candidacy__candidate__birth_name")
    )
    grids = session.grids.select_related("block", "candidacy__candidate").annotate(
        signed=Count("results", filter=Q(results__superseded_by__isnull=True))
    )
    by_candidacy: dict = {}
    for grid in grids:
        by_candidacy.setdefault(grid.candidacy_id, []).append(grid)
    return [
        (entry, sorted(by_candidacy.get(entry.candidacy_id, []), key=lambda g: g.block.code))
        for entry in entries
    ]


def _grid_rows(grid: Grid, entry):
    results = {r.criterion_id: r for r in entry.criterion_results.all()} if entry else {}
    skills = []
    number = 0
    for skill in grid.content.get("skills", []):
        rows = []
        for criterion in skill["criteria"]:
            number += 1
            rows.append({"number": number, "criterion": criterion, "result": results.get(criterion["id"])})
        skills.append({"code": skill["code"], "statement": skill["statement"], "rows": rows})
    return skills


@backoffice_view
def grid_detail(request, pk):
    grid = _grid_or_404(request, pk)
    scorer = services.may_score(request.user, grid)
    entry = grid.current_entry()
    if request.method == "POST":
        if not scorer:
            raise Http404("Read only.")
        action = request.POST.get("action", "save")
        try:
            if action in ("save", "sign"):
                values, comments, evidence = _submitted(request, grid)
                services.record_results(
                    actor=request.user, grid=grid, values=values, comments=comments, evidence=evidence
                )
                if action == "sign":
                    services.sign_off(actor=request.user, grid=grid)
                    messages.success(request, _("Grille signée."))
                    following = _next_grid(request.user, grid)
                    return redirect(following or grid)
                messages.success(request, _("Saisie enregistrée."))
            elif action == "correct":
                form = CorrectionForm(request.POST)
                if form.is_valid():
                    services.open_correction(
                        actor=request.user, grid=grid, reason=form.cleaned_data["reason"]
                    )
                    messages.success(request, _("Correction ouverte : modifiez puis signez à nouveau."))
                else:
                    messages.error(request, _("Indiquez le motif de la correction."))
        except ValidationError as error:
            _errors(request, error)
        return redirect(grid)
    rule = grid.rule()
    preview = services.preview(grid)
    return render(
        request,
        "assessment/grid.html",
        {
            "grid": grid,
            "entry": entry,
            "skills": _grid_rows(grid, entry),
            "scorer": scorer,
            "editable": scorer and (entry is None or not entry.is_signed),
            "rule": rule,
            "levels": list(rule.scale.levels) if rule.scale else None,
            "preview": preview,
            "history": grid.entries.select_related("signed_by").order_by("number"),
            "results": grid.results.order_by("signed_at"),
            "correction_form": CorrectionForm(),
        },
    )


def _submitted(request, grid: Grid):
    ids = grid.criterion_ids()
    values = {cid: request.POST[f"c{cid}"] for cid in ids if f"c{cid}" in request.POST}
    comments = {cid: request.POST[f"comment{cid}"] for cid in ids if f"comment{cid}" in request.POST}
    evidence = {cid: request.FILES[f"evidence{cid}"] for cid in ids if f"evidence{cid}" in request.FILES}
    return values, comments, evidence


def _next_grid(user, grid: Grid):
    return (
        grids_to_score(user)
        .filter(session=grid.session, results__isnull=True)
        .exclude(pk=grid.pk)
        .order_by("candidacy__candidate__birth_name", "block__code")
        .first()
    )


@backoffice_view
@require_POST
def grid_autosave(request, pk):
    """Save one criterion as the assessor goes (the page's script); JSON with the running result."""
    grid = _grid_or_404(request, pk)
    if not services.may_score(request.user, grid):
        raise Http404("Read only.")
    try:
        cid = int(request.POST.get("criterion", ""))
    except ValueError:
        return JsonResponse({"error": _("Critère manquant.")}, status=400)
    values = {cid: request.POST["value"]} if "value" in request.POST else {}
    comments = {cid: request.POST["comment"]} if "comment" in request.POST else {}
    try:
        services.record_results(actor=request.user, grid=grid, values=values, comments=comments)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    preview = services.preview(grid)
    return JsonResponse(
        {
            "saved": True,
            "met": preview.met,
            "total": preview.total,
            "missing": preview.missing,
            "outcome": preview.outcome.value,
        }
    )
