"""Parts of one XML export, so that several processes can parse it at once.

An XML v4 export is `<FICHES><VERSION_FLUX>…</VERSION_FLUX><FICHE>…</FICHE><FICHE>…</FICHE>…</FICHES>`.
`xml_parts(path, n)` cuts the file into at most `n` byte ranges, each cut at a `<FICHE>` that follows a
`</FICHE>` with only whitespace between, near each n-th of the file. `PartReader` reads one part as a
whole document: the file's head (everything before its first `<FICHE>`, so the part still declares its
VERSION_FLUX), the part's bytes, and `</FICHES>` for every part but the last.

A cut is a guess about the markup made from its bytes alone. One that fell inside a CDATA section or a
comment would make a part malformed (an unterminated section, or `]]>` in content), never silently
different; the importer then reads the file again whole, which also gives the exact line of a real error.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from cqphub.registry.parsing.common import Progress

HEAD_LIMIT = 1024 * 1024  # the head (prologue, <FICHES>, VERSION_FLUX) is a few hundred bytes
WINDOW = 4 * 1024 * 1024  # bytes read at a time when looking for a cut
_FIRST_FICHE = b"<FICHE>"
_CUT = re.compile(rb"</FICHE>\s*(<FICHE>)")
_FOOTER = b"</FICHES>"


class XmlPart(NamedTuple):
    start: int
    end: int
    head: bytes  # prepended to every part but the first
    last: bool  # the last part ends the file (its own </FICHES>)


def xml_parts(path: str | Path, parts: int) -> list[XmlPart]:
    """Up to `parts` parts of the file; a single whole-file part when it cannot be cut."""
    path = Path(path)
    size = path.stat().st_size
    whole = [XmlPart(0, size, b"", True)]
    if parts < 2:
        return whole
    with open(path, "rb") as file:
        head = file.read(HEAD_LIMIT)
        head_end = head.find(_FIRST_FICHE)
        if head_end < 0:
            return whole
        cuts = []
        for k in range(1, parts):
            cut = _cut_after(file, max(size * k // parts, head_end + 1, cuts[-1] + 1 if cuts else 0))
            if cut is None:
                break
            cuts.append(cut)
    if not cuts:
        return whole
    bounds = [0, *cuts, size]
    prefix = head[:head_end]
    return [
        XmlPart(start, end, b"" if i == 0 else prefix, i == len(bounds) - 2)
        for i, (start, end) in enumerate(zip(bounds, bounds[1:], strict=False))
    ]


def _cut_after(file, offset: int) -> int | None:
    """The offset of the first `<FICHE>` after `offset` that follows a `</FICHE>`, or None."""
    overlap = 64
    position = offset
    while True:
        file.seek(position)
        window = file.read(WINDOW)
        if not window:
            return None
        match = _CUT.search(window)
        if match:
            return position + match.start(1)
        if len(window) < WINDOW:
            return None
        position += len(window) - overlap


class PartReader:
    """A binary file object over one part: head + the file's bytes [start, end) + footer.

    `progress(n)` counts the file's bytes only, so the parts of a file add up to its size."""

    def __init__(self, path: str | Path, part: XmlPart, progress: Progress | None = None):
        self._file = open(path, "rb")  # noqa: SIM115 - closed by close()
        self._file.seek(part.start)
        self._left = part.end - part.start
        self._pending = part.head
        self._footer = b"" if part.last else _FOOTER
        self._progress = progress

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self._left + len(self._pending) + len(self._footer)
        out = b""
        if self._pending:
            out, self._pending = self._pending[:size], self._pending[size:]
            size -= len(out)
        if size > 0 and self._left > 0:
            data = self._file.read(min(size, self._left))
            self._left -= len(data)
            if not data:
                self._left = 0
            elif self._progress is not None:
                self._progress(len(data))
            out += data
            size -= len(data)
        if size > 0 and self._left == 0 and self._footer:
            tail, self._footer = self._footer[:size], self._footer[size:]
            out += tail
        return out

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._file.close()
