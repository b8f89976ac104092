#!/usr/bin/env python
"""Benchmark: holder report files (CDC "accrochage") for 100,000 synthetic awards.

Measured in one run, on the same awards (4 certifiers × 5 fiches, names with accents and
apostrophes, every route, VAE leave, births abroad, revocations sent as corrections):
  - baseline: the bare lxml serialisation of the same passages — each `passageCertification` built
    with lxml (`passage_element`) and written with `etree.xmlfile` in the same envelope, no checks,
    no validation;
  - report: `holder_report.write_flux` — checks, streamed writing, XSD validation of every chunk in
    worker threads (the production path); target ≥ 20,000 awards/s;
  - report without a schema (what a deployment with no XSD configured does);
  - full re-validation of the written files in one streamed pass (`validate_file`).
Prints awards/s and ratios to the baseline, the files' size and the peak memory, and beside each the
CPU seconds of the process (all threads): on a shared machine the wall clock also measures the queue.

Tried and measured against the production path's validation (parse each chunk, then `XMLSchema.validate`
the tree), same chunks, same run: a schema-aware parser (`XMLParser(schema=…)`, validating while it
parses) took 1.1-1.4× as long; `iterparse(schema=…)` 1.4-2.7×; building the passages as lxml elements
and writing them with `etree.xmlfile` is this benchmark's baseline, 2.6× the CPU of the text template.
Also measured (100,000 awards, one run, load average 15-17 on 2 cores; CPU seconds, all threads): chunks
of 1,000 / 5,000 / 10,000 / 1,000 / 5,000 passages took 7.7 / 9.4 / 8.6 / 9.6 / 8.1 s against 3.8 s
unvalidated and 13.2 s for the baseline: the chunk size makes no difference beyond the noise
(`--chunk-size` to repeat it). Validating each written file once at the end as a whole tree
(`XMLSchema.validate(etree.parse(file))`) cost 3.75 s on top of the 3.8 s: the same total, the whole
file in memory and no position until the end; `iterparse(schema=…)` at the end 5.7 s. Validation is
about half of the validated report's CPU whichever way it is cut; the chunked path stays.

Part "holder-db": the production path from the database (`services.build_file`), on the full awards of
the statistics data below (about 41,000), beside the same lxml baseline: the ORM read alone, then the
whole file (read, checks, writing, validation, every entry moved to "in file N"), rolled back after.

The XSD is read from CQPHUB_CDC_XSD or ../shared/data/cdc_accrochage/.

Part "stats": the statistics dashboard over 200,000 candidacies and 1.2 million block decisions
(20 qualifications × 8 blocks, 50 centres, 2022-2026), generated once into bench/out/reporting-stats.sqlite3
or, with DATABASE_URL=postgres://…/NAME, into the database NAME_reporting_stats. It times the rebuild of
the statistics cells (`aggregates.refresh_statistics`), then the dashboard page (a full Django request,
in process) for 40 filter combinations × 5 rounds — the first round with an empty cache (the cells are
cached under the statistics' data version), reported apart — beside a baseline measured in the same run: one bare
`SELECT status, COUNT(*) … GROUP BY status` over the whole candidacy table (the least a dashboard
reading the raw tables would run per request). Target: dashboard p95 ≤ 300 ms.

Usage: python bench/reporting.py [--part holder|holder-db|stats|all] [--awards 100000] [--chunk-size 1000] [--out bench/out/reporting]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from datetime import UTC, date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CQPHUB_SHARED", ROOT.parent / "shared"))
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from lxml import etree  # noqa: E402

from bench.databases import bench_database_url, sqlite_url  # noqa: E402
from cqphub.reporting import holder_report as hr  # noqa: E402

XSD = os.environ.get(
    "CQPHUB_CDC_XSD",
    str(SHARED / "data" / "cdc_accrochage" / "cpf_accrochage_pc5_schema_1.0.0_v1.1.2_pix.xsd"),
)
BIRTH = [
    "Lefèvre",
    "N'Diaye",
    "Da Silva",
    "Müller",
    "Nguyễn",
    "O'Connor",
    "Martin",
    "Benoît-Lemaire",
    "Zoë & Co",
]
FIRST = ["Anne-Sophie", "Éloïse", "Jean", "Mohamed", "Chloé", "Ngọc", "Loïc", "Maëlle"]
ROUTES = ["pro_contract", "plan", "cpf", "pro_a", "ptp", "poe", "vae", "apprenticeship"]


def synthetic(n: int, seed: int = 7) -> dict[int, list[hr.AwardRecord]]:
    rnd = random.Random(seed)
    by_certifier: dict[int, list[hr.AwardRecord]] = {c: [] for c in range(4)}
    for i in range(n):
        certifier = i % 4
        fiche = hr.Fiche(
            "RNCP" if i % 5 else "RS", f"{'RNCP' if i % 5 else 'RS'}{30000 + certifier * 10 + i % 5}"
        )
        abroad = i % 23 == 0
        decided = date(2026, 1, 1) + timedelta(days=rnd.randrange(300))
        holder = hr.Holder(
            birth_name=rnd.choice(BIRTH),
            first_names=tuple(rnd.sample(FIRST, rnd.randint(1, 3))),
            sex=rnd.choice("MF"),
            birth_year=rnd.randint(1960, 2006),
            birth_month=rnd.randint(1, 12),
            birth_day=rnd.randint(1, 28) if i % 11 else None,
            usage_name=rnd.choice(["", "", "Martin", "Durand"]),
            birth_insee_code="" if abroad else f"{rnd.randint(1, 95):02d}{rnd.randint(1, 999):03d}",
            birth_country_code="99134" if abroad else "",
            birth_country_name="Espagne" if abroad else "",
            birth_city=rnd.choice(["Lyon", "Saint-Étienne", "Madrid", "Pointe-à-Pitre"]),
            identity_verified=i % 3 != 0,
        )
        route = rnd.choice(ROUTES)
        by_certifier[certifier].append(
            hr.AwardRecord(
                id_technique=f"cqphub-award-{i}",
                reference=f"CQP-2026-{i:06d}",
                holder=holder,
                fiche=fiche,
                route=route,
                decision_date=decided,
                proof_url=f"https://cqphub.example/attestations/verifier/CQP-2026-{i:06d}",
                vae_leave=route == "vae" and i % 2 == 0,
                initiative=rnd.choice(["candidate", "centre", "employer", "france_travail", ""]),
                enrolled_on=decided - timedelta(days=rnd.randrange(60, 700)),
                exam_start=decided - timedelta(days=10),
                exam_end=decided - timedelta(days=8),
                exam_modality=rnd.choice(["on_site", "remote", "mixed"]),
                exam_postcode="69007",
                revoked_on=decided + timedelta(days=30) if i % 97 == 0 else None,
            )
        )
    for awards in by_certifier.values():
        awards.sort(key=lambda a: a.fiche.code)  # type: ignore[union-attr]
    return by_certifier


ACCOUNTS = [
    hr.CertifierAccount(
        siret=f"7756714640{c:04d}", name=f"CPNE {c}", client_id=f"12ABC34{c}", contract_id=f"MCFCER00012{c}"
    )
    for c in range(4)
]


def baseline(by_certifier, out: Path, accounts=ACCOUNTS) -> float:
    """lxml builds and serialises the same passages in the same envelope, nothing else."""
    q = lambda name: f"{{{hr.NAMESPACE}}}{name}"  # noqa: E731
    start = time.perf_counter()
    for c, awards in by_certifier.items():
        account = accounts[c]
        with etree.xmlfile(str(out / f"baseline-{c}.xml"), encoding="utf-8") as xf:
            xf.write_declaration()
            with xf.element(q("flux"), nsmap={"cpf": hr.NAMESPACE, "xsi": hr.XSI}):
                for name, value in (("idFlux", f"B{c}"), ("horodatage", hr.timestamp())):
                    e = etree.Element(q(name))
                    e.text = value
                    xf.write(e)
                with (
                    xf.element(q("emetteur")),
                    xf.element(q("certificateurs")),
                    xf.element(q("certificateur")),
                ):
                    for name, value in (("idClient", account.client_id), ("idContrat", account.contract_id)):
                        e = etree.Element(q(name))
                        e.text = value
                        xf.write(e)
                    with xf.element(q("certifications")):
                        current = None
                        cm = None
                        for a in awards:
                            if a.fiche != current:
                                if cm is not None:
                                    cm.__exit__(None, None, None)
                                current = a.fiche
                                cm = _Group(xf, q, a.fiche)
                                cm.__enter__()
                            xf.write(hr.passage_element(a))
                        if cm is not None:
                            cm.__exit__(None, None, None)
    return time.perf_counter() - start


class _Group:
    def __init__(self, xf, q, fiche):
        self.xf, self.q, self.fiche = xf, q, fiche

    def __enter__(self):
        self.outer = self.xf.element(self.q("certification"))
        self.outer.__enter__()
        for name, value in (
            ("type", self.fiche.register),
            ("code", self.fiche.code),
            ("natureDeposant", "CERTIFICATEUR"),
        ):
            e = etree.Element(self.q(name))
            e.text = value
            self.xf.write(e)
        self.inner = self.xf.element(self.q("passageCertifications"))
        self.inner.__enter__()

    def __exit__(self, *exc):
        self.inner.__exit__(*exc)
        self.outer.__exit__(*exc)


def report(by_certifier, out: Path, schema: str | None, label: str, chunk_size: int = 1000):
    start = time.perf_counter()
    results = []
    for c, awards in by_certifier.items():
        with open(out / f"{label}-{c}.xml", "wb") as f:
            results.append(
                hr.write_flux(
                    f,
                    ACCOUNTS[c],
                    awards,
                    flux=hr.flux_id(ACCOUNTS[c].siret, 1),
                    schema_path=schema,
                    chunk_size=chunk_size,
                )
            )
    return time.perf_counter() - start, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=["holder", "holder-db", "stats", "all"], default="all")
    parser.add_argument("--awards", type=int, default=100_000)
    parser.add_argument("--chunk-size", type=int, default=1000, help="passages per validated chunk")
    parser.add_argument("--candidacies", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "reporting")
    parser.add_argument("--smoke", action="store_true", help="small counts: checks that the benchmark runs")
    args = parser.parse_args()
    if args.smoke:
        args.awards, args.candidacies, args.rounds = 300, 500, 1
        os.environ["DATABASE_URL"] = sqlite_url(
            ROOT / "bench" / "out" / "reporting-smoke.sqlite3", fresh=True
        )
    args.out.mkdir(parents=True, exist_ok=True)
    if args.part in ("holder", "all"):
        holder_part(args)
    if args.part in ("stats", "holder-db", "all"):
        setup_stats_database(args)
    if args.part in ("holder-db", "all"):
        holder_db_part(args)
    if args.part in ("stats", "all"):
        stats_part(args)


def holder_part(args) -> None:
    if not Path(XSD).exists():
        sys.exit(f"CDC schema not found at {XSD}: set CQPHUB_CDC_XSD")
    n = args.awards
    print(f"building {n:,} synthetic awards…", flush=True)
    by_certifier = synthetic(n)

    cpu: dict[str, float] = {}  # CPU seconds of the process (every thread) per phase: under a shared load
    # the wall clock also measures the scheduler; CPU time says what the work itself costs

    def timed(label, work):
        start = time.process_time()
        value = work()
        cpu[label] = time.process_time() - start
        return value

    t_base = timed("base", lambda: baseline(by_certifier, args.out))
    t_report, results = timed(
        "report", lambda: report(by_certifier, args.out, XSD, "report", chunk_size=args.chunk_size)
    )
    t_plain, _ = timed("plain", lambda: report(by_certifier, args.out, None, "plain"))
    start = time.perf_counter()
    errors = timed(
        "check",
        lambda: [e for c in by_certifier for e in hr.validate_file(args.out / f"report-{c}.xml", XSD)],
    )
    t_check = time.perf_counter() - start

    written = sum(r.count for r in results)
    assert all(r.validated for r in results), [r.errors[:3] for r in results]
    assert not errors, errors[:3]
    assert written == n, (written, n)
    size = sum(r.size for r in results)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def line(label, seconds, key):
        print(
            f"{label:<58} {seconds:7.2f} s  {n / seconds:>9,.0f} awards/s  {seconds / t_base:5.2f}× baseline"
            f"  | CPU {cpu[key]:6.2f} s  {n / cpu[key]:>9,.0f} awards/CPU-s  {cpu[key] / cpu['base']:5.2f}×"
        )

    print(
        f"\n{n:,} awards, {len(results)} files, {size / 1e6:.1f} MB, {sum(len(r.corrections) for r in results)} corrections"
    )
    line("baseline: lxml elements + xmlfile, no checks/validation", t_base, "base")
    line("report: checks + streamed + XSD-validated (target ≥ 20,000/s)", t_report, "report")
    line("report without a schema configured (not validated)", t_plain, "plain")
    line("full streamed re-validation of the written files", t_check, "check")
    verdict = "MET" if n / t_report >= 20_000 else "MISSED"
    print(
        f"\nvalidated report: {n / t_report:,.0f} awards/s → target 20,000/s {verdict}; peak memory {peak:.0f} MB"
    )


# --- statistics dashboard ------------------------------------------------------------------------


def database_url() -> str:
    """A SQLite DATABASE_URL (the smoke run's) is used as it is; otherwise the part's own database."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("sqlite"):
        return url
    return bench_database_url(
        "_reporting_stats", ROOT / "bench" / "out" / "reporting-stats.sqlite3", fresh=False
    )


BLOCKS_PER_CQP = 8
QUALIFICATIONS = 20
CENTRES = 50
BATCH = 5000


class Rows:
    """Rows for one model, written with the project's bulk writer (executemany / COPY), ids assigned here."""

    def __init__(self, model):
        from django.db import connection
        from django.utils import timezone

        self.model, self.connection, self.now = model, connection, timezone.now()
        self.fields = [f for f in model._meta.concrete_fields]
        self.columns = [f.column for f in self.fields]
        self.next_id = (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        self.rows: list = []

    def add(self, **values) -> int:
        pk = self.next_id
        self.next_id += 1
        values["id"] = pk
        row = []
        for f in self.fields:
            if f.attname in values:
                value = values[f.attname]
            elif getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
                value = self.now
            else:
                value = f.get_default()
            row.append(f.get_db_prep_save(value, self.connection))
        self.rows.append(row)
        return pk

    def flush(self) -> None:
        from cqphub.registry.bulk import BulkWriter

        BulkWriter().insert(self.model._meta.db_table, self.columns, self.rows)
        self.rows = []

    def reset_sequence(self) -> None:
        if self.connection.vendor == "postgresql":
            table = self.model._meta.db_table
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                )


def generate(n_candidacies: int) -> None:
    """200,000 candidacies, 150,000 of them decided on 8 blocks (1.2 million decisions), their awards."""
    from datetime import datetime

    from django.db import transaction

    from cqphub.journeys.models import Admissibility, Candidacy, Candidate
    from cqphub.juries.models import Award, Decision, JurySession
    from cqphub.qualifications import services as qs
    from cqphub.qualifications.models import Qualification
    from cqphub.reporting.models import HolderReportEntry
    from tests.factories.orgs import CentreFactory, CertifierEntityFactory
    from tests.factories.qualifications import fill_version, make_committee, make_qualification

    rnd = random.Random(11)
    print(f"generating {n_candidacies:,} candidacies and their decisions (once)…", flush=True)
    start = time.perf_counter()
    committee = make_committee()
    certifier = CertifierEntityFactory(branch=committee.branches.first())
    quals = []
    for q in range(QUALIFICATIONS):
        qual = make_qualification(committee=committee, title=f"CQP banc d'essai {q + 1}", ip_holder=certifier)
        blocks = fill_version(qual.draft(), blocks=tuple(f"BC{b + 1:02d}" for b in range(BLOCKS_PER_CQP)))
        qs.publish_version(actor=None, version=qual.draft())
        Qualification.objects.filter(pk=qual.pk).update(
            register="RNCP",
            fiche_code=f"RNCP98{q:03d}",
            registered_from=date(2020, 1, 1),
            registered_until=date(2030, 1, 1),
        )
        quals.append((qual.pk, qual.latest_published().pk, [b.pk for b in blocks.values()]))
    centres = [CentreFactory().pk for _ in range(CENTRES)]
    sessions = {}
    for qual_pk, _version, _blocks in quals:
        for year in range(2022, 2027):
            for month in (3, 6, 9, 12):
                sessions[(qual_pk, year, month)] = JurySession.objects.create(
                    qualification_id=qual_pk, on=date(year, month, 15), place="Banc d'essai"
                )
    statuses_open = ["submitted", "enrolled", "in_training", "ready_for_assessment", "withdrawn"]
    fundings = ["professionalisation", "plan", "cpf", "pro_a", "ptp", "poe"]
    decided_target = n_candidacies * 3 // 4
    from cqphub.journeys.models import RulesSnapshot

    snapshot = RulesSnapshot.for_findings([]).pk
    people, cands, adms, decisions, awards, entries = (
        Rows(Candidate),
        Rows(Candidacy),
        Rows(Admissibility),
        Rows(Decision),
        Rows(Award),
        Rows(HolderReportEntry),
    )
    for k in range(n_candidacies):
        qual_pk, version_pk, blocks = quals[k % QUALIFICATIONS]
        person = people.add(
            birth_name=f"Banc{k}", first_names="Alex", sex="MF"[k % 2], birth_year=1970 + k % 35,
            birth_commune="69123", identity_key=f"banc{k}|alex",
        )  # fmt: skip
        vae = k % 5 == 0
        year = 2022 + rnd.randrange(5)
        created = datetime(year, 1 + rnd.randrange(12), 1 + rnd.randrange(28), tzinfo=UTC)
        decided = k < decided_target
        candidacy = cands.add(
            candidate_id=person, version_id=version_pk, qualification_id=qual_pk,
            route="vae" if vae else "training", funding="cpf" if vae else rnd.choice(fundings),
            centre_id=None if vae else centres[k % CENTRES], rules_on=date(year, 1, 10),
            status="decided" if decided else rnd.choice(statuses_open), created=created, rules_snapshot_id=snapshot,
            status_changed_at=created,
        )  # fmt: skip
        if vae:
            ok = k % 7 != 0
            adms.add(
                candidacy_id=candidacy, decision="admissible" if ok else "not_admissible",
                reasons="" if ok else "Expérience sans rapport (banc d'essai)", decided_on=created.date(),
            )  # fmt: skip
        if decided:
            session = sessions[(qual_pk, min(2026, year + 1), rnd.choice((3, 6, 9, 12)))]
            all_ok = True
            for block in blocks:
                ok = rnd.random() < 0.85
                all_ok &= ok
                decisions.add(
                    session_id=session.pk, candidacy_id=candidacy, block_id=block, validated=ok,
                    proposal="validated" if ok else "not_validated", kind="decision", author_repr="banc",
                )  # fmt: skip
            award = awards.add(
                candidate_id=person, candidacy_id=candidacy, version_id=version_pk, qualification_id=qual_pk,
                kind="full" if all_ok else "partial", decision_date=session.on, jury_session_id=session.pk,
                route="vae" if vae else "training",
            )  # fmt: skip
            if all_ok:
                accepted = award % 10 != 0
                entries.add(
                    award_id=award, certifier_id=certifier.pk, qualification_id=qual_pk, decision_date=session.on,
                    due_on=hr.deadline(session.on), state="accepted" if accepted else "to_report",
                    accepted_files=[1] if accepted else [],
                )  # fmt: skip
        if (k + 1) % BATCH == 0 or k + 1 == n_candidacies:
            with transaction.atomic():
                for rows in (people, cands, adms, decisions, awards, entries):
                    rows.flush()
            if (k + 1) % 50_000 == 0 or k + 1 == n_candidacies:
                print(f"  {k + 1:,} candidacies, {decisions.next_id - 1:,} decisions", flush=True)
    for rows in (people, cands, adms, decisions, awards, entries):
        rows.reset_sequence()
    print(f"generated in {time.perf_counter() - start:.0f} s", flush=True)


def _pct(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def setup_stats_database(args) -> None:
    """Django on the statistics database, generated once (also the source of the holder-db part)."""
    os.environ["DATABASE_URL"] = database_url()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqphub.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    settings.MEDIA_ROOT = str(args.out / "media")  # the holder-db part's files (rolled back rows)
    from cqphub.journeys.models import Candidacy

    call_command("migrate", verbosity=0)
    if Candidacy.objects.filter(candidate__birth_name__startswith="Banc").count() < args.candidacies:
        generate(args.candidacies)


class _RolledBack(Exception):
    pass


def holder_db_part(args) -> None:
    """The production path from the database: every full award of the statistics data (about 41,000 of
    the 150,000 decided candidacies) put back "to report" with a parchment each, then
      - read: `services._records` alone (the chunked values_list read and the mapping to records);
      - baseline: the bare lxml serialisation of the same records (as the holder part's baseline);
      - file: `services.build_file` — read, checks, streamed writing, XSD validation, the file stored and
        every entry moved to "in file N" with its event.
    All in one transaction rolled back at the end, so the data stays as generated."""
    import tempfile

    from django.conf import settings
    from django.db import connection, transaction

    from cqphub.credentials.models import Parchment
    from cqphub.juries.models import Award
    from cqphub.reporting import services
    from cqphub.reporting.models import CdcAccount, HolderReportEntry

    if not Path(XSD).exists():
        sys.exit(f"CDC schema not found at {XSD}: set CQPHUB_CDC_XSD")
    settings.CQPHUB_CDC_XSD = XSD
    entry = HolderReportEntry.objects.select_related("certifier").first()
    certifier = entry.certifier
    cpu: dict[str, float] = {}
    wall: dict[str, float] = {}

    def timed(label, work):
        start, start_cpu = time.perf_counter(), time.process_time()
        value = work()
        wall[label], cpu[label] = time.perf_counter() - start, time.process_time() - start_cpu
        return value

    try:
        with transaction.atomic():
            pending = HolderReportEntry.objects.filter(certifier=certifier)
            pending.update(state="to_report", accepted_files=[], file=None, file_number=None)
            CdcAccount.objects.update_or_create(
                certifier=certifier, defaults={"client_id": "12ABC345", "contract_id": "MCFCER000123"}
            )
            documents = Rows(Parchment)
            awards = Award.objects.filter(pk__in=pending.values("award_id")).exclude(
                pk__in=Parchment.objects.values("award_id")
            )
            for award_id, qual_id, decided in awards.values_list("pk", "qualification_id", "decision_date"):
                documents.add(
                    award_id=award_id, qualification_id=qual_id, number=f"CQP-{decided.year}-B{award_id:07d}",
                    year=decided.year, sequence=award_id, holder_name="Banc Alex", mentions={},
                )  # fmt: skip
            documents.flush()
            n = pending.count()
            records = timed("read", lambda: list(services._records(pending)))
            account = hr.CertifierAccount(
                siret=certifier.siret, name="bench", client_id="12ABC345", contract_id="MCFCER000123"
            )
            with tempfile.TemporaryDirectory() as tmp:
                timed("base", lambda: baseline({0: records}, Path(tmp), [account]))
            records = None  # the file's own read streams them again
            report, result = timed("file", lambda: services.build_file(certifier))
            assert report is not None and result.validated, result.errors[:3]
            assert result.count + len(result.not_reportable) + len(result.excluded) == n
            moved = HolderReportEntry.objects.filter(certifier=certifier, state="in_file").count()
            assert moved == result.count, (moved, result.count)
            raise _RolledBack
    except _RolledBack:
        pass
    print(f"\n{connection.vendor}: {n:,} awards read from the database, {result.count:,} in the file")
    for label, text in (
        ("base", "baseline: lxml elements + xmlfile of the same records"),
        ("read", "read: chunked values_list + mapping to records"),
        ("file", "build_file: read + checks + streamed + XSD-validated + states"),
    ):
        print(
            f"{text:<62} {wall[label]:7.2f} s  {n / wall[label]:>9,.0f} awards/s  {wall[label] / wall['base']:5.2f}×"
            f"  | CPU {cpu[label]:6.2f} s  {n / cpu[label]:>9,.0f} awards/CPU-s  {cpu[label] / cpu['base']:5.2f}×"
        )


def stats_part(args) -> None:
    from django.db import connection
    from django.test import Client

    from cqphub.journeys.models import Candidacy
    from cqphub.juries.models import Decision
    from cqphub.orgs.models import User
    from cqphub.reporting.aggregates import refresh_statistics
    from cqphub.reporting.models import CandidacyStat

    n_cand, n_dec = Candidacy.objects.count(), Decision.objects.count()
    refresh = refresh_statistics()
    print(f"\n{connection.vendor}: {n_cand:,} candidacies, {n_dec:,} block decisions")
    print(
        f"statistics cells rebuilt in {refresh.seconds:.1f} s ({CandidacyStat.objects.count():,} candidacy cells)"
    )

    user, _ = User.objects.get_or_create(
        email="bench.reporting@example.org", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(user)
    from cqphub.qualifications.models import Qualification

    quals = list(Qualification.objects.filter(title__startswith="CQP banc").values_list("pk", flat=True))
    from cqphub.reporting.models import CandidacyStat as C

    centres = list(C.objects.exclude(centre=None).values_list("centre_id", flat=True).distinct()[:10])
    combos = [{}]
    combos += [{"qualification": q} for q in quals[:10]]
    combos += [{"centre": c} for c in centres[:8]]
    combos += [{"route": r} for r in ("vae", "professionalisation", "cpf", "plan")]
    combos = [
        {k: ("pro_contract" if v == "professionalisation" else v) for k, v in c.items()} for c in combos
    ]
    combos += [{"year": y} for y in range(2022, 2027)]
    combos += [{"qualification": quals[i], "year": 2025, "route": "vae"} for i in range(min(12, len(quals)))]
    combos = combos[:40]
    from django.core.cache import cache

    cache.clear()  # the first round is cold: every combination computed from the cells
    page, cold, base, cpu = [], [], [], []
    with connection.cursor() as cursor:
        for round_ in range(args.rounds):
            for combo in combos:
                t0 = time.perf_counter()
                cursor.execute("SELECT status, COUNT(*) FROM journeys_candidacy GROUP BY status")
                cursor.fetchall()
                base.append(time.perf_counter() - t0)
                t0, c0 = time.perf_counter(), time.process_time()
                response = client.get("/espace/rapports/statistiques/", combo)
                page.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
                if round_ == 0:
                    cold.append(page[-1])
                assert response.status_code == 200, response.status_code
    ms = lambda values, q: _pct(values, q) * 1000  # noqa: E731
    b95 = ms(base, 0.95)
    print(
        f"baseline: bare GROUP BY status over the candidacies   p50 {ms(base, 0.5):7.1f} ms  p95 {b95:7.1f} ms"
    )
    print(
        f"dashboard page, first round (cold cache)             p50 {ms(cold, 0.5):7.1f} ms  p95 {ms(cold, 0.95):7.1f} ms"
        f"  ({ms(cold, 0.95) / b95:.2f}× baseline p95)"
    )
    p95 = ms(page, 0.95)
    print(
        f"dashboard page, all {args.rounds} rounds                         p50 {ms(page, 0.5):7.1f} ms  p95 {p95:7.1f} ms"
        f"  ({p95 / b95:.2f}× baseline p95)  | CPU of this process p95 {ms(cpu, 0.95):6.1f} ms"
    )
    print(f"target dashboard p95 ≤ 300 ms: {'MET' if p95 <= 300 else 'MISSED'} ({len(page)} requests)")


if __name__ == "__main__":
    main()
