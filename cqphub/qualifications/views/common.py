"""Helpers shared by the qualifications pages: objects found for the user (404 for outsiders), the
form page, URLs.

Objects a user may not see are answered 404 (never 403); writes need `change_qualification`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cqphub.orgs.models import Committee
from cqphub.orgs.permissions import get_object_for_user_or_404
from cqphub.orgs.selectors import staff_branches_of
from cqphub.qualifications.enums import LifecycleState, VersionState
from cqphub.qualifications.models import Qualification, QualificationVersion, Skill, SkillBlock
from cqphub.ui.responses import form_status

VIEW, CHANGE = "qualifications.view_qualification", "qualifications.change_qualification"


# Drafts, legal life, registry link and exchanges stay inside the branch (review L5): habilitated
# centre staff read the published versions only.
INTERNAL = "qualifications.view_lifecycle"


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


def _submit(request, form, action, *, success: str, target: str):
    """For a valid POST: `action(cleaned_data)`, then `success` and a redirect to the URL the action
    returns, or to `target`. None otherwise (the form then carries the errors, a ValidationError's too)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        to = action(form.cleaned_data)
    except ValidationError as error:
        _add_errors(form, error)
        return None
    messages.success(request, success)
    return redirect(to or target)


def _form_page(request, *, form, title: str, back: str, on_valid, context=None, success=None):
    done = _submit(request, form, on_valid, success=success or _("Enregistré."), target=back)
    if done:
        return done
    return render(
        request,
        "qualifications/form.html",
        {"form": form, "title": title, "back": back, **(context or {})},
        status=form_status(request),
    )


def _version_url(version: QualificationVersion, anchor: str = "") -> str:
    return reverse(
        "qualifications:version", kwargs={"pk": version.qualification_id, "number": version.number}
    ) + (f"#{anchor}" if anchor else "")


def _committees_for(user):
    return Committee.objects.filter(branches__in=staff_branches_of(user)).distinct().order_by("name")


def _state_label(state: str) -> str:
    if state == "renewal_due":
        return _("Renouvellement à demander")
    return str(LifecycleState(state).label)
