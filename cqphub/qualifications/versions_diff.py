"""Compare two versions of a qualification's frameworks, given as plain dicts (the frameworks
document of `exchange.document`): what was added, removed, changed. No Django import.

Rows are matched by their code (activities, blocks, skills), then by their text or position for
rows without a code (work situations, knowledge items, criteria, methods, tests).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ADDED, REMOVED, CHANGED = "added", "removed", "changed"


@dataclass(frozen=True)
class Change:
    kind: str  # added | removed | changed
    section: str  # "version", "activities", "blocks"
    path: str  # human-readable location, e.g. "BC01 › C1.2 › énoncé"
    before: Any = None
    after: Any = None


def _scalar_changes(section: str, path: str, a: dict, b: dict, fields: dict[str, str]) -> list[Change]:
    out = []
    for key, label in fields.items():
        if a.get(key) != b.get(key):
            out.append(
                Change(CHANGED, section, f"{path} › {label}" if path else label, a.get(key), b.get(key))
            )
    return out


def _list_changes(section: str, path: str, a: list, b: list) -> list[Change]:
    """Unordered comparison of two lists of strings (or of small dicts, compared whole)."""
    out = []
    for item in a:
        if item not in b:
            out.append(Change(REMOVED, section, path, before=item))
    for item in b:
        if item not in a:
            out.append(Change(ADDED, section, path, after=item))
    return out


def _keyed(rows: list[dict]) -> dict[str, dict]:
    return {row["code"]: row for row in rows}


def _activity_changes(a: dict, b: dict) -> list[Change]:
    out: list[Change] = []
    before, after = _keyed(a.get("activities", [])), _keyed(b.get("activities", []))
    for code, row in before.items():
        if code not in after:
            out.append(Change(REMOVED, "activities", code, before=row["title"]))
    for code, row in after.items():
        if code not in before:
            out.append(Change(ADDED, "activities", code, after=row["title"]))
            continue
        old = before[code]
        out += _scalar_changes(
            "activities", code, old, row, {"title": "intitulé", "description": "description"}
        )
        out += _list_changes(
            "activities",
            f"{code} › situations de travail",
            [s["title"] for s in old.get("work_situations", [])],
            [s["title"] for s in row.get("work_situations", [])],
        )
    return out


def _skill_changes(block_code: str, old: dict, new: dict) -> list[Change]:
    out: list[Change] = []
    before, after = _keyed(old.get("skills", [])), _keyed(new.get("skills", []))
    for code, row in before.items():
        if code not in after:
            out.append(Change(REMOVED, "blocks", f"{block_code} › {code}", before=row["statement"]))
    for code, row in after.items():
        path = f"{block_code} › {code}"
        if code not in before:
            out.append(Change(ADDED, "blocks", path, after=row["statement"]))
            continue
        prev = before[code]
        out += _scalar_changes(
            "blocks", path, prev, row, {"statement": "énoncé", "transversal": "transversale"}
        )
        out += _list_changes(
            "blocks", f"{path} › savoirs", prev.get("knowledge", []), row.get("knowledge", [])
        )
        out += _list_changes(
            "blocks", f"{path} › critères", prev.get("criteria", []), row.get("criteria", [])
        )
    return out


def _block_changes(a: dict, b: dict) -> list[Change]:
    out: list[Change] = []
    before, after = _keyed(a.get("blocks", [])), _keyed(b.get("blocks", []))
    for code, row in before.items():
        if code not in after:
            out.append(Change(REMOVED, "blocks", code, before=row["title"]))
    for code, row in after.items():
        if code not in before:
            out.append(Change(ADDED, "blocks", code, after=row["title"]))
            continue
        old = before[code]
        out += _scalar_changes(
            "blocks",
            code,
            old,
            row,
            {"title": "intitulé", "pass_rule": "règle de validation", "pass_threshold": "seuil"},
        )
        out += _list_changes(
            "blocks", f"{code} › activités", old.get("activities", []), row.get("activities", [])
        )
        out += _skill_changes(code, old, row)
        out += _list_changes("blocks", f"{code} › modalités", old.get("methods", []), row.get("methods", []))
        out += _list_changes("blocks", f"{code} › épreuves", old.get("tests", []), row.get("tests", []))
    return out


def compare(a: dict, b: dict) -> list[Change]:
    """Changes that turn version `a` into version `b`."""
    out: list[Change] = []
    qa, qb = a.get("qualification", {}), b.get("qualification", {})
    out += _scalar_changes("version", "", qa, qb, {"title": "intitulé"})
    out += _list_changes("version", "métiers visés", a.get("target_jobs", []), b.get("target_jobs", []))
    out += _activity_changes(a, b)
    out += _block_changes(a, b)
    return out


def summary(changes: list[Change]) -> dict[str, int]:
    counts = {ADDED: 0, REMOVED: 0, CHANGED: 0}
    for change in changes:
        counts[change.kind] += 1
    return counts
