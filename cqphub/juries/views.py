"""Jury pages (`/espace/jurys/`). Thin: services write, selectors read; outsiders get 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cqphub.assessment.models import Grid
from cqphub.assessment.selectors import results_of
from cqphub.juries import services
from cqphub.juries.enums import Attendance, BlockProposal, Overall, SessionStatus
from cqphub.juries.forms import (
    AddCandidateForm,
    AppealForm,
    AppealOutcomeForm,
    CloseForm,
    ExcusalForm,
    MemberForm,
    RevokeForm,
    RulesForm,
    SessionForm,
)
from cqphub.juries.models import Appeal, Decision, JuryCandidate, JuryMember, JuryRules, Minutes
from cqphub.juries.selectors import (
    awards_for_candidate,
    decision_history,
    notified_entries,
    staff_qualification_ids,
    visible_sessions,
)
from cqphub.orgs.permissions import backoffice_view
from cqphub.ui.responses import form_status

PER_PAGE = 50
OVERALL_LABELS = dict(Overall.choices)


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def is_staff_for(user, session) -> bool:
    return user.is_superuser or session.qualification_id in staff_qualification_ids(user)


def is_member(user, session) -> bool:
    return session.members.filter(user=user).exists()


def _session_or_404(request, pk):
    return get_object_or_404(visible_sessions(request.user).select_related("qualification"), pk=pk)


@backoffice_view
def index(request):
    sessions = (
        visible_sessions(request.user)
        .select_related("qualification")
        .annotate(candidate_count=Count("candidates", distinct=True))
        .order_by("-on", "-pk")
    )
    return render(
        request,
        "juries/index.html",
        {
            "sessions": sessions,
            "can_create": bool(staff_qualification_ids(request.user)) or request.user.is_superuser,
        },
    )


def _staff_ids_or_404(user) -> list[int]:
    ids = staff_qualification_ids(user)
    if user.is_superuser:
        from cqphub.qualifications.models import Qualification

        ids = list(Qualification.objects.values_list("pk", flat=True))
    if not ids:
        raise Http404("Not branch staff.")
    return ids


@backoffice_view
def create(request):
    ids = _staff_ids_or_404(request.user)
    form = SessionForm(request.POST or None, qualification_ids=ids)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.create_session(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Session de jury créée : fixez sa composition et ses candidats."))
            return redirect(session)
    return render(request, "juries/create.html", {"form": form})


@backoffice_view
def rules(request):
    """The CQPs' own jury rules (size, quorum, parity, qualified persons), in dated versions: a session
    is checked against the version in force on its date."""
    ids = _staff_ids_or_404(request.user)
    form = RulesForm(request.POST or None, qualification_ids=ids)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_rules(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Règles de jury enregistrées."))
            return redirect("juries:rules")
    versions = (
        JuryRules.objects.filter(qualification_id__in=ids)
        .select_related("qualification")
        .order_by("qualification__title", "-valid_from")
    )
    return render(
        request,
        "juries/rules.html",
        {"form": form, "versions": versions},
        status=form_status(request, form),
    )


def _post_action(request, session, staff: bool, member: bool):
    """One form on the session page, told apart by its `action`; each action is a step below."""
    action = request.POST.get("action")
    if action in STAFF_ACTIONS and not staff:
        raise Http404("Branch staff only.")
    if action in MEMBER_ACTIONS and not (staff or member):
        raise Http404("Members only.")
    step = SESSION_ACTIONS.get(action)
    if step is None:
        raise Http404("Unknown action.")
    messages.success(request, step(request, session))


def _add_member(request, session) -> str:
    form = MemberForm(request.POST, session=session)
    if not form.is_valid():
        raise ValidationError([f"{f} : {e}" for f, errs in form.errors.items() for e in errs])
    services.add_member(actor=request.user, session=session, **form.cleaned_data)
    return _("Membre ajouté.")


def _presence(request, session) -> str:
    member_row = get_object_or_404(JuryMember, pk=request.POST.get("member"), session=session)
    services.set_presence(actor=request.user, member=member_row, present=request.POST.get("present") == "1")
    return _("Présence enregistrée.")


def _add_candidate(request, session) -> str:
    form = AddCandidateForm(request.POST, session=session)
    if not form.is_valid():
        raise ValidationError(_("Choisissez une candidature évaluée de la liste."))
    services.add_candidate(actor=request.user, session=session, **form.cleaned_data)
    return _("Candidat inscrit.")


def _excusal(request, session) -> str:
    form = ExcusalForm(request.POST, session=session)
    if not form.is_valid():
        raise ValidationError(_("Choisissez le membre et le motif du déport."))
    entry = get_object_or_404(JuryCandidate, pk=form.cleaned_data["entry"], session=session)
    services.record_excusal(
        actor=request.user,
        entry=entry,
        member=form.cleaned_data["member"],
        reason=form.cleaned_data["reason"],
        note=form.cleaned_data["note"],
    )
    return _("Déport enregistré.")


def _attendance(request, session) -> str:
    entry = get_object_or_404(JuryCandidate, pk=request.POST.get("entry"), session=session)
    services.set_attendance(actor=request.user, entry=entry, attendance=request.POST.get("attendance", ""))
    return _("Présence du candidat enregistrée.")


def _open(request, session) -> str:
    services.open_session(actor=request.user, session=session)
    return _("Session ouverte : les membres accèdent aux dossiers des candidats.")


def _decide(request, session) -> str:
    count = services.record_decisions(
        actor=request.user, session=session, decisions=_submitted_decisions(request)
    )
    return _("%(count)s décision(s) enregistrée(s).") % {"count": count}


def _adopt(request, session) -> str:
    count = services.decide_as_proposed(actor=request.user, session=session)
    return _("%(count)s décision(s) enregistrée(s).") % {"count": count}


def _close(request, session) -> str:
    form = CloseForm(request.POST)
    form.is_valid()
    services.close_session(
        actor=request.user,
        session=session,
        password=form.cleaned_data.get("password") or None,
        otp_token=form.cleaned_data.get("otp_token") or None,
    )
    return _("Session close. Le procès-verbal est en cours d'établissement.")


def _notify(request, session) -> str:
    count = services.notify_results(actor=request.user, session=session)
    return _("%(count)s notification(s) en cours d'envoi.") % {"count": count}


SESSION_ACTIONS = {
    "add_member": _add_member,
    "presence": _presence,
    "add_candidate": _add_candidate,
    "excusal": _excusal,
    "attendance": _attendance,
    "open": _open,
    "decide": _decide,
    "adopt": _adopt,
    "close": _close,
    "notify": _notify,
}
STAFF_ACTIONS = {"add_member", "presence", "add_candidate", "excusal", "attendance", "open", "notify"}
MEMBER_ACTIONS = {"decide", "adopt"}  # staff or a member of this session's jury


def _submitted_decisions(request) -> list[services.DecisionInput]:
    items = []
    for key, value in request.POST.items():
        if not key.startswith("d-"):
            continue
        try:
            _prefix, candidacy_id, block_id = key.split("-")
            candidacy_id, block_id = int(candidacy_id), int(block_id)
        except ValueError:
            continue
        if value not in ("1", "0"):
            continue
        reason = request.POST.get(f"r-{candidacy_id}-{block_id}", "")
        items.append(services.DecisionInput(candidacy_id, block_id, value == "1", reason))
    return items


@backoffice_view
def session_detail(request, pk):
    session = _session_or_404(request, pk)
    staff = is_staff_for(request.user, session)
    member = is_member(request.user, session)
    if request.method == "POST":
        try:
            _post_action(request, session, staff, member)
        except ValidationError as error:
            _errors(request, error)
        return redirect(session)
    members = list(session.members.select_related("user"))
    entries = session.candidates.select_related("candidacy__candidate").prefetch_related("excusals__member")
    report = services.composition_report(session) if session.status == SessionStatus.PLANNED else None
    names = {e.candidacy_id: str(e.candidacy.candidate) for e in entries}
    context = {
        "session": session,
        "staff": staff,
        "member": member,
        "members": members,
        "entries": entries,
        "findings": [(f, services.finding_message(f, names)) for f in report.findings] if report else [],
        "can_open": report.can_open if report else False,
        "president": next((m for m in members if m.president), None),
        "minutes": session.minutes.order_by("number"),
    }
    if session.status == SessionStatus.PLANNED and staff:
        context |= {
            "member_form": MemberForm(session=session),
            "candidate_form": AddCandidateForm(session=session),
            "excusal_form": ExcusalForm(session=session),
        }
    if session.status in (SessionStatus.OPEN, SessionStatus.CLOSED) and (staff or member):
        page = Paginator(_deliberation_rows(session), PER_PAGE).get_page(request.GET.get("page"))
        context |= {
            "page": page,
            "close_form": CloseForm(),
            "is_president": context["president"] is not None
            and context["president"].user_id == request.user.pk,
            "present": Attendance.PRESENT,
            "not_assessed": BlockProposal.NOT_ASSESSED,
            "validated": BlockProposal.VALIDATED,
        }
    return render(request, "juries/session.html", context)


def _deliberation_rows(session) -> list[dict]:
    """One row per candidate: the proposal and, per block, the proposal beside the decision recorded."""
    current = {(d.candidacy_id, d.block_id): d for d in session.decisions.current()}
    rows = []
    for cp in services.proposals(session):
        cells = [
            {
                "block": block,
                "proposal": cp.proposal.blocks[block.pk],
                "held": block.pk in cp.proposal.held,
                "decision": current.get((cp.entry.candidacy_id, block.pk)),
            }
            for block in cp.blocks
        ]
        rows.append(
            {
                "entry": cp.entry,
                "proposal": cp.proposal,
                "proposal_label": OVERALL_LABELS.get(cp.proposal.overall.value, ""),
                "cells": cells,
            }
        )
    return rows


@backoffice_view
def candidate_file(request, pk, candidacy_pk):
    """A candidate's file for the jury: from the opening of the session, for its members and staff."""
    session = _session_or_404(request, pk)
    staff = is_staff_for(request.user, session)
    if not staff and (not is_member(request.user, session) or session.status == SessionStatus.PLANNED):
        raise Http404("Not yet.")
    entry = get_object_or_404(
        JuryCandidate.objects.select_related("candidacy__candidate"),
        session=session,
        candidacy_id=candidacy_pk,
    )
    candidacy = entry.candidacy
    results = list(results_of(candidacy))
    grids = (
        Grid.objects.filter(session_id=session.assessment_id, candidacy=candidacy).select_related("block")
        if session.assessment_id
        else []
    )
    return render(
        request,
        "juries/candidate.html",
        {
            "session": session,
            "entry": entry,
            "candidacy": candidacy,
            "results": results,
            "grids": grids,
            "decisions": decision_history(candidacy).filter(session=session),
            "staff": staff and session.status == SessionStatus.CLOSED,
            "revoke_form": RevokeForm(),
            "appeal_form": AppealForm(),
            "appeals": Appeal.objects.filter(candidacy=candidacy, decision__session=session).select_related(
                "decision__block"
            ),
            "outcome_form": AppealOutcomeForm(),
        },
    )


