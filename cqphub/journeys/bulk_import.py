"""Bulk enrolment of candidates from a CSV or XLSX file a centre uploads: template, row-by-row errors
(row, column, reason), all-or-nothing.

Every row is one new candidate and one candidacy held by the importing centre. The same checks as the
one-by-one services run on every row — identity, duplicates (in the file and in the database), the
centre's "train" habilitation on the date for each target block, the rules engine's refusal of a route
or funding — but memoised per distinct (CQP, date, situation) and written with bulk inserts, so that a
10,000-row file imports in a few seconds. Nothing is written when one row is wrong.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqphub.journeys import legal
from cqphub.journeys.enums import TRAINING_FUNDINGS, VAE_FUNDINGS, Route, Sex, Status, Target
from cqphub.journeys.models import (
    INSEE_COMMUNE_RE,
    INSEE_COUNTRY_RE,
    Admissibility,
    Candidacy,
    CandidacyTransition,
    Candidate,
    RulesSnapshot,
    age_on,
    identity_key,
)
from cqphub.orgs import audit
from cqphub.orgs.models import validate_siret
from cqphub.orgs.uploads import ZipLimits, check_zip
from cqphub.qualifications.models import Qualification

MAX_ROWS = 50_000
MAX_ERRORS = 200
LIMITS = ZipLimits(max_members=200, max_total_bytes=100 * 1024 * 1024)
SITUATIONS = ("employee", "job_seeker", "young_in_training", "self_employed")

# column → (French description for the template, required)
COLUMNS: dict[str, tuple[str, bool]] = {
    "nom_naissance": ("Nom de naissance", True),
    "nom_usage": ("Nom d'usage", False),
    "prenoms": ("Prénoms, dans l'ordre de l'état civil", True),
    "sexe": ("F ou M", True),
    "annee_naissance": ("Année de naissance (4 chiffres)", True),
    "mois_naissance": ("Mois de naissance (1 à 12), si connu", False),
    "jour_naissance": ("Jour de naissance, si connu", False),
    "commune_naissance": ("Commune de naissance : code INSEE (ex. 69123)", False),
    "pays_naissance": ("Ou pays de naissance : code INSEE (ex. 99350)", False),
    "email": ("Adresse e-mail", False),
    "telephone": ("Téléphone", False),
    "adresse": ("Adresse", False),
    "code_postal": ("Code postal", False),
    "commune": ("Commune", False),
    "cqp": ("Numéro du CQP sur la plateforme (voir l'onglet CQP)", True),
    "voie": ("formation ou vae", True),
    "financement": (
        "plan, cpf, professionalisation, pro_a, reconversion, ptp, poe, france_vae, personal, other",
        True,
    ),
    "situation": ("employee, job_seeker, young_in_training ou self_employed", True),
    "blocs": ("Codes des blocs visés séparés par | ; vide : le CQP entier", False),
    "debut_prevu": ("Début prévu (AAAA-MM-JJ ou JJ/MM/AAAA)", False),
    "fin_prevue": ("Fin prévue", False),
    "heures_prevues": ("Durée prévue en heures", False),
    "employeur": ("Employeur", False),
    "siret_employeur": ("SIRET de l'employeur (14 chiffres)", False),
}
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
ROUTES = {"formation": Route.TRAINING, "training": Route.TRAINING, "vae": Route.VAE}


@dataclass(frozen=True)
class RowError:
    row: int  # 1 = the header line; data starts at 2 (as a spreadsheet numbers it)
    column: str
    message: str

    def __str__(self) -> str:
        where = _("ligne %(row)s") % {"row": self.row}
        if self.column:
            where += f", {self.column}"
        return f"{where} : {self.message}"


class ImportRefused(ValidationError):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__([str(e) for e in errors], code="import_refused")


@dataclass
class ImportReport:
    rows: int
    candidates: list[int] = field(default_factory=list)
    candidacies: list[int] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Template
# ---------------------------------------------------------------------------------------------


def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(COLUMNS)
    writer.writerow(
        [
            "Durand",
            "",
            "Léa Marie",
            "F",
            "1998",
            "5",
            "17",
            "69123",
            "",
            "lea.durand@example.org",
            "",
            "",
            "",
            "",
            "1",
            "formation",
            "professionalisation",
            "job_seeker",
            "",
            "2026-09-01",
            "2027-06-30",
            "450",
            "Boulangerie du Marché",
            "",
        ]
    )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(qualifications: Iterable[Qualification] = ()) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Candidats"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    help_sheet = book.create_sheet("Colonnes")
    help_sheet.append(["colonne", "contenu", "obligatoire"])
    for name, (label, required) in COLUMNS.items():
        help_sheet.append([name, label, "oui" if required else "non"])
    cqp_sheet = book.create_sheet("CQP")
    cqp_sheet.append(["numéro", "intitulé", "blocs"])
    for qualification in qualifications:
        version = qualification.latest_published()
        if version is not None:
            codes = " | ".join(b.code for b in version.ordered_blocks())
            cqp_sheet.append([qualification.pk, str(qualification), codes])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


def _rows_csv(data: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    text = data.decode("utf-8-sig")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader, [])]
    yield 1, {"__header__": header}  # type: ignore[dict-item]
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        yield number, {header[i]: (values[i] if i < len(values) else "") for i in range(len(header))}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _rows_xlsx(data: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    from openpyxl import load_workbook

    check_zip(io.BytesIO(data), LIMITS)
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    sheet = book["Candidats"] if "Candidats" in book.sheetnames else book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_cell(h).strip().lower() for h in next(rows, ())]
    yield 1, {"__header__": header}  # type: ignore[dict-item]
    for number, values in enumerate(rows, start=2):
        cells = [_cell(v) for v in values]
        if not any(c.strip() for c in cells):
            continue
        if any(isinstance(v, str) and v.startswith("=") for v in values):
            yield number, {"__formula__": "1"}  # refused below
            continue
        yield number, {header[i]: (cells[i] if i < len(cells) else "") for i in range(len(header))}
    book.close()


def read_rows(data: bytes, filename: str = "") -> Iterator[tuple[int, dict[str, str]]]:
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        return _rows_xlsx(data)
    return _rows_csv(data)


# ---------------------------------------------------------------------------------------------
# Checking
# ---------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _date(value: str) -> date:
    """A date cell (memoised: a file's rows share a few start and end dates)."""
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            pass
    raise ValueError(_("date attendue au format AAAA-MM-JJ ou JJ/MM/AAAA : « %(value)s »") % {"value": value})


def _int(value: str, low: int, high: int) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise ValueError(_("nombre entier attendu : « %(value)s »") % {"value": value})
    if not low <= number <= high:
        raise ValueError(
            _("nombre entre %(low)s et %(high)s attendu : %(n)s") % {"low": low, "high": high, "n": number}
        )
    return number


class _Context:
    """What the rows share: the centre's CQPs, habilitations and rules answers, memoised."""

    def __init__(self, centre, on: date):
        self.centre = centre
        self.today = on
        self.qualifications: dict[str, Qualification] = {}
        self.versions: dict[int, Any] = {}
        self.blocks: dict[int, dict[str, Any]] = {}
        self.habilitation: dict[tuple, str | None] = {}
        self.findings: dict[tuple, list[dict]] = {}
        self.facts: dict[int, Any] = {}

    def qualification(self, key: str) -> Qualification:
        key = key.strip()
        if key not in self.qualifications:
            found = None
            if key.isdigit():
                found = Qualification.objects.filter(pk=int(key)).first()
            if found is None and key:
                found = Qualification.objects.filter(fiche_code__iexact=key).first()
            if found is None:
                raise ValueError(_("CQP inconnu : « %(key)s »") % {"key": key})
            version = found.latest_published()
            if version is None:
                raise ValueError(_("ce CQP n'a pas de version publiée"))
            self.qualifications[key] = found
            self.versions[found.pk] = version
            self.blocks[found.pk] = {b.code.upper(): b for b in version.ordered_blocks()}
        return self.qualifications[key]

    def habilitation_problem(self, qualification, on: date, block) -> str | None:
        key = (qualification.pk, on, block.pk if block else None)
        if key not in self.habilitation:
            from cqphub.qualifications.services import require_habilitation

            try:
                require_habilitation(
                    centre=self.centre, qualification=qualification, action="train", on=on, block=block
                )
                self.habilitation[key] = None
            except ValidationError as exc:
                self.habilitation[key] = " ".join(exc.messages)
        return self.habilitation[key]

    def evaluate(self, qualification, situation: dict, on: date, age: int) -> list[dict]:
        """The engine's answer, asked once per (CQP, situation, date, age bracket): within a bracket
        of `legal.AGE_BOUNDS` the answer does not depend on the age."""
        key = (qualification.pk, tuple(sorted(situation.items())), on, legal.age_bracket(age))
        if key not in self.findings:
            if qualification.pk not in self.facts:
                self.facts[qualification.pk] = legal.facts_for(qualification)
            self.findings[key] = legal.evaluate(
                qualification, situation, on, age=age, facts=self.facts[qualification.pk]
            )
        return self.findings[key]


class _Row:
    """One data row being checked: its cells, and the errors found on it so far."""

    __slots__ = ("cells", "errors", "number", "start")

    def __init__(self, number: int, cells: dict[str, str], errors: list[RowError]):
        self.number, self.errors, self.start = number, errors, len(errors)
        self.cells = {column: (value or "").strip() for column, value in cells.items()}

    def get(self, column: str) -> str:
        return self.cells.get(column, "")

    def fail(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))

    @property
    def failed(self) -> bool:
        return len(self.errors) > self.start


