"""Write use cases of the reference app: one import per nomenclature, each in one transaction.

Every import parses the whole file first (a bad file raises `ReferenceFileError` before anything
is written), then writes inside `transaction.atomic()`. Imports are idempotent: rows are matched on
their natural key (IDCC, OPCO name, CPNE code, ROME code, code OGR, NSF code, Formacode + version);
a second import of the same file reports everything unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from cqphub.reference import parsers
from cqphub.reference.models import (
    CollectiveAgreement,
    CpneReference,
    Formacode,
    NsfCode,
    Opco,
    OpcoAttachment,
    RomeCode,
    RomeJobTitle,
    RomeSkill,
    agreement_search_text,
)
from cqphub.reference.parsers import ReferenceFileError
from cqphub.text import fold_words

PACKAGE_DIR = Path(__file__).resolve().parent
NSF_FILE = PACKAGE_DIR / "data" / "nsf.csv"
DEMO_DIR = PACKAGE_DIR / "demo"

Progress = Callable[[str, int, int], None]  # (step label, done, total)

__all__ = [
    "ImportSummary",
    "ReferenceFileError",
    "import_all",
    "import_cpne",
    "import_formacode",
    "import_idcc",
    "import_nsf",
    "import_opco",
    "import_rome",
    "load_demo_reference",
    "remember_nsf",
]


@dataclass
class ImportSummary:
    kind: str
    path: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    details: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def read(self) -> int:
        return self.created + self.updated + self.unchanged

    def add(self, counts: tuple[int, int, int]) -> None:
        self.created += counts[0]
        self.updated += counts[1]
        self.unchanged += counts[2]

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "path": self.path,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            **self.details,
        }

    def __str__(self) -> str:
        text = f"{self.kind}: {self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        if self.skipped:
            text += f", {self.skipped} skipped"
        if self.details:
            text += " (" + ", ".join(f"{k}: {v}" for k, v in self.details.items()) + ")"
        return text


# --------------------------------------------------------------------------------------------
# the generic upsert


def _sync(
    model, key: str, wanted: dict[str, dict], *, queryset=None, batch: int = 500, update: bool = True
) -> tuple[int, int, int]:
    """Create or update `model` rows so that row[key] → fields matches `wanted`. Never deletes.

    Returns (created, updated, unchanged). Fields are attribute names (`rome_id` for a FK).
    With `update=False`, existing rows are left as they are (the demo never overwrites real data).
    """
    queryset = queryset if queryset is not None else model.objects.all()
    existing = {getattr(obj, key): obj for obj in queryset}  # reference tables are small (< 50,000 rows)
    to_create, to_update, changed_fields = [], [], set()
    for value, fields in wanted.items():
        obj = existing.get(value)
        if obj is None:
            to_create.append(model(**{key: value, **fields}))
            continue
        changed = [name for name, new in fields.items() if getattr(obj, name) != new] if update else []
        if changed:
            for name in changed:
                setattr(obj, name, fields[name])
            changed_fields.update(changed)
            to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=batch)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields), batch_size=batch)
    return len(to_create), len(to_update), len(wanted) - len(to_create) - len(to_update)


def _source(parsed: parsers.Parsed, path: Path) -> str:
    return f"{parsed.fmt}:{path.name}"[:100]


# --------------------------------------------------------------------------------------------
# collective agreements, OPCO, CPNE


def _paths(path_or_paths) -> list[Path]:
    if isinstance(path_or_paths, str | Path):
        return [Path(path_or_paths)]
    return [Path(p) for p in path_or_paths]


def import_idcc(path: str | Path | list, *, update: bool = True) -> ImportSummary:
    """REVA's IDCC list or DILA's KALI list: create or update collective agreements.

    Several files (e.g. two versions of a list) are merged in the order given, the last one
    winning, and written once: importing the same set again changes nothing.
    """
    paths = _paths(path)
    summary = ImportSummary("idcc", ", ".join(str(p) for p in paths))
    merged: dict[str, tuple[parsers.AgreementRow, str]] = {}
    for one in paths:
        parsed = parsers.parse_idcc_list(one)
        summary.skipped += parsed.skipped
        summary.warnings += [f"{one.name}: {w}" for w in parsed.warnings]
        for row in parsed.rows:
            previous = merged.get(row.idcc)
            if previous and not row.kali_id and previous[0].kali_id:
                row = parsers.AgreementRow(row.line, row.idcc, row.title, row.active, previous[0].kali_id)
            merged[row.idcc] = (row, _source(parsed, one))
    with transaction.atomic():
        known = dict(
            CollectiveAgreement.objects.filter(idcc__in=list(merged)).values_list("idcc", "short_title")
        )
        wanted = {}
        for idcc, (row, source) in merged.items():
            fields = {
                "title": row.title,
                "active": row.active,
                "source": source,
                "search_text": agreement_search_text(idcc, row.title, known.get(idcc, "")),
            }
            if row.kali_id:
                fields["kali_id"] = row.kali_id
            wanted[idcc] = fields
        summary.add(_sync(CollectiveAgreement, "idcc", wanted, update=update))
        _relink_cpnes()
    return summary


def import_opco(path: str | Path, *, update: bool = True) -> ImportSummary:
    """France compétences' IDCC → OPCO table. Creates the OPCOs and any unknown agreement."""
    path = Path(path)
    parsed = parsers.parse_idcc_opco(path)
    summary = ImportSummary("opco", str(path), skipped=parsed.skipped, warnings=parsed.warnings)
    source = _source(parsed, path)
    with transaction.atomic():
        opcos = {}
        for row in parsed.rows:
            opcos[row.opco_name] = {"short_name": row.opco_short_name}
        created, updated, _ = _sync(Opco, "name", opcos, update=update)
        summary.details["OPCO created"] = created
        summary.details["OPCO updated"] = updated
        opco_ids = dict(Opco.objects.filter(name__in=opcos).values_list("name", "id"))

        known = set(
            CollectiveAgreement.objects.filter(idcc__in=[r.idcc for r in parsed.rows]).values_list(
                "idcc", flat=True
            )
        )
        new_agreements = [
            CollectiveAgreement(
                idcc=row.idcc,
                title=row.title or f"IDCC {row.idcc}",
                source=source,
                search_text=agreement_search_text(row.idcc, row.title),
            )
            for row in parsed.rows
            if row.idcc not in known
        ]
        CollectiveAgreement.objects.bulk_create(new_agreements)
        summary.details["agreements created"] = len(new_agreements)
        agreement_ids = dict(
            CollectiveAgreement.objects.filter(idcc__in=[r.idcc for r in parsed.rows]).values_list(
                "idcc", "id"
            )
        )

        existing = {
            (a.agreement_id, a.valid_from): a
            for a in OpcoAttachment.objects.filter(agreement_id__in=agreement_ids.values())
        }
        to_create, to_update = [], []
        for row in parsed.rows:
            fields = {"opco_id": opco_ids[row.opco_name], "note": row.note, "source": source}
            attachment = existing.get((agreement_ids[row.idcc], row.valid_from))
            if attachment is None:
                to_create.append(
                    OpcoAttachment(agreement_id=agreement_ids[row.idcc], valid_from=row.valid_from, **fields)
                )
            elif update and any(getattr(attachment, k) != v for k, v in fields.items()):
                for k, v in fields.items():
                    setattr(attachment, k, v)
                to_update.append(attachment)
        OpcoAttachment.objects.bulk_create(to_create)
        OpcoAttachment.objects.bulk_update(to_update, ["opco_id", "note", "source"])
        summary.add((len(to_create), len(to_update), len(parsed.rows) - len(to_create) - len(to_update)))
        _relink_cpnes()
    return summary


