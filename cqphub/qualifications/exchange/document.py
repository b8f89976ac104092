"""The frameworks document: a version's three frameworks as plain JSON-able data.

    {"format": "cqphub.frameworks/1",
     "qualification": {"kind", "title", "rome_codes"}, "version": {"number", "state"},   # informative
     "title": str, "target_jobs": [str],
     "activities": [{"code", "title", "description", "work_situations": [{"title", "description"}]}],
     "blocks": [{"code", "title", "pass_rule": "all"|"threshold", "pass_threshold": int|null,
                 "activities": [activity code],
                 "skills": [{"code", "statement", "transversal", "knowledge": [str], "criteria": [str]}],
                 "methods": [{"kind", "description"}],
                 "tests": [{"title", "method", "duration_minutes", "description"}]}]}

`validate_document` lists every problem with its path ("blocks[1].skills[0].code : …"); the JSON
Schema `SCHEMA` describes the same shape for other tools.
"""

from __future__ import annotations

import json
from typing import Any

FORMAT = "cqphub.frameworks/1"
PASS_RULES = ("all", "threshold")
METHOD_KINDS = (
    "practical_work",
    "simulation",
    "jury_interview",
    "portfolio",
    "written_test",
    "oral",
    "other",
)

_str = {"type": "string"}
_text = {"type": "string"}
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "cqphub frameworks document",
    "type": "object",
    "required": ["format", "title", "target_jobs", "activities", "blocks"],
    "properties": {
        "format": {"const": FORMAT},
        "title": {"type": "string", "minLength": 1},
        "target_jobs": {"type": "array", "items": _str},
        "qualification": {"type": "object"},
        "version": {"type": "object"},
        "activities": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "title"],
                "properties": {
                    "code": {"type": "string", "minLength": 1},
                    "title": {"type": "string", "minLength": 1},
                    "description": _text,
                    "work_situations": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["title"],
                            "properties": {"title": _str, "description": _text},
                        },
                    },
                },
            },
        },
        "blocks": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "title", "skills"],
                "properties": {
                    "code": {"type": "string", "minLength": 1},
                    "title": {"type": "string", "minLength": 1},
                    "pass_rule": {"enum": list(PASS_RULES)},
                    "pass_threshold": {"type": ["integer", "null"], "minimum": 1},
                    "activities": {"type": "array", "items": _str},
                    "skills": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["code", "statement"],
                            "properties": {
                                "code": {"type": "string", "minLength": 1},
                                "statement": {"type": "string", "minLength": 1},
                                "transversal": {"type": "boolean"},
                                "knowledge": {"type": "array", "items": _str},
                                "criteria": {"type": "array", "items": _str},
                            },
                        },
                    },
                    "methods": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["kind"],
                            "properties": {"kind": {"enum": list(METHOD_KINDS)}, "description": _text},
                        },
                    },
                    "tests": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["title", "method"],
                            "properties": {
                                "title": {"type": "string", "minLength": 1},
                                "method": {"enum": list(METHOD_KINDS)},
                                "duration_minutes": {"type": ["integer", "null"], "minimum": 1},
                                "description": _text,
                            },
                        },
                    },
                },
            },
        },
    },
}


def build_document(version) -> dict:
    """The frameworks of `version` (a QualificationVersion) as a document."""
    qualification = version.qualification
    activities = version.activities.prefetch_related("work_situations")
    links = version.version_blocks.select_related("block").prefetch_related(
        "activities",
        "block__skills__knowledge_items",
        "block__skills__criteria",
        "block__methods",
        "block__tests",
    )
    return {
        "format": FORMAT,
        "qualification": {
            "kind": qualification.kind,
            "title": qualification.title,
            "rome_codes": list(qualification.rome_codes),
        },
        "version": {"number": version.number, "state": version.state},
        "title": version.title,
        "target_jobs": list(version.target_jobs),
        "activities": [_activity_entry(a) for a in activities],
        "blocks": [_block_entry(link) for link in links],
    }


