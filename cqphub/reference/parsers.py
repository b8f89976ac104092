"""Parsers of the official nomenclature files. Pure Python: no Django, no ORM.

Every parser takes a path and returns plain dataclasses; a malformed file raises
`ReferenceFileError` naming the file and the line. Files may be plain, `.xz` or `.gz`, UTF-8 with
or without BOM (Windows-1252 is accepted as a fallback, as some official exports still use it).
"""

from __future__ import annotations

import csv
import gzip
import io
import lzma
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from cqphub.text import fold_words

# --------------------------------------------------------------------------------------------
# errors and helpers


class ReferenceFileError(ValueError):
    """A file that cannot be imported; `str()` names the file and, when known, the line."""

    def __init__(self, path: str | Path, message: str, line: int | None = None):
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}, line {line}" if line else self.path
        super().__init__(f"{where}: {message}")


def normalize_idcc(value: str | int) -> str:
    """ "1486", "01486", 1486, " 16 " → "1486" / "0016". Raises ValueError otherwise."""
    text = str(value).strip()
    if not text.isdigit():
        raise ValueError(f"not an IDCC: {value!r}")
    number = int(text)
    if not 0 < number <= 9999:
        raise ValueError(f"not an IDCC: {value!r}")
    return f"{number:04d}"


def parse_idcc_or_none(value: str | int) -> str | None:
    """`normalize_idcc` for user input: None instead of ValueError when it cannot be an IDCC."""
    try:
        return normalize_idcc(value)
    except ValueError:
        return None


