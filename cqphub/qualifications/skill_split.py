"""Split the published skills text of a registry block (prose) into proposed skill statements.

France compétences publishes `LISTE_COMPETENCES` as one text. In the exports, line breaks are often
flattened into runs of spaces, so a list reads "- Analyser le dossier  - Proposer une solution".
Statements are recognised, in this order:

1. explicit item markers at the start of a line or after two spaces or more: bullets ("-", "•",
   "*", "–", "·", "▪") and skill codes ("C1.", "C.1.", "A1C2.", "A5.C1.", "1.1", "3.1.2.");
2. inside what remains, a new statement after a line break or a run of two spaces or more, when
   the next word is a capitalised infinitive ("Maquetter", "S'adapter", "Être") — "solution   technique"
   is not split because "technique" is neither capitalised nor a verb;
3. a lead-in sentence ending with a colon ("En mobilisant … :") is kept apart as a preamble.

The result is only a proposal: the officer reviews every statement before anything is saved.
Pure function, no Django import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BULLET_CHARS = "-•*–·▪●◦"
_SPACE_BREAK = r"(?:\n|\s{2,})"
# A skill code: "C1." "C.1." "A1C2." "A5.C1." "BC01.C3" "1.1" "3.1.2." "12)" (a number alone needs "." or ")").
CODE = r"(?:[A-Z]{1,2}\d*\.?)?[A-Z]{1,2}\.?\d+(?:\.\d+)*\.?|\d+(?:\.\d+)+\.?|\d{1,2}[.)]"
_ITEM_START = re.compile(
    rf"(?:^|(?<=\n)|(?<=\s\s))(?:(?P<bullet>[{re.escape(BULLET_CHARS)}])\s+|(?P<code>{CODE})(?=\s|[A-ZÀ-Ý]))",
    re.MULTILINE,
)
_INFINITIVE = (
    r"(?:S['’]\s?|Se\s|Ne\s)?[A-ZÀ-Ý][a-zà-ÿœæ’'\-]*(?:er|ir|re|oir|ire)"
    r"|Être|Etre|Avoir|Savoir|Faire|Prendre|Mettre|Conduire|Produire|Construire"
)
_INFINITIVE_BREAK = re.compile(rf"{_SPACE_BREAK}(?=(?:{_INFINITIVE})\b)")
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class ProposedSkill:
    statement: str
    code: str = ""


@dataclass(frozen=True)
class SplitResult:
    skills: list[ProposedSkill]
    preamble: str = ""


def _clean(text: str) -> str:
    text = _WS.sub(" ", text).strip()
    text = text.strip(" ;,")
    return text.strip()


def _clean_code(code: str) -> str:
    return (code or "").rstrip(".)").strip()


def _split_infinitives(chunk: str) -> list[str]:
    parts = _INFINITIVE_BREAK.split(chunk)
    return [part for part in parts if part.strip()]


def split_skills(text: str) -> SplitResult:
    """Propose skill statements from a block's published skills text."""
    if not text or not text.strip():
        return SplitResult([])
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    matches = list(_ITEM_START.finditer(text))
    items: list[tuple[str, str]] = []  # (code, raw text)
    head = text[: matches[0].start()] if matches else text
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        items.append((_clean_code(match.group("code") or ""), text[match.end() : end]))

    preamble = ""
    head_parts = _split_infinitives(head)
    if head_parts and _clean(head_parts[0]).endswith(":"):
        preamble = _clean(head_parts.pop(0))
    skills: list[ProposedSkill] = [ProposedSkill(_clean(part)) for part in head_parts]
    for code, raw in items:
        parts = _split_infinitives(raw)
        if not parts:
            continue
        skills.append(ProposedSkill(_clean(parts[0]), code))
        skills.extend(ProposedSkill(_clean(part)) for part in parts[1:])
    skills = [skill for skill in skills if skill.statement and skill.statement.strip(BULLET_CHARS + " ")]
    return SplitResult(skills, preamble)
