"""Back-office pages of the qualifications app: thin views that translate HTTP into service calls.

Objects a user may not see are answered 404 (never 403); writes need `change_qualification`.
"""

from __future__ import annotations

import json
import uuid
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cqphub.orgs import uploads
from cqphub.orgs.models import Committee
from cqphub.orgs.permissions import backoffice_view, get_object_for_user_or_404
from cqphub.orgs.selectors import staff_branches_of
from cqphub.qualifications import forms, lifecycle, selectors, services, versions_diff
from cqphub.qualifications.enums import LifecycleState, VersionState
from cqphub.qualifications.exchange import document as exchange_document
from cqphub.qualifications.exchange import xlsx
from cqphub.qualifications.models import Habilitation, Qualification, QualificationVersion, Skill, SkillBlock

VIEW, CHANGE = "qualifications.view_qualification", "qualifications.change_qualification"
# Drafts, legal life, registry link and exchanges stay inside the branch (review L5): habilitated
# centre staff read the published versions only.
INTERNAL = "qualifications.view_lifecycle"


# -- helpers ----------------------------------------------------------------------------------


def _qualification(request, pk: int, perm: str = VIEW) -> Qualification:
    queryset = Qualification.objects.select_related("committee", "ip_holder", "certification")
    return get_object_for_user_or_404(request.user, queryset, perm, pk=pk)


def _version(request, pk: int, number: int, perm: str = VIEW) -> QualificationVersion:
    qualification = _qualification(request, pk, perm)
    version = get_object_or_404(_visible_versions(request.user, qualification), number=number)
    version.qualification = qualification
    return version


def _visible_versions(user, qualification: Qualification):
    """Every version for the branch; the published ones only for habilitated centre staff."""
    versions = qualification.versions.all()
    if not user.has_perm(INTERNAL, qualification):
        versions = versions.filter(state=VersionState.PUBLISHED)
    return versions


def _draft(request, pk: int, number: int) -> QualificationVersion:
    version = _version(request, pk, number, CHANGE)
    if version.is_published:
        raise Http404("published versions are frozen")
    return version


def _block_of(version: QualificationVersion, block_id: int) -> SkillBlock:
    return get_object_or_404(SkillBlock, pk=block_id, version_blocks__version=version)


def _skill_of(version: QualificationVersion, skill_id: int) -> Skill:
    return get_object_or_404(
        Skill.objects.select_related("block"), pk=skill_id, block__version_blocks__version=version
    )


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _form_page(request, *, form, title: str, back: str, on_valid, context=None, success=None):
    if request.method == "POST" and form.is_valid():
        try:
            target = on_valid(form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, success or _("Enregistré."))
            return redirect(target or back)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "qualifications/form.html",
        {"form": form, "title": title, "back": back, **(context or {})},
        status=status,
    )


def _version_url(version: QualificationVersion, anchor: str = "") -> str:
    return reverse(
        "qualifications:version", kwargs={"pk": version.qualification_id, "number": version.number}
    ) + (f"#{anchor}" if anchor else "")


# -- list, create, overview -------------------------------------------------------------------


@backoffice_view
def qualification_list(request):
    qualifications = (
        selectors.branch_qualifications(request.user).select_related("committee").order_by("title")
    )
    return render(
        request,
        "qualifications/list.html",
        {
            "qualifications": qualifications,
            "can_add": request.user.has_perm("qualifications.add_qualification"),
            "own_habilitations": selectors.habilitations_for_centre_staff(request.user).exists(),
        },
    )


def _committees_for(user):
    return Committee.objects.filter(branches__in=staff_branches_of(user)).distinct().order_by("name")


@backoffice_view
def qualification_create(request):
    if not request.user.has_perm("qualifications.add_qualification"):
        raise Http404
    form = forms.QualificationCreateForm(request.POST or None, committees=_committees_for(request.user))

    def create(data):
        qualification = services.create_qualification(actor=request.user, **data)
        return qualification.get_absolute_url()

    return _form_page(
        request,
        form=form,
        title=_("Nouvelle qualification"),
        back=reverse("qualifications:list"),
        on_valid=create,
        success=_("Qualification créée, avec une première version en brouillon."),
    )