def read_text(path: str | Path) -> str:
    path = Path(path)
    if not path.is_file():
        raise ReferenceFileError(path, "file not found")
    try:
        if path.suffix == ".xz":
            raw = lzma.open(path).read()
        elif path.suffix == ".gz":
            raw = gzip.open(path).read()
        else:
            raw = path.read_bytes()
    except (OSError, lzma.LZMAError, EOFError) as error:
        raise ReferenceFileError(path, f"cannot read the file ({error})")
    if b"\x00" in raw[:4096]:
        raise ReferenceFileError(path, "binary file, not a CSV text file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    return max(counts, key=counts.get)


def read_table(
    path: str | Path, delimiter: str | None = None
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """Header and (line number, cells) of a CSV (or the first sheet of an .xlsx)."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path)
    text = read_text(path)
    lines = text.splitlines()
    skipped = 0  # comment lines (`#`) before the header, as in our packaged NSF list
    while skipped < len(lines) and lines[skipped].startswith("#"):
        skipped += 1
    lines = lines[skipped:]
    if not lines or not lines[0].strip():
        raise ReferenceFileError(path, "empty file", line=skipped + 1)
    delimiter = delimiter or _sniff_delimiter(lines[0])
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as error:
        raise ReferenceFileError(path, f"unreadable header ({error})", line=1 + skipped)

    def rows() -> Iterator[tuple[int, list[str]]]:
        line = reader.line_num
        try:
            for cells in reader:
                start = line + 1
                line = reader.line_num
                if not any(c.strip() for c in cells):
                    continue
                yield start + skipped, [c.strip() for c in cells]
        except csv.Error as error:
            raise ReferenceFileError(path, f"malformed CSV ({error})", line=reader.line_num + skipped)

    return header, rows()


def _read_xlsx(path: Path):
    try:
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        data = [
            ["" if v is None else str(v).strip() for v in row] for row in sheet.iter_rows(values_only=True)
        ]
    except Exception as error:  # openpyxl raises many kinds
        raise ReferenceFileError(path, f"cannot read the spreadsheet ({error})")
    if not data:
        raise ReferenceFileError(path, "empty spreadsheet", line=1)
    rows = ((n, cells) for n, cells in enumerate(data[1:], start=2) if any(cells))
    return data[0], rows


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold_words(name)).strip("_")


def _columns(path, header: list[str], required: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Map logical names to column indexes, accepting a few spellings; error if one is missing."""
    keys = [_key(h) for h in header]
    found = {}
    for name, spellings in required.items():
        for spelling in spellings:
            if spelling in keys:
                found[name] = keys.index(spelling)
                break
    missing = [name for name in required if name not in found]
    if missing:
        raise ReferenceFileError(
            path, f"missing column(s) {', '.join(missing)}; header is {';'.join(header)!r}", line=1
        )
    return found


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


# --------------------------------------------------------------------------------------------
# collective agreements (IDCC)


@dataclass(frozen=True)
class AgreementRow:
    line: int
    idcc: str
    title: str
    active: bool = True
    kali_id: str = ""


@dataclass
class Parsed:
    rows: list
    fmt: str = ""
    warnings: list[str] = field(default_factory=list)
    skipped: int = 0


def header_kind(path: str | Path) -> str | None:
    """What a file is, from its header: idcc-reva, idcc-kali, opco, cpne, formacode, nsf, nsf-registry."""
    try:
        header, _rows = read_table(path)
    except ReferenceFileError:
        return None
    keys = [_key(h) for h in header]
    if keys[:3] == ["id", "idcc", "label"]:
        return "idcc-reva"
    if {"cc_ti", "idcc", "titre", "etat"} <= set(keys):
        return "idcc-kali"
    if "idcc" in keys and "operateur_de_competences" in keys:
        return "opco"
    if "code_cpne" in keys and "intitule_cpne" in keys and "code_rncp" not in keys:
        return "cpne"
    if "code_du_terme" in keys and "champ_semantique" in keys:
        return "formacode"
    if [k for k in keys if k] == list("abcdefgh"):
        return "formacode"
    if keys[:3] == ["code", "label", "level"]:
        return "nsf"
    if "nsf_code" in keys or (keys[:3] == ["coderncp", "code", "libelle"]):
        return "nsf-registry"
    return None


def parse_idcc_list(path: str | Path) -> Parsed:
    """REVA's list (`id,idcc,label`) or DILA's KALI list (`ID;CC_TI;IDCC;TITRE;NATURE;ETAT;…`)."""
    header, rows = read_table(path)
    keys = [_key(h) for h in header]
    if "cc_ti" in keys:
        return _parse_kali(path, header, rows)
    cols = _columns(path, header, {"idcc": ("idcc",), "title": ("label", "libelle", "titre", "intitule")})
    parsed = Parsed(rows=[], fmt="reva")
    seen: dict[str, int] = {}
    for line, cells in rows:
        idcc = _idcc_or_error(path, line, _cell(cells, cols["idcc"]))
        title = _cell(cells, cols["title"])
        if not title:
            raise ReferenceFileError(path, f"IDCC {idcc} has no title", line=line)
        if idcc in seen:
            parsed.warnings.append(f"line {line}: IDCC {idcc} already on line {seen[idcc]}, ignored")
            parsed.skipped += 1
            continue
        seen[idcc] = line
        parsed.rows.append(AgreementRow(line=line, idcc=idcc, title=title))
    return parsed


def _parse_kali(path, header, rows) -> Parsed:
    cols = _columns(path, header, {"id": ("id",), "idcc": ("idcc",), "title": ("titre",), "state": ("etat",)})
    parsed = Parsed(rows=[], fmt="kali")
    chosen: dict[str, AgreementRow] = {}
    for line, cells in rows:
        raw_idcc = _cell(cells, cols["idcc"])
        if not raw_idcc:  # an independent text (CC_TI = TI): no IDCC
            parsed.skipped += 1
            continue
        idcc = _idcc_or_error(path, line, raw_idcc)
        title = _cell(cells, cols["title"])
        if not title:
            raise ReferenceFileError(path, f"IDCC {idcc} has no title", line=line)
        active = _cell(cells, cols["state"]).upper().startswith("VIGUEUR")
        row = AgreementRow(line=line, idcc=idcc, title=title, active=active, kali_id=_cell(cells, cols["id"]))
        previous = chosen.get(idcc)
        if previous is None or (row.active and not previous.active):
            chosen[idcc] = row
        else:
            parsed.skipped += 1
    parsed.rows = sorted(chosen.values(), key=lambda r: r.line)
    return parsed


def _idcc_or_error(path, line: int, value: str) -> str:
    try:
        return normalize_idcc(value)
    except ValueError:
        raise ReferenceFileError(path, f"IDCC {value!r} is not a number of 1 to 4 digits", line=line)


# --------------------------------------------------------------------------------------------
# OPCO and the IDCC → OPCO table

# The 11 OPCOs approved in 2019: the name France compétences' table uses, then the usual name.
KNOWN_OPCOS: tuple[tuple[str, str], ...] = (
    ("AFDAS", "AFDAS"),
    ("OPCO entreprises et salariés des services à forte intensité de main-d'œuvre", "AKTO"),
    ("OPCO ATLAS", "Atlas"),
    ("OPCO Construction", "Constructys"),
    ("OCAPIAT", "OCAPIAT"),
    ("OPCO 2i", "OPCO 2i"),
    ("OPCO entreprises de proximité", "OPCO EP"),
    ("OPCO Mobilité", "OPCO Mobilités"),
    ("OPCO Santé", "OPCO Santé"),
    ("OPCO Commerce", "Opcommerce"),
    ("OPCO Cohésion sociale", "Uniformation"),
)
_OPCO_ALIASES = {
    fold_words(alias): pair
    for pair in KNOWN_OPCOS
    for alias in (*pair, f"OPCO {pair[1]}", pair[1].replace("OPCO ", "OPCO des "))
}
_OPCO_ALIASES[fold_words("OPCO des entreprises de proximité")] = KNOWN_OPCOS[6]
_OPCO_ALIASES[fold_words("OPCO Mobilités")] = KNOWN_OPCOS[7]
_OPCO_ALIASES[fold_words("Constructys")] = KNOWN_OPCOS[3]


def canonical_opco(name: str) -> tuple[str, str]:
    """(official name, usual name) of an OPCO written in any of its usual forms."""
    name = " ".join(name.split())
    return _OPCO_ALIASES.get(fold_words(name), (name, name))


@dataclass(frozen=True)
class OpcoRow:
    line: int
    idcc: str
    opco_name: str
    opco_short_name: str
    title: str
    note: str = ""
    valid_from: date | None = None


NO_IDCC = {"", "na", "n.a", "n/a", "nc", "sans"}


def parse_idcc_opco(path: str | Path) -> Parsed:
    """France compétences' IDCC → OPCO table (`IDCC;Opérateur de compétences;Libellé;obs`)."""
    header, rows = read_table(path)
    cols = _columns(
        path,
        header,
        {"idcc": ("idcc",), "opco": ("operateur_de_competences", "opco"), "title": ("libelle", "intitule")},
    )
    keys = [_key(h) for h in header]
    note_col = keys.index("obs") if "obs" in keys else None
    date_col = next((keys.index(k) for k in ("date_effet", "valid_from", "date") if k in keys), None)
    parsed = Parsed(rows=[], fmt="opco")
    seen: dict[str, int] = {}
    for line, cells in rows:
        raw_idcc, opco = _cell(cells, cols["idcc"]), _cell(cells, cols["opco"])
        if raw_idcc.lower().strip(".") in NO_IDCC:  # e.g. "N.A." for the métallurgie accord of 1979
            parsed.skipped += 1
            parsed.warnings.append(f"line {line}: no IDCC ({raw_idcc or 'empty'!r}), row ignored")
            continue
        idcc = _idcc_or_error(path, line, raw_idcc)
        if not opco:
            raise ReferenceFileError(path, f"IDCC {idcc} has no OPCO", line=line)
        if idcc in seen:
            raise ReferenceFileError(path, f"IDCC {idcc} already on line {seen[idcc]}", line=line)
        seen[idcc] = line
        valid_from = None
        if date_col is not None and _cell(cells, date_col):
            valid_from = _date_or_error(path, line, _cell(cells, date_col))
        name, short = canonical_opco(opco)
        parsed.rows.append(
            OpcoRow(
                line=line,
                idcc=idcc,
                opco_name=name,
                opco_short_name=short,
                title=" ".join(_cell(cells, cols["title"]).split()),
                note=_cell(cells, note_col) if note_col is not None else "",
                valid_from=valid_from,
            )
        )
    return parsed


def _date_or_error(path, line, value: str) -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            pass
    raise ReferenceFileError(path, f"date {value!r} is neither YYYY-MM-DD nor DD/MM/YYYY", line=line)


# --------------------------------------------------------------------------------------------
# CPNE


@dataclass(frozen=True)
class CpneRow:
    line: int
    code: str
    name: str
    idccs: tuple[str, ...] | None  # None: the file has no IDCC column (keep what is known)


def parse_cpne(path: str | Path) -> Parsed:
    """NPEC CPNE list: `code_cpne;idcc;intitule_cpne` (idcc "NA" or a comma list) or `code_cpne;intitule_cpne`."""
    header, rows = read_table(path)
    cols = _columns(path, header, {"code": ("code_cpne", "code"), "name": ("intitule_cpne", "intitule")})
    keys = [_key(h) for h in header]
    idcc_col = keys.index("idcc") if "idcc" in keys else None
    parsed = Parsed(rows=[], fmt="cpne")
    seen: dict[str, int] = {}
    for line, cells in rows:
        code, name = _cell(cells, cols["code"]), " ".join(_cell(cells, cols["name"]).split())
        if not code or not name:
            raise ReferenceFileError(path, "a CPNE needs a code and a name", line=line)
        if code in seen:
            raise ReferenceFileError(path, f"CPNE code {code} already on line {seen[code]}", line=line)
        seen[code] = line
        idccs = None
        if idcc_col is not None:
            raw = _cell(cells, idcc_col)
            items = (
                [] if raw.upper() in {"", "NA", "N.A.", "N/A"} else [p for p in raw.split(",") if p.strip()]
            )
            idccs = tuple(dict.fromkeys(_idcc_or_error(path, line, p) for p in items))
        parsed.rows.append(CpneRow(line=line, code=code, name=name, idccs=idccs))
    return parsed


# --------------------------------------------------------------------------------------------
# ROME 4.0 (France Travail, RefRomeCsv)


@dataclass(frozen=True)
class RomeRow:
    line: int
    code: str
    title: str
    parent_code: str
    code_ogr: str


@dataclass(frozen=True)
class JobTitleRow:
    line: int
    code_ogr: str
    title: str
    short_title: str
    rome_code: str
    principal: bool


@dataclass(frozen=True)
class SkillRow:
    line: int
    code_ogr: str
    title: str
    kind: str
    category: str
    macro_code_ogr: str


ROME_CODE = re.compile(r"^[A-N]\d{4}$")

ROME_FILES = {
    "codes": "referentiel_code_rome",
    "job_titles": "referentiel_appellation",
    "skills": "referentiel_competence",
    "links": "liens_rome_referentiels",
}


def find_rome_files(folder: str | Path) -> dict[str, Path]:
    """The RefRomeCsv files present in a folder (`.csv` or `.csv.xz`/`.gz`), by role."""
    found: dict[str, Path] = {}
    for path in sorted(Path(folder).iterdir()):
        name = path.name.lower()
        if ".csv" not in name:
            continue
        for role, marker in ROME_FILES.items():
            if marker in name and role not in found:
                found[role] = path
    return found


def parse_rome_codes(path: str | Path) -> Parsed:
    header, rows = read_table(path)
    cols = _columns(
        path,
        header,
        {
            "code": ("code_rome",),
            "title": ("libelle_rome",),
            "parent": ("code_rome_parent",),
            "ogr": ("code_ogr",),
        },
    )
    parsed = Parsed(rows=[], fmt="rome")
    for line, cells in rows:
        code = _cell(cells, cols["code"]).upper()
        if not ROME_CODE.match(code):
            raise ReferenceFileError(path, f"{code!r} is not a ROME code (a letter and 4 digits)", line=line)
        title = _cell(cells, cols["title"])
        if not title:
            raise ReferenceFileError(path, f"ROME {code} has no title", line=line)
        parent = _cell(cells, cols["parent"]).upper()
        parsed.rows.append(
            RomeRow(line, code, title, "" if parent in ("", code) else parent, _cell(cells, cols["ogr"]))
        )
    return parsed


def parse_rome_job_titles(path: str | Path) -> Parsed:
    header, rows = read_table(path)
    cols = _columns(
        path,
        header,
        {
            "ogr": ("code_ogr",),
            "title": ("libelle_appellation_long", "libelle_appellation"),
            "short": ("libelle_appellation_court", "libelle_appellation_long", "libelle_appellation"),
            "rome": ("code_rome",),
        },
    )
    keys = [_key(h) for h in header]
    cls_col = keys.index("classification") if "classification" in keys else None
    parsed = Parsed(rows=[], fmt="rome-appellation")
    for line, cells in rows:
        ogr, rome = _cell(cells, cols["ogr"]), _cell(cells, cols["rome"]).upper()
        if not ogr.isdigit():
            raise ReferenceFileError(path, f"code_ogr {ogr!r} is not a number", line=line)
        if not ROME_CODE.match(rome):
            raise ReferenceFileError(path, f"{rome!r} is not a ROME code", line=line)
        principal = cls_col is not None and _cell(cells, cls_col).upper() == "PRINCIPALE"
        parsed.rows.append(
            JobTitleRow(line, ogr, _cell(cells, cols["title"]), _cell(cells, cols["short"]), rome, principal)
        )
    return parsed


def parse_rome_skills(path: str | Path) -> Parsed:
    header, rows = read_table(path)
    cols = _columns(path, header, {"ogr": ("code_ogr",), "title": ("libelle_competence",)})
    keys = [_key(h) for h in header]
    optional = {
        k: (keys.index(k) if k in keys else None) for k in ("nature", "cat_comp", "code_ogr_macro_comp")
    }
    parsed = Parsed(rows=[], fmt="rome-competence")
    for line, cells in rows:
        ogr = _cell(cells, cols["ogr"])
        if not ogr.isdigit():
            raise ReferenceFileError(path, f"code_ogr {ogr!r} is not a number", line=line)

        def opt(name, cells=cells):
            return _cell(cells, optional[name]) if optional[name] is not None else ""

        parsed.rows.append(
            SkillRow(
                line,
                ogr,
                _cell(cells, cols["title"]),
                opt("nature"),
                opt("cat_comp"),
                opt("code_ogr_macro_comp"),
            )
        )
    return parsed


def parse_rome_links(path: str | Path) -> dict[str, str]:
    """`unix_liens_rome_referentiels`: code_ogr of an item → the first ROME code it belongs to."""
    header, rows = read_table(path)
    cols = _columns(path, header, {"rome": ("code_rome",), "ogr": ("code_ogr",)})
    links: dict[str, str] = {}
    for _line, cells in rows:
        links.setdefault(_cell(cells, cols["ogr"]), _cell(cells, cols["rome"]).upper())
    return links


# --------------------------------------------------------------------------------------------
# NSF


@dataclass(frozen=True)
class NsfRow:
    line: int
    code: str
    label: str
    level: str
    parent_code: str


NSF_CODE = re.compile(r"^(\d{1,3})([a-z]?)$")


def nsf_level_and_parent(code: str) -> tuple[str, str]:
    """("group", "22") for "221"; ("subgroup", "221") for "221w"; ("letter", "") for "w"."""
    if len(code) == 1 and code.isalpha():
        return "letter", ""
    match = NSF_CODE.match(code)
    if not match:
        raise ValueError(f"not an NSF code: {code!r}")
    digits, letter = match.groups()
    if letter:
        if len(digits) != 3:
            raise ValueError(f"not an NSF code: {code!r}")
        return "subgroup", digits
    return {1: ("domain", ""), 2: ("subdomain", digits[:1]), 3: ("group", digits[:2])}[len(digits)]


def normalize_nsf_code(value: str) -> str:
    """ "221 w", "221W", " 251 " → "221w", "251"."""
    return "".join(str(value).split()).lower()


def parse_nsf(path: str | Path) -> Parsed:
    """Our packaged list (`code;label;level`, `#` comments) or an NSF table of a registry export
    (`Numero_Fiche;Nsf_Code;Nsf_Intitule`, `CodeRNCP;code;Libelle`): codes and labels as published."""
    header, rows = read_table(path)
    keys = [_key(h) for h in header]
    if keys[:3] == ["code", "label", "level"]:
        cols, fmt = {"code": 0, "label": 1}, "nsf"
    else:
        cols = _columns(path, header, {"code": ("nsf_code", "code"), "label": ("nsf_intitule", "libelle")})
        fmt = "nsf-registry"
    parsed = Parsed(rows=[], fmt=fmt)
    seen: set[str] = set()
    for line, cells in rows:
        code = normalize_nsf_code(_cell(cells, cols["code"]))
        label = _cell(cells, cols["label"])
        if fmt == "nsf-registry":
            label = re.sub(rf"^{re.escape(code)}\s*:\s*", "", label, flags=re.IGNORECASE)
        try:
            level, parent = nsf_level_and_parent(code)
        except ValueError as error:
            raise ReferenceFileError(path, str(error), line=line)
        if fmt == "nsf" and cells[2] != level:
            raise ReferenceFileError(path, f"code {code} is a {level}, not a {cells[2]!r}", line=line)
        if not label:
            raise ReferenceFileError(path, f"NSF code {code} has no label", line=line)
        if code in seen:
            if fmt == "nsf":
                raise ReferenceFileError(path, f"NSF code {code} listed twice", line=line)
            continue
        seen.add(code)
        parsed.rows.append(NsfRow(line, code, label, level, parent))
    return parsed


# --------------------------------------------------------------------------------------------
# Formacode (Centre Inffo)


@dataclass(frozen=True)
class FormacodeRow:
    line: int
    code: str
    label: str
    version: str
    parent_code: str
    domain: str
    tree_code: str = ""


_TG_CODE = re.compile(r"-\s*(\d{5})\s*$")
_V13_TERM = re.compile(r"^(.*\S)\s+(\d{5})$")


def parse_formacode(path: str | Path, version: str | None = None) -> Parsed:
    """Formacode V14 (`Code du Terme;…;Code arborescence`) or V13 (8-column hierarchy A..H)."""
    header, rows = read_table(path)
    keys = [_key(h) for h in header]
    if "code_du_terme" in keys:
        return _parse_formacode_v14(path, header, rows, version or "14")
    if [k for k in keys if k] == list("abcdefgh"):
        return _parse_formacode_v13(path, rows, version or "13")
    raise ReferenceFileError(path, f"not a Formacode file (header {';'.join(header)!r})", line=1)


def _parse_formacode_v14(path, header, rows, version) -> Parsed:
    cols = _columns(
        path,
        header,
        {
            "code": ("code_du_terme",),
            "label": ("descripteur_en_typo_riche", "descripteur_en_majuscules"),
            "field": ("champ_semantique",),
            "tg": ("tg_terme_generique",),
        },
    )
    keys = [_key(h) for h in header]
    tree_col = keys.index("code_arborescence") if "code_arborescence" in keys else None
    parsed = Parsed(rows=[], fmt=f"formacode-v{version}")
    seen: dict[str, int] = {}
    for line, cells in rows:
        code = _cell(cells, cols["code"])
        if not (code.isdigit() and len(code) == 5):
            raise ReferenceFileError(path, f"Formacode {code!r} is not 5 digits", line=line)
        if code in seen:
            raise ReferenceFileError(path, f"Formacode {code} already on line {seen[code]}", line=line)
        seen[code] = line
        parent = _TG_CODE.search(_cell(cells, cols["tg"]))
        tree = _cell(cells, tree_col) if tree_col is not None else ""
        parsed.rows.append(
            FormacodeRow(
                line,
                code,
                _cell(cells, cols["label"]),
                version,
                parent.group(1) if parent else "",
                _cell(cells, cols["field"]),
                "" if tree == "null" else tree,
            )
        )
    return parsed


def _parse_formacode_v13(path, rows, version) -> Parsed:
    parsed = Parsed(rows=[], fmt=f"formacode-v{version}")
    stack: list[str] = []  # codes of the current branch, by depth
    seen: dict[str, int] = {}
    for line, cells in rows:
        terms = [(depth, cell) for depth, cell in enumerate(cells[2:8]) if cell]
        if len(terms) != 1:
            raise ReferenceFileError(path, "expected exactly one term in columns C to H", line=line)
        depth, term = terms[0]
        match = _V13_TERM.match(term)
        if not match:
            raise ReferenceFileError(path, f"term {term!r} does not end with a 5-digit code", line=line)
        if depth > len(stack):
            raise ReferenceFileError(path, f"term {term!r} has no parent term above it", line=line)
        label, code = match.groups()
        if code in seen:
            raise ReferenceFileError(path, f"Formacode {code} already on line {seen[code]}", line=line)
        seen[code] = line
        del stack[depth:]
        parent = stack[-1] if stack else ""
        stack.append(code)
        domain = f"{_cell(cells, 0)} {_cell(cells, 1)}".strip()
        parsed.rows.append(FormacodeRow(line, code, label, version, parent, domain))
    return parsed
