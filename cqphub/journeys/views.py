"""Pages of the journeys app (thin: a form, a service call, a redirect). Objects a user may not see
answer 404; every page needs a login (and a verified TOTP session when the user has a device)."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connections, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cqphub.journeys import legal, selectors, services
from cqphub.journeys.enums import Route, Status
from cqphub.journeys.forms import (
    AdmissibilityForm,
    CandidacyFilter,
    DocumentForm,
    EnrolmentForm,
    ImportForm,
    MergeForm,
    PositioningForm,
    TransitionForm,
)
from cqphub.journeys.models import Candidacy, CandidacyDocument, Candidate
from cqphub.orgs.models import Centre, Role
from cqphub.orgs.permissions import backoffice_view
from cqphub.qualifications.models import Qualification
from cqphub.ui.responses import form_status
from cqphub.ui.tables import Column, Table, csv_response

STATUS_TONES = {
    Status.DRAFT: "neutral",
    Status.SUBMITTED: "info",
    Status.ADMISSIBLE: "success",
    Status.NOT_ADMISSIBLE: "error",
    Status.ENROLLED: "info",
    Status.IN_TRAINING: "info",
    Status.IN_ACCOMPANIMENT: "info",
    Status.READY_FOR_ASSESSMENT: "warning",
    Status.ASSESSED: "warning",
    Status.AWAITING_JURY: "warning",
    Status.DECIDED: "success",
    Status.WITHDRAWN: "neutral",
    Status.SUSPENDED: "error",
    Status.ARCHIVED: "neutral",
}
OUTCOME_TONES = {"yes": "success", "no": "error", "conditional": "warning", "info": "info"}


def _candidacy_or_404(user, pk: int, perm: str = "journeys.view_candidacy") -> Candidacy:
    candidacy = get_object_or_404(
        Candidacy.objects.select_related("candidate", "qualification", "version", "centre"), pk=pk
    )
    if not user.has_perm(perm, candidacy):
        raise Http404("No such candidacy.")
    return candidacy


def _writable_centres(user):
    if user.is_superuser:
        return Centre.objects.all()
    return Centre.objects.filter(
        memberships__user=user,
        memberships__active=True,
        memberships__role__in=[Role.CENTRE_MANAGER, Role.TRAINER],
    ).distinct()


def _enrolable_qualifications(user):
    from cqphub.orgs.selectors import staff_branches_of

    published = Qualification.objects.filter(versions__state="published")
    if user.is_superuser:
        return published.distinct()
    centres = _writable_centres(user)
    return (
        published.filter(
            pk__in=Qualification.objects.filter(habilitations__centre__in=centres).values("pk")
        ).distinct()
        | published.filter(committee__branches__in=staff_branches_of(user)).distinct()
    )


def tone(candidacy) -> str:
    return STATUS_TONES.get(candidacy.status, "neutral")


# ---------------------------------------------------------------------------------------------
# List
# ---------------------------------------------------------------------------------------------


# Beyond this many matching rows the list says "more than 10,000" instead of counting them all: an
# exact count (and per-status counts) over a branch's 200,000 candidacies reads the whole index range
# on every page view, while counting up to the cap reads at most this many index entries.
COUNT_CAP = 10_000


class _Listed:
    """The list's rows for the paginator: a length known already (the per-status counts add up to it,
    so the paginator runs no second COUNT), and a page read in two steps: the page's ids first (the
    sort reads the indexes only), then those rows with their candidate, CQP and centre. In one query,
    the database joins every matching row before sorting them all."""

    ordered = True

    def __init__(self, ordered_ids, rows, total: int):
        self.ordered_ids, self.rows, self.total = ordered_ids, rows, total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index):
        ids = list(self.ordered_ids[index])
        found = {c.pk: c for c in self.rows.filter(pk__in=ids)}
        return [found[pk] for pk in ids if pk in found]


def status_counts(qs) -> tuple[dict[str, int], bool]:
    """Matching rows per status, and whether that is all of them (False past `COUNT_CAP` rows)."""
    capped = qs.order_by().values("status")[: COUNT_CAP + 1]
    try:
        sql, params = capped.query.get_compiler(using=capped.db).as_sql()
    except EmptyResultSet:  # e.g. a user who sees nothing
        return {}, True
    with connections[capped.db].cursor() as cursor:
        # the ORM compiled the inner query (its values are parameters): a GROUP BY over a LIMIT
        grouped = f"SELECT capped.status, COUNT(*) FROM ({sql}) capped GROUP BY capped.status"  # noqa: S608
        cursor.execute(grouped, params)
        counts = dict(cursor.fetchall())
    return counts, sum(counts.values()) <= COUNT_CAP


@backoffice_view
def candidacy_list(request):
    user = request.user
    scope = selectors.scope_of(user)
    base = selectors.visible_candidacies(user, scope)
    qualifications, centres = selectors.filter_choices(user, scope)
    filters = CandidacyFilter(request.GET or None, qualifications=qualifications, centres=centres)
    qs = filters.filter(base)
    counts, exact = status_counts(qs)
    columns = [
        Column(_("Candidat"), lambda c: c.candidate.display_name, url=lambda c: c.get_absolute_url()),
        Column(_("CQP"), "qualification.title"),
        Column(_("Voie"), lambda c: c.get_route_display()),
        Column(_("Financement"), lambda c: c.get_funding_display()),
        Column(_("Centre"), lambda c: c.centre.name if c.centre_id else "—"),
        Column(_("État"), lambda c: c.get_status_display(), tone=tone),
        Column(_("Créée le"), "created", format=lambda d: date_format(d, "SHORT_DATE_FORMAT")),
    ]
    rows = qs.select_related("candidate", "qualification", "centre").order_by("-created", "-pk")
    if request.GET.get("format") == "csv":
        return csv_response("candidatures.csv", columns, rows)
    ordered_ids = qs.order_by("-created", "-pk").values_list("pk", flat=True)
    table = Table(
        request,
        _Listed(ordered_ids, rows.order_by(), min(sum(counts.values()), COUNT_CAP)),
        columns,
        caption=_("Candidatures"),
        filters=filters,
        csv=True,
        empty_title=_("Aucune candidature"),
        empty_text=_("Aucune candidature ne correspond à ces critères."),
        count_text=None
        if exact
        else _("Plus de %(cap)s lignes : les %(cap)s plus récentes sont affichées, affinez les filtres.")
        % {"cap": number_format(COUNT_CAP, force_grouping=True)},
    )
    # per-status cards only when they are exact: past the cap they would describe an arbitrary sample
    cards = [(Status(s).label, counts[s]) for s in Status.values if counts.get(s)] if exact else []
    context = {
        "table": table,
        "cards": cards,
        "can_enrol": bool(scope.writer_centre_ids) or user.is_superuser,
    }
    return render(request, "journeys/list.html", context)


# ---------------------------------------------------------------------------------------------
# One candidacy
# ---------------------------------------------------------------------------------------------


def _next_step(candidacy: Candidacy, user, options: list | None = None) -> dict | None:
    """The main next step for this user, as a title and a text (the forms below do it)."""
    if options is None:
        options = services.available_transitions(candidacy, user)
    if (
        candidacy.status == Status.SUBMITTED
        and candidacy.route == Route.VAE
        and user.has_perm("journeys.decide_admissibility", candidacy)
    ):
        return {
            "title": _("Décider de la recevabilité"),
            "text": _("Dans les 2 mois du dossier complet (art. R. 6412-4)."),
        }
    if options:
        labels = ", ".join(
            str(Status(s).label) for s in options if s not in (Status.WITHDRAWN, Status.SUSPENDED)
        )
        if labels:
            return {
                "title": _("Faire avancer la candidature"),
                "text": _("Étapes possibles : %(labels)s.") % {"labels": labels},
            }
    if candidacy.status in (Status.READY_FOR_ASSESSMENT, Status.ASSESSED):
        return {
            "title": _("Évaluation"),
            "text": _("Le centre d'évaluation enregistre les résultats par bloc."),
        }
    if candidacy.status == Status.AWAITING_JURY:
        return {"title": _("Jury"), "text": _("Le jury de la branche se prononce bloc par bloc.")}
    return None


def _timeline(candidacy: Candidacy) -> list[dict]:
    events = []
    for t in candidacy.transitions.select_related("by").order_by("-at", "-pk"):
        what = (
            _("Candidature créée (brouillon)")
            if not t.from_status
            else _("%(source)s → %(target)s")
            % {"source": Status(t.from_status).label, "target": Status(t.to_status).label}
        )
        events.append({"when": t.at, "who": t.by_repr or _("le système"), "what": what, "detail": t.reason})
    return events


def _findings(candidacy: Candidacy, language: str) -> list[dict]:
    wanted = set(legal.finding_for(candidacy.route, candidacy.funding))
    rows = []
    for f in candidacy.findings or []:
        rows.append(
            {
                "id": f["id"],
                "text": legal.explanation(f, language),
                "tone": OUTCOME_TONES.get(f.get("outcome"), "neutral"),
                "outcome": f.get("outcome"),
                "rule": f.get("rule", ""),
                "citations": f.get("citations") or [],
                "decisive": f["id"] in wanted,
            }
        )
    rows.sort(key=lambda r: (not r["decisive"], r["id"]))
    return rows


FINDING_FRAGMENT = "journeys/_finding.html"
FINDINGS_CACHE_SECONDS = 24 * 3600


def _findings_html(candidacy: Candidacy, language: str) -> str:
    """The findings section. Each finding's markup is rendered once per (rules snapshot, language)
    and cached: a snapshot is immutable and thousands of candidacies share it, while parsing its
    ~50 KB of JSON and rendering its findings is the costliest part of the candidacy page. Only the
    order and emphasis (the findings deciding this route and funding first) are done per page, so a
    snapshot costs one miss per language however many route/funding pairs use it."""
    key = f"journeys:findings:v2:{candidacy.rules_snapshot_id}:{language}"
    items = cache.get(key)
    if items is None:
        items = [
            (row["id"], render_to_string(FINDING_FRAGMENT, {"f": row}))
            for row in _findings(candidacy, language)
        ]
        cache.set(key, items, FINDINGS_CACHE_SECONDS)
    decisive = set(legal.finding_for(candidacy.route, candidacy.funding))
    ordered = sorted(items, key=lambda item: (item[0] not in decisive, item[0]))
    return format_html(
        '<ul class="list-unstyled">{}</ul>',
        format_html_join(
            "",
            '<li class="{}">{}</li>',
            (("mb-2" if i in decisive else "mb-2 small", mark_safe(html)) for i, html in ordered),  # noqa: S308 — our own template's output
        ),
    )


BLANK_FORM_CACHE_SECONDS = 24 * 3600


def _blank_form_html(form) -> str:
    """An unbound form's fields, rendered once per (form, choices, language) and cached: the
    candidacy page shows up to four such forms and Django renders every widget (and every option)
    through templates. Nothing else varies in an unbound form, and its choices are in the key."""
    choices = [
        (name, [(str(value), str(label)) for value, label in field.choices])
        for name, field in form.fields.items()
        if hasattr(field, "choices")
    ]
    digest = hashlib.sha256(repr((type(form).__qualname__, form.prefix, choices)).encode()).hexdigest()
    key = f"journeys:form:v1:{get_language()}:{digest[:32]}"
    html = cache.get(key)
    if html is None:
        html = render_to_string("web/components/form.html", {"form": form})
        cache.set(key, html, BLANK_FORM_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 — our own template's output


@backoffice_view
def candidacy_detail(request, pk: int):
    user = request.user
    candidacy = _candidacy_or_404(user, pk)
    can_change = user.has_perm("journeys.change_candidacy", candidacy)
    can_position = user.has_perm("journeys.position_candidacy", candidacy)
    can_upload = user.has_perm("journeys.upload_document", candidacy)
    options = services.available_transitions(candidacy, user)
    transition_form = TransitionForm()
    transition_form.fields["to"].choices = [(s.value, Status(s).label) for s in options]
    plan = selectors.block_plan(candidacy)
    documents = []
    for document in candidacy.documents.all():
        document.candidacy = candidacy  # the permission reads the candidacy: no query per document
        if user.has_perm("journeys.view_document", document):
            documents.append(document)
    admissibility = getattr(candidacy, "admissibility", None) if candidacy.route == Route.VAE else None
    context = {
        "candidacy": candidacy,
        "tone": tone(candidacy),
        "next_step": _next_step(candidacy, user, options),
        "timeline": _timeline(candidacy),
        "findings_html": _findings_html(candidacy, request.LANGUAGE_CODE),
        "plan": plan,
        "documents": documents,
        "admissibility": admissibility,
        "experiences": candidacy.experiences.all() if candidacy.route == Route.VAE else [],
        "transition_form": _blank_form_html(transition_form) if options else None,
        "admissibility_form": _blank_form_html(AdmissibilityForm())
        if candidacy.status == Status.SUBMITTED
        and candidacy.route == Route.VAE
        and user.has_perm("journeys.decide_admissibility", candidacy)
        else None,
        "positioning_form": _blank_form_html(PositioningForm(blocks=[p.block for p in plan]))
        if can_position
        else None,
        "document_form": _blank_form_html(DocumentForm()) if can_upload else None,
        "can_change": can_change,
        "grants": selectors.grants_of(candidacy)
        if can_change or candidacy.candidate.user_id == user.pk
        else [],
    }
    return render(request, "journeys/candidacy.html", context)


def _back(candidacy, anchor: str = ""):
    return redirect(candidacy.get_absolute_url() + (f"#{anchor}" if anchor else ""))


def _error(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@backoffice_view
@require_POST
def candidacy_transition(request, pk: int):
    candidacy = _candidacy_or_404(request.user, pk, "journeys.transition_candidacy")
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            services.transition(
                candidacy, form.cleaned_data["to"], by=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(
                request,
                _("État mis à jour : %(status)s.") % {"status": Status(form.cleaned_data["to"]).label},
            )
        except ValidationError as exc:
            _error(request, exc)
    else:
        messages.error(request, _("Choisissez un état."))
    return _back(candidacy)


@backoffice_view
@require_POST
def candidacy_admissibility(request, pk: int):
    candidacy = _candidacy_or_404(request.user, pk, "journeys.decide_admissibility")
    form = AdmissibilityForm(request.POST)
    if form.is_valid():
        try:
            services.decide_admissibility(actor=request.user, candidacy=candidacy, **form.cleaned_data)
            messages.success(request, _("Décision de recevabilité enregistrée."))
        except ValidationError as exc:
            _error(request, exc)
    else:
        messages.error(request, _("Choisissez une décision."))
    return _back(candidacy, "recevabilite")


@backoffice_view
@require_POST
def candidacy_positioning(request, pk: int):
    candidacy = _candidacy_or_404(request.user, pk, "journeys.position_candidacy")
    plan = selectors.block_plan(candidacy)
    form = PositioningForm(request.POST, blocks=[p.block for p in plan])
    if form.is_valid():
        data = dict(form.cleaned_data)
        block = form.blocks[data.pop("block")]
        try:
            services.record_positioning(actor=request.user, candidacy=candidacy, block=block, **data)
            messages.success(
                request, _("Positionnement enregistré pour le bloc %(code)s.") % {"code": block.code}
            )
        except ValidationError as exc:
            _error(request, exc)
    else:
        messages.error(request, _("Positionnement incomplet."))
    return _back(candidacy, "positionnement")


@backoffice_view
@require_POST
def candidacy_upload(request, pk: int):
    candidacy = _candidacy_or_404(request.user, pk, "journeys.upload_document")
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_document(
                actor=request.user,
                candidacy=candidacy,
                kind=form.cleaned_data["kind"],
                uploaded=form.cleaned_data["file"],
            )
            messages.success(request, _("Pièce déposée."))
        except ValidationError as exc:
            _error(request, exc)
    else:
        messages.error(request, _("Choisissez un type de pièce et un fichier."))
    return _back(candidacy, "pieces")


@backoffice_view
def document_download(request, pk: int, document_id: int):
    document = get_object_or_404(
        CandidacyDocument.objects.select_related("candidacy"), pk=document_id, candidacy_id=pk
    )
    if not request.user.has_perm("journeys.view_document", document):
        raise Http404("No such document.")
    from cqphub.journeys.documents import attachment_response

    return attachment_response(document)


# ---------------------------------------------------------------------------------------------
# Enrolment, import
# ---------------------------------------------------------------------------------------------


@backoffice_view
def candidacy_new(request):
    user = request.user
    centres = _writable_centres(user)
    qualifications = _enrolable_qualifications(user)
    if not centres.exists() and not user.is_superuser and not qualifications.exists():
        raise Http404("Nothing to enrol on.")
    form = EnrolmentForm(request.POST or None, qualifications=qualifications, centres=centres)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        from cqphub.journeys.rules import can_create_candidacy

        if not can_create_candidacy(user, data.get("centre"), data["qualification"]):
            raise Http404("Not allowed.")
        try:
            candidacy = _enrol(user, data)
            messages.success(request, _("Candidature créée."))
            return redirect(candidacy.get_absolute_url())
        except services.DuplicateCandidate as exc:
            duplicates = exc.duplicates
            form.add_error("confirm_not_duplicate", exc.messages[0])
        except services.RouteRefused as exc:
            form.add_error("funding" if exc.finding["id"] != "vae.access" else "route", exc.messages[0])
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
    return render(request, "journeys/new.html", {"form": form, "duplicates": duplicates})


def _enrol(user, data: dict) -> Candidacy:
    """The person and their candidacy, both or neither (the enrolment form creates them together)."""
    version = data["qualification"].latest_published()
    with transaction.atomic():
        candidate = services.create_candidate(
            actor=user,
            centre=data.get("centre"),
            confirm_not_duplicate=data["confirm_not_duplicate"],
            **{k: data[k] for k in services.IDENTITY_FIELDS},
        )
        return services.create_candidacy(
            actor=user,
            candidate=candidate,
            version=version,
            route=data["route"],
            funding=data["funding"],
            centre=data.get("centre") if data["route"] == Route.TRAINING or data.get("centre") else None,
            situation={"status": data["situation"]},
            planned_start=data.get("planned_start"),
            planned_end=data.get("planned_end"),
            planned_hours=data.get("planned_hours"),
            employer_name=data.get("employer_name") or "",
        )


@backoffice_view
def import_candidates(request):
    from cqphub.journeys.bulk_import import ImportRefused
    from cqphub.journeys.bulk_import import import_candidates as run_import

    centres = _writable_centres(request.user)
    if not centres.exists():
        raise Http404("No centre.")
    form = ImportForm(request.POST or None, request.FILES or None, centres=centres)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            form.add_error("file", _("Fichier trop volumineux (20 Mo au plus)."))
        else:
            try:
                report = run_import(
                    actor=request.user,
                    centre=form.cleaned_data["centre"],
                    data=upload.read(),
                    filename=upload.name,
                )
                messages.success(request, _("%(n)s candidatures importées.") % {"n": len(report.candidacies)})
                return redirect("journeys:list")
            except ImportRefused as exc:
                errors = exc.errors
    return render(request, "journeys/import.html", {"form": form, "errors": errors})


@backoffice_view
def import_template(request):
    from cqphub.journeys.bulk_import import template_xlsx

    centres = _writable_centres(request.user)
    if not centres.exists():
        raise Http404("No centre.")
    qualifications = Qualification.objects.filter(habilitations__centre__in=centres).distinct()
    response = HttpResponse(
        template_xlsx(qualifications),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="modele-import-candidats.xlsx"'
    return response


# ---------------------------------------------------------------------------------------------
# Candidates
# ---------------------------------------------------------------------------------------------


@backoffice_view
def candidate_detail(request, pk: int):
    candidate = get_object_or_404(Candidate, pk=pk)
    if not request.user.has_perm("journeys.view_candidate", candidate):
        raise Http404("No such candidate.")
    candidacies = selectors.visible_candidacies(request.user).filter(candidate=candidate)
    if candidate.user_id == request.user.pk:
        candidacies = candidate.candidacies.all()
    return render(
        request,
        "journeys/candidate.html",
        {
            "candidate": candidate,
            "may_open_account": candidate.user_id is None
            and bool(candidate.email)
            and request.user.has_perm("journeys.change_candidate", candidate),
            "candidacies": candidacies.select_related("qualification", "centre").order_by("-created"),
            "held": selectors.blocks_already_held(candidate),
            "tones": STATUS_TONES,
            "duplicates": selectors.mergeable_duplicates(request.user, candidate)
            if not candidate.merged_into_id and request.user.has_perm("journeys.merge_candidates", candidate)
            else [],
        },
    )


MERGE_SESSION_KEY = "journeys.merge"


def _merge_card(candidate: Candidate) -> dict:
    count = candidate.candidacies.count()
    text = _("%(n)s candidature(s)") % {"n": count}
    if candidate.created_by_centre_id:
        text += " — " + _("saisie par %(centre)s") % {"centre": candidate.created_by_centre.name}
    return {
        "title": f"{candidate.display_name} (n° {candidate.pk})",
        "value": candidate.birth_date_display,
        "text": text,
        "url": candidate.get_absolute_url(),
        "candidacies": count,
    }


@backoffice_view
def candidate_merge(request, pk: int):
    """Merge a duplicate record into this one, in two steps: choose the duplicate and say why (form),
    then confirm what moves (confirmation). `services.merge_candidates` does it in one audited
    transaction; both records must be ones the user may merge, otherwise 404."""
    user = request.user
    keep = get_object_or_404(Candidate.objects.active().select_related("created_by_centre"), pk=pk)
    if not user.has_perm("journeys.merge_candidates", keep):
        raise Http404("No such candidate.")
    duplicates = selectors.mergeable_duplicates(user, keep)
    form = MergeForm(duplicates=duplicates)
    duplicate, confirm = None, None
    if request.method == "POST" and request.POST.get("confirmed"):
        pending = request.session.get(MERGE_SESSION_KEY) or {}
        duplicate = (
            form.duplicates.get(str(pending.get("duplicate"))) if pending.get("keep") == keep.pk else None
        )
        if duplicate is None:
            messages.error(request, _("Choisissez à nouveau la fiche à fusionner."))
            return redirect("journeys:candidate_merge", pk=keep.pk)
        try:
            services.merge_candidates(
                actor=user, keep=keep, duplicate=duplicate, reason=pending.get("reason", "")
            )
        except ValidationError as exc:
            keep.refresh_from_db()
            form = MergeForm(
                {"duplicate": str(duplicate.pk), "reason": pending.get("reason", "")}, duplicates=duplicates
            )
            if form.is_valid():
                form.add_error(None, exc.messages)
        else:
            request.session.pop(MERGE_SESSION_KEY, None)
            messages.success(
                request,
                _("Fiche n° %(duplicate)s fusionnée dans la fiche n° %(keep)s.")
                % {"duplicate": duplicate.pk, "keep": keep.pk},
            )
            return redirect(keep.get_absolute_url())
    elif request.method == "POST":
        form = MergeForm(request.POST, duplicates=duplicates)
        if form.is_valid():
            duplicate = form.cleaned_data["duplicate"]
            request.session[MERGE_SESSION_KEY] = {
                "keep": keep.pk,
                "duplicate": duplicate.pk,
                "reason": form.cleaned_data["reason"],
            }
            confirm = _merge_confirmation(keep, duplicate, form.cleaned_data["reason"])
    return render(
        request,
        "journeys/merge.html",
        {
            "candidate": keep,
            "kept": _merge_card(keep),
            "other": _merge_card(duplicate) if duplicate is not None else None,
            "form": form,
            "duplicates": duplicates,
            "confirm": confirm,
            "action": request.path,
        },
        status=form_status(request, form),
    )


def _merge_confirmation(keep: Candidate, duplicate: Candidate, reason: str) -> dict:
    """What the merge will move, shown for confirmation before anything is written."""
    moved = duplicate.candidacies.count()
    items = [
        _("%(n)s candidature(s) passent de la fiche n° %(duplicate)s à la fiche n° %(keep)s.")
        % {"n": moved, "duplicate": duplicate.pk, "keep": keep.pk},
        _("La fiche n° %(duplicate)s reste lisible, marquée « fusionnée ».") % {"duplicate": duplicate.pk},
        _("Motif enregistré au journal : %(reason)s") % {"reason": reason},
    ]
    if duplicate.user_id and not keep.user_id:
        items.insert(1, _("Le compte de connexion du candidat passe sur la fiche conservée."))
    return {
        "question": _("Fusionner la fiche n° %(duplicate)s dans la fiche n° %(keep)s ?")
        % {"duplicate": duplicate.pk, "keep": keep.pk},
        "details": _("Une fusion ne se défait pas depuis cette page."),
        "items": items,
    }


@backoffice_view
@require_POST
def candidate_account(request, pk: int):
    """Open the candidate's login account (they asked for it): an e-mail lets them choose a password."""
    from cqphub.orgs.links import site_url

    candidate = get_object_or_404(Candidate, pk=pk)
    if not request.user.has_perm("journeys.change_candidate", candidate):
        raise Http404("No such candidate.")
    try:
        services.open_candidate_account(actor=request.user, candidate=candidate, base_url=site_url(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Compte ouvert : le candidat reçoit un e-mail pour choisir son mot de passe.")
        )
    return redirect("journeys:candidate", pk=candidate.pk)


@backoffice_view
def my_file(request):
    candidate = Candidate.objects.filter(user=request.user).first()
    if candidate is None:
        raise Http404("No candidate file for this account.")
    candidacies = list(candidate.candidacies.select_related("qualification", "centre").order_by("-created"))
    rows = [
        {
            "candidacy": c,
            "tone": tone(c),
            "next": _next_step(c, request.user),
            "remaining": [b.code for b in selectors.blocks_to_assess(c)],
        }
        for c in candidacies
    ]
    return render(
        request,
        "journeys/my_file.html",
        {"candidate": candidate, "rows": rows, "held": selectors.blocks_already_held(candidate)},
    )
