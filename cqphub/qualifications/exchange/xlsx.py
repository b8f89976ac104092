"""The frameworks document as a spreadsheet (openpyxl), and back, with a row-by-row error report.

One sheet per kind of row, in document order; the first row of each sheet holds the headers.
Codes link the rows: a work situation names its activity's code, a skill its block's code, etc.
Lists inside a cell ("activités" of a block, "emplois visés") are separated by " | ".

Hostile files (security review M1, M2): every authored text is written as a text cell, never a
formula, and shown with Excel's "quote prefix" when it starts with `=`, `+`, `-`, `@`, a tab or a
carriage return, so a spreadsheet program never evaluates it; reading refuses formula cells, an
archive that would decompress past `LIMITS`, sheets longer than `MAX_ROWS`, and stops reporting
after `MAX_ERRORS` errors. XML is parsed by openpyxl through defusedxml (entities refused).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from cqphub.orgs.uploads import ZipLimits, check_zip
from cqphub.qualifications.exchange.document import FORMAT, METHOD_KINDS, validate_document

LIMITS = ZipLimits(max_members=200, max_total_bytes=30 * 1024 * 1024)
MAX_ROWS = 5000  # per sheet, headers included
MAX_ERRORS = 100
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

SEP = " | "
YES, NO = "oui", "non"
RULES = {"all": "tous", "threshold": "seuil"}
METHOD_LABELS = {
    "practical_work": "Mise en situation professionnelle en entreprise",
    "simulation": "Mise en situation reconstituée",
    "jury_interview": "Entretien avec le jury",
    "portfolio": "Dossier de preuves",
    "written_test": "Épreuve écrite",
    "oral": "Oral / questionnement",
    "other": "Autre modalité",
}

SHEETS: dict[str, list[str]] = {
    "Version": ["clé", "valeur"],
    "Activités": ["code activité", "intitulé", "description"],
    "Situations": ["code activité", "situation de travail", "description"],
    "Blocs": ["code bloc", "intitulé", "règle de validation", "seuil", "activités"],
    "Compétences": ["code bloc", "code compétence", "énoncé", "transversale"],
    "Savoirs": ["code bloc", "code compétence", "savoir"],
    "Critères": ["code bloc", "code compétence", "critère"],
    "Modalités": ["code bloc", "modalité", "précisions"],
    "Épreuves": ["code bloc", "épreuve", "modalité", "durée (minutes)", "déroulement"],
}


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int  # spreadsheet row number (1 = headers); 0 for the whole workbook
    message: str

    def __str__(self) -> str:
        if self.row:
            return f"Feuille « {self.sheet} », ligne {self.row} : {self.message}"
        return f"Feuille « {self.sheet} » : {self.message}" if self.sheet else self.message


def _new_workbook() -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, headers in SHEETS.items():
        sheet = workbook.create_sheet(name)
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for index, header in enumerate(headers):
            sheet.column_dimensions[chr(ord("A") + index)].width = max(
                16, min(60, len(header) + 30 if index else 16)
            )
    methods = f'"{",".join(METHOD_KINDS)}"'
    for name, column in (("Modalités", "B"), ("Épreuves", "C")):
        validation = DataValidation(type="list", formula1=methods, allow_blank=False)
        workbook[name].add_data_validation(validation)
        validation.add(f"{column}2:{column}1000")
    for name, column in (("Compétences", "D"),):
        validation = DataValidation(type="list", formula1='"oui,non"', allow_blank=True)
        workbook[name].add_data_validation(validation)
        validation.add(f"{column}2:{column}1000")
    rule = DataValidation(type="list", formula1='"tous,seuil"', allow_blank=False)
    workbook["Blocs"].add_data_validation(rule)
    rule.add("C2:C1000")
    help_sheet = workbook.create_sheet("Aide")
    help_sheet.append(["Modalité (code à saisir)", "Signification"])
    for code in METHOD_KINDS:
        help_sheet.append([code, METHOD_LABELS[code]])
    help_sheet.append([])
    help_sheet.append(
        [
            "Règle de validation",
            "« tous » : tous les critères satisfaits ; « seuil » : au moins « seuil » critères",
        ]
    )
    help_sheet.append(["Listes dans une cellule", "séparées par « | » (emplois visés, activités d'un bloc)"])
    help_sheet.column_dimensions["A"].width = 30
    help_sheet.column_dimensions["B"].width = 80
    return workbook


def _neutralise_formulas(workbook: Workbook) -> None:
    """Write every text as text (openpyxl turns a string starting with "=" into a formula)."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
                    cell.data_type = "s"
                    cell.quotePrefix = True