@dataclass
class _Checked:
    """A row that passed every check: the column values of its new candidate and candidacy."""

    number: int
    candidate: dict[str, Any]
    candidacy: dict[str, Any]
    blocks: list  # the chosen blocks when the candidacy aims at some of the CQP's blocks
    findings: list[dict]  # the engine's memoised answer (rows of one (CQP, date, situation) share it)


def _check_required(row: _Row) -> None:
    for column, (_label, required) in COLUMNS.items():
        if required and not row.get(column):
            row.fail(column, _("obligatoire"))


def _check_birth_date(row: _Row, today: date) -> tuple[int | None, int | None, int | None]:
    """Year (required), month and day when known, and a day that exists."""
    numbers: dict[str, int | None] = {}
    for column, low, high in (
        ("annee_naissance", 1900, today.year),
        ("mois_naissance", 1, 12),
        ("jour_naissance", 1, 31),
    ):
        numbers[column] = None
        if row.get(column):
            try:
                numbers[column] = _int(row.get(column), low, high)
            except ValueError as exc:
                row.fail(column, str(exc))
    year, month, day = numbers["annee_naissance"], numbers["mois_naissance"], numbers["jour_naissance"]
    if day and not month:
        row.fail("jour_naissance", _("un jour de naissance exige le mois"))
    elif day and year:
        try:
            date(year, month, day)
        except ValueError:
            row.fail("jour_naissance", _("cette date de naissance n'existe pas"))
    return year, month, day


