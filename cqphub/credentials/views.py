"""Pages of the credentials app: public verification, the holder's documents, staff list, DID/status."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cqphub.credentials import issuer, selectors, services, verification
from cqphub.credentials.did import PLATFORM
from cqphub.credentials.models import BlockAttestation, IssuanceRun, Parchment
from cqphub.juries import selectors as jury_selectors
from cqphub.orgs import uploads
from cqphub.orgs.models import BRANCH_STAFF_ROLES
from cqphub.orgs.permissions import backoffice_view
from cqphub.orgs.rules import is_branch_staff
from cqphub.orgs.selectors import branches_of
from cqphub.ui.responses import form_status

VERIFY_LIMIT = 30  # verifications per minute and address
VC_JSON = uploads.FileKind("application/vc+ld+json", "json", "Open Badges 3.0")


def throttled(request, scope: str, limit: int = VERIFY_LIMIT) -> bool:
    """A fixed one-minute window per client address, in the shared cache."""
    address = request.META.get("REMOTE_ADDR", "unknown")
    key = f"credentials:rate:{scope}:{address}"
    if cache.add(key, 1, timeout=60):
        return False
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=60)
        return False
    return count > limit


def _too_many(request):
    response = render(request, "credentials/too_many.html", status=429)
    response["Retry-After"] = "60"
    return response


class VerifyForm(forms.Form):
    number = forms.CharField(label=_("Numéro du document"), max_length=40, required=False,
                             help_text=_("Par exemple CQP-0012-2026-00042, imprimé en bas du parchemin."))  # fmt: skip
    document = forms.FileField(label=_("Ou le fichier reçu (PDF ou JSON)"), required=False,
                               help_text=_("Le parchemin PDF ou l'attestation numérique JSON, 8 Mo au plus."))  # fmt: skip

    def clean(self):
        data = super().clean()
        if not data.get("number") and not data.get("document"):
            raise forms.ValidationError(_("Saisissez un numéro ou choisissez un fichier."))
        upload = data.get("document")
        if upload is not None and upload.size > verification.MAX_UPLOAD * 4:
            self.add_error("document", _("Fichier trop volumineux (8 Mo au plus)."))
        return data


@require_http_methods(["GET", "POST"])
def verify(request):
    form = VerifyForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST":
        if throttled(request, "verify"):
            return _too_many(request)
        if form.is_valid():
            upload = form.cleaned_data.get("document")
            if upload is not None:
                result = verification.by_upload(upload.read())
            else:
                number = form.cleaned_data["number"].strip().upper()
                return redirect("credentials:verify_number", number=number)
    return render(request, "credentials/verify.html", {"form": form, "result": result})


@require_GET
def verify_number(request, number: str):
    """A document by number; the holder's full name only with the key of its QR code or share link."""
    if throttled(request, "verify"):
        return _too_many(request)
    result = verification.by_number(number, request.GET.get(issuer.KEY_PARAMETER, "")[:64])
    response = render(request, "credentials/verify.html", {"form": VerifyForm(), "result": result})
    response["Cache-Control"] = "no-store"
    return response


# --- holder ------------------------------------------------------------------------------------


def _candidate_of(user):
    return getattr(user, "candidate", None)


@login_required
def holder(request):
    candidate = _candidate_of(request.user)
    documents = selectors.documents_for_candidate(candidate) if candidate is not None else []
    attestable = _attestable(documents)
    rows = [
        {
            "document": document,
            "url": issuer.verification_url(document.number),
            "pdf": reverse("credentials:download", args=[document.number, "pdf"]),
            "json": reverse("credentials:download", args=[document.number, "json"]),
            "attest": document in attestable,
        }
        for document in documents
    ]
    return render(request, "credentials/holder.html", {"rows": rows})


def _attestable(documents) -> list:
    """Valid parchments whose award has no block attestation yet: one may be asked for."""
    attested = {d.award_id for d in documents if isinstance(d, BlockAttestation)}
    return [
        d for d in documents if isinstance(d, Parchment) and not d.revoked_at and d.award_id not in attested
    ]


