"""Import France compétences' published exports into the registry.

One call, one transaction: `import_paths([...])` streams every file (XML v4.x plain or zipped, or the
CSV export as a zip or a folder), skips fiches whose published content is unchanged (same digest),
rewrites changed ones, adds new ones and marks as withdrawn the fiches of the imported registers that
no longer appear. Any error rolls everything back and names the file, the fiche and the element or line.
"""

from __future__ import annotations

import json
import queue
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from cqphub.registry import search
from cqphub.registry.bulk import BulkWriter
from cqphub.registry.models import (
    Block,
    Certification,
    Certifier,
    Classification,
    ContinuityLink,
    ImportRun,
    Partner,
    derive_is_cqp,
    derive_is_interbranch,
)
from cqphub.registry.parsing import export_size, open_export
from cqphub.registry.records import CLASSIFICATION_SCHEMES, FicheRecord, ParseError

BATCH_SIZE = 500
CHILD_MODELS = (Block, Certifier, Partner, Classification, ContinuityLink)


class ImportFailed(Exception):
    """The import stopped; nothing was written. The message names the file, fiche and element or line."""


@dataclass
class ImportSummary:
    run_id: int | None = None
    files: list[str] = field(default_factory=list)
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    restored: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.withdrawn or self.restored)

    def as_dict(self) -> dict:
        return {
            k: getattr(self, k)
            for k in ("files", "read", "created", "updated", "unchanged", "withdrawn", "restored")
        }


ProgressCallback = Callable[[int], None]


def import_paths(
    paths: Iterable[str | Path],
    *,
    on_bytes: ProgressCallback | None = None,
    on_file: Callable[[Path, int], None] | None = None,
) -> ImportSummary:
    """Import the given export files in one transaction. See the module docstring.

    `on_file(path, size)` is called before each file, `on_bytes(n)` as bytes are consumed
    (both optional: the CLI uses them for its progress bar).
    """
    paths = [Path(p) for p in paths]
    if not paths:
        raise ImportFailed("no file given")
    for path in paths:
        if not path.exists():
            raise ImportFailed(f"{path}: no such file or folder")
    started = time.perf_counter()
    summary = ImportSummary(files=[str(p) for p in paths])
    try:
        with transaction.atomic():
            _Importer(summary).run(paths, on_bytes, on_file)
    except ParseError as error:
        _record_failure(summary, str(error))
        raise ImportFailed(str(error)) from error
    except (OSError, ValueError) as error:
        _record_failure(summary, str(error))
        raise ImportFailed(f"{error}") from error
    summary.seconds = time.perf_counter() - started
    return summary


def _record_failure(summary: ImportSummary, message: str) -> None:
    ImportRun.objects.create(
        status=ImportRun.Status.FAILED, files=summary.files, finished_at=timezone.now(), error=message
    )