@backoffice_view
def qualification_detail(request, pk: int):
    qualification = _qualification(request, pk)
    today = timezone.localdate()
    snapshot = qualification.snapshot()
    return render(
        request,
        "qualifications/detail.html",
        {
            "qualification": qualification,
            "versions": _visible_versions(request.user, qualification).order_by("-number"),
            "draft": qualification.draft() if request.user.has_perm(INTERNAL, qualification) else None,
            "published": qualification.latest_published(),
            "state": lifecycle.display_state(snapshot, today),
            "state_label": _state_label(lifecycle.display_state(snapshot, today)),
            "due": lifecycle.next_due(snapshot, today),
            "today": today,
            "findings": selectors.findings_for(qualification, get_language() or "fr", today),
            "branches": qualification.owning_branches(),
            "can_change": request.user.has_perm(CHANGE, qualification),
            "section": "overview",
        },
    )


def _state_label(state: str) -> str:
    if state == "renewal_due":
        return _("Renouvellement à demander")
    return str(LifecycleState(state).label)


# -- a version and its frameworks -------------------------------------------------------------


@backoffice_view
def version_detail(request, pk: int, number: int):
    version = _version(request, pk, number)
    links = version.version_blocks.select_related("block").prefetch_related(
        "activities",
        Prefetch("block__skills", queryset=Skill.objects.prefetch_related("knowledge_items", "criteria")),
        "block__methods",
        "block__tests",
    )
    editable = not version.is_published and request.user.has_perm(CHANGE, version.qualification)
    return render(
        request,
        "qualifications/version.html",
        {
            "qualification": version.qualification,
            "version": version,
            "activities": version.activities.prefetch_related("work_situations"),
            "links": links,
            "editable": editable,
            "can_change": request.user.has_perm(CHANGE, version.qualification),
            "problems": services.completeness_problems(version) if editable else [],
            "versions": _visible_versions(request.user, version.qualification).order_by("-number"),
            "section": "frameworks",
        },
    )


@backoffice_view
def version_edit(request, pk: int, number: int):
    version = _draft(request, pk, number)
    form = forms.VersionDetailsForm(
        request.POST or None, initial={"title": version.title, "target_jobs": "\n".join(version.target_jobs)}
    )
    return _form_page(
        request,
        form=form,
        title=_("Intitulé et emplois visés"),
        back=_version_url(version),
        on_valid=lambda d: services.update_version_details(actor=request.user, version=version, **d) and None,
    )


@backoffice_view
def activity_add(request, pk: int, number: int):
    version = _draft(request, pk, number)
    form = forms.ActivityForm(request.POST or None, initial={"code": f"A{version.activities.count() + 1}"})
    return _form_page(
        request,
        form=form,
        title=_("Ajouter une activité"),
        back=_version_url(version, "activities"),
        on_valid=lambda d: (
            services.add_activity(actor=request.user, version=version, **d)
            and _version_url(version, "activities")
        ),
    )


@backoffice_view
def situation_add(request, pk: int, number: int, activity_id: int):
    version = _draft(request, pk, number)
    activity = get_object_or_404(version.activities, pk=activity_id)
    form = forms.WorkSituationForm(request.POST or None)
    return _form_page(
        request,
        form=form,
        title=_("Ajouter une situation de travail à %(code)s") % {"code": activity.code},
        back=_version_url(version, "activities"),
        on_valid=lambda d: (
            services.add_work_situation(actor=request.user, activity=activity, **d)
            and _version_url(version, "activities")
        ),
    )


@backoffice_view
def block_add(request, pk: int, number: int):
    version = _draft(request, pk, number)
    form = forms.BlockForm(
        request.POST or None, version=version, initial={"code": f"BC{version.version_blocks.count() + 1:02d}"}
    )

    def add(data):
        block = services.add_block(actor=request.user, version=version, **data)
        return _version_url(version, f"block-{block.pk}")

    return _form_page(
        request,
        form=form,
        title=_("Ajouter un bloc de compétences"),
        back=_version_url(version, "blocks"),
        on_valid=add,
    )


