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
import io
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
    identity_key,
)
from cqphub.orgs import audit
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


def _date(value: str) -> date:
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


def _check_row(number: int, row: dict[str, str], ctx: _Context, errors: list[RowError]):
    """One row → (candidate, candidacy fields, blocks) or None with its errors appended."""
    start = len(errors)

    def fail(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    def get(column: str) -> str:
        return (row.get(column) or "").strip()

    for column, (_label, required) in COLUMNS.items():
        if required and not get(column):
            fail(column, _("obligatoire"))
    if len(errors) > start:
        return None
    sex = get("sexe").upper()
    if sex not in Sex.values:
        fail("sexe", _("F ou M attendu"))
    numbers: dict[str, int | None] = {}
    for column, low, high in (
        ("annee_naissance", 1900, ctx.today.year),
        ("mois_naissance", 1, 12),
        ("jour_naissance", 1, 31),
    ):
        numbers[column] = None
        if get(column):
            try:
                numbers[column] = _int(get(column), low, high)
            except ValueError as exc:
                fail(column, str(exc))
    if numbers["jour_naissance"] and not numbers["mois_naissance"]:
        fail("jour_naissance", _("un jour de naissance exige le mois"))
    elif numbers["jour_naissance"] and numbers["annee_naissance"]:
        try:
            date(numbers["annee_naissance"], numbers["mois_naissance"], numbers["jour_naissance"])
        except ValueError:
            fail("jour_naissance", _("cette date de naissance n'existe pas"))
    commune, country = get("commune_naissance").upper(), get("pays_naissance")
    if bool(commune) == bool(country):
        fail("commune_naissance", _("indiquez soit la commune de naissance, soit le pays de naissance"))
    elif commune and not INSEE_COMMUNE_RE.match(commune):
        fail("commune_naissance", _("code INSEE de commune attendu (5 caractères)"))
    elif country and not INSEE_COUNTRY_RE.match(country):
        fail("pays_naissance", _("code INSEE de pays attendu (99 suivi de 3 chiffres)"))
    email = get("email")
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        fail("email", _("adresse e-mail invalide"))
    route = ROUTES.get(get("voie").lower())
    if route is None:
        fail("voie", _("formation ou vae attendu"))
    funding = get("financement").lower()
    if route is not None and funding not in (TRAINING_FUNDINGS if route == Route.TRAINING else VAE_FUNDINGS):
        fail("financement", _("« %(value)s » ne finance pas cette voie") % {"value": funding})
    situation = get("situation").lower()
    if situation not in SITUATIONS:
        fail("situation", _("une de %(values)s attendue") % {"values": ", ".join(SITUATIONS)})
    dates: dict[str, date | None] = {"debut_prevu": None, "fin_prevue": None}
    for column in dates:
        if get(column):
            try:
                dates[column] = _date(get(column))
            except ValueError as exc:
                fail(column, str(exc))
    if dates["debut_prevu"] and dates["fin_prevue"] and dates["fin_prevue"] < dates["debut_prevu"]:
        fail("fin_prevue", _("la fin prévue précède le début"))
    hours = None
    if get("heures_prevues"):
        try:
            hours = _int(get("heures_prevues"), 1, 10_000)
        except ValueError as exc:
            fail("heures_prevues", str(exc))
    siret = get("siret_employeur").replace(" ", "")
    if siret:
        from cqphub.orgs.models import validate_siret

        try:
            validate_siret(siret)
        except ValidationError as exc:
            fail("siret_employeur", " ".join(exc.messages))
    qualification = None
    try:
        qualification = ctx.qualification(get("cqp"))
    except ValueError as exc:
        fail("cqp", str(exc))
    if len(errors) > start:
        return None
    assert qualification is not None and route is not None
    version = ctx.versions[qualification.pk]
    blocks_by_code = ctx.blocks[qualification.pk]
    codes = [c.strip().upper() for c in get("blocs").split("|") if c.strip()]
    unknown = [c for c in codes if c not in blocks_by_code]
    if unknown:
        fail("blocs", _("blocs absents de ce CQP : %(codes)s") % {"codes": ", ".join(unknown)})
        return None
    blocks = [blocks_by_code[c] for c in codes]
    target = Target.BLOCKS if blocks and len(blocks) < len(blocks_by_code) else Target.WHOLE
    on = dates["debut_prevu"] or ctx.today
    if route == Route.TRAINING:
        for block in blocks or list(blocks_by_code.values()):
            problem = ctx.habilitation_problem(qualification, on, block)
            if problem:
                fail("cqp", problem)
                return None
    candidate = Candidate(
        birth_name=get("nom_naissance"),
        usage_name=get("nom_usage"),
        first_names=get("prenoms"),
        sex=sex,
        birth_year=numbers["annee_naissance"],
        birth_month=numbers["mois_naissance"],
        birth_day=numbers["jour_naissance"],
        birth_commune=commune,
        birth_country=country,
        email=email,
        phone=get("telephone"),
        address=get("adresse"),
        postcode=get("code_postal"),
        city=get("commune"),
        created_by_centre_id=ctx.centre.pk,
    )
    candidate.identity_key = identity_key(candidate.birth_name, candidate.first_names)
    situation_data = {"status": situation}
    try:
        findings = ctx.evaluate(qualification, situation_data, on, candidate.age_on(on))
    except ValueError as exc:
        fail("situation", str(exc))
        return None
    refused = legal.refusal(findings, route, funding)
    if refused is not None:
        fail(
            "financement" if refused["id"] != "vae.access" else "voie",
            f"{legal.explanation(refused)} ({legal.citations_text(refused)} ; {refused.get('rule', '')})",
        )
        return None
    candidacy = Candidacy(
        version_id=version.pk,
        qualification_id=qualification.pk,
        target=target,
        route=route,
        funding=funding,
        centre_id=ctx.centre.pk,
        employer_name=get("employeur"),
        employer_siret=siret,
        planned_start=dates["debut_prevu"],
        planned_end=dates["fin_prevue"],
        planned_hours=hours,
        situation=situation_data,
        rules_on=on,
    )
    candidacy._findings = findings
    return candidate, candidacy, blocks


def _duplicates(checked: list[tuple[int, Candidate]], errors: list[RowError]) -> None:
    """Same person twice in the file, or already recorded: an error on the row."""
    seen: dict[tuple, int] = {}
    for number, c in checked:
        key = (c.identity_key, c.birth_year, c.birth_month, c.birth_day)
        if key in seen:
            errors.append(
                RowError(
                    number, "nom_naissance", _("même personne qu'à la ligne %(row)s") % {"row": seen[key]}
                )
            )
        else:
            seen[key] = number
    keys = sorted({c.identity_key for _n, c in checked})
    existing: dict[str, list[Candidate]] = {}
    for i in range(0, len(keys), 500):
        for found in (
            Candidate.objects.active()
            .filter(identity_key__in=keys[i : i + 500])
            .only("pk", "identity_key", "birth_year", "birth_month", "birth_day")
        ):
            existing.setdefault(found.identity_key, []).append(found)
    for number, c in checked:
        for other in existing.get(c.identity_key, ()):
            if other.birth_year != c.birth_year:
                continue
            if c.birth_month and other.birth_month and c.birth_month != other.birth_month:
                continue
            if c.birth_day and other.birth_day and c.birth_day != other.birth_day:
                continue
            errors.append(
                RowError(
                    number,
                    "nom_naissance",
                    _("cette personne est déjà enregistrée (fiche n° %(pk)s) : inscrivez-la depuis sa fiche")
                    % {"pk": other.pk},
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
    checked: list[tuple[int, Candidate, Candidacy, list]] = []
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
            checked.append((number, *result))
        if len(errors) >= MAX_ERRORS:
            break
    if count == 0:
        errors.append(RowError(2, "", _("aucune ligne de candidat")))
    _duplicates([(n, c) for n, c, _cy, _b in checked], errors)
    if errors:
        raise ImportRefused(sorted(errors, key=lambda e: (e.row, e.column))[:MAX_ERRORS])
    return _write(actor, centre, checked, count)


@transaction.atomic
def _write(actor, centre, checked, count: int) -> ImportReport:
    now = timezone.now()
    candidates = [c for _n, c, _cy, _b in checked]
    for c in candidates:
        c.created = c.updated = now
    Candidate.objects.bulk_create(candidates, batch_size=1000)
    if any(c.pk is None for c in candidates):  # a backend that does not return ids
        raise RuntimeError("bulk_create did not return primary keys")
    snapshots: dict[int, RulesSnapshot] = {}
    candidacies = []
    for _n, candidate, candidacy, _b in checked:
        key = id(candidacy._findings)  # rows share the memoised findings list of their (CQP, date, situation)
        if key not in snapshots:
            snapshots[key] = RulesSnapshot.for_findings(candidacy._findings)
        # ids rather than instances: the related-object descriptors cost more than the row's own fields
        candidacy.rules_snapshot_id = snapshots[key].pk
        candidacy.candidate_id = candidate.pk
        candidacy.created = candidacy.status_changed_at = candidacy.updated = now
        candidacy.created_by_id = actor.pk if getattr(actor, "is_authenticated", False) else None
        candidacies.append(candidacy)
    Candidacy.objects.bulk_create(candidacies, batch_size=1000)
    user = actor if getattr(actor, "is_authenticated", False) else None
    CandidacyTransition.objects.bulk_create(
        [
            CandidacyTransition(
                candidacy_id=c.pk,
                from_status="",
                to_status=Status.DRAFT,
                by_id=user.pk if user else None,
                by_repr=(user.email if user else ""),
                actor_kind="centre",
                at=now,
                reason=_("import en masse"),
            )
            for c in candidacies
        ],
        batch_size=1000,
    )
    Admissibility.objects.bulk_create(
        [Admissibility(candidacy_id=c.pk) for c in candidacies if c.route == Route.VAE], batch_size=1000
    )
    through = Candidacy.target_blocks.through
    through.objects.bulk_create(
        [
            through(candidacy_id=cy.pk, skillblock_id=b.pk)
            for (_n, _c, cy, blocks) in checked
            if cy.target == Target.BLOCKS
            for b in blocks
        ],
        batch_size=1000,
    )
    audit.record(
        actor,
        "import",
        centre,
        centre=centre,
        changes={
            "candidates": [None, [c.pk for c in candidates]],
            "candidacies": [None, [c.pk for c in candidacies]],
        },
    )
    return ImportReport(
        rows=count, candidates=[c.pk for c in candidates], candidacies=[c.pk for c in candidacies]
    )