def _activity_entry(activity) -> dict:
    return {
        "code": activity.code,
        "title": activity.title,
        "description": activity.description,
        "work_situations": [
            {"title": s.title, "description": s.description} for s in activity.work_situations.all()
        ],
    }


def _block_entry(link) -> dict:
    """A block as this version links it: its own activities' codes, in their order."""
    block = link.block
    return {
        "code": block.code,
        "title": block.title,
        "pass_rule": block.pass_rule,
        "pass_threshold": block.pass_threshold,
        "activities": [a.code for a in sorted(link.activities.all(), key=lambda a: (a.order, a.pk))],
        "skills": [
            {
                "code": s.code,
                "statement": s.statement,
                "transversal": s.transversal,
                "knowledge": [k.label for k in s.knowledge_items.all()],
                "criteria": [c.statement for c in s.criteria.all()],
            }
            for s in block.skills.all()
        ],
        "methods": [{"kind": m.kind, "description": m.description} for m in block.methods.all()],
        "tests": [
            {
                "title": t.title,
                "method": t.method,
                "duration_minutes": t.duration_minutes,
                "description": t.description,
            }
            for t in block.tests.all()
        ],
    }


def frameworks_only(doc: dict) -> dict:
    """The document without its informative parts (what an import reads)."""
    return {k: v for k, v in doc.items() if k not in ("qualification", "version")}


def block_signature(block_doc: dict) -> dict:
    """What defines a block's content, for "is this the same block?" (activity links excluded)."""
    return {k: v for k, v in block_doc.items() if k != "activities"}


def _check_code(errors: list[str], path: str, code, seen: set[str], *, duplicate_suffix: str = "") -> None:
    """A row's code: present, and not already used among its siblings (remembered in `seen`)."""
    if not _is_text(code):
        errors.append(f"{path}.code : code manquant")
    elif code in seen:
        errors.append(f"{path}.code : code « {code} » en double{duplicate_suffix}")
    else:
        seen.add(code)


def _is_text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def validate_document(doc: Any) -> list[str]:
    """Every problem in `doc`, each with its path; [] when the document can be imported."""
    errors: list[str] = []
    if not isinstance(doc, dict):
        return ["document : un objet JSON est attendu"]
    if doc.get("format") != FORMAT:
        errors.append(f"format : « {FORMAT} » attendu, trouvé « {doc.get('format')} »")
    if not _is_text(doc.get("title")):
        errors.append("title : intitulé manquant")
    jobs = doc.get("target_jobs", [])
    if not isinstance(jobs, list) or not all(isinstance(j, str) for j in jobs):
        errors.append("target_jobs : liste de textes attendue")
    activity_codes = _check_activities(errors, doc.get("activities"))
    blocks = doc.get("blocks")
    if not isinstance(blocks, list):
        errors.append("blocks : liste attendue")
        blocks = []
    block_codes: set[str] = set()
    for i, block in enumerate(blocks):
        _check_block(errors, f"blocks[{i}]", block, activity_codes, block_codes)
    return errors


def _check_activities(errors: list[str], activities: Any) -> set[str]:
    """The activities' problems added to `errors`; their codes."""
    activity_codes: set[str] = set()
    if not isinstance(activities, list):
        errors.append("activities : liste attendue")
        return activity_codes
    for i, activity in enumerate(activities):
        path = f"activities[{i}]"
        if not isinstance(activity, dict):
            errors.append(f"{path} : objet attendu")
            continue
        _check_code(errors, path, activity.get("code"), activity_codes)
        if not _is_text(activity.get("title")):
            errors.append(f"{path}.title : intitulé manquant")
        for j, situation in enumerate(activity.get("work_situations") or []):
            if not isinstance(situation, dict) or not _is_text(situation.get("title")):
                errors.append(f"{path}.work_situations[{j}].title : intitulé manquant")
    return activity_codes