@backoffice_view
def block_share(request, pk: int, number: int):
    version = _draft(request, pk, number)
    form = forms.ShareBlockForm(
        request.POST or None, blocks=selectors.shareable_blocks(request.user, version), version=version
    )

    def share(data):
        services.share_block(actor=request.user, version=version, **data)
        return _version_url(version, "blocks")

    return _form_page(
        request,
        form=form,
        title=_("Reprendre un bloc d'une autre qualification"),
        back=_version_url(version, "blocks"),
        on_valid=share,
        context={"intro": _("Le bloc est partagé, pas copié : validé pour l'une, il compte pour l'autre.")},
    )


@backoffice_view
def block_edit(request, pk: int, number: int, block_id: int):
    version = _draft(request, pk, number)
    block = _block_of(version, block_id)
    link = version.version_blocks.get(block=block)
    form = forms.BlockForm(
        request.POST or None,
        version=version,
        with_code=False,
        initial={
            "title": block.title,
            "pass_rule": block.pass_rule,
            "pass_threshold": block.pass_threshold,
            "activities": list(link.activities.all()),
        },
    )

    def update(data):
        new = services.update_block(actor=request.user, version=version, block=block, **data)
        return _version_url(version, f"block-{new.pk}")

    return _form_page(
        request,
        form=form,
        title=_("Modifier le bloc %(code)s") % {"code": block.code},
        back=_version_url(version, f"block-{block.pk}"),
        on_valid=update,
        context=_block_context(version, block),
    )


def next_skill_code(block) -> str:
    """The code proposed for a new skill of the block: C + one more than the highest number used."""
    numbers = [0]
    for code in block.skills.values_list("code", flat=True):
        digits = "".join(ch for ch in code.split(".")[0] if ch.isdigit())
        if digits:
            numbers.append(int(digits))
    return f"C{max(numbers) + 1}"


def _block_context(version: QualificationVersion, block) -> dict:
    """Breadcrumb and the shared-block warning for the forms that change a block."""
    return {
        "crumbs": [
            (version.qualification.title, version.qualification.get_absolute_url()),
            (_("Version %(n)s") % {"n": version.number}, _version_url(version)),
            (_("Bloc %(code)s") % {"code": block.code}, _version_url(version, f"block-{block.pk}")),
        ],
        "sharing": selectors.block_sharing(block, version),
    }


def _block_row_page(request, pk, number, block_id, form_class, title, service, **extra):
    version = _draft(request, pk, number)
    block = _block_of(version, block_id)
    if form_class is forms.SkillForm:
        extra.setdefault("initial", {"code": next_skill_code(block)})
    form = form_class(request.POST or None, **extra)

    def add(data):
        service(actor=request.user, version=version, block=block, **data)
        return _version_url(version, "blocks")

    extra_context = _block_context(version, block)
    return _form_page(
        request,
        context=extra_context,
        form=form,
        title=title % {"code": block.code},
        back=_version_url(version, f"block-{block.pk}"),
        on_valid=add,
    )


@backoffice_view
def skill_add(request, pk: int, number: int, block_id: int):
    return _block_row_page(
        request,
        pk,
        number,
        block_id,
        forms.SkillForm,
        _("Ajouter une compétence au bloc %(code)s"),
        services.add_skill,
    )


@backoffice_view
def method_add(request, pk: int, number: int, block_id: int):
    return _block_row_page(
        request,
        pk,
        number,
        block_id,
        forms.MethodForm,
        _("Ajouter une modalité d'évaluation au bloc %(code)s"),
        services.add_assessment_method,
    )


@backoffice_view
def test_add(request, pk: int, number: int, block_id: int):
    return _block_row_page(
        request,
        pk,
        number,
        block_id,
        forms.TestForm,
        _("Ajouter une épreuve au bloc %(code)s"),
        services.add_assessment_test,
    )