def _staff_decision_or_404(request, pk) -> Decision:
    decision = get_object_or_404(Decision.objects.select_related("session"), pk=pk)
    if not visible_sessions(request.user).filter(pk=decision.session_id).exists():
        raise Http404("No such decision.")
    if not is_staff_for(request.user, decision.session):
        raise Http404("Branch staff only.")
    return decision


@backoffice_view
def revoke(request, pk):
    decision = _staff_decision_or_404(request, pk)
    back = redirect("juries:candidate", pk=decision.session_id, candidacy_pk=decision.candidacy_id)
    if request.method != "POST":
        return back
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez la nature et le motif de la révocation."))
        return back
    try:
        services.revoke_decision(actor=request.user, decision=decision, **form.cleaned_data)
        messages.success(
            request, _("Décision révoquée ; la nouvelle décision et l'attestation ont été enregistrées.")
        )
    except ValidationError as error:
        _errors(request, error)
    return back


@backoffice_view
def appeal(request, pk):
    decision = _staff_decision_or_404(request, pk)
    back = redirect("juries:candidate", pk=decision.session_id, candidacy_pk=decision.candidacy_id)
    if request.method == "POST":
        form = AppealForm(request.POST)
        if form.is_valid():
            try:
                services.record_appeal(actor=request.user, decision=decision, **form.cleaned_data)
                messages.success(request, _("Recours enregistré."))
            except ValidationError as error:
                _errors(request, error)
        else:
            messages.error(request, _("Indiquez la date de réception et les motifs du recours."))
    return back


