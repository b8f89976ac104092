"""Demo data of the credentials app: documents for the demo jury's holders, one of them revoked.

Idempotent: creates the platform issuer key when none exists (development only — production keys
are made with `cqphub credentials keys create`, see the README), issues what closed jury sessions
still lack, and revokes one parchment once.
"""

from __future__ import annotations

from cqphub.credentials import issuer, services
from cqphub.credentials.models import BlockAttestation, Parchment

DEMO_REVOCATION = "Démonstration : décision du jury rectifiée"


def load_demo_credentials() -> dict:
    from cqphub.juries.models import JurySession

    store = issuer.key_store()
    created_key = False
    if store.active_key() is None:
        store.create(name=issuer.issuer_name("platform"))
        created_key = True
    issued = 0
    for session in JurySession.objects.filter(status="closed").order_by("pk"):
        issued += len(services.issue_awards(services.pending_awards(session)))
    revoked = 0
    if not any(
        model.objects.filter(revoked_at__isnull=False).exists() for model in (Parchment, BlockAttestation)
    ):
        first = Parchment.objects.order_by("pk").first() or BlockAttestation.objects.order_by("pk").first()
        if first is not None:
            revoked = int(services.revoke(first, reason=DEMO_REVOCATION))
    return {"key_created": created_key, "issued": issued, "revoked": revoked}