def _skill_row_page(request, pk, number, skill_id, form_class, title, service):
    version = _draft(request, pk, number)
    skill = _skill_of(version, skill_id)
    form = form_class(request.POST or None)

    def add(data):
        service(actor=request.user, version=version, skill=skill, **data)
        return _version_url(version, "blocks")

    return _form_page(
        request,
        form=form,
        title=title % {"code": f"{skill.block.code} › {skill.code}"},
        back=_version_url(version, f"block-{skill.block_id}"),
        on_valid=add,
        context={"intro": skill.statement},
    )


@backoffice_view
def knowledge_add(request, pk: int, number: int, skill_id: int):
    return _skill_row_page(
        request,
        pk,
        number,
        skill_id,
        forms.KnowledgeForm,
        _("Ajouter un savoir associé à %(code)s"),
        services.add_knowledge_item,
    )


@backoffice_view
def criterion_add(request, pk: int, number: int, skill_id: int):
    return _skill_row_page(
        request,
        pk,
        number,
        skill_id,
        forms.CriterionForm,
        _("Ajouter un critère d'évaluation à %(code)s"),
        services.add_criterion,
    )


@backoffice_view
@require_http_methods(["GET", "POST"])
def row_delete(request, pk: int, number: int, kind: str, row_id: int):
    """GET: the confirmation step (what goes, what stays); POST: the deletion."""
    version = _draft(request, pk, number)
    if kind not in services.frameworks.ROW_MODELS:
        raise Http404
    row = get_object_or_404(services.frameworks.rows_of_version(version, kind), pk=row_id)
    if request.method == "GET":
        noun = services.frameworks.ROW_MODELS[kind]._meta.verbose_name
        return render(
            request,
            "web/confirm.html",
            {
                "title": _("Supprimer : %(noun)s") % {"noun": noun},
                "crumbs": [
                    (version.qualification.title, version.qualification.get_absolute_url()),
                    (_("Version %(n)s") % {"n": version.number}, _version_url(version)),
                    (_("Suppression"), ""),
                ],
                "question": _("Supprimer « %(what)s » ?") % {"what": str(row)[:200]},
                "details": _(
                    "Il est retiré du brouillon (version %(n)s) avec ce qui en dépend. Les versions publiées "
                    "ne changent pas."
                )
                % {"n": version.number},
                "action": request.path,
                "cancel": _version_url(version),
                "confirm_label": _("Supprimer"),
            },
        )
    try:
        services.delete_row(actor=request.user, version=version, row=row)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Supprimé."))
    return redirect(_version_url(version))


@backoffice_view
@require_POST
def block_remove(request, pk: int, number: int, block_id: int):
    version = _draft(request, pk, number)
    block = _block_of(version, block_id)
    services.remove_block(actor=request.user, version=version, block=block)
    messages.success(request, _("Bloc %(code)s retiré de la version.") % {"code": block.code})
    return redirect(_version_url(version, "blocks"))


@backoffice_view
def version_publish(request, pk: int, number: int):
    version = _draft(request, pk, number)
    problems = services.completeness_problems(version)
    if request.method == "POST":
        try:
            services.publish_version(actor=request.user, version=version)
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(
                request,
                _("Version %(number)s publiée : elle est désormais figée.") % {"number": version.number},
            )
            return redirect(_version_url(version))
    return render(
        request,
        "qualifications/publish.html",
        {
            "qualification": version.qualification,
            "version": version,
            "problems": problems,
            "section": "frameworks",
        },
        status=400 if request.method == "POST" else 200,
    )


@backoffice_view
@require_POST
def version_new(request, pk: int):
    qualification = _qualification(request, pk, CHANGE)
    try:
        draft = services.start_new_version(actor=request.user, qualification=qualification)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(qualification.get_absolute_url())
    messages.success(request, _("Version %(number)s créée en brouillon.") % {"number": draft.number})
    return redirect(_version_url(draft))