@backoffice_view
def appeal_outcome(request, pk):
    row = get_object_or_404(Appeal.objects.select_related("decision__session"), pk=pk)
    decision = _staff_decision_or_404(request, row.decision_id)
    back = redirect("juries:candidate", pk=decision.session_id, candidacy_pk=decision.candidacy_id)
    if request.method == "POST":
        form = AppealOutcomeForm(request.POST)
        if form.is_valid():
            try:
                services.decide_appeal(actor=request.user, appeal=row, **form.cleaned_data)
                messages.success(request, _("Issue du recours enregistrée."))
            except ValidationError as error:
                _errors(request, error)
        else:
            messages.error(request, _("Indiquez l'issue et sa motivation."))
    return back


@backoffice_view
def minutes_pdf(request, pk):
    record = get_object_or_404(Minutes.objects.select_related("session"), pk=pk)
    session = record.session
    if not visible_sessions(request.user).filter(pk=session.pk).exists():
        raise Http404("No such minutes.")
    if not (is_staff_for(request.user, session) or is_member(request.user, session)):
        raise Http404("No such minutes.")
    return FileResponse(
        record.pdf.open("rb"),
        content_type="application/pdf",
        filename=f"pv-{session.on:%Y%m%d}-{record.number}.pdf",
    )


@backoffice_view
def my_results(request):
    """A candidate's own results, once notified, and what they hold."""
    candidate = getattr(request.user, "candidate", None)
    if candidate is None:
        raise Http404("No candidate record.")
    entries = list(notified_entries(candidate))
    decisions = {
        entry.pk: list(
            entry.session.decisions.current()
            .filter(candidacy=entry.candidacy)
            .select_related("block")
            .order_by("block__code")
        )
        for entry in entries
    }
    notified = {(e.candidacy_id, e.session_id) for e in entries}
    awards = [a for a in awards_for_candidate(candidate) if (a.candidacy_id, a.jury_session_id) in notified]
    return render(
        request,
        "juries/my_results.html",
        {"rows": [(e, decisions[e.pk]) for e in entries], "awards": awards},
    )
