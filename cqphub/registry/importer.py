"""Import France compétences' published exports into the registry.

`import_paths([...], as_of=None, allow_mass_withdrawal=False)` streams every file (XML v4.x plain or
zipped, or the CSV export as a zip or a folder) and applies these rules:

- every export has a date, read from its name (`…-2026-11-27.xml`, the CSV parts' `_2024_02_22`, the
  names inside a zip) or given by `as_of` (then it applies to every file of the call); files are read
  newest first and a fiche takes the newest export's copy; two different copies from exports of the
  same date, or a fiche twice in one file, stop the import;
- an older export never overwrites a fiche that a newer export gave, and never withdraws it ("kept");
- unchanged fiches (same digest) are skipped; changed ones rewritten; new ones added; fiches of the
  imported registers that the exports no longer list are marked withdrawn, never deleted; an import
  that would withdraw more than 5 % of a register stops unless `allow_mass_withdrawal`; the platform's
  own fiches (`origin="platform"`, e.g. the demo) are never withdrawn by France compétences' files;
- one import at a time (`importlock`); a second one is refused with "an import is already running".

Exports of `PARSE_IN_CHILD_FROM` bytes or more are parsed in forked child processes
(`parseworker`) that also prepare each fiche's rows and search document, while this process decides
which copy wins, batches and writes: the cores work at once. A large plain XML file is cut into parts
at fiche boundaries (`xml_split`), one child per core; a part that fails to parse makes the run start
again with every file read whole, so an error names the line a whole-file read names.

Readers see the whole run or nothing. On PostgreSQL the run is one transaction (MVCC: readers and
other writers are not blocked); the children format each fiche's rows for COPY (the certification
row in COPY's binary format, its lists in COPY text), compress its raw fiche, and send them here as
bytes (`prepare`, `CopyRows`); a writer thread gives them their ids and COPYs them in the
transaction. (Once the children did less than that, one child reading the whole file was the slowest
link: the cores stood idle a sixth of the time, and two children per file took a full-scale first
import from 41 s to 33–37 s and a re-import from 1.8× to 1.1× the bare parse.)

On SQLite, whose single write lock would stop every login and back-office write for the whole run,
nothing is written to the registry but the next search index until the end: each child stages the
rows of the fiches it reads in a SQLite file of its own (`_PartWriter`) and sends only their codes,
digests and index rows; this process records which it takes under which id, and one short transaction
(the switch) copies them in with `INSERT … SELECT` joins inside SQLite (`_StagedSink`). Any error
leaves the registry as it was, names the file, the fiche and the element or line, and is recorded in
the import history.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import NamedTuple

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.utils import timezone

from cqphub.registry import compression, search
from cqphub.registry.bulk import BulkWriter, binary_fields, binary_row, copy_text, with_leading_id
from cqphub.registry.fields import CompressedTextField
from cqphub.registry.importlock import ImportAlreadyRunning, exclusive_import
from cqphub.registry.models import (
    Block,
    Certification,
    Certifier,
    Classification,
    ContinuityLink,
    ImportRun,
    Origin,
    Partner,
    derive_is_cqp,
    derive_is_interbranch,
    derive_is_socle,
)
from cqphub.registry.parseworker import ParserDied, ParsingGroups
from cqphub.registry.parsing import export_date, export_size, open_export, open_export_part
from cqphub.registry.parsing.xml_split import XmlPart, xml_parts
from cqphub.registry.records import CLASSIFICATION_SCHEMES, FicheRecord, ParseError
from cqphub.registry.search import index as search_index
from cqphub.registry.search import postgres_fts, sqlite_fts
from cqphub.registry.writebehind import WriteBehind

BATCH_SIZE = 500
# Exports at least this large (bytes read) are parsed in a child process (`parseworker`), beside the
# writing; smaller ones (a sample, a test's fixture) in this process, where a fork would cost more.
PARSE_IN_CHILD_FROM = 32 * 1024 * 1024
# A plain XML file at least this large is cut into parts (`xml_split`), each read by its own child, one
# per core (at most 4): the parsing is the longest part of a first import.
SPLIT_FROM = 32 * 1024 * 1024
PARTS_PER_FILE = max(1, min(os.cpu_count() or 1, 4))
CHILD_MODELS = (Block, Certifier, Partner, Classification, ContinuityLink)
MASS_WITHDRAWAL_SHARE = 0.05


class ImportFailed(Exception):
    """The import stopped; nothing was written. The message names the file, fiche and element or line."""


@dataclass
class ImportSummary:
    run_id: int | None = None
    files: list[str] = field(default_factory=list)
    export_dates: list[date] = field(default_factory=list)
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    restored: int = 0
    kept_newer: int = 0  # fiches a newer export already gave: neither overwritten nor withdrawn
    unknown_elements: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    switch_seconds: float = 0.0  # SQLite: how long the registry's write lock was held

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.withdrawn or self.restored)

    def as_dict(self) -> dict:
        out = {
            k: getattr(self, k)
            for k in (
                "files",
                "read",
                "created",
                "updated",
                "unchanged",
                "withdrawn",
                "restored",
                "kept_newer",
            )
        }
        out["export_dates"] = [d.isoformat() for d in self.export_dates]
        out["unknown_elements"] = dict(self.unknown_elements.most_common())
        return out


ProgressCallback = Callable[[int], None]


def import_paths(
    paths: Iterable[str | Path],
    *,
    as_of: date | None = None,
    allow_mass_withdrawal: bool = False,
    origin: str = Origin.FRANCE_COMPETENCES,
    on_bytes: ProgressCallback | None = None,
    on_file: Callable[[Path, int], None] | None = None,
) -> ImportSummary:
    """Import the given export files. See the module docstring.

    `on_file(path, size)` is called before each file, `on_bytes(n)` as bytes are consumed
    (both optional: the CLI uses them for its progress bar).
    """
    paths = [Path(p) for p in paths]
    if not paths:
        raise ImportFailed("no file given")
    for path in paths:
        if not path.exists():
            raise ImportFailed(f"{path}: no such file or folder")
    dates = []
    for path in paths:
        when = as_of or export_date(path)
        if when is None:
            raise ImportFailed(
                f"{path.name}: its name carries no export date (…-YYYY-MM-DD.xml); "
                "give the export's date with --as-of YYYY-MM-DD"
            )
        dates.append(when)
    started = time.perf_counter()
    summary = ImportSummary(files=[str(p) for p in paths], export_dates=dates)
    conn = connections[DEFAULT_DB_ALIAS]
    try:
        with exclusive_import(conn):
            _interrupted_runs_failed()
            run = ImportRun.objects.create(files=summary.files, export_dates=[d.isoformat() for d in dates])
            summary.run_id = run.pk
            dated = list(zip(paths, dates, strict=True))
            try:
                try:
                    _Importer(
                        summary, run, origin=origin, allow_mass_withdrawal=allow_mass_withdrawal, split=True
                    ).run(dated, on_bytes, on_file)
                except _ReadWhole:
                    summary = ImportSummary(files=summary.files, export_dates=dates, run_id=run.pk)
                    _Importer(
                        summary, run, origin=origin, allow_mass_withdrawal=allow_mass_withdrawal, split=False
                    ).run(dated, on_bytes, on_file)
            except ImportFailed as error:
                _record_failure(run, str(error))
                raise
            except ParseError as error:
                _record_failure(run, str(error))
                raise ImportFailed(str(error)) from error
            except (OSError, ValueError, DatabaseError) as error:
                message = f"{type(error).__name__}: {error}".strip()
                _record_failure(run, message)
                raise ImportFailed(message) from error
    except ImportAlreadyRunning:
        running = ImportRun.objects.filter(status=ImportRun.Status.RUNNING).order_by("-started_at").first()
        since = f" (started {running.started_at:%Y-%m-%d %H:%M:%S} UTC)" if running else ""
        raise ImportFailed(f"an import is already running{since}; try again when it has finished") from None
    summary.seconds = time.perf_counter() - started
    return summary


def _interrupted_runs_failed() -> None:
    """Runs still marked running while we hold the lock were interrupted (process killed)."""
    ImportRun.objects.filter(status=ImportRun.Status.RUNNING).update(
        status=ImportRun.Status.FAILED, finished_at=timezone.now(), error="interrupted"
    )


def _record_failure(run: ImportRun, message: str) -> None:
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.FAILED, finished_at=timezone.now(), error=message
    )


class Known(NamedTuple):
    pk: int
    digest: str
    withdrawn: bool
    export_date: date | None
    origin: str


class CopyRows(NamedTuple):
    """PostgreSQL: a fiche's rows formatted for COPY, by the parsing process.

    Formatted there, they cross the pipe as a few `bytes` (no object per value to rebuild here) and
    go to the server as they are: the importer's process only adds the ids and the run's columns."""

    fiche: bytes  # FICHE_COLUMNS in COPY's binary format (`bulk.binary_fields`): no field count, no raw
    raw: bytes  # the raw fiche, compressed (`compress_raw`): a quarter of the bytes to send over the pipe
    children: tuple[bytes, ...]  # CHILD_TABLES' rows, each without its leading certification id
    document: bytes  # the search document's (data, sources)
    vector_texts: bytes  # the search vector's texts (`postgres_fts.vector_texts`)


class Batch(NamedTuple):
    """PostgreSQL: one batch for the writer thread: (id, export date, is new, rows) per fiche."""

    changed_ids: list[int]
    fiches: list[tuple[int, date, bool, CopyRows]]


def compress_raw(raw: bytes) -> bytes:
    """The raw fiche as stored (`Certification.raw_text` reads it back with the standard `zlib`)."""
    return compression.compress(raw)


# The certification columns the run decides; the parsing side prepares all the others from the fiche.
_RUN_COLUMNS = ("id", "export_date", "origin", "first_import_id", "last_change_import_id", "withdrawn_at")
CERT_COLUMNS = [f.column for f in Certification._meta.concrete_fields]
COMPRESSED_COLUMNS = [
    f.column for f in Certification._meta.concrete_fields if isinstance(f, CompressedTextField)
]
RECORD_COLUMNS = [c for c in CERT_COLUMNS if c not in _RUN_COLUMNS]
# PostgreSQL: the certification columns in the order of the import's COPY lines: the run's decisions
# (this process), the fiche's own (its parsing process), the raw fiche (the writer thread) last.
FICHE_COLUMNS = [c for c in RECORD_COLUMNS if c != "raw"]
COPY_CERT_COLUMNS = [*_RUN_COLUMNS, *FICHE_COLUMNS, "raw"]
CHILD_TABLES = [
    (
        Block._meta.db_table,
        ["certification_id", "position", "code", "title", "skills", "assessment", "entry_prerequisites",
         "validation_prerequisites"],
    ),
    (
        Certifier._meta.db_table,
        ["certification_id", "position", "siret", "name", "state", "state_changed_on", "trade_name", "website"],
    ),
    (
        Partner._meta.db_table,
        ["certification_id", "position", "siret", "name", "habilitation", "state", "state_changed_on",
         "active_since"],
    ),
    (Classification._meta.db_table, ["certification_id", "scheme", "position", "code", "label"]),
    (ContinuityLink._meta.db_table, ["certification_id", "kind", "position", "other_code"]),
]  # fmt: skip


class Parsed(NamedTuple):
    """One fiche as the parsing side hands it over: compact tuples, cheap to send between processes."""

    code: str
    register: str
    digest: str
    unknown_elements: list[str]
    refused: ParseError | None  # a value longer than its column: raised if this copy is taken
    # PostgreSQL: the fiche's rows, ready to send (None when the database holds this content)
    copy: CopyRows | None = None
    # SQLite: the fiche's rows are already in a part of the stage (see `_PartWriter`), under `seq`;
    # only its search index row (INDEX_COLUMNS) comes along.
    seq: int | None = None
    index_row: tuple | None = None


def prepare(
    record: FicheRecord, place: str, agreement_titles: dict[str, str], fiche_oids: tuple[int, ...]
) -> Parsed:
    """PostgreSQL: everything that can be prepared from the fiche alone (runs in the parsing process).

    `fiche_oids` are the PostgreSQL types of FICHE_COLUMNS (`_DirectSink.prepare` reads them)."""
    if record.partial:
        return _partial(record)
    values = _record_values(record, _as_is)
    document = _search_document(record, values, agreement_titles)
    copy = CopyRows(
        fiche=binary_fields(tuple(values[c] for c in FICHE_COLUMNS), fiche_oids),
        raw=compress_raw(values["raw"]),
        children=tuple(copy_text(part) for part in _child_parts(record, _as_is)),
        document=copy_text([(document["data"], document["sources"])]),
        vector_texts=copy_text([postgres_fts.vector_texts(document)]),
    )
    return _parsed(record, _refusal(record, place), copy=copy)


def _as_is(value: date | None) -> date | None:
    return value


def _parsed(record: FicheRecord, refused: ParseError | None, **prepared) -> Parsed:
    return Parsed(record.code, record.register, record.digest, record.unknown_elements, refused, **prepared)


def _search_document(record: FicheRecord, values: dict, agreement_titles: dict[str, str]) -> dict:
    return search.documents_from_parts([(values, search.document_parts(record))], agreement_titles)[0]


INDEX_COLUMNS = ("code", "title", "abbreviation", "blocks", "rest")  # a search document's index row
# Where each child table's row holds a `CompressedTextField` (compressed as SQLite stores it)
_CHILD_MODEL = {model._meta.db_table: model for model in CHILD_MODELS}
COMPRESSED_CHILD_AT = [
    tuple(
        i
        for i, field in enumerate(_CHILD_MODEL[table]._meta.get_field(c) for c in columns)
        if isinstance(field, CompressedTextField)
    )
    for table, columns in CHILD_TABLES
]
# A stage part's tables: what one parsing process read, keyed by its `seq` (see `_PartWriter`).
PART_TABLES = [
    ("cert", ["seq", *RECORD_COLUMNS]),
    *((table, ["seq", *columns[1:]]) for table, columns in CHILD_TABLES),
    ("docs", ["seq", "data", "sources"]),
]


class _PartWriter:
    """SQLite: one parsing process's share of the stage, in a SQLite file of its own.

    Every full fiche the process reads goes there as rows (the raw fiche compressed, dates as text)
    under a `seq` unique to the run (the part's number in the high bits); only its code, digest and
    search index row travel to the importer, which decides which fiches it takes and records their
    ids against `seq`. The switch then copies the taken rows in with a join (`_StagedSink`). Nothing
    crosses the pipe twice, and the importer's process keeps its CPU for deciding and indexing.
    """

    FLUSH_EVERY = 200  # fiches per executemany

    def __init__(self, path: Path, number: int, agreement_titles: dict[str, str]):
        self.path, self.next_seq, self.titles = path, number << 32, agreement_titles
        self.rows: dict[str, list] = {name: [] for name, _columns in PART_TABLES}
        self.pending = 0

    def __enter__(self) -> _PartWriter:
        self.db = sqlite3.connect(self.path, isolation_level=None)
        self.db.execute("PRAGMA page_size=8192")  # as the registry's (settings): fewer overflow pages
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        for name, columns in PART_TABLES:
            self.db.execute(f'CREATE TABLE "{name}" ({", ".join(columns)})')
        self.db.execute("BEGIN")
        return self

    def __exit__(self, exc_type, *exc) -> None:
        try:
            if exc_type is None:
                self._flush()
                self.db.execute("COMMIT")
        finally:
            self.db.close()

    def add(self, record: FicheRecord, place: str) -> Parsed:
        if record.partial:
            return _partial(record)
        values = _record_values(record, _iso)
        values["raw"] = compress_raw(values["raw"])
        seq, self.next_seq = self.next_seq, self.next_seq + 1
        rows = self.rows
        document = _search_document(record, values, self.titles)
        for column in COMPRESSED_COLUMNS:  # as `CompressedTextField` stores them on SQLite
            values[column] = compression.compress_text(values[column])
        rows["cert"].append((seq, *(values[c] for c in RECORD_COLUMNS)))
        children = _child_parts(record, _iso, (seq,))
        for (table, _columns), part, packed in zip(CHILD_TABLES, children, COMPRESSED_CHILD_AT, strict=True):
            rows[table].extend((_compressed(row, packed) for row in part) if packed else part)
        rows["docs"].append(sqlite_fts.stored_doc_row(seq, document["data"], document["sources"]))
        self.pending += 1
        if self.pending >= self.FLUSH_EVERY:
            self._flush()
        return _parsed(
            record, _refusal(record, place), seq=seq, index_row=tuple(document[c] for c in INDEX_COLUMNS)
        )

    def _flush(self) -> None:
        for name, columns in PART_TABLES:
            if self.rows[name]:
                marks = ", ".join("?" * len(columns))
                self.db.executemany(f'INSERT INTO "{name}" VALUES ({marks})', self.rows[name])  # noqa: S608
                self.rows[name] = []
        self.pending = 0


def _compressed(row: tuple, at: tuple[int, ...]) -> tuple:
    return tuple(compression.compress_text(v) if i in at else v for i, v in enumerate(row))


def _partial(record: FicheRecord) -> Parsed:
    """A fiche the database already holds as it is: its code and digest are enough."""
    return _parsed(record, None)


def _refusal(record: FicheRecord, place: str) -> ParseError | None:
    try:
        _check_bounds(record, place)
    except ParseError as error:
        return error
    return None


def _one_after_another(groups, progress) -> Iterator[int | Parsed]:
    for index, group in enumerate(groups):
        yield index
        for produce in group:
            yield from produce(progress)


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


# Bounded columns: a longer value is refused with the element named (the rest are unbounded text).
_CODE_MAX = Certification._meta.get_field("code").max_length
_ABBREVIATION_MAX = Certification._meta.get_field("abbreviation_code").max_length
_BLOCK_CODE_MAX = Block._meta.get_field("code").max_length
_SIRET_MAX = Certifier._meta.get_field("siret").max_length
_CLASS_CODE_MAX = Classification._meta.get_field("code").max_length
_SCHEME_ELEMENTS = {"rome": "CODES_ROME", "nsf": "CODES_NSF", "formacode": "FORMACODES", "idcc": "CODES_IDCC"}


def _check_bounds(r: FicheRecord, place: str) -> None:
    def refuse(where: str, value: str, limit: int):
        raise ParseError(
            f"value of {len(value)} characters, longer than the {limit} this registry stores: {value[:60]!r}…",
            file=place,
            fiche=r.code[:40],
            where=where,
        )

    if len(r.code) > _CODE_MAX:
        refuse("NUMERO_FICHE", r.code, _CODE_MAX)
    if len(r.abbreviation_code) > _ABBREVIATION_MAX:
        refuse("ABREGE/CODE", r.abbreviation_code, _ABBREVIATION_MAX)
    for i, b in enumerate(r.blocks, 1):
        if len(b.code) > _BLOCK_CODE_MAX:
            refuse(f"BLOCS_COMPETENCES/BLOC_COMPETENCES[{i}]/CODE", b.code, _BLOCK_CODE_MAX)
    for i, c in enumerate(r.certifiers, 1):
        if len(c.siret) > _SIRET_MAX:
            refuse(f"CERTIFICATEURS/CERTIFICATEUR[{i}]/SIRET_CERTIFICATEUR", c.siret, _SIRET_MAX)
    for i, p in enumerate(r.partners, 1):
        if len(p.siret) > _SIRET_MAX:
            refuse(f"PARTENAIRES/PARTENAIRE[{i}]/SIRET_PARTENAIRE", p.siret, _SIRET_MAX)
    for scheme in CLASSIFICATION_SCHEMES:
        for i, c in enumerate(getattr(r, scheme), 1):
            if len(c.code) > _CLASS_CODE_MAX:
                refuse(f"{_SCHEME_ELEMENTS[scheme]}[{i}]/CODE", c.code, _CLASS_CODE_MAX)
    for element, codes in (
        ("ANCIENNES_CERTIFICATIONS", r.predecessors),
        ("NOUVELLES_CERTIFICATIONS", r.successors),
    ):
        for code in codes:
            if len(code) > _CODE_MAX:
                refuse(element, code, _CODE_MAX)


class _ReadWhole(Exception):
    """Reading a file in parts failed: the run starts again, each file read whole (`split=False`)."""


class _Importer:
    def __init__(
        self, summary: ImportSummary, run: ImportRun, *, origin: str, allow_mass_withdrawal: bool, split: bool
    ):
        self.summary = summary
        self.split = split
        self.read_in_parts = False
        self.run_row = run
        self.origin = origin
        self.allow_mass_withdrawal = allow_mass_withdrawal
        # the wrapper itself, not the `connection` proxy (which resolves to each thread's own
        # connection): the PostgreSQL writer thread must write on this one, in this transaction
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.postgres = self.connection.vendor == "postgresql"
        self.bulk = BulkWriter(self.connection)
        self.cert_table = Certification._meta.db_table
        self.cert_columns = CERT_COLUMNS
        self.update_columns = [
            c for c in self.cert_columns if c not in {"id", "code", "first_import_id", "withdrawn_at"}
        ]
        self.pending_new: list[tuple[int, Parsed]] = []
        self.pending_changed: list[tuple[int, Parsed]] = []
        self.pending_dates: dict[int, date] = {}
        self.restored_ids: list[int] = []
        self.refreshed: dict[date, list[int]] = {}  # unchanged fiches a newer export confirmed
        self.origin_fixed: list[int] = []
        # code -> (file date, digest, place) of the copy this run takes
        self.seen: dict[str, tuple[date, str, str]] = {}
        self.newest: dict[str, date] = {}  # register -> newest export date read in this run
        self.fiche_oids: tuple[int, ...] = ()  # PostgreSQL: FICHE_COLUMNS' types (`_DirectSink.prepare`)

    def run(self, dated_paths, on_bytes, on_file) -> None:
        if self.postgres:
            with transaction.atomic():
                self.sink = _DirectSink(self)
                self._run(dated_paths, on_bytes, on_file)
        else:
            self.sink = _StagedSink(self)
            try:
                self._run(dated_paths, on_bytes, on_file)
            finally:
                self.sink.close()

    def _run(self, dated_paths, on_bytes, on_file) -> None:
        self.sink.prepare()
        # code -> Known: the only per-fiche state kept for the whole run.
        self.existing = {
            code: Known(pk, digest, withdrawn_at is not None, when, origin)
            for code, pk, digest, withdrawn_at, when, origin in Certification.objects.values_list(
                "code", "id", "digest", "withdrawn_at", "export_date", "origin"
            ).iterator(chunk_size=5000)
        }
        self.first_new_id = self.next_id = self.sink.next_id()
        self.agreement_titles = search.all_agreement_titles()  # read now: the writer owns the connection next
        # newest first (stable): a fiche in several exports takes the newest one's copy
        ordered = sorted(dated_paths, key=lambda item: item[1], reverse=True)
        sizes = [export_size(path) for path, _when in ordered]
        # the parsing process is forked before the writer thread starts
        with (
            self._parsing(ordered, on_bytes, sum(sizes)) as stream,
            WriteBehind(on_start=self.sink.thread_start, on_stop=self.sink.thread_stop) as self.writer,
        ):
            path, when = ordered[0]
            try:
                for item in stream:
                    if isinstance(item, int):  # the next file begins
                        path, when = ordered[item]
                        if on_file:
                            on_file(path, sizes[item])
                        continue
                    self.summary.read += 1
                    self._take(item, when, path.name)
            except (ParseError, ParserDied) as error:
                if self.read_in_parts:  # a cut in the wrong place, or a real error: the whole file says
                    raise _ReadWhole from error
                raise
            self._flush()
        withdrawn = self.planned_withdrawals = self._plan_withdrawals()
        self.sink.switch(lambda: self._finish(withdrawn))

    def _finish(self, withdrawn: list[int]) -> None:
        """Runs inside the transaction that makes the run visible, after the rows are in."""
        now = timezone.now()
        for start in range(0, len(withdrawn), 900):
            Certification.objects.filter(pk__in=withdrawn[start : start + 900]).update(withdrawn_at=now)
        for start in range(0, len(self.restored_ids), 900):
            Certification.objects.filter(pk__in=self.restored_ids[start : start + 900]).update(
                withdrawn_at=None
            )
        for when, ids in self.refreshed.items():
            for start in range(0, len(ids), 900):
                Certification.objects.filter(pk__in=ids[start : start + 900]).update(export_date=when)
        for start in range(0, len(self.origin_fixed), 900):
            Certification.objects.filter(pk__in=self.origin_fixed[start : start + 900]).update(
                origin=self.origin
            )
        self.bulk.reset_sequence(self.cert_table)
        ImportRun.objects.filter(pk=self.run_row.pk).update(
            status=ImportRun.Status.DONE,
            finished_at=timezone.now(),
            fiches_read=self.summary.read,
            created=self.summary.created,
            updated=self.summary.updated,
            unchanged=self.summary.unchanged,
            withdrawn=self.summary.withdrawn,
            restored=self.summary.restored,
            kept_newer=self.summary.kept_newer,
            unknown_elements=dict(self.summary.unknown_elements.most_common()),
        )
        # after the run is marked done: the home page's summary, stored with the version, counts it
        if self.summary.changed:
            # new and changed fiches are indexed with their rows; this indexes the restored ones,
            # drops the withdrawn ones and stamps a new index version (and summary) for every process
            search.update_index(withdrawn + self.restored_ids)
        else:
            search_index.store_summary()

    def _parsing(self, ordered, on_bytes, total: int):
        """A context giving, file after file, the file's index and then its fiches as `Parsed`.

        Large exports are read by forked children (`parseworker`), on SQLite a large plain XML file
        by several at once (`xml_split`), each writing its stage part; small ones here, in order."""
        in_child = total >= PARSE_IN_CHILD_FROM and "fork" in multiprocessing.get_all_start_methods()
        groups, number = [], 0
        for path, _when in ordered:
            group = []
            for part in self._parts(path, in_child):
                group.append(self._producer(number, path, part))
                number += 1
            groups.append(group)
        self.read_in_parts = any(len(group) > 1 for group in groups)
        if in_child:
            return ParsingGroups(groups, progress=on_bytes)
        # closed on leaving, in this thread: a run stopped early still closes its open stage part here
        # (left to the garbage collector, another thread could meet its sqlite3 connection)
        return closing(_one_after_another(groups, on_bytes))

    def _parts(self, path: Path, in_child: bool) -> list[XmlPart | None]:
        if not (in_child and self.split and PARTS_PER_FILE > 1):  # both databases (module docstring)
            return [None]
        if path.suffix.lower() != ".xml" or not path.is_file() or path.stat().st_size < SPLIT_FROM:
            return [None]
        parts = xml_parts(path, PARTS_PER_FILE)
        return parts if len(parts) > 1 else [None]

    def _producer(self, number: int, path: Path, part: XmlPart | None):
        """`produce(progress)` for one file or part: in the process that will run it (child or this)."""
        known, titles, oids = self._known, self.agreement_titles, self.fiche_oids
        stage = None if self.postgres else self.sink.part_path(number)

        def produce(progress) -> Iterator[Parsed]:
            if part is None:
                records = open_export(path, progress=progress, known=known)
            else:
                records = open_export_part(path, part, progress=progress, known=known)
            if stage is None:
                for record in records:
                    yield prepare(record, path.name, titles, oids)
                return
            with _PartWriter(stage, number, titles) as writer:
                for record in records:
                    yield writer.add(record, path.name)

        return produce

    def _known(self, code: str, digest: str) -> bool:
        known = self.existing.get(code)
        return known is not None and known.digest == digest

    # -- which copy wins ---------------------------------------------------------------------------
    def _take(self, record: Parsed, when: date, place: str) -> None:
        code = record.code
        previous = self.seen.get(code)
        if previous is not None:
            first_date, first_digest, first_place = previous
            if first_place == place:
                raise ImportFailed(f"{place}: fiche {code} appears twice in this file; nothing was imported")
            if first_date == when and first_digest != record.digest:
                raise ImportFailed(
                    f"fiche {code}: two different copies in exports of the same date ({when:%Y-%m-%d}): "
                    f"{first_place} and {place}; nothing was imported"
                )
            return  # the same copy again, or an older export's: the newest one is already taken
        self.seen[code] = (when, record.digest, place)
        if when > self.newest.get(record.register, date.min):
            self.newest[record.register] = when
        if record.unknown_elements:
            self.summary.unknown_elements.update(record.unknown_elements)
        known = self.existing.get(code)
        if known is not None and known.export_date is not None and known.export_date > when:
            self.summary.kept_newer += 1  # a newer export already gave this fiche
            return
        if known is None:
            if record.refused is not None:
                raise record.refused
            pk = self.next_id
            self.next_id += 1
            self.pending_new.append((pk, record))
            self.summary.created += 1
        else:
            if known.withdrawn:
                self.restored_ids.append(known.pk)
                self.summary.restored += 1
            if known.digest == record.digest:
                if not known.withdrawn:
                    self.summary.unchanged += 1
                if known.export_date != when:
                    self.refreshed.setdefault(when, []).append(known.pk)
                if known.origin != self.origin:
                    self.origin_fixed.append(known.pk)
                return
            if record.refused is not None:
                raise record.refused
            pk = known.pk
            self.pending_changed.append((pk, record))
            if not known.withdrawn:
                self.summary.updated += 1
        self.pending_dates[pk] = when
        if len(self.pending_new) + len(self.pending_changed) >= BATCH_SIZE:
            self._flush()

    def _plan_withdrawals(self) -> list[int]:
        """Fiches of the imported registers that the exports no longer list: to be marked, never deleted.

        Never the platform's own fiches, never a fiche a newer export gave; more than 5 % of a
        register's current fiches stops the import unless `allow_mass_withdrawal`.
        """
        if self.origin != Origin.FRANCE_COMPETENCES:
            return []
        missing: dict[str, list[int]] = {}
        current: Counter = Counter()
        for code, known in self.existing.items():
            if known.withdrawn or known.origin != Origin.FRANCE_COMPETENCES:
                continue
            register = _register_of(code)
            current[register] += 1
            if register not in self.newest or code in self.seen:
                continue
            if known.export_date is not None and known.export_date > self.newest[register]:
                self.summary.kept_newer += 1
                continue
            missing.setdefault(register, []).append(known.pk)
        if not self.allow_mass_withdrawal:
            for register, ids in sorted(missing.items()):
                if len(ids) > MASS_WITHDRAWAL_SHARE * current[register]:
                    raise ImportFailed(
                        f"this import would withdraw {len(ids)} of the {current[register]} current fiches of "
                        f"the {register} register ({100 * len(ids) / current[register]:.0f} %, more than "
                        f"{MASS_WITHDRAWAL_SHARE:.0%}): is it a partial or sample file? Nothing was imported. "
                        "If the export is complete, run the import again with --allow-mass-withdrawal"
                    )
        withdrawn = [pk for ids in missing.values() for pk in ids]
        self.summary.withdrawn = len(withdrawn)
        return withdrawn

    # -- preparing rows ----------------------------------------------------------------------------
    def _flush(self) -> None:
        """Hand the pending fiches to the writer thread as one batch, then start the next."""
        if not (self.pending_new or self.pending_changed):
            return
        self.writer.submit(self._taken_batch() if not self.postgres else self._rows_batch())
        self.pending_new = []
        self.pending_changed = []
        self.pending_dates = {}

    def _rows_batch(self) -> Callable[[], None]:
        """PostgreSQL: the batch's fiches with the ids and export dates the run gives them."""
        fiches = [
            (pk, self.pending_dates[pk], is_new, parsed.copy)
            for pending, is_new in ((self.pending_changed, False), (self.pending_new, True))
            for pk, parsed in pending
        ]
        batch = Batch([pk for pk, _ in self.pending_changed], fiches)
        return lambda: self.sink.write(batch)

    def _taken_batch(self) -> Callable[[], None]:
        """SQLite: the ids the run gives the fiches it takes (their rows wait in the stage's parts),
        and their search index rows, for the writer thread to record and index."""
        taken, index_rows = [], []
        for pending, is_new in ((self.pending_changed, 0), (self.pending_new, 1)):
            for pk, parsed in pending:
                taken.append((parsed.seq, pk, self.pending_dates[pk].isoformat(), is_new))
                index_rows.append((pk, *parsed.index_row))
        changed = [pk for pk, _ in self.pending_changed]
        return lambda: self.sink.write(taken, changed, index_rows)


def _record_values(r: FicheRecord, d: Callable) -> dict:
    """The certification columns a fiche gives (RECORD_COLUMNS); `d` writes a date for the database."""
    return {
        "code": r.code,
        "register": r.register,
        "number": _number_of(r.code),
        "fiche_id": r.fiche_id,
        "title": r.title,
        "abbreviation_code": r.abbreviation_code,
        "abbreviation_label": r.abbreviation_label,
        "state": r.state,
        "active": r.active,
        "level": r.level,
        "level_label": r.level_label,
        "registration_type": r.registration_type,
        "decision_date": d(r.decision_date),
        "effect_date": d(r.effect_date),
        "end_date": d(r.end_date),
        "delivery_deadline": d(r.delivery_deadline),
        "last_jo_date": d(r.last_jo_date),
        "publication_date": d(r.publication_date),
        "duration": r.duration,
        "partial_validation": r.partial_validation,
        "has_partners": r.has_partners,
        "accessible_new_caledonia": r.accessible_new_caledonia,
        "accessible_french_polynesia": r.accessible_french_polynesia,
        "url": r.url,
        "route_initial": r.routes.get("initial", False),
        "route_apprenticeship": r.routes.get("apprenticeship", False),
        "route_continuing": r.routes.get("continuing", False),
        "route_professionalisation": r.routes.get("professionalisation", False),
        "route_individual": r.routes.get("individual", False),
        "route_vae": r.routes.get("vae", False),
        "jury_compositions": _json(r.jury_compositions),
        "jury_dates": _json(r.jury_dates),
        "activities": r.activities,
        "capacities": r.capacities,
        "sectors": r.sectors,
        "jobs": r.jobs,
        "objectives": r.objectives,
        "prerequisites": r.prerequisites,
        "regulations": r.regulations,
        "validation_prerequisites": r.validation_prerequisites,
        "skill_mastery_level": r.skill_mastery_level,
        "renewal_terms": r.renewal_terms,
        "validity_duration": r.validity_duration,
        "partial_validation_scope": r.partial_validation_scope,
        "promotion_years": r.promotion_years,
        "correspondences": _json(r.correspondences),
        "promotion_stats": _json(r.promotion_stats),
        "publications": _json(r.publications),
        "is_cqp": derive_is_cqp(r.abbreviation_code, r.title),
        "is_interbranch": derive_is_interbranch(r.abbreviation_code, r.title, len(r.idcc)),
        "is_socle": derive_is_socle(r.register, r.abbreviation_code, r.title),
        "raw": r.raw,  # compressed later (`compress_raw`), in the parsing process
        "raw_format": r.raw_format,
        "digest": r.digest,
    }


def _child_parts(r: FicheRecord, d: Callable, head: tuple = ()) -> tuple:
    """A fiche's rows of CHILD_TABLES, each starting with `head` instead of the certification id
    (which the run gives later; a stage part keys them by `(seq,)`)."""
    classifications = [
        (*head, scheme, i, c.code, c.label)
        for scheme in CLASSIFICATION_SCHEMES
        for i, c in enumerate(getattr(r, scheme))
    ]
    return (
        [
            (
                *head,
                i,
                b.code,
                b.title,
                b.skills,
                b.assessment,
                b.entry_prerequisites,
                b.validation_prerequisites,
            )
            for i, b in enumerate(r.blocks)
        ],
        [
            (*head, i, c.siret, c.name, c.state, d(c.state_changed_on), c.trade_name, c.website)
            for i, c in enumerate(r.certifiers)
        ],
        [
            (*head, i, p.siret, p.name, p.habilitation, p.state, d(p.state_changed_on), d(p.active_since))
            for i, p in enumerate(r.partners)
        ],
        classifications,
        [(*head, "predecessor", i, code) for i, code in enumerate(r.predecessors)]
        + [(*head, "successor", i, code) for i, code in enumerate(r.successors)],
    )


# -- where the rows go ----------------------------------------------------------------------------
class _DirectSink:
    """PostgreSQL: batches written straight into the registry, inside the run's one transaction.

    The writer thread uses the import's own connection (same transaction); while it lives the main
    thread does not touch the database (parsing needs none).
    """

    SWAP_AT = 2000  # as `_StagedSink.SWAP_AT`

    def __init__(self, importer: _Importer):
        self.importer = importer
        self.connection = importer.connection
        self.bulk = importer.bulk
        self.written: list[int] = []

    def prepare(self) -> None:
        # ids are allocated by the importer: ORM inserts of certifications wait for the end of the run
        # (reads, logins and back-office writes elsewhere do not: MVCC, and this mode allows FK checks)
        self.bulk.lock_for_import(self.importer.cert_table)
        with self.connection.cursor() as cursor:
            # The run's long values (texts, raw fiches, search data, vectors) are TOAST-compressed
            # with lz4 rather than pglz where the server has it: 2–3 s less of the server's CPU on a
            # full-scale import. For this transaction only; both read back the same.
            cursor.execute(
                "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
            )
            row = cursor.fetchone()
            if row and row[0]:
                cursor.execute("SET LOCAL default_toast_compression = 'lz4'")
            postgres_fts.create_next(cursor)
        types = self.bulk.column_types(self.importer.cert_table)
        self.importer.fiche_oids = tuple(types[c] for c in FICHE_COLUMNS)
        self.run_oids = tuple(types[c] for c in _RUN_COLUMNS)
        self.raw_oids = (types["raw"],)

    def next_id(self) -> int:
        return self.bulk.next_id(self.importer.cert_table)

    def thread_start(self) -> None:
        self.connection.inc_thread_sharing()

    def thread_stop(self) -> None:
        self.connection.dec_thread_sharing()

    CHANGED_TABLE = "registry_certification_changed"  # this session's, for the changed fiches' rows

    def write(self, batch: Batch) -> None:
        """Runs on the writer thread: rows, the documents' data, and their vectors into the next table.

        The parsing process formatted each fiche's rows; here they get their ids and the run's columns
        (`with_leading_id`; the certification row a binary head), and each table takes one COPY of the
        batch's buffer as it is (psycopg sends any buffer: no copy into `bytes` first)."""
        bulk, importer = self.bulk, self.importer
        origin, run, fields = importer.origin, importer.run_row.pk, len(COPY_CERT_COLUMNS)
        new, changed, documents, vectors = bytearray(), bytearray(), bytearray(), bytearray()
        children = [bytearray() for _ in CHILD_TABLES]
        for pk, when, is_new, text in batch.fiches:
            head = binary_fields((pk, when, origin, run, run, None), self.run_oids)
            raw = binary_fields((text.raw,), self.raw_oids)
            (new if is_new else changed).extend(binary_row(fields, head, text.fiche, raw))
            for out, rows in zip(children, text.children, strict=True):
                out.extend(with_leading_id(pk, rows))
            documents.extend(with_leading_id(pk, text.document))
            vectors.extend(with_leading_id(pk, text.vector_texts))
        if batch.changed_ids:
            for model in CHILD_MODELS:
                bulk.delete_where_in(model._meta.db_table, "certification_id", batch.changed_ids)
            self._update(changed)
        bulk.copy_binary_in(importer.cert_table, COPY_CERT_COLUMNS, new)
        for (table, columns), rows in zip(CHILD_TABLES, children, strict=True):
            bulk.copy_text_in(table, columns, rows)
        ids = [pk for pk, *_ in batch.fiches]
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {postgres_fts.DOC_TABLE} WHERE certification_id = ANY(%s)", [ids])  # noqa: S608
            bulk.copy_text_in(postgres_fts.DOC_TABLE, ["certification_id", "data", "sources"], documents)
            postgres_fts.write_next_copied(cursor, vectors)
        self.written.extend(ids)

    def _update(self, lines: bytearray) -> None:
        """The changed fiches' rows replace theirs, by one UPDATE from a temporary table."""
        importer, quote = self.importer, self.connection.ops.quote_name
        sets = ", ".join(f"{quote(c)} = t.{quote(c)}" for c in importer.update_columns)
        self.bulk.copy_through_temporary(
            self.CHANGED_TABLE,
            f"(LIKE {quote(importer.cert_table)})",
            COPY_CERT_COLUMNS,
            lines,
            f"UPDATE {quote(importer.cert_table)} AS c SET {sets} FROM {self.CHANGED_TABLE} AS t WHERE c.id = t.id",  # noqa: S608
            binary=True,
        )

    def switch(self, finish: Callable[[], None]) -> None:
        """Already inside the run's transaction: the next index replaces or joins the live one."""
        imp = self.importer
        written = set(self.written)
        withdrawn = set(imp.planned_withdrawals)
        unchanged = [
            k.pk
            for k in imp.existing.values()
            if not k.withdrawn and k.pk not in written and k.pk not in withdrawn
        ]
        with self.connection.cursor() as cursor:
            if len(written) > self.SWAP_AT or len(written) >= len(unchanged):
                postgres_fts.swap_next(cursor, unchanged)
            else:
                postgres_fts.merge_next(cursor, sorted(written))
        finish()


class _StagedSink:
    """SQLite: the registry's single write lock is held only briefly.

    While the files are parsed, the parsing processes write every fiche's rows to stage parts, SQLite
    files of their own (`_PartWriter`); this process records in its stage file which of them the run
    takes and under which id (`taken`), and writes their search documents to a second FTS5 table of
    the registry that no reader looks at, in short transactions (see `sqlite_fts.NEXT_TABLE`):
    tokenizing overlaps the parse and lets logins and back-office writes through between batches.
    Then one transaction (the switch) copies the taken rows in, joined to their ids, and renames or
    merges the index; readers see the whole run at once. Under a test's transaction the short
    transactions are plain statements.
    """

    SWAP_AT = (
        2000  # documents written: above this (or when most are new) the next index replaces the live one
    )
    MAX_ATTACHED = 10  # SQLite's default limit of attached databases: the stage and the parts

    def __init__(self, importer: _Importer):
        self.importer = importer
        self.connection = importer.connection
        self.bulk = importer.bulk
        self.directory = tempfile.TemporaryDirectory(prefix="cqphub-import-")
        self.stage_path = Path(self.directory.name) / "stage.sqlite3"
        self.stage = sqlite3.connect(self.stage_path, check_same_thread=False, isolation_level=None)
        self.stage.execute("PRAGMA journal_mode=OFF")
        self.stage.execute("PRAGMA synchronous=OFF")
        self.written: list[int] = []  # ids whose documents are in the next index
        self.next_created = False
        self.attached = False

    def part_path(self, number: int) -> Path:
        return Path(self.directory.name) / f"part-{number}.sqlite3"

    def _parts(self) -> list[Path]:
        """The parts written (a file's producer that never started wrote none)."""
        found = Path(self.directory.name).glob("part-*.sqlite3")
        return sorted(found, key=lambda path: int(path.stem.split("-")[1]))

    def prepare(self) -> None:
        self.stage.execute("CREATE TABLE taken (seq INTEGER PRIMARY KEY, id, export_date, is_new)")
        self.stage.execute("CREATE TABLE changed (id)")
        self.stage.execute("BEGIN")
        self.connection.ensure_connection()
        self.raw = self.connection.connection  # sqlite3's own connection: executemany streams rows
        self.own_transactions = not self.connection.in_atomic_block
        self._short(lambda: self._with_cursor(sqlite_fts.create_next))
        self.next_created = True

    def _with_cursor(self, function) -> None:
        with self.connection.cursor() as cursor:
            function(cursor)

    def _short(self, work: Callable[[], None]) -> None:
        """One short write transaction on the registry (outside a caller's transaction)."""
        if not self.own_transactions:
            work()
            return
        self.raw.execute("BEGIN IMMEDIATE")
        try:
            work()
        except BaseException:
            self.raw.execute("ROLLBACK")
            raise
        self.raw.execute("COMMIT")

    def next_id(self) -> int:
        return self.bulk.next_id(self.importer.cert_table)

    def thread_start(self) -> None:
        self.connection.inc_thread_sharing()

    def thread_stop(self) -> None:
        self.connection.dec_thread_sharing()

    def write(self, taken: list[tuple], changed: list[int], index_rows: list[tuple]) -> None:
        """Runs on the writer thread: `taken` is (seq, id, export date, is new)."""
        self.stage.executemany("INSERT INTO taken VALUES (?, ?, ?, ?)", taken)
        if changed:
            self.stage.executemany("INSERT INTO changed VALUES (?)", [(pk,) for pk in changed])
        self._short(lambda: self.raw.executemany(sqlite_fts.next_insert_sql(), index_rows))
        self.written.extend(row[0] for row in index_rows)

    def switch(self, finish: Callable[[], None]) -> None:
        self.stage.execute("COMMIT")
        imp = self.importer
        written = set(self.written)
        withdrawn = set(imp.planned_withdrawals)
        unchanged = [
            k.pk
            for k in imp.existing.values()
            if not k.withdrawn and k.pk not in written and k.pk not in withdrawn
        ]
        swap = len(written) > self.SWAP_AT or len(written) >= len(unchanged)
        if swap:  # the unchanged documents join the next index, still in short transactions
            for start in range(0, len(unchanged), 500):
                chunk = unchanged[start : start + 500]
                self._short(lambda c=chunk: self.raw.execute(sqlite_fts.copy_live_to_next_sql(len(c)), c))
        parts = self._parts()
        # Outside a caller's transaction the stage and its parts are attached to the registry's
        # connection: the switch copies their rows with INSERT … SELECT inside SQLite (no row crosses
        # into Python), and a larger page cache keeps the indexes' pages in memory while they fill.
        # Otherwise (a test's transaction: no ATTACH inside it) the stage's own connection joins them.
        self.attached = self.own_transactions and 1 + len(parts) <= self.MAX_ATTACHED
        reader = self.raw if self.attached else self.stage
        stage_schema = "cqphub_stage" if self.attached else "main"
        if self.attached:
            reader.execute("ATTACH DATABASE ? AS cqphub_stage", [str(self.stage_path)])
            cache_size = reader.execute("PRAGMA main.cache_size").fetchone()[0]
            reader.execute(f"PRAGMA main.cache_size = {self.SWITCH_CACHE_KIB}")
        schemas = []
        for i, path in enumerate(parts):
            reader.execute("ATTACH DATABASE ? AS " + f"cqphub_part{i}", [str(path)])
            schemas.append(f"cqphub_part{i}")
        started = time.perf_counter()
        try:
            self._switch(finish, swap, schemas, stage_schema)
        finally:
            imp.summary.switch_seconds = time.perf_counter() - started
            if self.attached:
                reader.execute(f"PRAGMA main.cache_size = {int(cache_size)}")
                reader.execute("DETACH DATABASE cqphub_stage")
            for schema in schemas:
                reader.execute(f"DETACH DATABASE {schema}")

    SWITCH_CACHE_KIB = -64 * 1024  # 64 MiB at most, for the switch only (256 MiB took the peak to 434 MB)

    def _switch(self, finish: Callable[[], None], swap: bool, parts: list[str], stage: str) -> None:
        imp = self.importer
        quote = self.connection.ops.quote_name
        with transaction.atomic(), self.connection.cursor() as cursor:
            if self.stage.execute("SELECT COUNT(*) FROM taken WHERE is_new").fetchone()[0]:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {quote(imp.cert_table)}")  # noqa: S608
                if cursor.fetchone()[0] >= imp.first_new_id:
                    raise ImportFailed(
                        "certifications were added while the file was read; run the import again"
                    )
            changed = [row[0] for row in self.stage.execute("SELECT id FROM changed")]
            for model in CHILD_MODELS:
                self.bulk.delete_where_in(model._meta.db_table, "certification_id", changed)
            for part in parts:
                self._copy_part(part, stage)
            ids = sorted(set(self.written))
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                cursor.execute(
                    f"DELETE FROM {sqlite_fts.DOC_TABLE} WHERE certification_id IN ({', '.join(['%s'] * len(chunk))})",  # noqa: S608
                    chunk,
                )
            for part in parts:
                self._insert_from(sqlite_fts.DOC_TABLE, ["certification_id", "data", "sources"],
                                  f"SELECT t.id, d.data, d.sources FROM {part}.docs AS d "  # noqa: S608
                                  f"JOIN {stage}.taken AS t ON t.seq = d.seq", [])  # fmt: skip
            if swap:
                sqlite_fts.swap_next(cursor)
            else:
                sqlite_fts.merge_next(cursor, ids)
            self.next_created = False
            finish()

    def _copy_part(self, part: str, stage: str) -> None:
        """The taken fiches of one part: new rows inserted, changed rows updated, children inserted."""
        imp, quote = self.importer, self.connection.ops.quote_name
        run_id = imp.run_row.pk
        taken = f"FROM {part}.cert AS c JOIN {stage}.taken AS t ON t.seq = c.seq"
        decided = {"id": ("t.id", []), "export_date": ("t.export_date", []), "origin": ("?", [imp.origin]),
                   "first_import_id": ("?", [run_id]), "last_change_import_id": ("?", [run_id]),
                   "withdrawn_at": ("NULL", [])}  # fmt: skip

        def select(columns: list[str]) -> tuple[str, list]:
            """The columns' expressions, each named after its column, and their parameters."""
            exprs = [decided.get(c, (f"c.{quote(c)}", [])) for c in columns]
            listed = ", ".join(f"{sql} AS {quote(c)}" for c, (sql, _) in zip(columns, exprs, strict=True))
            return listed, [p for _sql, params in exprs for p in params]

        # the part's rows are in arrival order, and so are the ids the run gave: no sort needed
        listed, params = select(imp.cert_columns)
        self._insert_from(imp.cert_table, imp.cert_columns, f"SELECT {listed} {taken} WHERE t.is_new", params)
        listed, params = select([*imp.update_columns, "id"])
        changed_rows = f"SELECT {listed} {taken} WHERE NOT t.is_new"  # noqa: S608
        if self.attached:
            sets = ", ".join(f"{quote(c)} = u.{quote(c)}" for c in imp.update_columns)
            self.raw.execute(
                f"UPDATE main.{quote(imp.cert_table)} SET {sets} FROM ({changed_rows}) AS u "  # noqa: S608
                f"WHERE main.{quote(imp.cert_table)}.id = u.id",
                params,
            )
        else:
            sets = ", ".join(f"{quote(c)} = ?" for c in imp.update_columns)
            self.raw.executemany(
                f"UPDATE {quote(imp.cert_table)} SET {sets} WHERE id = ?",  # noqa: S608
                self.stage.execute(changed_rows, params),
            )
        for table, columns in CHILD_TABLES:
            listed = ", ".join(f"x.{quote(c)}" for c in columns[1:])
            self._insert_from(
                table,
                columns,
                f"SELECT t.id, {listed} FROM {part}.{quote(table)} AS x JOIN {stage}.taken AS t ON t.seq = x.seq",  # noqa: S608
                [],
            )

    def _insert_from(self, target: str, columns: list[str], select_sql: str, params: list) -> None:
        """INSERT … SELECT inside SQLite when attached; else the stage's rows through Python."""
        quote = self.connection.ops.quote_name
        listed = ", ".join(quote(c) for c in columns)
        if self.attached:
            self.raw.execute(f"INSERT INTO main.{quote(target)} ({listed}) {select_sql}", params)  # noqa: S608
            return
        self.raw.executemany(
            f"INSERT INTO {quote(target)} ({listed}) VALUES ({', '.join('?' * len(columns))})",  # noqa: S608
            self.stage.execute(select_sql, params),
        )

    def close(self) -> None:
        try:
            self.stage.close()
            if self.next_created:  # a failed run: its next index is dropped (a new run would drop it too)
                try:
                    self._short(lambda: self._with_cursor(sqlite_fts.drop_next))
                except Exception:  # noqa: BLE001, S110 - best effort; the next run drops it first
                    pass
        finally:
            self.directory.cleanup()


_ENCODE_JSON = json.JSONEncoder(ensure_ascii=False, default=str).encode  # built once: 5 per fiche


def _json(value) -> str:
    return _ENCODE_JSON(value)


def _number_of(code: str) -> int:
    digits = "".join(ch for ch in code if ch.isdigit())
    return int(digits) if digits else 0


def _register_of(code: str) -> str:
    return "RS" if code.upper().startswith("RS") else "RNCP"