class _Importer:
    def __init__(self, summary: ImportSummary):
        self.summary = summary
        # the wrapper itself, not the `connection` proxy (which resolves to each thread's own
        # connection): the writer thread must write on this one, in this transaction
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.bulk = BulkWriter(self.connection)
        self.postgres = connection.vendor == "postgresql"
        self.cert_table = Certification._meta.db_table
        self.cert_columns = [f.column for f in Certification._meta.concrete_fields]
        self.update_columns = [
            c for c in self.cert_columns if c not in {"id", "code", "first_import_id", "withdrawn_at"}
        ]
        self.pending_new: list[tuple[int, FicheRecord]] = []
        self.pending_changed: list[tuple[int, FicheRecord]] = []
        # zlib releases the GIL: raw fiches are compressed on another core while parsing goes on.
        self.compressor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cqphub-zlib")
        self.compressed: dict[int, Future] = {}
        self.restored_ids: list[int] = []

    def run(self, paths, on_bytes, on_file) -> None:
        try:
            self._run(paths, on_bytes, on_file)
        finally:
            self.compressor.shutdown(cancel_futures=True)

    def _run(self, paths, on_bytes, on_file) -> None:
        self.bulk.lock_for_import(self.cert_table)
        self.run_row = ImportRun.objects.create(files=self.summary.files)
        self.summary.run_id = self.run_row.pk
        # code -> (id, digest, withdrawn): the only per-fiche state kept for the whole run.
        self.existing = {
            code: (pk, digest, withdrawn is not None)
            for code, pk, digest, withdrawn in Certification.objects.values_list(
                "code", "id", "digest", "withdrawn_at"
            ).iterator(chunk_size=5000)
        }
        self.next_id = self.bulk.next_id(self.cert_table)
        self.agreement_titles = search.all_agreement_titles()  # read now: the writer owns the connection next
        seen: set[str] = set()
        registers: set[str] = set()
        self.writer = _WriteBehind(self.connection)
        try:
            for path in paths:
                if on_file:
                    on_file(path, export_size(path))
                for record in open_export(path, progress=on_bytes, known=self._known):
                    self.summary.read += 1
                    if record.code in seen:
                        continue  # the same fiche in two files of one run: the first one read counts
                    seen.add(record.code)
                    registers.add(record.register)
                    self._take(record)
            self._flush()
        except BaseException:
            self.writer.close(reraise=False)  # the main thread's error is the one to report
            raise
        self.writer.close()
        withdrawn = self._withdraw_missing(seen, registers)
        if self.restored_ids:
            Certification.objects.filter(pk__in=self.restored_ids).update(withdrawn_at=None)
        self.bulk.reset_sequence(self.cert_table)
        if self.summary.changed:
            # new and changed fiches were indexed batch by batch; this indexes the restored ones,
            # drops the withdrawn ones and stamps a new index version for every process
            search.update_index(withdrawn + self.restored_ids)
        ImportRun.objects.filter(pk=self.run_row.pk).update(
            status=ImportRun.Status.DONE,
            finished_at=timezone.now(),
            fiches_read=self.summary.read,
            created=self.summary.created,
            updated=self.summary.updated,
            unchanged=self.summary.unchanged,
            withdrawn=self.summary.withdrawn,
            restored=self.summary.restored,
        )

    def _known(self, code: str, digest: str) -> bool:
        known = self.existing.get(code)
        return known is not None and known[1] == digest

    def _take(self, record: FicheRecord) -> None:
        known = self.existing.get(record.code)
        if known is None:
            pk = self.next_id
            self.next_id += 1
            self.pending_new.append((pk, record))
            self.summary.created += 1
        else:
            pk, digest, withdrawn = known
            if withdrawn:
                self.restored_ids.append(pk)
                self.summary.restored += 1
            if digest == record.digest:
                if not withdrawn:
                    self.summary.unchanged += 1
                return
            self.pending_changed.append((pk, record))
            if not withdrawn:
                self.summary.updated += 1
        self.compressed[pk] = self.compressor.submit(zlib.compress, record.raw, 1)
        if len(self.pending_new) + len(self.pending_changed) >= BATCH_SIZE:
            self._flush()

    def _withdraw_missing(self, seen: set[str], registers: set[str]) -> list[int]:
        """Fiches of the imported registers that the export no longer lists: marked, never deleted."""
        missing = [
            pk
            for code, (pk, _digest, withdrawn) in self.existing.items()
            if not withdrawn and code not in seen and _register_of(code) in registers
        ]
        now = timezone.now()
        for start in range(0, len(missing), 900):
            Certification.objects.filter(pk__in=missing[start : start + 900]).update(withdrawn_at=now)
        self.summary.withdrawn = len(missing)
        return missing

    # -- writing -----------------------------------------------------------------------------
    def _flush(self) -> None:
        """Prepare one batch (rows, child rows, search documents) here; the writer thread writes it."""
        if not (self.pending_new or self.pending_changed):
            return
        run_id = self.run_row.pk
        changed_ids = [pk for pk, _ in self.pending_changed]
        update_rows, new_rows, indexed = [], [], []
        for pending, is_new in ((self.pending_changed, False), (self.pending_new, True)):
            for pk, record in pending:
                values = self._certification_values(pk, record, run_id)
                if is_new:
                    new_rows.append([values[c] for c in self.cert_columns])
                else:
                    update_rows.append([values[c] for c in self.update_columns] + [pk])
                indexed.append((values, record))
        children = self._children_rows(self.pending_new + self.pending_changed)
        documents = search.documents_from_records(indexed, self.agreement_titles)
        self.writer.submit(lambda: self._write_batch(changed_ids, update_rows, new_rows, children, documents))
        self.pending_new = []
        self.pending_changed = []

    def _write_batch(self, changed_ids, update_rows, new_rows, children, documents) -> None:
        """Runs on the writer thread, on the import's connection and in its transaction."""
        if changed_ids:
            for model in CHILD_MODELS:
                self.bulk.delete_where_in(model._meta.db_table, "certification_id", changed_ids)
            self.bulk.update(self.cert_table, self.update_columns, update_rows)
        self.bulk.insert(self.cert_table, self.cert_columns, new_rows)
        for table, columns, rows in children:
            self.bulk.insert(table, columns, rows)
        with self.connection.cursor() as cursor:
            search.write_documents(cursor, documents)

    def _certification_values(self, pk: int, r: FicheRecord, run_id: int) -> dict:
        d = self._date
        values = {
            "id": pk,
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
            "url": r.url[:1000],
            "route_initial": r.routes.get("initial", False),
            "route_apprenticeship": r.routes.get("apprenticeship", False),
            "route_continuing": r.routes.get("continuing", False),
            "route_professionalisation": r.routes.get("professionalisation", False),
            "route_individual": r.routes.get("individual", False),
            "route_vae": r.routes.get("vae", False),
            "jury_compositions": _json(r.jury_compositions),
            "activities": r.activities,
            "capacities": r.capacities,
            "sectors": r.sectors,
            "jobs": r.jobs,
            "objectives": r.objectives,
            "prerequisites": r.prerequisites,
            "regulations": r.regulations,
            "correspondences": _json(r.correspondences),
            "promotion_stats": _json(r.promotion_stats),
            "publications": _json(r.publications),
            "is_cqp": derive_is_cqp(r.abbreviation_code, r.title),
            "is_interbranch": derive_is_interbranch(r.abbreviation_code, r.title, len(r.idcc)),
            "raw": self.compressed.pop(pk).result(),
            "raw_format": r.raw_format,
            "digest": r.digest,
            "first_import_id": run_id,
            "last_change_import_id": run_id,
            "withdrawn_at": None,
        }
        return values

    def _date(self, value: date | None):
        if value is None or self.postgres:
            return value
        return value.isoformat()

    def _children_rows(self, items: list[tuple[int, FicheRecord]]) -> list[tuple[str, list[str], list]]:
        d = self._date
        blocks, certifiers, partners, classifications, links = [], [], [], [], []
        for pk, r in items:
            blocks.extend((pk, i, b.code, b.title, b.skills, b.assessment) for i, b in enumerate(r.blocks))
            certifiers.extend(
                (pk, i, c.siret, c.name[:500], c.state, d(c.state_changed_on))
                for i, c in enumerate(r.certifiers)
            )
            partners.extend(
                (
                    pk,
                    i,
                    p.siret,
                    p.name[:500],
                    p.habilitation,
                    p.state,
                    d(p.state_changed_on),
                    d(p.active_since),
                )
                for i, p in enumerate(r.partners)
            )
            for scheme in CLASSIFICATION_SCHEMES:
                classifications.extend(
                    (pk, scheme, i, c.code, c.label[:500]) for i, c in enumerate(getattr(r, scheme))
                )
            links.extend((pk, "predecessor", i, code) for i, code in enumerate(r.predecessors))
            links.extend((pk, "successor", i, code) for i, code in enumerate(r.successors))
        return [
            (Block._meta.db_table, ["certification_id", "position", "code", "title", "skills", "assessment"], blocks),
            (
                Certifier._meta.db_table,
                ["certification_id", "position", "siret", "name", "state", "state_changed_on"],
                certifiers,
            ),
            (
                Partner._meta.db_table,
                [
                    "certification_id", "position", "siret", "name", "habilitation", "state",
                    "state_changed_on", "active_since",
                ],
                partners,
            ),
            (Classification._meta.db_table, ["certification_id", "scheme", "position", "code", "label"], classifications),
            (ContinuityLink._meta.db_table, ["certification_id", "kind", "position", "other_code"], links),
        ]  # fmt: skip