def ensure_known_opcos() -> tuple[int, int, int]:
    """The 11 OPCOs approved in 2019, under the names France compétences' table uses."""
    return _sync(Opco, "name", {name: {"short_name": short} for name, short in parsers.KNOWN_OPCOS})


def import_cpne(path: str | Path | list) -> ImportSummary:
    """The NPEC list of CPNE (code, name, IDCCs). A list without IDCCs keeps the known ones.

    Several files are merged in the order given (the last name wins; IDCCs come from the last file
    that has them) and written once.
    """
    paths = _paths(path)
    summary = ImportSummary("cpne", ", ".join(str(p) for p in paths))
    wanted: dict[str, dict] = {}
    for one in paths:
        parsed = parsers.parse_cpne(one)
        source = _source(parsed, one)
        for row in parsed.rows:
            fields = wanted.setdefault(row.code, {})
            fields.update({"name": row.name, "source": source})
            if row.idccs is not None:
                fields["idcc_list"] = list(row.idccs)
    with transaction.atomic():
        summary.add(_sync(CpneReference, "code", wanted))
        _relink_cpnes()
    return summary


def _relink_cpnes() -> None:
    """Point each CPNE's `agreements` at the known agreements of its `idcc_list`."""
    through = CpneReference.agreements.through
    agreement_ids = dict(CollectiveAgreement.objects.values_list("idcc", "id"))
    wanted = {
        (cpne_id, agreement_ids[idcc])
        for cpne_id, idccs in CpneReference.objects.values_list("id", "idcc_list")
        for idcc in idccs or []
        if idcc in agreement_ids
    }
    current = set(through.objects.values_list("cpnereference_id", "collectiveagreement_id"))
    stale = current - wanted
    for cpne_id, agreement_id in stale:
        through.objects.filter(cpnereference_id=cpne_id, collectiveagreement_id=agreement_id).delete()
    through.objects.bulk_create(
        [through(cpnereference_id=c, collectiveagreement_id=a) for c, a in wanted - current], batch_size=500
    )