def _to_bytes(workbook: Workbook) -> bytes:
    _neutralise_formulas(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_workbook() -> bytes:
    """The empty spreadsheet to fill in (headers, lists of allowed values, a help sheet)."""
    workbook = _new_workbook()
    version = workbook["Version"]
    version.append(["format", FORMAT])
    version.append(["intitulé", ""])
    version.append(["emplois visés", ""])
    return _to_bytes(workbook)


def write_workbook(doc: dict) -> bytes:
    workbook = _new_workbook()
    sheet = workbook["Version"]
    sheet.append(["format", doc["format"]])
    sheet.append(["intitulé", doc["title"]])
    sheet.append(["emplois visés", SEP.join(doc.get("target_jobs", []))])
    for key, value in (doc.get("qualification") or {}).items():
        sheet.append([f"qualification.{key}", SEP.join(value) if isinstance(value, list) else value])
    for key, value in (doc.get("version") or {}).items():
        sheet.append([f"version.{key}", value])
    for activity in doc["activities"]:
        workbook["Activités"].append([activity["code"], activity["title"], activity.get("description", "")])
        for situation in activity.get("work_situations", []):
            workbook["Situations"].append(
                [activity["code"], situation["title"], situation.get("description", "")]
            )
    for block in doc["blocks"]:
        workbook["Blocs"].append(
            [
                block["code"],
                block["title"],
                RULES[block.get("pass_rule", "all")],
                block.get("pass_threshold"),
                SEP.join(block.get("activities", [])),
            ]
        )
        for skill in block["skills"]:
            workbook["Compétences"].append(
                [block["code"], skill["code"], skill["statement"], YES if skill.get("transversal") else NO]
            )
            for label in skill.get("knowledge", []):
                workbook["Savoirs"].append([block["code"], skill["code"], label])
            for statement in skill.get("criteria", []):
                workbook["Critères"].append([block["code"], skill["code"], statement])
        for method in block.get("methods", []):
            workbook["Modalités"].append([block["code"], method["kind"], method.get("description", "")])
        for test in block.get("tests", []):
            workbook["Épreuves"].append(
                [
                    block["code"],
                    test["title"],
                    test["method"],
                    test.get("duration_minutes"),
                    test.get("description", ""),
                ]
            )
    return _to_bytes(workbook)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split("|") if part.strip()] if value else []


_METHOD_BY_LABEL = {label.lower(): code for code, label in METHOD_LABELS.items()}


def _method(value: str) -> str | None:
    if value in METHOD_KINDS:
        return value
    return _METHOD_BY_LABEL.get(value.lower())


class _TooManyErrors(Exception):
    pass


class _ErrorList(list):
    """The error report, stopped after MAX_ERRORS entries."""

    def append(self, error: RowError) -> None:
        super().append(error)
        if len(self) >= MAX_ERRORS:
            super().append(RowError("", 0, f"plus de {MAX_ERRORS} erreurs : corrigez celles-ci d'abord"))
            raise _TooManyErrors

    def extend(self, errors) -> None:
        for error in errors:
            self.append(error)


def read_workbook(data: bytes) -> tuple[dict | None, list[RowError]]:
    """Parse a spreadsheet into a frameworks document; (None, errors) when anything is wrong.

    Never raises on a hostile or broken file: every failure is reported as a RowError."""
    try:
        check_zip(io.BytesIO(data), LIMITS)
    except ValidationError as error:
        return None, [RowError("", 0, " ".join(str(m) for m in error.messages))]
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # noqa: BLE001 - any unreadable file is one clear error
        return None, [RowError("", 0, f"fichier illisible comme classeur XLSX ({error.__class__.__name__})")]
    errors = _ErrorList()
    try:
        return _read(workbook, errors)
    except _TooManyErrors:
        return None, list(errors)
    except Exception as error:  # noqa: BLE001 - malformed XML inside the archive, etc.
        errors = list(errors)
        errors.append(RowError("", 0, f"fichier illisible comme classeur XLSX ({error.__class__.__name__})"))
        return None, errors
    finally:
        workbook.close()


