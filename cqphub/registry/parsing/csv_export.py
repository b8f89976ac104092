"""France compétences' CSV export: `export-fiches-csv-YYYY-MM-DD.zip`, or a folder of its ten parts.

The parts are `;`-separated, quoted, CRLF, UTF-8 files named `export_fiches_CSV_<Part>_<date>.csv`
(Standard, Blocs_De_Compétences, Certificateurs, Partenaires, VoixdAccès, Rome, Nsf, Formacode, CCN,
Ancienne_Nouvelle_Certification). Parts are recognised by their keyword, case and accent blind (zip
members may carry NFD names). Files whose name does not start with `export_fiches_CSV_` are ignored:
e.g. `continuity_fix__export_fiches_CSV_Ancienne_Nouvelle_Certification_….csv` beside the parts is a
hand-made variant of one part, not a second part.

Memory stays bounded whatever the size: every part but Standard is staged into a temporary SQLite
database on disk (indexed by fiche code), then the Standard part is streamed and each fiche joined
with its rows. Fiches come out in the Standard part's order.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import sqlite3
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from cqphub.registry.parsing.common import (
    CountingReader,
    Progress,
    digits_only,
    normalise_code,
    parse_bool,
    parse_date,
    parse_level,
    register_of,
)
from cqphub.registry.records import (
    ROUTE_KINDS,
    BlockRecord,
    CertifierRecord,
    CodeLabel,
    FicheRecord,
    ParseError,
    PartnerRecord,
)
from cqphub.text import fold

PREFIX = "export_fiches_csv_"
STANDARD = "Standard"
# canonical part name (also its key in `raw`) and the keyword its file name starts with after PREFIX
PART_KEYWORDS = (
    (STANDARD, "standard"),
    ("Blocs_De_Competences", "blocs"),
    ("Certificateurs", "certificateur"),
    ("Partenaires", "partenaire"),
    ("VoixdAcces", "voix"),
    ("Rome", "rome"),
    ("Nsf", "nsf"),
    ("Formacode", "formacode"),
    ("CCN", "ccn"),
    ("Ancienne_Nouvelle_Certification", "ancienne"),
)
PARTS = tuple(part for part, _ in PART_KEYWORDS)
CHILD_PARTS = PARTS[1:]
REQUIRED_COLUMNS = {
    STANDARD: ("numero_fiche", "intitule"),
    "Blocs_De_Competences": ("numero_fiche", "bloc_competences_code", "bloc_competences_libelle"),
    "Certificateurs": ("numero_fiche", "siret_certificateur", "nom_certificateur"),
    "Partenaires": ("numero_fiche", "nom_partenaire", "siret_partenaire"),
    "VoixdAcces": ("numero_fiche", "si_jury"),
    "Rome": ("numero_fiche", "codes_rome_code"),
    "Nsf": ("numero_fiche", "nsf_code"),
    "Formacode": ("numero_fiche", "formacode_code"),
    "CCN": ("numero_fiche",),
    "Ancienne_Nouvelle_Certification": ("numero_fiche", "ancienne_certification", "nouvelle_certification"),
}
BATCH = 5000
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_loads = json.JSONDecoder().decode
_SEP = "\x1f"  # unit separator: staged rows are joined with it (JSON, marked by a NUL, if a value holds it)


def _pack(row: list[str]) -> str:
    packed = _SEP.join(row)
    if packed.count(_SEP) != len(row) - 1 or packed[:1] == "\x00":
        return "\x00" + _dumps(row)
    return packed


def _unpack(data: str) -> list[str]:
    return _loads(data[1:]) if data[:1] == "\x00" else data.split(_SEP)


_STREAM_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError)
_CODE_PREFIX = re.compile(r"^\s*(\S+)\s+:\s+")


def part_of(filename: str) -> str | None:
    """The canonical part a file name is, or None (not a part of the CSV export)."""
    base = fold(filename.replace("\\", "/").rsplit("/", 1)[-1])
    if not base.startswith(PREFIX) or not base.endswith(".csv"):
        return None
    rest = base[len(PREFIX) :]
    for part, keyword in PART_KEYWORDS:
        if rest.startswith(keyword):
            return part
    return None


@dataclass(frozen=True)
class PartSource:
    part: str
    display: str  # the name used in messages: file, or "zip › member"
    size: int
    opener: Callable[[], BinaryIO]


def _add(found: dict[str, PartSource], source: PartSource, where: str) -> None:
    if source.part in found:
        raise ParseError(
            f"two files for the {source.part} part: {found[source.part].display} and {source.display}",
            file=where,
        )
    found[source.part] = source


def find_parts_in_folder(folder: Path) -> dict[str, PartSource]:
    found: dict[str, PartSource] = {}
    for path in sorted(folder.iterdir()):
        part = part_of(path.name) if path.is_file() else None
        if part:
            _add(
                found,
                PartSource(part, path.name, path.stat().st_size, lambda p=path: open(p, "rb")),
                folder.name,
            )
    return found


def find_parts_in_zip(archive: zipfile.ZipFile, name: str = "") -> dict[str, PartSource]:
    found: dict[str, PartSource] = {}
    for info in archive.infolist():
        part = None if info.is_dir() else part_of(info.filename)
        if part:
            display = f"{name} › {info.filename}" if name else info.filename
            _add(found, PartSource(part, display, info.file_size, lambda i=info: archive.open(i)), name)
    return found


def _read_failure(error: Exception, display: str, line: int) -> ParseError:
    """Bytes are decoded by chunks: a decoding or zip failure is located near, not at, a line."""
    if isinstance(error, UnicodeDecodeError):
        return ParseError(f"not UTF-8 text ({error})", file=display, where=f"near line {line}")
    if isinstance(error, csv.Error):
        return ParseError(f"unreadable CSV ({error})", file=display, where=f"line {line}")
    return ParseError(f"corrupt or truncated zip member ({error})", file=display, where=f"near line {line}")


# -- reading one part -----------------------------------------------------------------------------
class _PartReader:
    """Rows of one part with their line numbers, after checking the header; every failure while
    reading (bad zip member, bad encoding, wrong column count) becomes a ParseError naming the file,
    the fiche and the line."""

    def __init__(self, source: PartSource, progress: Progress | None):
        self.source = source
        try:
            raw = source.opener()
        except _STREAM_ERRORS as error:
            raise ParseError(f"cannot open this part ({error})", file=source.display) from error
        self._text = io.TextIOWrapper(CountingReader(raw, progress), encoding="utf-8-sig", newline="")
        self._rows = csv.reader(self._text, delimiter=";", quotechar='"')
        try:
            header = next(self._rows, None)
        except (UnicodeDecodeError, csv.Error, *_STREAM_ERRORS) as error:
            self.close()
            raise _read_failure(error, source.display, 1) from error
        if not header:
            self.close()
            raise ParseError(f"empty file: no header row for the {source.part} part", file=source.display)
        self.header = header
        self.columns = {fold(h.strip()): i for i, h in enumerate(header)}
        missing = [c for c in REQUIRED_COLUMNS[source.part] if c not in self.columns]
        if missing:
            self.close()
            raise ParseError(
                f"not the {source.part} part of a France compétences CSV export: header lacks "
                f"{', '.join(missing)} (found: {';'.join(header)[:200]})",
                file=source.display,
                where="line 1",
            )
        self.code_index = self.columns["numero_fiche"]

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        rows, width, code_index = self._rows, len(self.header), self.code_index
        try:
            for row in rows:
                if len(row) != width:
                    if not row:
                        continue  # blank line
                    raise ParseError(
                        f"{len(row)} columns where the header has {width}",
                        file=self.source.display,
                        fiche=row[code_index].strip() if len(row) > code_index else "",
                        where=f"line {rows.line_num}",
                    )
                yield rows.line_num, row
        except (UnicodeDecodeError, csv.Error, *_STREAM_ERRORS) as error:
            raise _read_failure(error, self.source.display, rows.line_num + 1) from error
        finally:
            self.close()

    def close(self) -> None:
        try:
            self._text.close()
        except _STREAM_ERRORS:
            pass


# -- the public entry point -----------------------------------------------------------------------
def iter_csv_fiches(
    source: str | Path, *, name: str = "", progress: Progress | None = None
) -> Iterator[FicheRecord]:
    """Yield one `FicheRecord` per row of the Standard part, joined with the other parts' rows.

    `source` is the export zip or a folder of parts; `progress(n)` receives bytes read (their total
    is `csv_export_size(source)`). Raises `ParseError` naming the file (and zip member), the fiche
    and the line.
    """
    source = Path(source)
    name = name or source.name
    archive = None
    try:
        if source.is_dir():
            parts = find_parts_in_folder(source)
        else:
            try:
                archive = zipfile.ZipFile(source)
            except (zipfile.BadZipFile, OSError, EOFError) as error:
                raise ParseError(f"unreadable zip, truncated or corrupt ({error})", file=name) from error
            parts = find_parts_in_zip(archive, name)
        if STANDARD not in parts:
            listed = ", ".join(p.display for p in parts.values()) or "no export_fiches_CSV_* file"
            raise ParseError(
                f"no Standard part (export_fiches_CSV_Standard_*.csv) in this CSV export (found: {listed})",
                file=name,
            )
        with tempfile.TemporaryDirectory(prefix="cqphub-csv-") as folder:
            db = sqlite3.connect(Path(folder) / "stage.sqlite3")
            try:
                headers = _stage(db, parts, progress)
                yield from _join(db, parts[STANDARD], headers, progress)
            finally:
                db.close()
    finally:
        if archive is not None:
            archive.close()


def _stage(db: sqlite3.Connection, parts: dict[str, PartSource], progress) -> dict[int, list[str]]:
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute(
        "CREATE TABLE rows (code TEXT NOT NULL, part INTEGER NOT NULL, line INTEGER NOT NULL, data TEXT)"
    )
    headers: dict[int, list[str]] = {}
    for number, part in enumerate(PARTS):
        if part == STANDARD or part not in parts:
            continue
        reader = _PartReader(parts[part], progress)
        headers[number] = reader.header
        code_index = reader.code_index
        batch = []
        for line, row in reader:
            batch.append((normalise_code(row[code_index]), number, line, _pack(row)))
            if len(batch) >= BATCH:
                db.executemany("INSERT INTO rows VALUES (?, ?, ?, ?)", batch)
                batch.clear()
        db.executemany("INSERT INTO rows VALUES (?, ?, ?, ?)", batch)
    db.execute("CREATE INDEX rows_code ON rows (code, part, line)")
    db.commit()
    return headers


def _join(db, standard: PartSource, headers: dict[int, list[str]], progress) -> Iterator[FicheRecord]:
    reader = _PartReader(standard, progress)
    header, columns = reader.header, reader.columns
    child_columns = {PARTS[n]: {fold(h.strip()): i for i, h in enumerate(hs)} for n, hs in headers.items()}
    query = "SELECT part, data FROM rows WHERE code = ? ORDER BY part, line"
    for line, row in reader:
        code = normalise_code(row[reader.code_index])
        if not code:
            raise ParseError("row without Numero_Fiche", file=standard.display, where=f"line {line}")
        children: dict[str, list[list[str]]] = {}
        for number, data in db.execute(query, (code,)):
            children.setdefault(PARTS[number], []).append(_unpack(data))
        grouped = {STANDARD: [dict(zip(header, row, strict=True))]}
        for number, part in enumerate(PARTS):
            if part in children:
                grouped[part] = [dict(zip(headers[number], r, strict=True)) for r in children[part]]
        raw = json.dumps(grouped, ensure_ascii=False, sort_keys=True).encode("utf-8")
        record = FicheRecord(
            code=code,
            register=register_of(code),
            title="",
            raw=raw,
            raw_format="csv",
            digest=hashlib.sha256(raw).hexdigest(),
            routes=dict.fromkeys(ROUTE_KINDS, False),
        )
        _standard_values(record, row, header, columns, standard.display, line)
        _children(record, children, child_columns)
        yield record


# -- mapping --------------------------------------------------------------------------------------
_STD_TEXTS = {
    "intitule": "title",
    "abrege_libelle": "abbreviation_code",  # sic: the CSV's "Abrege_Libelle" is the short code (CAP)
    "abrege_intitule": "abbreviation_label",
    "nomenclature_europe_intitule": "level_label",
    "type_enregistrement": "registration_type",
    "etat_fiche": "state",
    "duree_enregistrement": "duration",
    "lien_url_description": "url",
}
_STD_DATES = {
    "date_dernier_jo": "last_jo_date",
    "date_decision": "decision_date",
    "date_fin_enregistrement": "end_date",
    "date_effet": "effect_date",
    "date_limite_delivrance": "delivery_deadline",
    "date_de_publication": "publication_date",
}
_STD_BOOLS = {
    "accessible_nouvelle_caledonie": "accessible_new_caledonia",
    "accessible_polynesie_francaise": "accessible_french_polynesia",
    "validation_partielle": "partial_validation",
    "existence_partenaires": "has_partners",
}


def _standard_values(record: FicheRecord, row, header, columns, display: str, line: int) -> None:
    def cell(key: str) -> str:
        index = columns.get(key)
        return row[index].strip() if index is not None else ""

    def bad(key: str, error: Exception) -> ParseError:
        return ParseError(
            str(error), file=display, fiche=record.code, where=f"line {line}, column {header[columns[key]]}"
        )

    for key, attr in _STD_TEXTS.items():
        if key in columns:
            setattr(record, attr, cell(key))
    for key, attr in _STD_DATES.items():
        if key in columns:
            try:
                setattr(record, attr, parse_date(cell(key)))
            except ValueError as error:
                raise bad(key, error) from None
    for key, attr in _STD_BOOLS.items():
        if key in columns:
            try:
                setattr(record, attr, parse_bool(cell(key)))
            except ValueError as error:
                raise bad(key, error) from None
    if "actif" in columns:
        try:
            record.active = bool(parse_bool(cell("actif")))
        except ValueError as error:
            raise bad("actif", error) from None
    if "nomenclature_europe_niveau" in columns:
        try:
            record.level = parse_level(cell("nomenclature_europe_niveau"), record.level_label)
        except ValueError as error:
            raise bad("nomenclature_europe_niveau", error) from None
    fiche_id = cell("id_fiche")
    if fiche_id:
        if not fiche_id.isdigit():
            raise bad("id_fiche", ValueError(f"{fiche_id!r} is not an integer"))
        record.fiche_id = int(fiche_id)


def _label(label: str, code: str) -> str:
    """'42872 : Sécurité incendie' → 'Sécurité incendie'; "d''affaires" (doubled quote) → "d'affaires"."""
    label = label.strip()
    match = _CODE_PREFIX.match(label)
    if match and match.group(1) == code:
        label = label[match.end() :]
    return label.replace("''", "'")


@lru_cache(maxsize=256)
def route_of(label: str) -> str | None:
    """A VoixdAccès label ("Par expérience", "En contrat d’apprentissage", …) → a ROUTE_KINDS kind."""
    text = fold(label).strip()
    if "experience" in text:
        return "vae"
    if "candidature individuelle" in text:
        return "individual"
    if "professionnalisation" in text:
        return "professionalisation"
    if "apprentissage" in text:
        return "apprenticeship"
    if "formation continue" in text:
        return "continuing"
    if "eleve" in text or "etudiant" in text:
        return "initial"
    return None


def _children(record: FicheRecord, children: dict[str, list[list[str]]], columns) -> None:
    if not children:
        return

    def rows(part: str):
        cols = columns.get(part, {})
        for row in children.get(part, ()):
            yield lambda key, row=row, cols=cols: row[cols[key]].strip() if key in cols else ""

    for get in rows("Blocs_De_Competences"):
        record.blocks.append(BlockRecord(get("bloc_competences_code"), get("bloc_competences_libelle")))
    for get in rows("Certificateurs"):
        record.certifiers.append(
            CertifierRecord(digits_only(get("siret_certificateur")), get("nom_certificateur"))
        )
    for get in rows("Partenaires"):
        record.partners.append(
            PartnerRecord(
                digits_only(get("siret_partenaire")), get("nom_partenaire"), get("habilitation_partenaire")
            )
        )
    for get in rows("VoixdAcces"):
        kind = route_of(get("si_jury"))
        if kind:  # an unknown label stays in raw
            record.routes[kind] = True
    for part, attr, code_key, label_key in (
        ("Rome", "rome", "codes_rome_code", "codes_rome_libelle"),
        ("Nsf", "nsf", "nsf_code", "nsf_intitule"),
        ("Formacode", "formacode", "formacode_code", "formacode_libelle"),
    ):
        out = getattr(record, attr)
        for get in rows(part):
            code = get(code_key)
            if code:
                out.append(CodeLabel(code, _label(get(label_key), code)))
    for get in rows("CCN"):
        for n in (1, 2, 3):
            code = get(f"ccn_{n}_numero")
            if code.isdigit() and len(code) < 4:
                code = code.zfill(4)
            if code and all(c.code != code for c in record.idcc):
                record.idcc.append(CodeLabel(code, _label(get(f"ccn_{n}_libelle"), code)))
    for get in rows("Ancienne_Nouvelle_Certification"):
        old = normalise_code(get("ancienne_certification"))
        new = normalise_code(get("nouvelle_certification"))
        if old and old not in record.predecessors:
            record.predecessors.append(old)
        if new and new not in record.successors:
            record.successors.append(new)


# -- sizes ----------------------------------------------------------------------------------------
def _parts_of(source: Path) -> tuple[dict[str, PartSource], zipfile.ZipFile | None]:
    if source.is_dir():
        return find_parts_in_folder(source), None
    archive = zipfile.ZipFile(source)
    return find_parts_in_zip(archive, source.name), archive


def csv_export_size(source: str | Path) -> int:
    """Total bytes (uncompressed) of the recognised parts: what `progress` will report in all."""
    parts, archive = _parts_of(Path(source))
    try:
        return sum(p.size for p in parts.values())
    finally:
        if archive is not None:
            archive.close()


def count_csv_fiches(source: str | Path) -> int | None:
    """Lines of the Standard part minus its header (quoted newlines are rare in that part)."""
    parts, archive = _parts_of(Path(source))
    try:
        standard = parts.get(STANDARD)
        if standard is None:
            return None
        lines = 0
        last = b"\n"
        with standard.opener() as fh:
            while chunk := fh.read(1 << 20):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
        if last != b"\n":
            lines += 1
        return max(lines - 1, 0)
    except _STREAM_ERRORS:
        return None
    finally:
        if archive is not None:
            archive.close()
