"""Registry rows for tests: a small factory, and the 703 real CQP fiches of `../shared` (derived CSV).

`make_certification(...)` writes one fiche with its children. `load_cqp_subset(folder)` builds rows from
`rncp/cqp_subset_v1.3_2020-11/` (Mission apprentissage's reshaping of France compétences' 2020 data,
not the official export format, so the importer does not read it): real titles, blocks, certifiers,
NSF, ROME and access routes, enough to judge the ranking on real queries.
"""

from __future__ import annotations

import csv
import hashlib
import zlib
from datetime import date, datetime
from itertools import count
from pathlib import Path

from django.utils import timezone

from cqphub.registry.models import (
    Block,
    Certification,
    Certifier,
    Classification,
    ContinuityLink,
    ImportRun,
    Partner,
    derive_is_cqp,
    derive_is_interbranch,
)

_numbers = count(90000)


def import_run() -> ImportRun:
    run = ImportRun.objects.filter(status=ImportRun.Status.DONE).first()
    return run or ImportRun.objects.create(
        status=ImportRun.Status.DONE, files=["factory"], finished_at=timezone.now()
    )


def make_certification(
    code: str | None = None,
    title: str = "Certification d'essai",
    *,
    blocks: list[tuple[str, str] | tuple[str, str, str]] = (),
    certifiers: list[str] = (),
    partners: list[str] = (),
    rome: list[tuple[str, str]] = (),
    nsf: list[tuple[str, str]] = (),
    idcc: list[tuple[str, str]] = (),
    formacode: list[tuple[str, str]] = (),
    predecessors: list[str] = (),
    successors: list[str] = (),
    run: ImportRun | None = None,
    **fields,
) -> Certification:
    code = code or f"RNCP{next(_numbers)}"
    register = "RS" if code.upper().startswith("RS") else "RNCP"
    run = run or import_run()
    raw = f"<FICHE><NUMERO_FICHE>{code}</NUMERO_FICHE></FICHE>".encode()
    fields.setdefault("active", True)
    fields.setdefault("abbreviation_code", "")
    fields.setdefault("is_cqp", derive_is_cqp(fields.get("abbreviation_code", ""), title))
    fields.setdefault(
        "is_interbranch", derive_is_interbranch(fields.get("abbreviation_code", ""), title, len(idcc))
    )
    cert = Certification.objects.create(
        code=code,
        register=register,
        number=int(code[len(register) :]),
        title=title,
        raw=zlib.compress(raw),
        raw_format="xml",
        digest=hashlib.sha256(raw).hexdigest(),
        first_import=run,
        last_change_import=run,
        **fields,
    )
    Block.objects.bulk_create(
        Block(
            certification=cert,
            position=i,
            code=b[0],
            title=b[1],
            skills=b[2] if len(b) > 2 else "",
            assessment=b[3] if len(b) > 3 else "",
        )
        for i, b in enumerate(blocks)
    )
    Certifier.objects.bulk_create(
        Certifier(certification=cert, position=i, name=name) for i, name in enumerate(certifiers)
    )
    Partner.objects.bulk_create(
        Partner(
            certification=cert, position=i, name=name, siret=f"{i:014d}", habilitation="HABILITATION_FORMER"
        )
        for i, name in enumerate(partners)
    )
    rows = []
    for scheme, items in (("rome", rome), ("nsf", nsf), ("idcc", idcc), ("formacode", formacode)):
        rows += [
            Classification(certification=cert, scheme=scheme, position=i, code=c, label=label)
            for i, (c, label) in enumerate(items)
        ]
    Classification.objects.bulk_create(rows)
    ContinuityLink.objects.bulk_create(
        [
            *(
                ContinuityLink(certification=cert, kind="predecessor", position=i, other_code=c)
                for i, c in enumerate(predecessors)
            ),
            *(
                ContinuityLink(certification=cert, kind="successor", position=i, other_code=c)
                for i, c in enumerate(successors)
            ),
        ]
    )
    return cert


# -- the real CQP fiches ------------------------------------------------------------------------------
# The XML v4.1 fixture's data date (PROVENANCE.md): its file name carries none.
XML_FIXTURE_DATE = date(2026, 8, 16)

ROUTE_CODES = {
    "PFC": "route_continuing",
    "CONTRATP": "route_professionalisation",
    "CONTRATA": "route_apprenticeship",
    "ELEVE": "route_initial",
    "CANDIDATURE": "route_individual",
    "EXP": "route_vae",
}


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def _us_date(value: str) -> date | None:
    try:
        return datetime.strptime(value.strip(), "%m/%d/%y").date()
    except ValueError:
        return None