# --------------------------------------------------------------------------------------------
# ROME


def import_rome(
    folder: str | Path, progress: Progress | None = None, *, update: bool = True
) -> ImportSummary:
    """France Travail's RefRomeCsv folder: ROME codes, job titles (appellations), skills.

    Skills are linked to a ROME code only when the links file (`unix_liens_rome_referentiels`) is
    in the folder; otherwise they are imported without a ROME code and a warning says so.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ReferenceFileError(folder, "not a folder (expected France Travail's RefRomeCsv folder)")
    files = parsers.find_rome_files(folder)
    if "codes" not in files:
        raise ReferenceFileError(folder, "no unix_referentiel_code_rome_*.csv file in this folder")
    progress = progress or (lambda *args: None)
    codes = parsers.parse_rome_codes(files["codes"])
    job_titles = parsers.parse_rome_job_titles(files["job_titles"]) if "job_titles" in files else None
    skills = parsers.parse_rome_skills(files["skills"]) if "skills" in files else None
    links = parsers.parse_rome_links(files["links"]) if "links" in files else None
    summary = ImportSummary("rome", str(folder))
    if job_titles is None:
        summary.warnings.append("no appellation file: job titles not imported")
    if skills is None:
        summary.warnings.append("no competence file: skills not imported")
    elif links is None:
        summary.warnings.append(
            "no unix_liens_rome_referentiels file: skills imported without their ROME code"
        )
    known_codes = {row.code for row in codes.rows}
    if job_titles:
        orphans = [r for r in job_titles.rows if r.rome_code not in known_codes]
        if orphans:
            raise ReferenceFileError(
                files["job_titles"],
                f"ROME code {orphans[0].rome_code} is not in {files['codes'].name}",
                orphans[0].line,
            )

    with transaction.atomic():
        rome_ids = _sync_rome_codes(codes.rows, summary, progress, update=update)
        if job_titles:
            _sync_rome_job_titles(job_titles.rows, rome_ids, summary, progress, update=update)
        if skills:
            _sync_rome_skills(skills.rows, links, rome_ids, summary, progress, update=update)
    return summary


def _sync_rome_codes(rows, summary: ImportSummary, progress: Progress, *, update: bool) -> dict[str, int]:
    """Returns every ROME code's id, for the job titles and skills that point at it."""
    progress("ROME codes", 0, len(rows))
    wanted = {
        r.code: {
            "title": r.title,
            "parent_code": r.parent_code,
            "code_ogr": r.code_ogr,
            "search_text": fold_words(f"{r.code} {r.title}"),
        }
        for r in rows
    }
    summary.add(_sync(RomeCode, "code", wanted, update=update))
    summary.details["ROME codes"] = len(rows)
    progress("ROME codes", len(rows), len(rows))
    return dict(RomeCode.objects.values_list("code", "id"))


