"""`cqphub credentials list|show|revoke|attest|reconcile|keys`: issued documents and issuer keys."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from cqphub.credentials import issuer, selectors, services
from cqphub.credentials.did import PLATFORM


class Command(BaseCommand):
    help = "Parchments, block attestations and their signed credentials; the issuer keys."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="Issued documents: number, kind, holder, decision date, state.")
        listing.add_argument("--qualification", type=int, help="Only this qualification (id).")
        listing.add_argument("--json", action="store_true", dest="as_json")
        show = sub.add_parser("show", help="The signed credential as issued, or the parchment PDF.")
        show.add_argument("number")
        show.add_argument("--format", choices=["json", "pdf"], default="json", dest="fmt")
        show.add_argument("--out", help="File to write (default: standard output for JSON).")
        revoke = sub.add_parser(
            "revoke", help="Revoke a document: its status bit is flipped and the list re-signed."
        )
        revoke.add_argument("number")
        revoke.add_argument("--reason", required=True)
        attest = sub.add_parser(
            "attest", help="Issue the block attestation of an award (a full award's, on request)."
        )
        attest.add_argument("award_id", type=int)
        sub.add_parser("reconcile", help="Revoke the documents of revoked awards that are still valid.")
        keys = sub.add_parser("keys", help="Issuer keys (files under CQPHUB_CREDENTIALS_KEY_DIR).")
        keys.add_argument("key_action", choices=["create", "rotate", "list"])
        keys.add_argument("--issuer", default=PLATFORM, help="'platform' (default) or a branch's slug.")
        keys.add_argument("--name", default="", help="Name in the PDF signing certificate.")

    def handle(self, *args, action, **options):
        return getattr(self, f"handle_{action}")(**options)

    def handle_list(self, qualification=None, as_json=False, **options):
        rows = [
            {
                "number": d.number,
                "kind": type(d).KIND.value,
                "holder": d.holder_name,
                "decision_date": d.mentions.get("decision_date"),
                "state": "revoked" if d.revoked_at else "valid",
                "revoked_at": d.revoked_at.isoformat() if d.revoked_at else None,
            }
            for d in selectors.documents(qualification_id=qualification)
        ]
        if as_json:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        for row in rows:
            self.stdout.write(
                f"{row['number']:<22} {row['kind']:<12} {row['state']:<8} {row['decision_date']}  {row['holder']}"
            )
        self.stdout.write(f"{len(rows)} document(s)")

    def _document(self, number):
        document = selectors.document_by_number(number)
        if document is None:
            raise CommandError(f"no document numbered {number!r}")
        return document

    def handle_show(self, number, fmt="json", out=None, **options):
        document = self._document(number)
        if fmt == "json":
            text = document.credential.signed_json
            if out:
                Path(out).write_text(text, encoding="utf-8")
            else:
                self.stdout.write(text, ending="")
            return
        if not out:
            raise CommandError("--out FILE is required for a PDF")
        if not document.pdf or not default_storage.exists(document.pdf):
            raise CommandError(f"{number}: no PDF stored")
        with default_storage.open(document.pdf, "rb") as source:
            Path(out).write_bytes(source.read())
        self.stdout.write(f"wrote {out}")

    def handle_revoke(self, number, reason, **options):
        document = self._document(number)
        try:
            changed = services.revoke(document, reason=reason)
        except ValueError as error:
            raise CommandError(str(error))
        self.stdout.write(f"{number}: revoked" if changed else f"{number}: already revoked")

    def handle_attest(self, award_id, **options):
        from django.core.exceptions import ObjectDoesNotExist, ValidationError

        from cqphub.juries import selectors as awards

        try:
            award = awards.award(award_id)
        except ObjectDoesNotExist:
            raise CommandError(f"no award with id {award_id}")
        try:
            attestation, created = services.request_block_attestation(award, actor=None)
        except ValidationError as error:
            raise CommandError(f"award {award_id}: " + " ".join(error.messages))
        self.stdout.write(f"{attestation.number}: {'issued' if created else 'already issued'}")

    def handle_reconcile(self, **options):
        self.stdout.write(f"{services.reconcile_revocations()} document(s) revoked")

    def handle_keys(self, key_action, issuer: str = PLATFORM, name: str = "", **options):
        store = issuer_module().key_store()
        if key_action == "list":
            keys = [k for slug in store.slugs() for k in store.keys(slug)]
            for key in keys:
                state = f"retired {key.retired}" if key.retired else "active"
                self.stdout.write(f"{key.verification_method}  created {key.created}  {state}")
            if not keys:
                self.stdout.write(f"no issuer key in {store.directory}: run `cqphub credentials keys create`")
            return
        if key_action == "create" and store.active_key(issuer) is not None:
            raise CommandError(f"{issuer} already has an active key: use `keys rotate` to replace it")
        key = store.create(issuer, name=name or issuer_module().issuer_name(issuer))
        self.stdout.write(f"{key_action}: {key.verification_method} in {store.directory / issuer}")
        self.stdout.write(
            f"DID document: {issuer_module().public_url()}"
            + ("/.well-known/did.json" if issuer == PLATFORM else f"/attestations/issuers/{issuer}/did.json")
        )


def issuer_module():
    return issuer