@login_required
@require_POST
def request_attestation(request, award_id: int):
    """The holder, or the branch's staff, ask for the block attestation of a full award."""
    try:
        award = jury_selectors.award(award_id)
    except ObjectDoesNotExist:
        raise Http404
    if not services.is_holder_or_branch_staff(request.user, award):
        raise Http404
    try:
        attestation, created = services.request_block_attestation(award, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        text = (_("Attestation de blocs n° %(number)s délivrée.") if created
                else _("L'attestation de blocs n° %(number)s était déjà délivrée."))  # fmt: skip
        messages.success(request, text % {"number": attestation.number})
    candidate = _candidate_of(request.user)
    mine = candidate is not None and candidate.pk == award.candidate_id
    return redirect("credentials:holder" if mine else "credentials:staff")


def _may_read(user, document) -> bool:
    return services.is_holder_or_branch_staff(user, document.award)


def _is_staff(user, document) -> bool:
    return bool(user.is_superuser or is_branch_staff(user, document.qualification))


@login_required
def download(request, number: str, fmt: str):
    document = selectors.document_by_number(number)
    if document is None or not _may_read(request.user, document):
        raise Http404
    # inert downloads (nosniff, sandbox CSP, no-store), as every stored file the platform serves
    if fmt == "json":
        return uploads.attachment_response(
            document.credential.signed_json.encode(), filename=f"{document.number}.json", kind=VC_JSON
        )
    if fmt != "pdf" or not document.pdf or not default_storage.exists(document.pdf):
        raise Http404
    return uploads.attachment_response(
        default_storage.open(document.pdf, "rb"), filename=f"{document.number}.pdf", kind=uploads.PDF
    )


# --- the jury president's signature ------------------------------------------------------------


class SignatureForm(forms.Form):
    image = uploads.SafeFileField(
        policy=services.SIGNATURE_POLICY,
        label=_("Image de votre signature (PNG ou JPEG, fond blanc ou transparent)"),
    )


@backoffice_view
@require_http_methods(["GET", "POST"])
def signature(request):
    """A jury president deposits the signature drawn on the parchments of the sessions they preside."""
    if not jury_selectors.presides_a_jury(request.user):
        raise Http404
    form = SignatureForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if request.POST.get("remove"):
            services.remove_signature(actor=request.user)
            messages.success(request, _("Signature supprimée : les parchemins porteront votre nom seul."))
            return redirect("credentials:signature")
        if form.is_valid():
            upload = form.cleaned_data["image"]
            try:
                services.set_signature(actor=request.user, fileobj=upload, name=upload.name)
            except ValidationError as error:
                form.add_error("image", error)
            else:
                messages.success(
                    request, _("Signature enregistrée : elle figurera sur les prochains parchemins.")
                )
                return redirect("credentials:signature")
    current = services.signature_of(request.user.pk)
    dimensions = f"{current.width} × {current.height} px" if current is not None else ""
    return render(
        request,
        "credentials/signature.html",
        {"form": form, "current": current, "dimensions": dimensions},
        status=form_status(request, form),
    )


@backoffice_view
@require_GET
def signature_image(request):
    current = services.signature_of(request.user.pk)
    if current is None or not default_storage.exists(current.image):
        raise Http404
    return uploads.attachment_response(
        default_storage.open(current.image, "rb"), filename="signature.png", kind=uploads.PNG
    )


# --- staff -------------------------------------------------------------------------------------


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif (jamais affiché publiquement)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@login_required
def staff(request):
    branches = list(branches_of(request.user, BRANCH_STAFF_ROLES))
    if not branches:
        raise Http404
    documents = []
    for model in (Parchment, BlockAttestation):
        documents.extend(
            model.objects.filter(qualification__committee__branches__in=branches)
            .distinct()
            .select_related("qualification")
        )
    documents.sort(key=lambda d: (d.qualification_id, d.year, d.number))
    for document in _attestable(documents):
        document.attestable = True
    runs = (
        IssuanceRun.objects.filter(jury_session__qualification__committee__branches__in=branches)
        .distinct()
        .select_related("jury_session")[:20]
    )
    context = {"documents": documents[:500], "count": len(documents), "runs": runs}
    return render(request, "credentials/staff.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def staff_revoke(request, number: str):
    document = selectors.document_by_number(number)
    if document is None or not _is_staff(request.user, document):
        raise Http404
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.revoke(document, reason=form.cleaned_data["reason"])
        return redirect("credentials:staff")
    return render(request, "credentials/revoke.html", {"form": form, "document": document})


# --- machine-readable documents ----------------------------------------------------------------


def _json(data, *, max_age: int) -> HttpResponse:
    response = HttpResponse(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False),
                            content_type="application/json; charset=utf-8")  # fmt: skip
    response["Cache-Control"] = f"public, max-age={max_age}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def did_document(request, slug: str = PLATFORM):
    store = issuer.key_store()
    if not store.keys(slug):
        raise Http404
    return _json(store.did_document(slug), max_age=3600)


@require_GET
def status_list(request, slug: str, number: int):
    row = selectors.status_list(slug, number)
    if row is None or not row.signed:
        raise Http404
    response = _json(row.signed, max_age=300)
    response["Last-Modified"] = row.updated.strftime("%a, %d %b %Y %H:%M:%S GMT")
    return response