def load_cqp_subset(folder: Path) -> int:
    """Write the 703 CQP fiches of the derived 2020 subset; returns how many."""
    run = import_run()
    info = {}
    for row in _rows(folder / "rncp_info.v1.3.cqp.csv"):
        info.setdefault(row["CodeRNCP"].strip(), row)
    children: dict[str, dict[str, list]] = {code: {} for code in info}

    def add(file: str, kind: str, make):
        for row in _rows(folder / file):
            code = row["CodeRNCP"].strip()
            if code in children:
                children[code].setdefault(kind, []).append(make(row))

    add("rncp_blocs_competences.v1.3.cqp.csv", "blocks", lambda r: (r["numero_bloc"], r["intitule"]))
    add("rncp_certificateurs.v1.3.cqp.csv", "certifiers", lambda r: r["Certificateur"].strip())
    add("rncp_nsf.v1.3.cqp.csv", "nsf", lambda r: (r["code"].strip(), r["Libelle"].strip()))
    add("rncp_rome.v1.3.cqp.csv", "rome", lambda r: (r["Rome"].strip(), r["libelle"].replace("''", "'")))
    add("rncp_voix_acces.v1.3.cqp.csv", "routes", lambda r: r["code_libelle"].strip())

    certs = []
    for code, row in info.items():
        level = row["NiveauEurope"].strip()
        title = row["intituleDiplome"].strip()
        routes = {ROUTE_CODES[r]: True for r in children[code].get("routes", []) if r in ROUTE_CODES}
        raw = ";".join(row.values()).encode()
        certs.append(
            Certification(
                code=code,
                register="RNCP",
                number=int(code[4:]),
                title=title,
                active=row["ActiveInactive"].strip() == "ACTIVE",
                level=int(level[-1]) if level.startswith("niveau") else None,
                end_date=_us_date(row["date_fin_validite_enregistrement"]),
                registration_type=row["TypeEnregistrement"],
                state=row["EtatFiche"],
                is_cqp=True,
                is_interbranch=derive_is_interbranch("", title, 0) or "(cqpi)" in title.lower(),
                partial_validation=bool(children[code].get("blocks")),
                raw=zlib.compress(raw),
                raw_format="csv",
                digest=hashlib.sha256(raw).hexdigest(),
                first_import=run,
                last_change_import=run,
                **routes,
            )
        )
    Certification.objects.bulk_create(certs, batch_size=200)
    ids = dict(Certification.objects.filter(code__in=info).values_list("code", "id"))
    blocks, certifiers, classes = [], [], []
    for code, kids in children.items():
        cid = ids[code]
        blocks += [
            Block(certification_id=cid, position=i, code=c, title=t)
            for i, (c, t) in enumerate(kids.get("blocks", []))
        ]
        certifiers += [
            Certifier(certification_id=cid, position=i, name=n)
            for i, n in enumerate(kids.get("certifiers", []))
        ]
        for scheme in ("nsf", "rome"):
            classes += [
                Classification(certification_id=cid, scheme=scheme, position=i, code=c, label=lbl)
                for i, (c, lbl) in enumerate(kids.get(scheme, []))
            ]
    Block.objects.bulk_create(blocks, batch_size=500)
    Certifier.objects.bulk_create(certifiers, batch_size=500)
    Classification.objects.bulk_create(classes, batch_size=500)
    return len(certs)


# -- fixtures shared by the search, API and page tests (import them into a test module) ---------------
import pytest  # noqa: E402
from django.db import connection, transaction  # noqa: E402


@pytest.fixture(scope="module")
def cqp_registry(django_db_setup, django_db_blocker, shared_data):
    """The 703 real CQP fiches, the 12 XML v4.1 fiches and the 9 CSV-export fiches, indexed.

    Written once per test module inside a transaction that is rolled back at the end.
    """
    from cqphub.registry.importer import import_paths
    from cqphub.registry.search import update_index

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_cqp_subset(shared_data / "rncp" / "cqp_subset_v1.3_2020-11")
            import_paths(
                [
                    shared_data / "rncp" / "fc_xml_v4.1_fixture" / "export_fiches_RNCP_fixture.xml",
                    shared_data / "rncp" / "fc_csv_export_2024-02-22_sample",
                ],
                as_of=XML_FIXTURE_DATE,
                allow_mass_withdrawal=True,
            )
            # the import withdraws the RNCP fiches it does not list: the CQP subset comes back
            Certification.objects.filter(withdrawn_at__isnull=False).update(withdrawn_at=None)
            update_index(None)
            yield connection.vendor
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def read_in_parts(monkeypatch, parts: int = 3) -> None:
    """Small files take the full-scale export's path: children, and on SQLite a file in parts."""
    from cqphub.registry import importer

    monkeypatch.setattr(importer, "PARSE_IN_CHILD_FROM", 0)
    monkeypatch.setattr(importer, "SPLIT_FROM", 0)
    monkeypatch.setattr(importer, "PARTS_PER_FILE", parts)