def _check_birth_place(row: _Row) -> tuple[str, str]:
    """Either a commune or a country of birth, as INSEE codes."""
    commune, country = row.get("commune_naissance").upper(), row.get("pays_naissance")
    if bool(commune) == bool(country):
        row.fail("commune_naissance", _("indiquez soit la commune de naissance, soit le pays de naissance"))
    elif commune and not INSEE_COMMUNE_RE.match(commune):
        row.fail("commune_naissance", _("code INSEE de commune attendu (5 caractères)"))
    elif country and not INSEE_COUNTRY_RE.match(country):
        row.fail("pays_naissance", _("code INSEE de pays attendu (99 suivi de 3 chiffres)"))
    return commune, country


def _check_identity(row: _Row, ctx: _Context) -> dict[str, Any]:
    """The candidate's column values: civil identity and contact details."""
    sex = row.get("sexe").upper()
    if sex not in Sex.values:
        row.fail("sexe", _("F ou M attendu"))
    year, month, day = _check_birth_date(row, ctx.today)
    commune, country = _check_birth_place(row)
    email = row.get("email")
    if email and not EMAIL_RE.fullmatch(email):
        row.fail("email", _("adresse e-mail invalide"))
    birth_name, first_names = row.get("nom_naissance"), row.get("prenoms")
    return {
        "birth_name": birth_name,
        "usage_name": row.get("nom_usage"),
        "first_names": first_names,
        "sex": sex,
        "birth_year": year,
        "birth_month": month,
        "birth_day": day,
        "birth_commune": commune,
        "birth_country": country,
        "email": email,
        "phone": row.get("telephone"),
        "address": row.get("adresse"),
        "postcode": row.get("code_postal"),
        "city": row.get("commune"),
        "identity_key": identity_key(birth_name, first_names),
        "created_by_centre_id": ctx.centre.pk,
    }


