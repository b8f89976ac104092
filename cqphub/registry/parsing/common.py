"""Small pure helpers shared by the XML and CSV parsers: values, byte counting, names."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache

Progress = Callable[[int], None]

_NON_DIGITS = re.compile(r"\D+")
_LEVEL = re.compile(r"(?:NIV(?:EAU)?\s*)?([0-8])", re.IGNORECASE)
NO_LEVEL_VALUES = frozenset({"", "REPRISE", "AUCUN", "NIV0", "SANS NIVEAU", "0"})


def normalise_code(value: str) -> str:
    """`' rncp35809 '` → `'RNCP35809'`: codes are compared and stored in one form, before anything else."""
    return value.strip().upper() if value else ""


_EXPORT_DATE = re.compile(r"(?<!\d)(20\d\d)[-_](\d\d)[-_](\d\d)(?!\d)")


def date_in_name(name: str) -> date | None:
    """The export date a France compétences file name carries (`…-2026-11-27.xml`, `…_2024_02_22.csv`)."""
    match = _EXPORT_DATE.search(name)
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def register_of(code: str) -> str:
    return "RS" if code[:2].upper() == "RS" else "RNCP"


@lru_cache(maxsize=8192)
def parse_date(value: str) -> date | None:
    """`dd/mm/yyyy` (the only form France compétences publishes) → date; empty → None.

    Raises ValueError with a readable reason otherwise. Cached: the same dates recur thousands of
    times across partners.
    """
    if not value:
        return None
    if len(value) == 10 and value[2] == "/" and value[5] == "/":
        day, month, year = value[:2], value[3:5], value[6:]
        if day.isdigit() and month.isdigit() and year.isdigit():
            try:
                return date(int(year), int(month), int(day))
            except ValueError as error:
                raise ValueError(f"{value!r} is not a valid date ({error})") from None
    raise ValueError(f"{value!r} is not a date in the dd/mm/yyyy form")


_TRUE = frozenset({"oui", "o", "true", "1", "yes", "active", "actif"})
_FALSE = frozenset({"non", "n", "false", "0", "no", "inactive", "inactif"})


def parse_bool(value: str) -> bool | None:
    """`Oui`/`Non` (also ACTIVE/INACTIVE) → bool; empty → None; anything else → ValueError."""
    if not value:
        return None
    low = value.lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise ValueError(f"{value!r} is neither Oui nor Non")


def parse_level(value: str, label: str = "") -> int | None:
    """`NIV3` → 3. `REPRISE` (taken over from the old register), `NIV0`, `AUCUN`, empty or a
    "Sans niveau…" label → None (no level). Anything else → ValueError."""
    value = value.strip()
    if value.upper() in NO_LEVEL_VALUES or value.lower().startswith("sans niveau"):
        return None
    match = _LEVEL.fullmatch(value)
    if match is None:
        if not value and label.lower().startswith("sans niveau"):
            return None
        raise ValueError(f"{value!r} is not a known level (NIV1…NIV8, REPRISE)")
    level = int(match.group(1))
    return level or None


def digits_only(value: str) -> str:
    """SIRET as published may carry a leading TAB or spaces: keep the digits only."""
    value = value.strip()
    if value.isdigit() or not value:
        return value
    return _NON_DIGITS.sub("", value)


class CountingReader(io.RawIOBase):
    """A binary file wrapper that reports bytes read to `progress` and lets the caller peek at the
    start of the stream without seeking (zip members are not cheaply seekable)."""

    def __init__(self, raw, progress: Progress | None = None):
        super().__init__()
        self._raw = raw
        self._progress = progress
        self._head = b""

    def peek(self, size: int) -> bytes:
        while len(self._head) < size:
            chunk = self._raw.read(size - len(self._head))
            if not chunk:
                break
            self._head += chunk
        return self._head[:size]

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if size is None or size < 0:
                data = self._head + self._raw.read()
                self._head = b""
            else:
                data, self._head = self._head[:size], self._head[size:]
        else:
            data = self._raw.read(size)
        if self._progress is not None and data:
            self._progress(len(data))
        return data

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        try:
            self._raw.close()
        finally:
            super().close()
