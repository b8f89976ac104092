"""Write use cases of the back office for organisations and people.

One function per use case, keyword arguments, one transaction each, every change audited
(`cqphub.orgs.audit`). Bad input raises `django.core.exceptions.ValidationError` naming the field.
"""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from cqphub.orgs import audit
from cqphub.orgs.models import (
    BRANCH_ROLES,
    CENTRE_ROLES,
    OUTSIDE_ROLES,
    Branch,
    Centre,
    CertifierEntity,
    Committee,
    Membership,
    User,
)

BRANCH_FIELDS = ("name", "slug", "idcc_codes")
CENTRE_FIELDS = ("name", "siret", "address", "postcode", "city", "kind", "qualiopi_certified_on")
CERTIFIER_FIELDS = ("name", "siret", "branch", "address")


def _apply(obj, fields: tuple[str, ...], values: dict) -> None:
    unknown = set(values) - set(fields)
    if unknown:
        raise TypeError(f"Unknown field(s) for {type(obj).__name__}: {', '.join(sorted(unknown))}")
    for name, value in values.items():
        setattr(obj, name, value)


def _save_created(actor, obj):
    """Validate, save and audit a new object (every create service ends so)."""
    obj.full_clean()
    obj.save()
    audit.record(actor, "create", obj, changes=audit.diff({}, audit.snapshot(obj)))
    return obj


def _save_updated(actor, obj, fields: tuple[str, ...], values: dict):
    """Apply `values`, validate, and save and audit only when something changed."""
    before = audit.snapshot(obj)
    _apply(obj, fields, values)
    obj.full_clean()
    changes = audit.diff(before, audit.snapshot(obj))
    if changes:
        obj.save()
        audit.record(actor, "update", obj, changes=changes)
    return obj


# --- branches and committees ----------------------------------------------------------------


@transaction.atomic
def create_branch(*, actor, name: str, slug: str, idcc_codes: list[str]) -> Branch:
    branch = Branch(name=name, slug=slug, idcc_codes=list(idcc_codes))
    return _save_created(actor, branch)


@transaction.atomic
def update_branch(*, actor, branch: Branch, **values) -> Branch:
    return _save_updated(actor, branch, BRANCH_FIELDS, values)


@transaction.atomic
def create_committee(*, actor, name: str, short_name: str, branches: list[Branch]) -> Committee:
    if not branches:
        raise ValidationError({"branches": _("Une commission paritaire réunit au moins une branche.")})
    committee = Committee(name=name, short_name=short_name)
    committee.full_clean()
    committee.save()
    committee.branches.set(branches)
    for branch in branches:
        audit.record(
            actor, "create", committee, branch=branch, changes=audit.diff({}, audit.snapshot(committee))
        )
    return committee


# --- certifier legal entities ---------------------------------------------------------------


@transaction.atomic
def create_certifier_entity(
    *, actor, name: str, siret: str, branch: Branch | None = None, address: str = ""
) -> CertifierEntity:
    entity = CertifierEntity(name=name, siret=siret, branch=branch, address=address)
    return _save_created(actor, entity)


# --- centres --------------------------------------------------------------------------------


@transaction.atomic
def create_centre(*, actor, name: str, siret: str, kind: str, **values) -> Centre:
    centre = Centre(name=name, siret=siret, kind=kind)
    _apply(centre, CENTRE_FIELDS, values)
    return _save_created(actor, centre)


@transaction.atomic
def update_centre(*, actor, centre: Centre, **values) -> Centre:
    return _save_updated(actor, centre, CENTRE_FIELDS, values)


# --- people and their roles -----------------------------------------------------------------


@transaction.atomic
def add_membership(
    *,
    actor,
    user: User,
    role: str,
    branch: Branch | None = None,
    centre: Centre | None = None,
    organisation: str = "",
) -> Membership:
    """Give `user` a role in a branch or a centre (reactivating it if it was withdrawn)."""
    existing = None
    if branch is not None or centre is not None:
        existing = Membership.objects.filter(user=user, role=role, branch=branch, centre=centre).first()
    if existing is not None:
        if existing.active:
            raise ValidationError({"role": _("Cette personne a déjà ce rôle.")})
        existing.active = True
        existing.save(update_fields=["active"])
        audit.record(
            actor, "reactivate", existing, branch=branch, centre=centre, changes={"active": [False, True]}
        )
        return existing
    membership = Membership(user=user, role=role, branch=branch, centre=centre, organisation=organisation)
    membership.full_clean()
    membership.save()
    audit.record(
        actor,
        "create",
        membership,
        branch=branch,
        centre=centre,
        changes=audit.diff({}, audit.snapshot(membership)),
    )
    return membership


@transaction.atomic
def deactivate_membership(*, actor, membership: Membership) -> Membership:
    """Withdraw a role (kept for the record, inactive)."""
    if not membership.active:
        return membership
    if membership.user_id == getattr(actor, "pk", None) and membership.role == "branch_admin":
        raise ValidationError({"role": _("Vous ne pouvez pas retirer votre propre rôle d'administrateur.")})
    membership.active = False
    membership.save(update_fields=["active"])
    audit.record(
        actor,
        "deactivate",
        membership,
        branch=membership.branch,
        centre=membership.centre,
        changes={"active": [True, False]},
    )
    return membership


def send_invitation_email(*, user: User, base_url: str, inviter=None, organisation_name: str = "") -> None:
    """E-mail `user` a link to choose a password (Django's password-reset token)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("orgs:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    context = {
        "user": user,
        "link": base_url.rstrip("/") + path,
        "inviter": inviter,
        "organisation_name": organisation_name,
    }
    subject = render_to_string("orgs/email/invitation_subject.txt", context).strip()
    body = render_to_string("orgs/email/invitation_body.txt", context)
    send_mail(subject, body, None, [user.email])


@transaction.atomic
def invite_member(
    *,
    actor,
    email: str,
    role: str,
    base_url: str,
    branch: Branch | None = None,
    centre: Centre | None = None,
    organisation: str = "",
    first_name: str = "",
    last_name: str = "",
) -> Membership:
    """Give a role to a person by e-mail; an unknown address gets an account with no usable
    password and an e-mail to choose one. The e-mail leaves only once the transaction commits."""
    if role in BRANCH_ROLES and branch is None:
        raise ValidationError({"role": _("Ce rôle exige une branche.")})
    if role in CENTRE_ROLES and centre is None:
        raise ValidationError({"role": _("Ce rôle exige un centre.")})
    if role not in (*BRANCH_ROLES, *CENTRE_ROLES, *OUTSIDE_ROLES):
        raise ValidationError({"role": _("Rôle inconnu : %(role)s.") % {"role": role}})
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = User(email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        audit.record(
            actor,
            "invite",
            user,
            branch=branch,
            centre=centre,
            changes={
                "email": [None, email],
                "first_name": [None, first_name],
                "last_name": [None, last_name],
            },
        )
    membership = add_membership(
        actor=actor, user=user, role=role, branch=branch, centre=centre, organisation=organisation
    )
    if created or not user.has_usable_password():
        organisation_name = str(centre or branch or organisation)
        transaction.on_commit(
            lambda: send_invitation_email(
                user=user, base_url=base_url, inviter=actor, organisation_name=organisation_name
            )
        )
    return membership


@transaction.atomic
def record_second_factor(*, actor, user: User, enabled: bool) -> None:
    """Audit the enrolment or removal of a TOTP device (the devices are django-otp's)."""
    audit.record(
        actor, "otp_enable" if enabled else "otp_disable", user, changes={"totp": [not enabled, enabled]}
    )
