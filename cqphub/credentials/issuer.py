"""The platform's issuers as configured: key store, did:web identifiers, public URLs."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

from cqphub.credentials.did import PLATFORM, IssuerKey, KeyStore


def public_url() -> str:
    return settings.CQPHUB_PUBLIC_URL.rstrip("/")


def host() -> str:
    return urlsplit(public_url()).netloc


def key_store() -> KeyStore:
    return KeyStore(settings.CREDENTIALS_KEY_DIR, host())


class NoIssuerKey(RuntimeError):
    """No active key: `cqphub credentials keys create` first."""


def active_key(slug: str = PLATFORM) -> IssuerKey:
    key = key_store().active_key(slug)
    if key is None:
        raise NoIssuerKey(
            f"no active issuer key for {slug!r} in {settings.CREDENTIALS_KEY_DIR}: "
            "run `cqphub credentials keys create`"
        )
    return key


def issuer_slug_for(qualification) -> str:
    """A branch's own issuer when it has an active key (folder named after its slug), else the platform."""
    store = key_store()
    for branch in qualification.owning_branches().order_by("pk"):
        if store.active_key(branch.slug[:63]) is not None:
            return branch.slug[:63]
    return PLATFORM


def issuer_name(slug: str) -> str:
    if slug != PLATFORM:
        from cqphub.orgs.models import Branch

        branch = Branch.objects.filter(slug=slug).first()
        if branch is not None:
            return branch.name
    return settings.CREDENTIALS_ISSUER_NAME or settings.CQPHUB_OPERATOR["name"]


def status_list_url(slug: str, number: int) -> str:
    return f"{public_url()}/attestations/statuts/{slug}/{number}"


KEY_PARAMETER = "cle"  # the verification key in the page's query string (`?cle=…`)


def verification_secrets() -> list[str]:
    """Secrets that verification keys are checked against, the one that makes new keys first.

    CREDENTIALS_VERIFICATION_SECRET when set (then its _FALLBACKS), else SECRET_KEY and Django's
    SECRET_KEY_FALLBACKS. Keys are printed on paper: a retired secret must stay among the fallbacks
    for as long as its documents may be shown."""
    if settings.CREDENTIALS_VERIFICATION_SECRET:
        return [settings.CREDENTIALS_VERIFICATION_SECRET, *settings.CREDENTIALS_VERIFICATION_SECRET_FALLBACKS]
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def verification_key(number: str) -> str:
    from cqphub.credentials.verification import verification_key as derive

    return derive(number, verification_secrets()[0])


def verification_url(number: str) -> str:
    """The document's public verification page with its key: the QR code's and the share link's URL,
    which shows the holder's full name (the number alone shows initials)."""
    return f"{public_url()}/attestations/verifier/{number}/?{KEY_PARAMETER}={verification_key(number)}"


def resolve(verification_method: str):
    """Public key of one of our verification methods (retired ones included), or None."""
    return key_store().resolve(verification_method)
