"""Back-office pages for organisations and people, and the account pages (thin: reads through
`selectors`, writes through `services`)."""

from __future__ import annotations

import base64

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from cqphub.orgs import selectors, services
from cqphub.orgs.dashboard import BRANCH_PANELS, CENTRE_PANELS, DASHBOARD_PANELS, render_panels
from cqphub.orgs.forms import (
    BranchForm,
    CentreForm,
    EmailAuthenticationForm,
    InviteMemberForm,
    OtpDisableForm,
    OtpTokenForm,
)
from cqphub.orgs.links import password_reset_allowed, site_parts, site_url
from cqphub.orgs.lockout import unlock_account
from cqphub.orgs.models import BRANCH_ROLES, CENTRE_ROLES, OUTSIDE_ROLES, Branch, Centre, Membership, Role
from cqphub.orgs.permissions import (
    backoffice_view,
    get_object_for_user_or_404,
    needs_otp,
    second_factor_required,
)
from cqphub.ui.responses import form_status

THROTTLED = gettext_lazy("Trop d'essais : patientez quelques secondes avant de saisir un nouveau code.")

# --- log in, second factor, passwords -------------------------------------------------------


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        if needs_otp(self.request.user):
            return redirect(f"{reverse('orgs:otp_verify')}?{urlencode({'next': self.get_success_url()})}")
        return response


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


@login_required
def otp_verify(request):
    """Second step of the log-in for users with a confirmed TOTP device."""
    next_url = _safe_next(request, reverse("orgs:dashboard"))
    if not needs_otp(request.user):
        return redirect(next_url)
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        devices = list(TOTPDevice.objects.devices_for_user(request.user, confirmed=True))
        for device in devices:
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                return redirect(next_url)
        if devices and not any(device.verify_is_allowed()[0] for device in devices):
            form.add_error("token", THROTTLED)
        else:
            form.add_error("token", _("Code incorrect ou expiré. Réessayez avec le code affiché maintenant."))
    return render(request, "orgs/otp_verify.html", {"form": form, "next": next_url})


PENDING_KEY = "orgs_otp_pending_key"


@backoffice_view(enrolling=True)
def otp_setup(request):
    """Enrol a TOTP device: scan the QR code (or type the key), then confirm with a code.

    The key is kept in the session until a code confirms it: a GET creates no device (review L8).
    Once a device is confirmed, its key is never shown again (review H1)."""
    next_url = _safe_next(request, reverse("orgs:account"))
    if TOTPDevice.objects.devices_for_user(request.user, confirmed=True).exists():
        return redirect(next_url)
    key = request.session.get(PENDING_KEY)
    if not key:
        key = request.session[PENDING_KEY] = default_key()
    device = TOTPDevice(user=request.user, name="cqphub", key=key, confirmed=False)
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        if check.verify(int(form.cleaned_data["token"]), tolerance=device.tolerance):
            device.confirmed, device.drift, device.last_t = True, check.drift, check.t()
            with transaction.atomic():
                TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
                device.save()
                services.record_second_factor(actor=request.user, user=request.user, enabled=True)
            del request.session[PENDING_KEY]
            otp_login(request, device)
            messages.success(request, _("La double authentification est activée."))
            return redirect(next_url)
        form.add_error("token", _("Code incorrect. Vérifiez l'heure de votre téléphone et réessayez."))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, title=_("QR code à scanner avec votre application d'authentification")
    )
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "orgs/otp_setup.html",
        {
            "form": form,
            "qr_svg": qr_svg,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": next_url,
            "required": second_factor_required(request.user),
        },
    )