def _check_route(row: _Row) -> tuple[str | None, str, str]:
    """Route, a funding that finances it, and the person's situation."""
    route = ROUTES.get(row.get("voie").lower())
    if route is None:
        row.fail("voie", _("formation ou vae attendu"))
    funding = row.get("financement").lower()
    if route is not None and funding not in (TRAINING_FUNDINGS if route == Route.TRAINING else VAE_FUNDINGS):
        row.fail("financement", _("« %(value)s » ne finance pas cette voie") % {"value": funding})
    situation = row.get("situation").lower()
    if situation not in SITUATIONS:
        row.fail("situation", _("une de %(values)s attendue") % {"values": ", ".join(SITUATIONS)})
    return route, funding, situation


def _check_plan(row: _Row) -> dict[str, Any]:
    """Planned dates and hours, and the employer."""
    dates: dict[str, date | None] = {"debut_prevu": None, "fin_prevue": None}
    for column in dates:
        if row.get(column):
            try:
                dates[column] = _date(row.get(column))
            except ValueError as exc:
                row.fail(column, str(exc))
    start, end = dates["debut_prevu"], dates["fin_prevue"]
    if start and end and end < start:
        row.fail("fin_prevue", _("la fin prévue précède le début"))
    hours = None
    if row.get("heures_prevues"):
        try:
            hours = _int(row.get("heures_prevues"), 1, 10_000)
        except ValueError as exc:
            row.fail("heures_prevues", str(exc))
    siret = row.get("siret_employeur").replace(" ", "")
    if siret:
        try:
            validate_siret(siret)
        except ValidationError as exc:
            row.fail("siret_employeur", " ".join(exc.messages))
    return {
        "employer_name": row.get("employeur"),
        "employer_siret": siret,
        "planned_start": start,
        "planned_end": end,
        "planned_hours": hours,
    }


def _check_qualification(row: _Row, ctx: _Context) -> Qualification | None:
    try:
        return ctx.qualification(row.get("cqp"))
    except ValueError as exc:
        row.fail("cqp", str(exc))
        return None