class _WriteBehind:
    """Writes batch N on a second thread while the main thread parses batch N+1.

    One connection, one transaction: while the writer lives the main thread does not touch the
    database (parsing needs none). sqlite3 and psycopg release the GIL inside their C calls, so the
    database's work overlaps the parse on the machine's other core. At most `depth` batches wait,
    which keeps memory bounded. The first error stops the writing; the main thread re-raises it.
    """

    # The writer's C calls release the GIL once per row and must win it back from the parsing thread;
    # at the default 5 ms switch interval it mostly waits. 50 µs measured fastest on a full import.
    SWITCH_INTERVAL = 5e-5

    def __init__(self, conn, depth: int = 2):
        self.conn = conn
        self.previous_interval = sys.getswitchinterval()
        sys.setswitchinterval(self.SWITCH_INTERVAL)
        self.queue: queue.Queue = queue.Queue(maxsize=depth)
        self.error: BaseException | None = None
        conn.inc_thread_sharing()
        self.thread = threading.Thread(target=self._loop, name="cqphub-import-writer", daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        while (job := self.queue.get()) is not None:
            if self.error is None:
                try:
                    job()
                except BaseException as error:  # noqa: BLE001 - handed to the main thread
                    self.error = error

    def submit(self, job) -> None:
        self._raise()
        self.queue.put(job)

    def close(self, *, reraise: bool = True) -> None:
        """Wait for the queued batches, then re-raise the writer's error, if any."""
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()
            self.conn.dec_thread_sharing()
            sys.setswitchinterval(self.previous_interval)
        if reraise:
            self._raise()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _number_of(code: str) -> int:
    digits = "".join(ch for ch in code if ch.isdigit())
    return int(digits) if digits else 0


def _register_of(code: str) -> str:
    return "RS" if code.upper().startswith("RS") else "RNCP"