def _read(workbook, errors: _ErrorList) -> tuple[dict | None, list[RowError]]:
    """The document read sheet by sheet, in document order (each sheet refers to the codes of the sheets
    before it), or None and the errors."""
    missing = [name for name in SHEETS if name not in workbook.sheetnames]
    if missing:
        return None, [
            RowError(name, 0, "feuille absente (partez du modèle à télécharger)") for name in missing
        ]

    def rows(name: str):
        return _sheet_rows(workbook[name], name, errors)

    doc = _read_version(rows("Version"), errors)
    activities = _read_activities(rows("Activités"), rows("Situations"), errors)
    doc["activities"] = list(activities.values())
    blocks = _read_blocks(rows("Blocs"), activities, errors)
    doc["blocks"] = list(blocks.values())
    _read_skills(rows, blocks, errors)
    _read_assessment(rows("Modalités"), rows("Épreuves"), blocks, errors)
    if not errors:
        errors.extend(RowError("", 0, message) for message in validate_document(doc))
    return (None, list(errors)) if errors else (doc, [])


def _sheet_rows(sheet, name: str, errors: _ErrorList):
    """(row number, the row's cells as text) for each non-empty row under the expected headers."""
    expected = SHEETS[name]
    iterator = sheet.iter_rows()
    headers = [_cell(c.value).lower() for c in next(iterator, ())][: len(expected)]
    if headers != expected:
        errors.append(RowError(name, 1, f"en-têtes attendus : {', '.join(expected)}"))
        return
    for number, row in enumerate(iterator, start=2):
        if number > MAX_ROWS:
            errors.append(RowError(name, 0, f"trop de lignes ({MAX_ROWS - 1} au plus par feuille)"))
            raise _TooManyErrors
        cells = (list(row) + [None] * len(expected))[: len(expected)]
        if any(getattr(c, "data_type", None) == "f" for c in cells):
            errors.append(RowError(name, number, "formule refusée : saisissez le texte lui-même"))
            continue
        values = [_cell(getattr(c, "value", None)) for c in cells]
        if any(values):
            yield number, values


def _read_version(rows, errors: _ErrorList) -> dict:
    doc: dict = {"format": "", "title": "", "target_jobs": [], "activities": [], "blocks": []}
    for number, (key, value, *_rest) in rows:
        if key == "format":
            doc["format"] = value
        elif key == "intitulé":
            doc["title"] = value
        elif key == "emplois visés":
            doc["target_jobs"] = _split(value)
        elif key.startswith(("qualification.", "version.")):
            continue
        else:
            errors.append(RowError("Version", number, f"clé inconnue « {key} »"))
    if doc["format"] != FORMAT:
        errors.append(RowError("Version", 0, f"format « {FORMAT} » attendu (ligne « format »)"))
    if not doc["title"]:
        errors.append(RowError("Version", 0, "l'intitulé de la version est vide (ligne « intitulé »)"))
    return doc


def _read_activities(activity_rows, situation_rows, errors: _ErrorList) -> dict[str, dict]:
    """The activities by code, in order, with their work situations."""
    activities: dict[str, dict] = {}
    for number, (code, title, description) in activity_rows:
        if not code:
            errors.append(RowError("Activités", number, "code activité manquant"))
        elif code in activities:
            errors.append(RowError("Activités", number, f"code activité « {code} » en double"))
        elif not title:
            errors.append(RowError("Activités", number, f"intitulé manquant pour l'activité « {code} »"))
        else:
            activities[code] = {
                "code": code,
                "title": title,
                "description": description,
                "work_situations": [],
            }
    for number, (code, title, description) in situation_rows:
        if code not in activities:
            errors.append(
                RowError("Situations", number, f"activité « {code} » inconnue (feuille « Activités »)")
            )
        elif not title:
            errors.append(RowError("Situations", number, "situation de travail vide"))
        else:
            activities[code]["work_situations"].append({"title": title, "description": description})
    return activities


def _pass_rule(rule: str, threshold: str) -> tuple[str | None, int | None, list[str]]:
    """A block's pass rule and threshold read from their cells, and what is wrong with them."""
    problems = []
    pass_rule = {"tous": "all", "seuil": "threshold", "all": "all", "threshold": "threshold"}.get(
        rule.lower()
    )
    if pass_rule is None:
        problems.append(f"règle de validation « {rule} » : « tous » ou « seuil » attendu")
    pass_threshold = None
    if pass_rule == "threshold":  # noqa: S105
        if not threshold.isdigit() or int(threshold) < 1:
            problems.append(
                f"seuil « {threshold} » : un nombre entier ≥ 1 est requis avec la règle « seuil »"
            )
        else:
            pass_threshold = int(threshold)
    elif threshold:
        problems.append("pas de seuil avec la règle « tous »")
    return pass_rule, pass_threshold, problems