def _check_target(row: _Row, ctx: _Context, qualification, route: str, on: date) -> tuple[str, list] | None:
    """Whole CQP or chosen blocks of it, and (training) the centre's habilitation on the date."""
    blocks_by_code = ctx.blocks[qualification.pk]
    codes = [c.strip().upper() for c in row.get("blocs").split("|") if c.strip()]
    unknown = [c for c in codes if c not in blocks_by_code]
    if unknown:
        row.fail("blocs", _("blocs absents de ce CQP : %(codes)s") % {"codes": ", ".join(unknown)})
        return None
    blocks = [blocks_by_code[c] for c in codes]
    target = Target.BLOCKS if blocks and len(blocks) < len(blocks_by_code) else Target.WHOLE
    if route == Route.TRAINING:
        for block in blocks or list(blocks_by_code.values()):
            problem = ctx.habilitation_problem(qualification, on, block)
            if problem:
                row.fail("cqp", problem)
                return None
    return target, blocks


def _check_rules(
    row: _Row, ctx: _Context, qualification, situation: dict, on: date, age: int, route: str, funding: str
) -> list[dict] | None:
    """The rules engine's findings, or None (and the refusing finding as the error) when the law
    closes this route or funding to this person on that date."""
    try:
        findings = ctx.evaluate(qualification, situation, on, age)
    except ValueError as exc:
        row.fail("situation", str(exc))
        return None
    refused = legal.refusal(findings, route, funding)
    if refused is not None:
        row.fail(
            "financement" if refused["id"] != "vae.access" else "voie",
            f"{legal.explanation(refused)} ({legal.citations_text(refused)} ; {refused.get('rule', '')})",
        )
        return None
    return findings


def _check_row(number: int, cells: dict[str, str], ctx: _Context, errors: list[RowError]) -> _Checked | None:
    """One row → its checked values, or None with its errors appended (row, column, reason)."""
    row = _Row(number, cells, errors)
    _check_required(row)
    if row.failed:
        return None
    person = _check_identity(row, ctx)
    route, funding, situation = _check_route(row)
    plan = _check_plan(row)
    qualification = _check_qualification(row, ctx)
    if row.failed:
        return None
    assert qualification is not None and route is not None
    on = plan["planned_start"] or ctx.today
    aim = _check_target(row, ctx, qualification, route, on)
    if aim is None:
        return None
    target, blocks = aim
    situation_data = {"status": situation}
    age = age_on(person["birth_year"], person["birth_month"], person["birth_day"], on)
    findings = _check_rules(row, ctx, qualification, situation_data, on, age, route, funding)
    if findings is None:
        return None
    candidacy = {
        "version_id": ctx.versions[qualification.pk].pk,
        "qualification_id": qualification.pk,
        "target": target,
        "route": route,
        "funding": funding,
        "centre_id": ctx.centre.pk,
        **plan,
        "situation": situation_data,
        "rules_on": on,
    }
    return _Checked(number, person, candidacy, blocks, findings)


def _duplicates(checked: list[_Checked], errors: list[RowError]) -> None:
    """Same person twice in the file, or already recorded: an error on the row."""
    seen: dict[tuple, int] = {}
    for item in checked:
        c = item.candidate
        key = (c["identity_key"], c["birth_year"], c["birth_month"], c["birth_day"])
        if key in seen:
            errors.append(
                RowError(
                    item.number,
                    "nom_naissance",
                    _("même personne qu'à la ligne %(row)s") % {"row": seen[key]},
                )
            )
        else:
            seen[key] = item.number
    keys = sorted({item.candidate["identity_key"] for item in checked})
    existing: dict[str, list[tuple]] = {}
    for i in range(0, len(keys), 500):
        for pk, key, year, month, day in (
            Candidate.objects.active()
            .filter(identity_key__in=keys[i : i + 500])
            .values_list("pk", "identity_key", "birth_year", "birth_month", "birth_day")
        ):
            existing.setdefault(key, []).append((pk, year, month, day))
    for item in checked:
        c = item.candidate
        for pk, year, month, day in existing.get(c["identity_key"], ()):
            if year != c["birth_year"]:
                continue
            if c["birth_month"] and month and c["birth_month"] != month:
                continue
            if c["birth_day"] and day and c["birth_day"] != day:
                continue
            errors.append(
                RowError(
                    item.number,
                    "nom_naissance",
                    _("cette personne est déjà enregistrée (fiche n° %(pk)s) : inscrivez-la depuis sa fiche")
                    % {"pk": pk},
                )
            )
            break