def _sync_rome_job_titles(
    rows, rome_ids, summary: ImportSummary, progress: Progress, *, update: bool
) -> None:
    progress("ROME job titles", 0, len(rows))
    wanted = {
        r.code_ogr: {
            "rome_id": rome_ids[r.rome_code],
            "title": r.title,
            "short_title": r.short_title,
            "principal": r.principal,
        }
        for r in rows
    }
    summary.add(_sync(RomeJobTitle, "code_ogr", wanted, update=update))
    summary.details["job titles"] = len(rows)
    progress("ROME job titles", len(rows), len(rows))


def _sync_rome_skills(
    rows, links, rome_ids, summary: ImportSummary, progress: Progress, *, update: bool
) -> None:
    """`links` (skill → ROME code) is None when the folder has no links file: no ROME code is set then."""
    progress("ROME skills", 0, len(rows))
    wanted = {}
    for r in rows:
        fields = {
            "title": r.title,
            "kind": r.kind,
            "category": r.category,
            "macro_code_ogr": r.macro_code_ogr,
        }
        if links is not None:
            fields["rome_id"] = rome_ids.get(links.get(r.code_ogr, ""))
        wanted[r.code_ogr] = fields
    summary.add(_sync(RomeSkill, "code_ogr", wanted, update=update))
    summary.details["skills"] = len(rows)
    progress("ROME skills", len(rows), len(rows))


# --------------------------------------------------------------------------------------------
# NSF


def import_nsf(path: str | Path | None = None) -> ImportSummary:
    """Our packaged NSF list (default), or an NSF table of a registry export (codes learnt)."""
    path = Path(path) if path else NSF_FILE
    parsed = parsers.parse_nsf(path)
    summary = ImportSummary("nsf", str(path), skipped=parsed.skipped, warnings=parsed.warnings)
    official = parsed.fmt == "nsf"
    with transaction.atomic():
        if official:
            wanted = {
                r.code: {"label": r.label, "level": r.level, "parent_code": r.parent_code, "official": True}
                for r in parsed.rows
            }
            summary.add(_sync(NsfCode, "code", wanted))
        else:
            for row in parsed.rows:
                summary.add(_remember(row.code, row.label))
    return summary


def remember_nsf(code: str, label: str) -> NsfCode | None:
    """Learn an NSF code seen in a registry import (e.g. 221w). Official labels are never replaced."""
    code = parsers.normalize_nsf_code(code)
    try:
        parsers.nsf_level_and_parent(code)
    except ValueError:
        return None
    label = " ".join((label or "").split())
    if label.lower().startswith(f"{code} :") or label.lower().startswith(f"{code}:"):
        label = label.split(":", 1)[1].strip()
    if not label:
        return NsfCode.objects.filter(code=code).first()
    _remember(code, label)
    return NsfCode.objects.get(code=code)


def _remember(code: str, label: str) -> tuple[int, int, int]:
    level, parent = parsers.nsf_level_and_parent(code)
    current = NsfCode.objects.filter(code=code).first()
    if current is None:
        NsfCode.objects.create(code=code, label=label, level=level, parent_code=parent, official=False)
        return 1, 0, 0
    if not current.official and current.label != label:
        current.label = label
        current.save(update_fields=["label"])
        return 0, 1, 0
    return 0, 0, 1


# --------------------------------------------------------------------------------------------
# Formacode