def _read_blocks(rows, activities: dict[str, dict], errors: _ErrorList) -> dict[str, dict]:
    """The blocks by code, in order (every problem of a row reported, not only the first)."""
    blocks: dict[str, dict] = {}
    for number, (code, title, rule, threshold, linked) in rows:
        row_errors = []
        if not code:
            row_errors.append("code bloc manquant")
        elif code in blocks:
            row_errors.append(f"code bloc « {code} » en double")
        if not title:
            row_errors.append("intitulé manquant")
        pass_rule, pass_threshold, problems = _pass_rule(rule, threshold)
        row_errors += problems
        unknown = [a for a in _split(linked) if a not in activities]
        if unknown:
            row_errors.append(f"activité(s) inconnue(s) : {', '.join(unknown)}")
        if row_errors:
            errors.extend(RowError("Blocs", number, message) for message in row_errors)
            continue
        blocks[code] = {
            "code": code,
            "title": title,
            "pass_rule": pass_rule,
            "pass_threshold": pass_threshold,
            "activities": _split(linked),
            "skills": [],
            "methods": [],
            "tests": [],
        }
    return blocks


def _skill_error(block_code, code, statement, transversal, blocks, skills) -> str | None:
    if block_code not in blocks:
        return f"bloc « {block_code} » inconnu (feuille « Blocs »)"
    if not code:
        return "code compétence manquant"
    if (block_code, code) in skills:
        return f"compétence « {code} » en double dans le bloc {block_code}"
    if not statement:
        return f"énoncé manquant pour la compétence « {code} »"
    if transversal.lower() not in (YES, NO, ""):
        return f"transversale « {transversal} » : « oui » ou « non » attendu"
    return None


def _read_skills(rows, blocks: dict[str, dict], errors: _ErrorList) -> None:
    """The skills into their blocks, then their knowledge items and criteria."""
    skills: dict[tuple[str, str], dict] = {}
    for number, (block_code, code, statement, transversal) in rows("Compétences"):
        error = _skill_error(block_code, code, statement, transversal, blocks, skills)
        if error:
            errors.append(RowError("Compétences", number, error))
            continue
        skill = {
            "code": code,
            "statement": statement,
            "transversal": transversal.lower() == YES,
            "knowledge": [],
            "criteria": [],
        }
        skills[(block_code, code)] = skill
        blocks[block_code]["skills"].append(skill)
    for sheet, key, label in (("Savoirs", "knowledge", "savoir"), ("Critères", "criteria", "critère")):
        for number, (block_code, code, text) in rows(sheet):
            if (block_code, code) not in skills:
                errors.append(
                    RowError(sheet, number, f"compétence « {code} » inconnue dans le bloc « {block_code} »")
                )
            elif not text:
                errors.append(RowError(sheet, number, f"{label} vide"))
            else:
                skills[(block_code, code)][key].append(text)


def _read_assessment(method_rows, test_rows, blocks: dict[str, dict], errors: _ErrorList) -> None:
    """The assessment methods and tests into their blocks."""
    for number, (block_code, kind, description) in method_rows:
        if block_code not in blocks:
            errors.append(RowError("Modalités", number, f"bloc « {block_code} » inconnu"))
        elif _method(kind) is None:
            errors.append(
                RowError("Modalités", number, f"modalité « {kind} » inconnue (voir la feuille « Aide »)")
            )
        else:
            blocks[block_code]["methods"].append({"kind": _method(kind), "description": description})
    for number, (block_code, title, kind, duration, description) in test_rows:
        if block_code not in blocks:
            errors.append(RowError("Épreuves", number, f"bloc « {block_code} » inconnu"))
        elif not title:
            errors.append(RowError("Épreuves", number, "intitulé de l'épreuve manquant"))
        elif _method(kind) is None:
            errors.append(
                RowError("Épreuves", number, f"modalité « {kind} » inconnue (voir la feuille « Aide »)")
            )
        elif duration and (not duration.isdigit() or int(duration) < 1):
            errors.append(
                RowError("Épreuves", number, f"durée « {duration} » : nombre entier de minutes attendu")
            )
        else:
            blocks[block_code]["tests"].append(
                {
                    "title": title,
                    "method": _method(kind),
                    "duration_minutes": int(duration) if duration else None,
                    "description": description,
                }
            )
