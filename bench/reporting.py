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
Prints awards/s and ratios to the baseline, the files' size and the peak memory.

The XSD is read from CQPHUB_CDC_XSD or ../shared/data/cdc_accrochage/.

Usage: python bench/reporting.py [--awards 100000] [--out bench/out/reporting]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CQPHUB_SHARED", ROOT.parent / "shared"))
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from lxml import etree  # noqa: E402

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


def baseline(by_certifier, out: Path) -> float:
    """lxml builds and serialises the same passages in the same envelope, nothing else."""
    q = lambda name: f"{{{hr.NAMESPACE}}}{name}"  # noqa: E731
    start = time.perf_counter()
    for c, awards in by_certifier.items():
        account = ACCOUNTS[c]
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


def report(by_certifier, out: Path, schema: str | None, label: str):
    start = time.perf_counter()
    results = []
    for c, awards in by_certifier.items():
        with open(out / f"{label}-{c}.xml", "wb") as f:
            results.append(
                hr.write_flux(
                    f, ACCOUNTS[c], awards, flux=hr.flux_id(ACCOUNTS[c].siret, 1), schema_path=schema
                )
            )
    return time.perf_counter() - start, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--awards", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "reporting")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if not Path(XSD).exists():
        sys.exit(f"CDC schema not found at {XSD}: set CQPHUB_CDC_XSD")
    n = args.awards
    print(f"building {n:,} synthetic awards…", flush=True)
    by_certifier = synthetic(n)

    t_base = baseline(by_certifier, args.out)
    t_report, results = report(by_certifier, args.out, XSD, "report")
    t_plain, _ = report(by_certifier, args.out, None, "plain")
    start = time.perf_counter()
    errors = [e for c in by_certifier for e in hr.validate_file(args.out / f"report-{c}.xml", XSD)]
    t_check = time.perf_counter() - start

    written = sum(r.count for r in results)
    assert all(r.validated for r in results), [r.errors[:3] for r in results]
    assert not errors, errors[:3]
    assert written == n, (written, n)
    size = sum(r.size for r in results)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def line(label, seconds):
        print(
            f"{label:<58} {seconds:7.2f} s  {n / seconds:>9,.0f} awards/s  {seconds / t_base:5.2f}× baseline"
        )

    print(
        f"\n{n:,} awards, {len(results)} files, {size / 1e6:.1f} MB, {sum(len(r.corrections) for r in results)} corrections"
    )
    line("baseline: lxml elements + xmlfile, no checks/validation", t_base)
    line("report: checks + streamed + XSD-validated (target ≥ 20,000/s)", t_report)
    line("report without a schema configured (not validated)", t_plain)
    line("full streamed re-validation of the written files", t_check)
    verdict = "MET" if n / t_report >= 20_000 else "MISSED"
    print(
        f"\nvalidated report: {n / t_report:,.0f} awards/s → target 20,000/s {verdict}; peak memory {peak:.0f} MB"
    )


if __name__ == "__main__":
    main()