def _check_block(errors: list[str], path: str, block: Any, activity_codes: set[str], block_codes: set[str]):
    if not isinstance(block, dict):
        errors.append(f"{path} : objet attendu")
        return
    _check_code(errors, path, block.get("code"), block_codes)
    if not _is_text(block.get("title")):
        errors.append(f"{path}.title : intitulé manquant")
    rule, threshold = block.get("pass_rule", "all"), block.get("pass_threshold")
    if rule not in PASS_RULES:
        errors.append(f"{path}.pass_rule : « all » ou « threshold » attendu, trouvé « {rule} »")
    elif rule == "threshold" and not (isinstance(threshold, int) and threshold >= 1):
        errors.append(f"{path}.pass_threshold : un seuil entier ≥ 1 est requis avec la règle « threshold »")
    elif rule == "all" and threshold is not None:
        errors.append(f"{path}.pass_threshold : pas de seuil avec la règle « all »")
    for code in block.get("activities") or []:
        if code not in activity_codes:
            errors.append(f"{path}.activities : activité « {code} » inconnue")
    skills = block.get("skills")
    if not isinstance(skills, list):
        errors.append(f"{path}.skills : liste attendue")
        skills = []
    skill_codes: set[str] = set()
    for j, skill in enumerate(skills):
        _check_skill(errors, f"{path}.skills[{j}]", skill, skill_codes)
    for j, method in enumerate(block.get("methods") or []):
        if not isinstance(method, dict) or method.get("kind") not in METHOD_KINDS:
            errors.append(f"{path}.methods[{j}].kind : modalité inconnue « {(method or {}).get('kind')} »")
    for j, test in enumerate(block.get("tests") or []):
        _check_test(errors, f"{path}.tests[{j}]", test)


def _check_skill(errors: list[str], path: str, skill: Any, skill_codes: set[str]) -> None:
    if not isinstance(skill, dict):
        errors.append(f"{path} : objet attendu")
        return
    _check_code(errors, path, skill.get("code"), skill_codes, duplicate_suffix=" dans le bloc")
    if not _is_text(skill.get("statement")):
        errors.append(f"{path}.statement : énoncé manquant")
    if not isinstance(skill.get("transversal", False), bool):
        errors.append(f"{path}.transversal : vrai ou faux attendu")
    for key in ("knowledge", "criteria"):
        values = skill.get(key, [])
        if not isinstance(values, list) or not all(_is_text(v) for v in values):
            errors.append(f"{path}.{key} : liste de textes non vides attendue")


def _check_test(errors: list[str], path: str, test: Any) -> None:
    if not isinstance(test, dict):
        errors.append(f"{path} : objet attendu")
        return
    if not _is_text(test.get("title")):
        errors.append(f"{path}.title : intitulé manquant")
    if test.get("method") not in METHOD_KINDS:
        errors.append(f"{path}.method : modalité inconnue « {test.get('method')} »")
    duration = test.get("duration_minutes")
    if duration is not None and not (isinstance(duration, int) and duration >= 1):
        errors.append(f"{path}.duration_minutes : nombre entier de minutes ≥ 1 attendu")


MAX_DEPTH = 16  # the document nests 5 levels deep; anything far deeper is not a frameworks document


def _depth_exceeds(value: Any, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return False


def parse_json(data: bytes) -> tuple[Any, list[str]]:
    """Decode an uploaded JSON file and check it; `(document, [])` or `(None, problems)`.

    Never raises on hostile input (security review M2): bad encoding, bad syntax, nesting too deep
    for the parser or for a frameworks document, huge numbers, and a document whose parts have
    unexpected types are each reported as one clear problem."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None, ["JSON illisible : le fichier n'est pas encodé en UTF-8"]
    except RecursionError:
        return None, [f"JSON refusé : imbrication trop profonde ({MAX_DEPTH} niveaux au plus)"]
    except ValueError as error:  # JSONDecodeError, and integers too long to convert
        return None, [f"JSON illisible : {error}"]
    if _depth_exceeds(document, MAX_DEPTH):
        return None, [f"JSON refusé : imbrication trop profonde ({MAX_DEPTH} niveaux au plus)"]
    try:
        problems = validate_document(document)
    except (TypeError, AttributeError, ValueError):
        problems = ["document : structure inattendue (partez d'un export ou du modèle)"]
    return (None, problems) if problems else (document, [])