def import_formacode(path: str | Path, version: str | None = None, *, update: bool = True) -> ImportSummary:
    """Formacode V14 (`Code du Terme;…`) or V13 (8-column hierarchy); the version comes from the header."""
    path = Path(path)
    parsed = parsers.parse_formacode(path, version)
    version = parsed.rows[0].version if parsed.rows else (version or "")
    summary = ImportSummary(f"formacode v{version}", str(path))
    with transaction.atomic():
        wanted = {
            r.code: {
                "version": r.version,
                "label": r.label[:255],
                "parent_code": r.parent_code,
                "domain": r.domain[:255],
                "tree_code": r.tree_code[:40],
            }
            for r in parsed.rows
        }
        summary.add(
            _sync(
                Formacode, "code", wanted, queryset=Formacode.objects.filter(version=version), update=update
            )
        )
    return summary


# --------------------------------------------------------------------------------------------
# a whole download folder


IMPORT_ORDER = ("idcc", "opco", "cpne", "nsf", "rome", "formacode")


def recognise(folder: str | Path) -> list[tuple[str, Path]]:
    """(kind, path) of every file or folder under `folder` that an importer knows, in import order."""
    folder = Path(folder)
    found: list[tuple[str, Path]] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.name.lower()
        if "referentiel_code_rome" in name:
            found.append(("rome", path.parent))
            continue
        if not any(name.endswith(s) for s in (".csv", ".csv.xz", ".csv.gz", ".xlsx")):
            continue
        kind = parsers.header_kind(path)
        if kind in ("idcc-reva", "idcc-kali"):
            found.append(("idcc", path))
        elif kind == "nsf-registry":
            continue  # registry tables: the registry importer learns them
        elif kind:
            found.append((kind, path))
    return sorted(dict.fromkeys(found), key=lambda item: IMPORT_ORDER.index(item[0]))


IMPORTERS = {
    "idcc": import_idcc,
    "opco": import_opco,
    "cpne": import_cpne,
    "nsf": import_nsf,
    "formacode": import_formacode,
}


def import_all(folder: str | Path, progress: Progress | None = None) -> list[ImportSummary]:
    """Import every recognised file of a download folder, in dependency order, in one transaction.

    Lists of the same kind (two versions of the IDCC list, CPNE lists of two years) are merged and
    written once, DILA's KALI list last (it is the official one). The packaged NSF list is loaded
    when the folder has no NSF list of ours.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ReferenceFileError(folder, "not a folder")
    items = recognise(folder)
    if not items:
        raise ReferenceFileError(folder, "no reference file recognised in this folder")
    by_kind: dict[str, list[Path]] = {}
    for kind, path in items:
        by_kind.setdefault(kind, []).append(path)
    by_kind.setdefault("nsf", [NSF_FILE])
    if "idcc" in by_kind:
        by_kind["idcc"].sort(key=lambda p: (parsers.header_kind(p) == "idcc-kali", p.name))
    summaries = []
    with transaction.atomic():
        for kind in IMPORT_ORDER:
            paths = by_kind.get(kind, [])
            if not paths:
                continue
            if kind in ("idcc", "cpne"):
                summaries.append(IMPORTERS[kind](paths))
            elif kind == "rome":
                summaries += [import_rome(path, progress) for path in paths]
            else:
                summaries += [IMPORTERS[kind](path) for path in paths]
    return summaries


# --------------------------------------------------------------------------------------------
# demo


def load_demo_reference() -> dict:
    """The project's own small demo lists (`reference/demo/`), in the official formats. Idempotent.

    Only missing rows are created: a database that already holds the real lists keeps them as they are.
    """
    with transaction.atomic():
        summaries = [
            import_idcc(DEMO_DIR / "convention-collective.csv", update=False),
            import_opco(DEMO_DIR / "referentielCodesIdccOpco.csv", update=False),
            import_nsf(),
            import_rome(DEMO_DIR / "rome", update=False),
            import_formacode(DEMO_DIR / "formacodes-v14.csv", update=False),
        ]
        ensure_known_opcos()
    total = ImportSummary("demo", str(DEMO_DIR))
    for s in summaries:
        total.add((s.created, s.updated, s.unchanged))
    return {"created": total.created, "updated": total.updated, "unchanged": total.unchanged}