def import_candidates(
    *, actor, centre, data: bytes, filename: str = "", on: date | None = None
) -> ImportReport:
    """Check every row, then write everything in one transaction; ImportRefused (with every error:
    row, column, reason) when any row is wrong, and nothing is written."""
    ctx = _Context(centre, on or timezone.localdate())
    errors: list[RowError] = []
    checked: list[_Checked] = []
    try:
        rows = read_rows(data, filename)
        header = next(rows)[1]["__header__"]
    except (UnicodeDecodeError, csv.Error, ValueError, OSError, KeyError) as exc:
        raise ImportRefused([RowError(1, "", _("fichier illisible : %(why)s") % {"why": exc})])
    except ValidationError as exc:
        raise ImportRefused([RowError(1, "", " ".join(exc.messages))])
    missing = [c for c, (_label, required) in COLUMNS.items() if required and c not in header]
    if missing:
        raise ImportRefused([RowError(1, c, _("colonne absente")) for c in missing])
    count = 0
    for number, row in rows:
        count += 1
        if count > MAX_ROWS:
            errors.append(RowError(number, "", _("au plus %(max)s lignes par fichier") % {"max": MAX_ROWS}))
            break
        if "__formula__" in row:
            errors.append(RowError(number, "", _("formule refusée : saisissez des valeurs")))
            continue
        result = _check_row(number, row, ctx, errors)
        if result is not None:
            checked.append(result)
        if len(errors) >= MAX_ERRORS:
            break
    if count == 0:
        errors.append(RowError(2, "", _("aucune ligne de candidat")))
    _duplicates(checked, errors)
    if errors:
        raise ImportRefused(sorted(errors, key=lambda e: (e.row, e.column))[:MAX_ERRORS])
    return _write(actor, centre, checked, count)


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def insert_rows(model, columns: list[str], rows: list[tuple], *, returning_ids: bool = True) -> list[int]:
    """Rows straight into the model's table, below `bulk_create` (no model instances, no per-field
    preparation: the rows are already checked), in the caller's transaction; the new ids in row
    order when `returning_ids`.

    PostgreSQL: ids drawn from the table's sequence in one query, then COPY. SQLite: the first row
    inserted alone (its AUTOINCREMENT id, and the write lock: nobody else inserts until the
    transaction ends), the others by one prepared statement with the ids that follow."""
    from django.db import connection

    from cqphub.registry.bulk import BulkWriter

    if not rows:
        return []
    table = model._meta.db_table
    quote = connection.ops.quote_name
    if returning_ids:
        columns = ["id", *columns]
    ids: list[int] = []
    if connection.vendor == "postgresql":
        if returning_ids:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, len(rows)],
                )
                ids = sorted(pk for (pk,) in cursor.fetchall())
            rows = [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
    else:
        rows = _sqlite_rows(connection, rows)
        if returning_ids:
            named = columns[1:]
            first = f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in named)}) VALUES ({', '.join(['%s'] * len(named))})"  # noqa: S608, E501
            with connection.cursor() as cursor:
                cursor.execute(first, rows[0])
                start = cursor.lastrowid
            ids = list(range(start, start + len(rows)))
            rows = [(pk, *row) for pk, row in zip(ids[1:], rows[1:], strict=True)]
    BulkWriter(connection).insert(table, columns, rows)  # COPY on PostgreSQL, executemany on SQLite
    return ids


_DATE_TYPES = frozenset({date, datetime})