@backoffice_view
def version_compare(request, pk: int):
    qualification = _qualification(request, pk)
    versions = list(_visible_versions(request.user, qualification).order_by("number"))
    if len(versions) < 2:
        messages.info(request, _("Il faut au moins deux versions pour comparer."))
        return redirect(qualification.get_absolute_url())
    by_number = {v.number: v for v in versions}

    def pick(name, default):
        try:
            return by_number[int(request.GET.get(name, default))]
        except (KeyError, ValueError):
            raise Http404

    a, b = pick("a", versions[-2].number), pick("b", versions[-1].number)
    doc_a, doc_b = exchange_document.build_document(a), exchange_document.build_document(b)
    changes = versions_diff.compare(doc_a, doc_b)
    return render(
        request,
        "qualifications/compare.html",
        {
            "qualification": qualification,
            "versions": versions,
            "a": a,
            "b": b,
            "changes": changes,
            "summary": versions_diff.summary(changes),
            "section": "versions",
        },
    )


# -- legal life, registry ---------------------------------------------------------------------


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
        status=400 if request.method == "POST" else 200,
    )


def registry_differences(qualification: Qualification) -> list[dict]:
    """Where the branch's version and the published fiche differ (title, blocks, level, dates)."""
    certification = qualification.certification
    version = qualification.latest_published() or qualification.draft()
    if certification is None or version is None:
        return []
    rows = []

    def add(label, ours, theirs):
        rows.append({"label": label, "ours": ours, "theirs": theirs, "same": (ours or "") == (theirs or "")})

    add(_("Intitulé"), version.title, certification.title)
    add(_("Niveau"), qualification.level, certification.level)
    add(_("Début d'enregistrement"), qualification.registered_from, certification.effect_date)
    add(_("Fin d'enregistrement"), qualification.registered_until, certification.end_date)
    ours = {b.code: b.title for b in version.ordered_blocks()}
    theirs = {b.code: b.title for b in certification.blocks.all()}
    for code in sorted(set(ours) | set(theirs)):
        add(_("Bloc %(code)s") % {"code": code}, ours.get(code), theirs.get(code))
    return rows


@backoffice_view
def registry_view(request, pk: int):
    qualification = _qualification(request, pk, INTERNAL)
    form = None
    if request.user.has_perm(CHANGE, qualification):
        form = forms.FicheCodeForm(request.POST or None, initial={"fiche_code": qualification.fiche_code})
        if request.method == "POST":
            if request.POST.get("unlink"):
                services.link_certification(
                    actor=request.user, qualification=qualification, certification=None
                )
                messages.success(request, _("Lien avec la fiche retiré."))
                return redirect("qualifications:registry", pk=pk)
            if form.is_valid():
                services.link_certification(
                    actor=request.user, qualification=qualification, certification=form.certification
                )
                messages.success(
                    request,
                    _("Qualification reliée à la fiche %(code)s.") % {"code": form.certification.code},
                )
                return redirect("qualifications:registry", pk=pk)
    elif request.method == "POST":
        raise Http404
    qualification.refresh_from_db()
    return render(
        request,
        "qualifications/registry.html",
        {
            "qualification": qualification,
            "form": form,
            "differences": registry_differences(qualification),
            "section": "registry",
        },
        status=400 if request.method == "POST" else 200,
    )


