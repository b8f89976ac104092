"""The frameworks tab: a version's activities, blocks, skills, assessment methods and tests, edited
row by row while the version is a draft."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from cqphub.orgs.permissions import backoffice_view
from cqphub.qualifications import forms, selectors, services
from cqphub.qualifications.models import QualificationVersion, Skill
from cqphub.qualifications.views.common import (
    CHANGE,
    _block_of,
    _draft,
    _form_page,
    _skill_of,
    _version,
    _version_url,
    _visible_versions,
)


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


def _row_adder(page, form_class, title, service):
    """A back-office view adding one row to a block or a skill of a draft: `page` is `_block_row_page` or
    `_skill_row_page`, `title` has a `%(code)s` placeholder, `service` writes the row."""

    @backoffice_view
    def view(request, pk: int, number: int, **parent):
        (parent_id,) = parent.values()  # block_id or skill_id, from the URL
        return page(request, pk, number, parent_id, form_class, title, service)

    return view


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


skill_add = _row_adder(
    _block_row_page,
    forms.SkillForm,
    gettext_lazy("Ajouter une compétence au bloc %(code)s"),
    services.add_skill,
)


method_add = _row_adder(
    _block_row_page,
    forms.MethodForm,
    gettext_lazy("Ajouter une modalité d'évaluation au bloc %(code)s"),
    services.add_assessment_method,
)


test_add = _row_adder(
    _block_row_page,
    forms.TestForm,
    gettext_lazy("Ajouter une épreuve au bloc %(code)s"),
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


knowledge_add = _row_adder(
    _skill_row_page,
    forms.KnowledgeForm,
    gettext_lazy("Ajouter un savoir associé à %(code)s"),
    services.add_knowledge_item,
)


criterion_add = _row_adder(
    _skill_row_page,
    forms.CriterionForm,
    gettext_lazy("Ajouter un critère d'évaluation à %(code)s"),
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
        entry = services.delete_row(actor=request.user, version=version, row=row)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_version_url(version))
    messages.success(request, _("Supprimé."))
    # back on the page with "Annuler" for this deletion, autofocused (framework_rows.framework_change); no
    # #fragment: a browser skips autofocus when the address targets an element
    query = urlencode({"focus": "undo", "fait": entry.pk})
    return redirect(f"{_version_url(version)}?{query}")


@backoffice_view
@require_POST
def block_remove(request, pk: int, number: int, block_id: int):
    version = _draft(request, pk, number)
    block = _block_of(version, block_id)
    services.remove_block(actor=request.user, version=version, block=block)
    messages.success(request, _("Bloc %(code)s retiré de la version.") % {"code": block.code})
    return redirect(_version_url(version, "blocks"))
