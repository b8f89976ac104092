"""Pure parsers of France compétences' published registry exports (no Django, no ORM).

    open_export(path, progress=None) -> Iterator[FicheRecord]   # any supported export, detected
    export_size(path) -> int                                     # bytes `progress` will report in total
    count_hint(path) -> int | None                               # cheap estimate of the fiche count
    iter_xml_fiches(source, name=..., progress=None)             # XML v4.x (plain file or stream)
    iter_csv_fiches(source, name=..., progress=None)             # CSV export (zip or folder of parts)

Supported inputs: `export-fiches-{rncp,rs}-v4-*.xml`; a `.zip` holding one or more such XML files
(streamed from the archive, never extracted); the CSV export `export-fiches-csv-*.zip` or a folder
holding its ten `export_fiches_CSV_*` parts. Anything else raises `ParseError`.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from cqphub.registry.parsing.common import Progress, date_in_name
from cqphub.registry.parsing.csv_export import (
    count_csv_fiches,
    csv_export_size,
    find_parts_in_folder,
    find_parts_in_zip,
    iter_csv_fiches,
)
from cqphub.registry.parsing.xml_split import PartReader, XmlPart
from cqphub.registry.parsing.xml_v4 import iter_xml_fiches
from cqphub.registry.records import FicheRecord, KnownContent, ParseError

__all__ = [
    "ParseError",
    "count_hint",
    "export_date",
    "export_size",
    "iter_csv_fiches",
    "iter_xml_fiches",
    "open_export",
    "open_export_part",
]

NOT_AN_EXPORT = "not a France compétences export"


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise ParseError(f"{NOT_AN_EXPORT}: unreadable zip, truncated or corrupt ({error})", file=path.name)


def _xml_members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    return [i for i in archive.infolist() if not i.is_dir() and i.filename.lower().endswith(".xml")]


def _kind(path: Path) -> str:
    """'xml', 'xml-zip', 'csv-zip' or 'csv-folder'; ParseError for anything else."""
    if path.is_dir():
        return "csv-folder"
    if not path.is_file():
        raise ParseError(f"{NOT_AN_EXPORT}: no such file or folder", file=str(path))
    suffix = path.suffix.lower()
    if suffix == ".xml":
        return "xml"
    if suffix == ".zip":
        with _open_zip(path) as archive:
            if _xml_members(archive):
                return "xml-zip"
            if find_parts_in_zip(archive):
                return "csv-zip"
            names = ", ".join(i.filename for i in archive.infolist()[:5]) or "nothing"
        raise ParseError(
            f"{NOT_AN_EXPORT}: the zip holds neither XML fiches nor export_fiches_CSV_* parts ({names})",
            file=path.name,
        )
    if suffix == ".csv":
        raise ParseError(
            f"{NOT_AN_EXPORT}: a single CSV part; give the zip or the folder holding the "
            "export_fiches_CSV_* parts",
            file=path.name,
        )
    raise ParseError(f"{NOT_AN_EXPORT}: expected an .xml, a .zip or a folder of CSV parts", file=path.name)


def open_export(
    path: str | Path, *, progress: Progress | None = None, known: KnownContent | None = None
) -> Iterator[FicheRecord]:
    """Every fiche of one export file or folder, streamed. `progress(n)` receives bytes consumed
    (their total is `export_size(path)`); `known(code, digest)` lets the XML parser skip building
    fiches the caller already holds (they come as `partial` records)."""
    path = Path(path)
    kind = _kind(path)
    if kind == "xml":
        yield from iter_xml_fiches(path, name=path.name, progress=progress, known=known)
    elif kind == "xml-zip":
        with _open_zip(path) as archive:
            for info in _xml_members(archive):
                name = f"{path.name} › {info.filename}"
                try:
                    member = archive.open(info)
                except (zipfile.BadZipFile, OSError, EOFError) as error:
                    raise ParseError(f"corrupt zip member ({error})", file=name)
                with member:
                    yield from iter_xml_fiches(member, name=name, progress=progress, known=known)
    else:
        yield from iter_csv_fiches(path, name=path.name, progress=progress)


def open_export_part(
    path: str | Path, part: XmlPart, *, progress: Progress | None = None, known: KnownContent | None = None
) -> Iterator[FicheRecord]:
    """The fiches of one part of a plain XML export (`xml_split.xml_parts`), as `open_export` gives
    them; the parts of a file, read one after another, give the same fiches as the whole file."""
    path = Path(path)
    reader = PartReader(path, part, progress)
    try:
        yield from iter_xml_fiches(reader, name=path.name, known=known)
    finally:
        reader.close()


def export_date(path: str | Path) -> date | None:
    """The date of the export, from its name (`export-fiches-rncp-v4-1-2026-11-27.xml`), else from the
    names inside it (zip members, the CSV parts' `_2024_02_22`); None when no name carries one."""
    path = Path(path)
    found = date_in_name(path.name)
    if found is not None:
        return found
    names: list[str] = []
    if path.is_dir():
        names = sorted(p.name for p in path.iterdir())
    elif path.suffix.lower() == ".zip" and path.is_file():
        try:
            with zipfile.ZipFile(path) as archive:
                names = sorted(archive.namelist())
        except (zipfile.BadZipFile, OSError, EOFError):
            return None
    dates = {d for d in map(date_in_name, names) if d is not None}
    return max(dates) if dates else None


def export_size(path: str | Path) -> int:
    """The number of bytes the parsers will report through `progress` for this export
    (uncompressed sizes for zip members); 0 when it cannot be told."""
    path = Path(path)
    try:
        kind = _kind(path)
    except ParseError:
        return path.stat().st_size if path.is_file() else 0
    if kind == "xml":
        return path.stat().st_size
    if kind == "xml-zip":
        with _open_zip(path) as archive:
            return sum(i.file_size for i in _xml_members(archive))
    return csv_export_size(path)


def count_hint(path: str | Path) -> int | None:
    """A cheap estimate of the number of fiches: exact-ish for the CSV export (lines of the Standard
    part), None for XML (counting would mean reading the whole file)."""
    path = Path(path)
    try:
        kind = _kind(path)
    except ParseError:
        return None
    if kind.startswith("csv"):
        return count_csv_fiches(path)
    return None


__all__ += ["find_parts_in_folder", "find_parts_in_zip"]