@backoffice_view
def fiche_start(request):
    """Start a qualification from a registry fiche: choose, review the proposed statements, save."""
    if not request.user.has_perm("qualifications.add_qualification"):
        raise Http404
    committees = _committees_for(request.user)
    start = forms.FicheStartForm(request.POST or None, committees=committees)
    if request.method != "POST" or not start.is_valid():
        return render(
            request,
            "qualifications/fiche_start.html",
            {"form": start},
            status=400 if request.method == "POST" else 200,
        )
    certification = start.certification
    proposals = services.propose_from_fiche(certification)
    if request.POST.get("step") != "save":
        formsets = [
            forms.ReviewFormSet(prefix=f"b{i}", initial=[{"statement": s} for s in proposal.statements])
            for i, proposal in enumerate(proposals)
        ]
        return render(
            request,
            "qualifications/fiche_review.html",
            {
                "form": start,
                "certification": certification,
                "blocks": list(zip(proposals, formsets, strict=True)),
            },
        )
    formsets = [forms.ReviewFormSet(request.POST, prefix=f"b{i}") for i in range(len(proposals))]
    if not all(formset.is_valid() for formset in formsets):
        return render(
            request,
            "qualifications/fiche_review.html",
            {
                "form": start,
                "certification": certification,
                "blocks": list(zip(proposals, formsets, strict=True)),
            },
            status=400,
        )
    reviewed = []
    for proposal, formset in zip(proposals, formsets, strict=True):
        statements = [
            f.cleaned_data["statement"]
            for f in formset.forms
            if f.cleaned_data
            and not f.cleaned_data.get("DELETE")
            and f.cleaned_data.get("statement", "").strip()
        ]
        reviewed.append({"code": proposal.code, "title": proposal.title, "statements": statements})
    data = start.cleaned_data
    qualification = services.create_from_fiche(
        actor=request.user,
        certification=certification,
        kind=data["kind"],
        committee=data["committee"],
        ip_holder=data["ip_holder"],
        creation_decision_date=data["creation_decision_date"],
        reviewed_blocks=reviewed,
    )
    messages.success(
        request,
        _("Qualification créée depuis la fiche %(code)s, avec les énoncés relus.")
        % {"code": certification.code},
    )
    return redirect(qualification.get_absolute_url())


# -- exchange, booklet ------------------------------------------------------------------------


@backoffice_view
def exchange_view(request, pk: int):
    qualification = _qualification(request, pk, INTERNAL)
    draft = qualification.draft()
    can_import = draft is not None and request.user.has_perm(CHANGE, qualification)
    form = forms.ImportForm(request.POST or None, request.FILES or None) if can_import else None
    report: list[str] = []
    if request.method == "POST":
        if not can_import:
            raise Http404
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            if upload.safe.kind == uploads.JSON:
                document, report = exchange_document.parse_json(data)
            else:
                document, row_errors = xlsx.read_workbook(data)
                report = [str(e) for e in row_errors]
            if not report:
                # step 1: the preview of what the import changes; nothing is written yet
                token = uuid.uuid4().hex
                request.session[_import_key(draft)] = {"token": token, "document": document}
                changes = versions_diff.compare(exchange_document.build_document(draft), document)
                return render(
                    request,
                    "qualifications/exchange_preview.html",
                    {
                        "qualification": qualification,
                        "draft": draft,
                        "changes": changes[:300],
                        "more": max(0, len(changes) - 300),
                        "summary": versions_diff.summary(changes),
                        "token": token,
                        "section": "exchange",
                    },
                )
        elif request.POST.get("confirm"):
            # step 2: the import previewed, confirmed
            form = forms.ImportForm() if can_import else None
            stored = request.session.pop(_import_key(draft), None)
            if not stored or stored.get("token") != request.POST["confirm"]:
                report = [_("L'aperçu a expiré : envoyez le fichier à nouveau.")]
            else:
                try:
                    services.import_frameworks(actor=request.user, version=draft, document=stored["document"])
                except ValidationError as error:
                    report = error.messages
                else:
                    messages.success(
                        request,
                        _("Référentiels importés dans la version %(number)s.") % {"number": draft.number},
                    )
                    return redirect(_version_url(draft))
    return render(
        request,
        "qualifications/exchange.html",
        {
            "qualification": qualification,
            "versions": qualification.versions.order_by("-number"),
            "draft": draft,
            "form": form,
            "report": report,
            "section": "exchange",
        },
        status=400 if report else 200,
    )


def _import_key(draft: QualificationVersion) -> str:
    return f"frameworks_import_{draft.pk}"


def _filename(version: QualificationVersion, extension: str) -> str:
    return f"{slugify(version.qualification.title)[:60]}-v{version.number}.{extension}"


@backoffice_view
def export_json(request, pk: int, number: int):
    version = _version(request, pk, number)
    body = json.dumps(exchange_document.build_document(version), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(version, "json")}"'
    return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@backoffice_view
