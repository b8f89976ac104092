#!/usr/bin/env python
"""Benchmark: credentials — eddsa-rdfc-2022 signing and verifying, parchment PDFs, a whole jury session.

Each figure is printed beside its ceiling or baseline measured in the same run:
  - sign: `signing.sign` of Open Badges 3.0 credentials of one achievement (different holders),
    beside a bare Ed25519 signature (the ceiling) and a plain pyld canonicalisation (the old way);
  - verify: `signing.verify` of those credentials, beside bare Ed25519 verification and plain pyld;
  - PDFs: `ParchmentTemplate.fill` (holder fields, QR code, attached credential, PAdES signature),
    beside WeasyPrint rendering the same page for every holder;
  - session (needs the database; --session N): `services.issue_session` for a jury session of N
    holders end to end — numbers, credentials, PDFs, status list — in a fresh SQLite database.

Rates are per core: CPU time of this process (the machine is shared, wall time is printed too).
Targets: sign >= 1,000/s, verify >= 1,000/s, PDFs >= 100/s, 5,000-holder session <= 120 s.

Usage: python bench/credentials.py [--count 3000] [--pdfs 300] [--session 5000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/ holds rules.py: keep it off the path so that `import rules` finds django-rules
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))


def measure(label: str, count: int, function, items) -> float:
    wall, cpu = time.perf_counter(), time.process_time()
    for item in items:
        function(item)
    cpu = time.process_time() - cpu
    wall = time.perf_counter() - wall
    rate = count / cpu if cpu else float("inf")
    print(f"  {label:<44} {rate:>10,.0f}/s  (cpu {cpu:6.2f} s, wall {wall:6.2f} s)", flush=True)
    return rate


def credentials_part(count: int) -> dict:
    from cqphub.credentials import canon, did, openbadges, signing, status_list

    tmp = tempfile.mkdtemp()
    store = did.KeyStore(tmp, "cqphub.example.fr")
    key = store.create(name="CPNE")
    signing_key = key.signing_key()
    issuer = openbadges.Issuer(
        did=store.issuer(), name="CPNE de la boulangerie", url="https://cqphub.example.fr/"
    )
    achievement = openbadges.AchievementInfo(
        id="https://cqphub.example.fr/qualifications/12/versions/2",
        name="Tourier",
        description="Le tourier prépare les pâtes et les garnitures.",
        criteria="Validation des trois blocs par le jury paritaire.",
        fiche_code="RNCP37488",
        level=3,
        nsf="221 - Agro-alimentaire, alimentation, cuisine",
        rome=(("D1102", "Boulangerie - viennoiserie"),),
        creators=("CPNE de la boulangerie artisanale",),
        blocks=tuple(openbadges.BlockInfo(f"BC0{i}", f"Bloc {i}") for i in range(1, 4)),
    )
    list_url = "https://cqphub.example.fr/attestations/statuts/platform/1"
    documents = [
        openbadges.build_credential(
            credential_id=f"urn:uuid:{uuid.uuid4()}",
            issuer=issuer,
            achievement=achievement,
            holder=openbadges.Holder(name=f"Titulaire n°{i} Dupont-Œuvré", email=f"holder{i}@example.org"),
            validated_blocks=["BC01", "BC02", "BC03"],
            valid_from="2026-06-15T00:00:00Z",
            status=status_list.StatusEntry(list_url, i),
            salt=uuid.uuid4().hex,
        )
        for i in range(count)
    ]
    public = key.public_key()
    print(f"eddsa-rdfc-2022, {count} OpenBadgeCredentials of one achievement")
    signing.sign(documents[0], signing_key)  # warm the templates (each shape is converted once by pyld)
    signing.sign(documents[1], signing_key)
    signing.sign(documents[2], signing_key)
    payload = b"\x00" * 64
    bare_sign = measure(
        "ceiling: bare Ed25519 sign", count, lambda _d: signing_key.private_key.sign(payload), documents
    )
    few = documents[: max(20, count // 50)]
    pyld = measure(
        "baseline: plain pyld canonicalisation x2",
        len(few),
        lambda d: (
            canon.pyld_canonical(d),
            canon.pyld_canonical(signing.proof_configuration(d, {"type": "x"})),
        ),
        few,
    )
    signed = []
    rate_sign = measure(
        "signing.sign (fast RDFC-1.0 path)",
        count,
        lambda d: signed.append(signing.sign(d, signing_key)),
        documents,
    )
    signature = signing_key.private_key.sign(payload)
    bare_verify = measure(
        "ceiling: bare Ed25519 verify", count, lambda _d: public.verify(signature, payload), documents
    )
    results = []
    rate_verify = measure(
        "signing.verify", count, lambda d: results.append(signing.verify(d, lambda _m: public)), signed
    )
    assert all(r.verified for r in results)
    print(
        f"  sign: {rate_sign / bare_sign:.1%} of bare Ed25519, {rate_sign / pyld:.1f}x plain pyld; "
        f"verify: {rate_verify / bare_verify:.1%} of bare Ed25519, {rate_verify / pyld:.1f}x plain pyld"
    )
    return {"sign": rate_sign, "verify": rate_verify, "store": store, "signed": signed}


def pdf_part(count: int, store, signed: list[dict]) -> float:
    import json

    import django

    django.setup()
    from cqphub.credentials import documents, parchment

    fields, qr = documents.FIELDS, documents.QR
    html = documents.parchment_html(documents.sample_context())
    key = store.active_key()
    signer = parchment.PdfSigner(key.pdf_key_pem, key.pdf_certificate_pem)
    print(f"parchment PDFs, {count} holders of one jury")
    from weasyprint import HTML

    few = list(range(max(5, count // 30)))

    def weasy(i):
        page = html.replace(
            "<!--CARRIERS-->",
            f'<p class="abs field-name" style="top:78mm">Titulaire n°{i} Dupont-Œuvré</p>'
            '<p class="abs field-text" style="top:91mm">né le 1 janvier 1990</p>',
        )
        HTML(string=page).write_pdf(pdf_variant="pdf/a-3b")

    baseline = measure("baseline: WeasyPrint renders each page", len(few), weasy, few)
    cpu = time.process_time()
    template = parchment.ParchmentTemplate.render(html, fields, qr)
    print(f"  template rendered once in {time.process_time() - cpu:.2f} s cpu")
    attachments = [json.dumps(s, ensure_ascii=False).encode() for s in signed[:count]]

    def fill(i):
        template.fill(
            {
                "holder_name": f"Titulaire n°{i} Dupont-Œuvré",
                "birth": "né le 1 janvier 1990",
                "number": f"N° CQP-12-2026-{i:05d}",
            },
            qr_url=f"https://cqphub.example.fr/attestations/verifier/CQP-12-2026-{i:05d}/",
            attachment=attachments[i % len(attachments)],
            signer=signer,
        )

    rate = measure("ParchmentTemplate.fill (fields, QR, PAdES)", count, fill, range(count))
    print(f"  PDFs: {rate / baseline:.1f}x WeasyPrint per page")
    return rate


def session_part(holders: int, sign_rate: float, pdf_rate: float) -> float:
    """A closed jury session of `holders` awards (rows written directly), issued end to end."""
    from datetime import date

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from cqphub.credentials import services
    from cqphub.credentials.models import BlockAttestation, IssuanceRun, IssuedCredential, Parchment
    from cqphub.journeys.models import Candidacy, Candidate, RulesSnapshot
    from cqphub.juries.models import Award, AwardBlock, JurySession
    from cqphub.qualifications.models import Qualification
    from cqphub.web.demo_data import load_demo

    print(f"whole jury session, {holders} holders ({connection.vendor}, fresh database)")
    cpu = time.process_time()
    call_command("migrate", verbosity=0)
    load_demo()
    qualification = next(q for q in Qualification.objects.filter(kind="CQP") if q.latest_published())
    version = qualification.latest_published()
    blocks = list(version.blocks.all())
    session = JurySession.objects.create(
        qualification=qualification,
        on=date(2026, 6, 15),
        place="Paris",
        status="closed",
        opened_at=timezone.now(),
        closed_at=timezone.now(),
    )
    candidates = Candidate.objects.bulk_create(
        Candidate(birth_name=f"Titulaire{i}", first_names="Camille", sex="F" if i % 2 else "M", birth_year=1990,
                  birth_month=1 + i % 12, birth_day=1 + i % 28, birth_country="99100", email=f"t{i}@example.org", identity_key=f"bench-{i}")
        for i in range(holders)
    )  # fmt: skip
    snapshot, _ = RulesSnapshot.objects.get_or_create(
        digest=RulesSnapshot.digest_of([]), defaults={"findings": []}
    )
    candidacies = Candidacy.objects.bulk_create(
        Candidacy(candidate=c, version=version, qualification=qualification, route="vae", funding="personal",
                  rules_on=date(2026, 1, 1), rules_snapshot=snapshot)
        for c in candidates
    )  # fmt: skip
    awards = Award.objects.bulk_create(
        Award(candidate=c.candidate, candidacy=c, version=version, qualification=qualification,
              kind="partial" if i % 10 == 0 else "full", decision_date=session.on, place="Paris",
              jury_session=session, route="vae")
        for i, c in enumerate(candidacies)
    )  # fmt: skip
    AwardBlock.objects.bulk_create(
        AwardBlock(award=a, block=b, order=n)
        for i, a in enumerate(awards)
        for n, b in enumerate(blocks[:1] if i % 10 == 0 else blocks)
    )
    print(f"  setup (migrate, demo data, {holders} awards) {time.process_time() - cpu:.1f} s cpu")
    run = IssuanceRun.objects.create(jury_session=session)
    wall, cpu = time.perf_counter(), time.process_time()
    services.run_session(run)
    cpu = time.process_time() - cpu
    wall = time.perf_counter() - wall
    issued = Parchment.objects.count() + BlockAttestation.objects.count()
    assert issued == holders == IssuedCredential.objects.count(), (issued, holders)
    floor = holders / sign_rate + holders / pdf_rate
    print(
        f"  issued {issued} documents (numbers, credentials, PDFs, status list) in {wall:.1f} s wall, {cpu:.1f} s cpu"
    )
    print(
        f"  floor from this run's rates (sign + PDF only): {floor:.1f} s -> session = {cpu / floor:.2f}x the floor"
    )
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--pdfs", type=int, default=300)
    parser.add_argument("--session", type=int, default=0, help="holders of a whole-session run (0: skip)")
    parser.add_argument("--smoke", action="store_true", help="a few of each: checks that the benchmark runs")
    args = parser.parse_args()
    if args.smoke:
        args.count, args.pdfs, args.session = 20, 3, 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqphub.settings")
    if args.session:
        scratch = Path(tempfile.mkdtemp(prefix="cqphub-bench-"))
        os.environ["CQPHUB_VAR_DIR"] = str(scratch)  # media (PDFs), keys
        os.environ["CQPHUB_CREDENTIALS_KEY_DIR"] = str(scratch / "keys")
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch / 'bench.sqlite3'}")
    figures = credentials_part(args.count)
    pdf_rate = pdf_part(args.pdfs, figures["store"], figures["signed"])
    session = session_part(args.session, figures["sign"], pdf_rate) if args.session else None
    print(
        "\nsummary (targets: sign >= 1,000/s, verify >= 1,000/s, PDFs >= 100/s, 5,000-holder session <= 120 s)"
    )
    print(
        f"  sign {figures['sign']:,.0f}/s · verify {figures['verify']:,.0f}/s · PDFs {pdf_rate:,.0f}/s",
        end="",
    )
    print(f" · session {session:.1f} s" if session is not None else "")


if __name__ == "__main__":
    main()