@backoffice_view(enrolling=True)
def otp_disable(request):
    """Switch the second factor off: the password and a current code are asked again (review L2)."""
    devices = list(TOTPDevice.objects.devices_for_user(request.user, confirmed=True))
    if not devices:
        return redirect("orgs:account")
    form = OtpDisableForm(request.user, devices, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            TOTPDevice.objects.filter(user=request.user).delete()
            services.record_second_factor(actor=request.user, user=request.user, enabled=False)
        messages.success(request, _("La double authentification est désactivée."))
        return redirect("orgs:account")
    return render(
        request,
        "orgs/otp_disable.html",
        {"form": form, "required": second_factor_required(request.user)},
        status=form_status(request, form),
    )


@backoffice_view
def account(request):
    return render(
        request,
        "orgs/account.html",
        {
            "memberships": selectors.memberships_of(request.user),
            "has_totp": TOTPDevice.objects.devices_for_user(request.user, confirmed=True).exists(),
            "totp_required": second_factor_required(request.user),
        },
    )


password_change = backoffice_view(
    auth_views.PasswordChangeView.as_view(
        template_name="orgs/auth/password_change_form.html",
        success_url=reverse_lazy("orgs:password_change_done"),
    )
)
password_change_done = backoffice_view(
    auth_views.PasswordChangeDoneView.as_view(template_name="orgs/auth/password_change_done.html")
)


class PasswordResetView(auth_views.PasswordResetView):
    """The e-mailed link is built on SITE_URL, not on the Host header, and requests are throttled
    per address and per client; over the limit the page answers as usual but sends nothing (no hint
    of which addresses exist) (review L7)."""

    template_name = "orgs/auth/password_reset_form.html"
    email_template_name = "orgs/email/password_reset_body.txt"
    subject_template_name = "orgs/email/password_reset_subject.txt"
    success_url = reverse_lazy("orgs:password_reset_done")

    def form_valid(self, form):
        if not password_reset_allowed(self.request, form.cleaned_data["email"]):
            return redirect(self.get_success_url())
        scheme, host = site_parts(self.request)
        form.save(
            domain_override=host,
            use_https=scheme == "https",
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            request=self.request,
            html_email_template_name=self.html_email_template_name,
            extra_email_context=self.extra_email_context,
        )
        return redirect(self.get_success_url())


password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="orgs/auth/password_reset_done.html"
)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing a new password through the e-mailed link also lifts a log-in lock-out (review H2)."""

    template_name = "orgs/auth/password_reset_confirm.html"
    success_url = reverse_lazy("orgs:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        unlock_account(form.user.get_username())
        return response


password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="orgs/auth/password_reset_complete.html"
)


# --- back office ----------------------------------------------------------------------------


@backoffice_view
def dashboard(request):
    user = request.user
    admin_branches = selectors.admin_branches_of(user)
    return render(
        request,
        "orgs/dashboard.html",
        {
            "memberships": selectors.memberships_of(user),
            "branches": selectors.branches_of(user),
            "centres": selectors.centres_of(user),
            "latest_entries": (
                selectors.audit_entries_for_admin(user)[:10] if admin_branches.exists() else None
            ),
            "panels": render_panels(request, DASHBOARD_PANELS),
        },
    )


def _branch(request, slug: str, perm: str) -> Branch:
    return get_object_for_user_or_404(request.user, Branch, perm, slug=slug)


def _branch_context(request, branch: Branch, tab: str, **extra) -> dict:
    user = request.user
    return {
        "branch": branch,
        "tab": tab,
        "perms_members": user.has_perm("orgs.view_members", branch),
        "perms_centres": user.has_perm("orgs.view_branch_centres", branch),
        "perms_audit": user.has_perm("orgs.view_audit", branch),
        **extra,
    }


@backoffice_view
def branch_detail(request, slug):
    branch = _branch(request, slug, "orgs.view_branch")
    return render(
        request,
        "orgs/branch_detail.html",
        _branch_context(
            request,
            branch,
            "overview",
            committees=branch.committees.prefetch_related("branches"),
            certifiers=branch.certifier_entities.all(),
            member_count=branch.memberships.active().count(),
            can_edit=request.user.has_perm("orgs.change_branch", branch),
            panels=render_panels(request, BRANCH_PANELS, branch),
        ),
    )


@backoffice_view
def branch_members(request, slug):
    branch = _branch(request, slug, "orgs.view_members")
    return render(
        request,
        "orgs/branch_members.html",
        _branch_context(
            request,
            branch,
            "members",
            memberships=selectors.branch_members(branch),
            can_manage=request.user.has_perm("orgs.manage_members", branch),
        ),
    )


def _invite(request, *, roles, branch=None, centre=None, back_url: str, organisation_label: str):
    form = InviteMemberForm(request.POST or None, roles=roles)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.invite_member(
                actor=request.user,
                email=data["email"],
                role=data["role"],
                branch=branch if data["role"] in (*BRANCH_ROLES, *OUTSIDE_ROLES) else None,
                centre=centre,
                organisation=data.get("organisation", ""),
                first_name=data["first_name"],
                last_name=data["last_name"],
                base_url=site_url(request) + "/",
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("%(email)s a reçu le rôle « %(role)s ».")
                % {"email": data["email"], "role": Role(data["role"]).label},
            )
            return redirect(back_url)
    return render(
        request,
        "orgs/member_invite.html",
        {"form": form, "organisation": organisation_label, "back_url": back_url},
    )


@backoffice_view
def branch_member_invite(request, slug):
    branch = _branch(request, slug, "orgs.manage_members")
    return _invite(
        request,
        roles=(*BRANCH_ROLES, *OUTSIDE_ROLES),
        branch=branch,
        back_url=reverse("orgs:branch_members", kwargs={"slug": branch.slug}),
        organisation_label=branch.name,
    )


@require_POST
@backoffice_view
def branch_membership_deactivate(request, slug, pk):
    branch = _branch(request, slug, "orgs.manage_members")
    membership = Membership.objects.filter(branch=branch, pk=pk).select_related("user").first()
    if membership is None:
        raise Http404("No such membership.")
    try:
        services.deactivate_membership(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Rôle retiré à %(email)s.") % {"email": membership.user.email})
    return redirect("orgs:branch_members", slug=branch.slug)


@backoffice_view
def branch_centres(request, slug):
    branch = _branch(request, slug, "orgs.view_branch_centres")
    centres = selectors.centres_of_branches(Branch.objects.filter(pk=branch.pk)).order_by("name")
    return render(
        request, "orgs/branch_centres.html", _branch_context(request, branch, "centres", centres=centres)
    )


@backoffice_view
def branch_audit(request, slug):
    branch = _branch(request, slug, "orgs.view_audit")
    page = Paginator(selectors.audit_entries_for_branch(branch), 50).get_page(request.GET.get("page"))
    return render(request, "orgs/audit_list.html", _branch_context(request, branch, "audit", page=page))


def _centre(request, pk: int, perm: str) -> Centre:
    return get_object_for_user_or_404(request.user, Centre, perm, pk=pk)


@backoffice_view
def centre_detail(request, pk):
    centre = _centre(request, pk, "orgs.view_centre")
    can_manage = request.user.has_perm("orgs.change_centre", centre)
    return render(
        request,
        "orgs/centre_detail.html",
        {
            "centre": centre,
            "can_manage": can_manage,
            "memberships": (
                centre.memberships.select_related("user").order_by("role", "user__email")
                if can_manage
                else None
            ),
            "panels": render_panels(request, CENTRE_PANELS, centre),
        },
    )


@backoffice_view
def centre_member_invite(request, pk):
    centre = _centre(request, pk, "orgs.change_centre")
    return _invite(
        request,
        roles=CENTRE_ROLES,
        centre=centre,
        back_url=reverse("orgs:centre", kwargs={"pk": centre.pk}),
        organisation_label=centre.name,
    )


@require_POST
@backoffice_view
def centre_membership_deactivate(request, pk, membership_pk):
    centre = _centre(request, pk, "orgs.change_centre")
    membership = Membership.objects.filter(centre=centre, pk=membership_pk).select_related("user").first()
    if membership is None:
        raise Http404("No such membership.")
    services.deactivate_membership(actor=request.user, membership=membership)
    messages.success(request, _("Rôle retiré à %(email)s.") % {"email": membership.user.email})
    return redirect("orgs:centre", pk=centre.pk)


def _edit(request, *, form, service, target, back_url: str, title: str, heading: str):
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, **target, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Modifications enregistrées."))
            return redirect(back_url)
    return render(
        request, "orgs/edit.html", {"form": form, "back_url": back_url, "title": title, "heading": heading}
    )


@backoffice_view
def branch_edit(request, slug):
    branch = _branch(request, slug, "orgs.change_branch")
    initial = {"name": branch.name, "idcc_codes": ", ".join(branch.idcc_codes)}
    return _edit(
        request,
        form=BranchForm(request.POST or None, initial=initial),
        service=services.update_branch,
        target={"branch": branch},
        back_url=branch.get_absolute_url(),
        title=_("Modifier la branche"),
        heading=branch.name,
    )


@backoffice_view
def centre_edit(request, pk):
    centre = _centre(request, pk, "orgs.change_centre")
    initial = {f: getattr(centre, f) for f in ("address", "postcode", "city", "qualiopi_certified_on")}
    return _edit(
        request,
        form=CentreForm(request.POST or None, initial=initial),
        service=services.update_centre,
        target={"centre": centre},
        back_url=centre.get_absolute_url(),
        title=_("Modifier le centre"),
        heading=centre.name,
    )