def export_xlsx(request, pk: int, number: int):
    version = _version(request, pk, number)
    response = HttpResponse(
        xlsx.write_workbook(exchange_document.build_document(version)), content_type=XLSX_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(version, "xlsx")}"'
    return response


@backoffice_view
def template_xlsx(request):
    response = HttpResponse(xlsx.template_workbook(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="modele-referentiels-cqphub.xlsx"'
    return response


@backoffice_view
def booklet(request, pk: int, number: int):
    from cqphub.qualifications.booklet import booklet_pdf

    version = _version(request, pk, number)
    response = HttpResponse(booklet_pdf(version), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(version, "pdf")}"'
    return response


# -- habilitations ----------------------------------------------------------------------------


@backoffice_view
def habilitations_view(request, pk: int):
    qualification = _qualification(request, pk, "qualifications.view_habilitations")
    can_manage = request.user.has_perm("qualifications.manage_habilitations", qualification)
    blocks = (
        SkillBlock.objects.filter(version_blocks__version__qualification=qualification)
        .distinct()
        .order_by("code", "revision")
    )
    form = forms.HabilitationForm(request.POST or None, blocks=blocks) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if form.is_valid():
            try:
                services.create_habilitation(
                    actor=request.user, qualification=qualification, **form.cleaned_data
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Habilitation enregistrée."))
                return redirect("qualifications:habilitations", pk=pk)
    habilitations = qualification.habilitations.select_related("centre").prefetch_related("blocks")
    return render(
        request,
        "qualifications/habilitations.html",
        {
            "qualification": qualification,
            "habilitations": habilitations,
            "form": form,
            "can_manage": can_manage,
            "today": timezone.localdate(),
            "section": "habilitations",
        },
        status=400 if request.method == "POST" else 200,
    )


@backoffice_view
def habilitation_suspend(request, pk: int, habilitation_id: int):
    qualification = _qualification(request, pk, "qualifications.manage_habilitations")
    habilitation = get_object_or_404(qualification.habilitations, pk=habilitation_id)
    form = forms.SuspendForm(request.POST or None)

    def suspend(data):
        services.suspend_habilitation(actor=request.user, habilitation=habilitation, reason=data["reason"])
        return reverse("qualifications:habilitations", kwargs={"pk": pk})

    return _form_page(
        request,
        form=form,
        title=_("Suspendre l'habilitation de %(centre)s") % {"centre": habilitation.centre},
        back=reverse("qualifications:habilitations", kwargs={"pk": pk}),
        on_valid=suspend,
        context={
            "intro": _(
                "La suspension prend effet immédiatement ; France compétences doit en être informée dans les 2 mois (R. 6113-16-5)."
            )
        },
        success=_("Habilitation suspendue."),
    )


@backoffice_view
@require_POST
def habilitation_lift(request, pk: int, habilitation_id: int):
    qualification = _qualification(request, pk, "qualifications.manage_habilitations")
    habilitation = get_object_or_404(qualification.habilitations, pk=habilitation_id)
    try:
        services.lift_suspension(actor=request.user, habilitation=habilitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Suspension levée."))
    return redirect("qualifications:habilitations", pk=pk)


@backoffice_view
def my_habilitations(request):
    """A centre's staff see their own centre's habilitations (and nothing else)."""
    habilitations = selectors.habilitations_for_centre_staff(request.user).prefetch_related("blocks")
    return render(
        request,
        "qualifications/my_habilitations.html",
        {"habilitations": habilitations, "today": date.today()},
    )


@backoffice_view
def habilitation_detail(request, habilitation_id: int):
    habilitation = get_object_for_user_or_404(
        request.user,
        Habilitation.objects.select_related("centre", "qualification"),
        "qualifications.view_habilitation",
        pk=habilitation_id,
    )
    return render(
        request, "qualifications/habilitation.html", {"habilitation": habilitation, "today": date.today()}
    )


__all__ = ["VersionState"]