def _sqlite_rows(connection, rows: list[tuple]) -> list[tuple]:
    """Dates and datetimes as SQLite stores them (text), each distinct value converted once: an
    import's rows share a handful (its timestamp, planned dates); the other values pass as they are."""
    ops = connection.ops
    adapted: dict[date, str] = {}
    converted = []
    for row in rows:
        if not any(v.__class__ in _DATE_TYPES for v in row):
            converted.append(row)
            continue
        values = []
        for value in row:
            if value.__class__ in _DATE_TYPES:
                text = adapted.get(value)
                if text is None:
                    text = adapted[value] = (
                        ops.adapt_datetimefield_value(value)
                        if isinstance(value, datetime)
                        else ops.adapt_datefield_value(value)
                    )
                value = text
            values.append(value)
        converted.append(tuple(values))
    return converted


CANDIDATE_COLUMNS = [
    "birth_name", "usage_name", "first_names", "sex", "birth_year", "birth_month", "birth_day", "birth_commune",
    "birth_country", "email", "phone", "address", "postcode", "city", "identity_key", "created_by_centre_id",
]  # fmt: skip
CANDIDACY_COLUMNS = [
    "version_id", "qualification_id", "target", "route", "funding", "centre_id", "employer_name",
    "employer_siret", "planned_start", "planned_end", "planned_hours", "situation", "rules_on",
]  # fmt: skip


@transaction.atomic
def _write(actor, centre, checked: list[_Checked], count: int) -> ImportReport:
    """Every row's candidate, candidacy, first status change (and VAE admissibility file, chosen
    blocks), then one audit entry naming them all."""
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    candidate_ids = insert_rows(
        Candidate,
        [*CANDIDATE_COLUMNS, "created", "updated"],
        [(*(item.candidate[c] for c in CANDIDATE_COLUMNS), now, now) for item in checked],
    )
    snapshots: dict[int, int] = {}  # rows share the memoised findings list of their (CQP, date, situation)
    for item in checked:
        if id(item.findings) not in snapshots:
            snapshots[id(item.findings)] = RulesSnapshot.for_findings(item.findings).pk
    candidacy_ids = insert_rows(
        Candidacy,
        [*CANDIDACY_COLUMNS, "candidate_id", "rules_snapshot_id", "accompanist", "accompaniment_hours",
         "status", "status_changed_at", "resume_to", "created_by_id", "created", "updated"],
        [
            (*(json.dumps(v) if c == "situation" else v for c, v in ((c, item.candidacy[c]) for c in CANDIDACY_COLUMNS)),
             candidate_id, snapshots[id(item.findings)], "", None,
             Status.DRAFT.value, now, "", user.pk if user else None, now, now)
            for item, candidate_id in zip(checked, candidate_ids, strict=True)
        ],
    )  # fmt: skip
    reason = str(_("import en masse"))
    insert_rows(
        CandidacyTransition,
        ["candidacy_id", "from_status", "to_status", "by_id", "by_repr", "actor_kind", "at", "reason"],
        [
            (pk, "", Status.DRAFT.value, user.pk if user else None, user.email if user else "", "centre", now, reason)
            for pk in candidacy_ids
        ],
        returning_ids=False,
    )  # fmt: skip
    insert_rows(
        Admissibility,
        ["candidacy_id", "requested_on", "complete_on", "decision", "reasons", "decided_on", "decided_by_id"],
        [
            (pk, None, None, "", "", None, None)
            for item, pk in zip(checked, candidacy_ids, strict=True)
            if item.candidacy["route"] == Route.VAE
        ],
        returning_ids=False,
    )
    through = Candidacy.target_blocks.through
    insert_rows(
        through,
        ["candidacy_id", "skillblock_id"],
        [
            (pk, block.pk)
            for item, pk in zip(checked, candidacy_ids, strict=True)
            if item.candidacy["target"] == Target.BLOCKS
            for block in item.blocks
        ],
        returning_ids=False,
    )
    audit.record(
        actor,
        "import",
        centre,
        centre=centre,
        changes={"candidates": [None, candidate_ids], "candidacies": [None, candidacy_ids]},
    )
    return ImportReport(rows=count, candidates=candidate_ids, candidacies=candidacy_ids)
