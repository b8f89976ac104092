"""Write use cases of the reporting app: one transaction each, audited.

The reporting state of an award is moved by the pure state machine (`states.Entry`); these functions
only load it from the row, apply one transition, and store the row and the new history events.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from datetime import date

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cqphub.orgs.audit import record
from cqphub.reporting import adapters, states
from cqphub.reporting import holder_report as hr
from cqphub.reporting.models import CdcAccount, HolderReportEntry, HolderReportEvent, HolderReportFile


def schema_path() -> str:
    """The configured CDC XSD, or "" (files are then produced and marked not validated)."""
    path = getattr(settings, "CQPHUB_CDC_XSD", "") or ""
    return path if path and os.path.exists(path) else ""


# --- entry <-> pure state ---------------------------------------------------------------------


def to_pure(row: HolderReportEntry) -> states.Entry:
    return states.Entry(
        decision_date=row.decision_date,
        state=states.State(row.state),
        file_number=row.file_number,
        sent_on=row.sent_on,
        answered_on=row.answered_on,
        reason=row.reason,
        accepted_files=tuple(row.accepted_files or ()),
        is_correction=row.is_correction,
        revoked=row.revoked,
        changed_while_sent=row.changed_while_sent,
        due=row.due,
    )


STORED_FIELDS = (
    "file_number",
    "sent_on",
    "answered_on",
    "reason",
    "is_correction",
    "revoked",
    "changed_while_sent",
    "due",
)


def _store(row: HolderReportEntry, before: states.Entry, after: states.Entry, by=None) -> None:
    for field in STORED_FIELDS:
        setattr(row, field, getattr(after, field))
    row.state = after.state.value
    row.accepted_files = list(after.accepted_files)
    row.due_on = after.due_date
    row.save()
    HolderReportEvent.objects.bulk_create(
        HolderReportEvent(
            entry=row,
            on=event.on,
            source=event.source.value,
            target=event.target.value,
            file_number=event.file_number,
            reason=event.reason,
            by=by if getattr(by, "is_authenticated", False) else None,
        )
        for event in after.history[len(before.history) :]
    )


def _apply(row: HolderReportEntry, move, by=None) -> HolderReportEntry:
    before = to_pure(row)
    after = move(before)
    _store(row, before, after, by)
    return row


PURE_FIELDS = ("decision_date", "state", "accepted_files", *STORED_FIELDS)
EVENT_COLUMNS = ("entry_id", "on", "source", "target", "file_number", "reason", "by_id", "at")


def _apply_all(rows, move, by=None, *, file=None, batch: int = 500) -> int:
    """`_apply` for many rows (a file of 100,000 awards), `rows` being rows with the `PURE_FIELDS`
    and `pk` as attributes (a model instance or a named `values_list` row). The rows whose new state
    is the same share one UPDATE (per `batch` ids: SQLite caps a statement's parameters), and the
    events are inserted in bulk (COPY on PostgreSQL), instead of two statements and two model
    instances per row. Returns the number of rows moved."""
    from django.db import connection

    from cqphub.registry.bulk import BulkWriter

    author = by.pk if getattr(by, "is_authenticated", False) else None
    now = timezone.now()
    groups: dict[tuple, list[int]] = {}
    events = []
    for row in rows:
        before = to_pure(row)
        after = move(before)
        key = (
            *(getattr(after, field) for field in STORED_FIELDS),
            after.state.value,
            after.accepted_files,
            after.due_date,
        )
        groups.setdefault(key, []).append(row.pk)
        events += [
            (
                row.pk,
                event.on,
                event.source.value,
                event.target.value,
                event.file_number,
                event.reason,
                author,
                now,
            )
            for event in after.history[len(before.history) :]
        ]
    for key, ids in groups.items():
        values = dict(zip(STORED_FIELDS, key, strict=False))
        values |= {"state": key[-3], "accepted_files": list(key[-2]), "due_on": key[-1], "updated": now}
        if file is not None:
            values["file"] = file
        for start in range(0, len(ids), batch):
            HolderReportEntry.objects.filter(pk__in=ids[start : start + batch]).update(**values)
    fields = [
        HolderReportEvent._meta.get_field(c.removesuffix("_id") if c != "entry_id" else "entry")
        for c in EVENT_COLUMNS
    ]
    prepared: list[dict] = [{} for _ in fields]

    def prep(index, value):
        cache = prepared[index]
        if value not in cache:
            cache[value] = fields[index].get_db_prep_save(value, connection)
        return cache[value]

    BulkWriter().insert(
        HolderReportEvent._meta.db_table,
        [f.column for f in fields],
        [(e[0], *(prep(i, v) for i, v in enumerate(e[1:], start=1))) for e in events],
    )
    return sum(len(ids) for ids in groups.values())


# --- awards in, revocations ---------------------------------------------------------------------


def record_award(award) -> HolderReportEntry | None:
    """An entry for a full award of a CQP registered on its decision date (None: not subject to the report).

    Partial awards (blocks only) get none: schema 1.1.2 reports certifications obtained; the holder
    report page counts them apart, with the awards of CQPs outside the registers.
    """
    if award.kind != "full" or adapters.registered_fiche(award.qualification, award.decision_date) is None:
        return None
    existing = HolderReportEntry.objects.filter(award=award).first()
    if existing is not None:
        return existing
    return HolderReportEntry.objects.create(
        award=award,
        certifier=award.qualification.ip_holder,
        qualification=award.qualification,
        decision_date=award.decision_date,
        due_on=hr.deadline(award.decision_date),
    )


@transaction.atomic
def record_revocation(award, on: date | None = None) -> HolderReportEntry | None:
    row = HolderReportEntry.objects.select_for_update().filter(award=award).first()
    if row is None or row.revoked:
        return row
    when = on or (award.revoked_at.date() if award.revoked_at else timezone.localdate())
    return _apply(row, lambda e: e.revoke(when))


def sync_entries() -> int:
    """Entries for every award that has none, revocations applied (idempotent). Returns how many changed."""
    from cqphub.juries import selectors as juries

    changed = 0
    awards = juries.awards_decided_between(date(1900, 1, 1), date(2999, 12, 31), include_revoked=True)
    known = dict(HolderReportEntry.objects.values_list("award_id", "revoked"))
    for award in awards.select_related("qualification__ip_holder"):
        if award.pk not in known:
            if record_award(award) is not None:
                changed += 1
                known[award.pk] = False
        if award.revoked_at and award.pk in known and not known[award.pk]:
            record_revocation(award)
            changed += 1
    return changed


# --- CDC identifiers ------------------------------------------------------------------------------


@transaction.atomic
def save_cdc_account(*, certifier, client_id: str, contract_id: str, sender_client_id: str = "",
                     trusted_third_party: bool = False, by=None) -> CdcAccount:  # fmt: skip
    account, created = CdcAccount.objects.get_or_create(
        certifier=certifier,
        defaults={"client_id": client_id, "contract_id": contract_id},
    )
    account.client_id = client_id.strip()
    account.contract_id = contract_id.strip()
    account.sender_client_id = sender_client_id.strip()
    account.trusted_third_party = trusted_third_party
    account.updated_by = by if getattr(by, "is_authenticated", False) else None
    account.full_clean()
    account.save()
    record(by, "create" if created else "update", account, branch=certifier.branch)
    return account


# --- files ---------------------------------------------------------------------------------------


RECORDS_CHUNK = 2000


def _records(rows, only: set[int] | None = None, chunk_size: int = RECORDS_CHUNK) -> Iterator[hr.AwardRecord]:
    """The awards of these entries (a queryset of HolderReportEntry) as report records, streamed.

    One query reads the awards with their candidate, candidacy and qualification as plain values
    (ordered by fiche, so that `write_flux` groups them), fetched `chunk_size` rows at a time; the
    verification URLs of each chunk come in two more queries. No model instance, no list of every
    award id in one query (SQLite caps the parameters of a statement).
    """
    from cqphub.juries import selectors as juries

    awards = (
        juries.awards_decided_between(date(1900, 1, 1), date(2999, 12, 31), include_revoked=True)
        .filter(pk__in=rows.values("award_id"))
        .prefetch_related(None)
        .select_related(None)
        .order_by(
            "qualification__register", "qualification__fiche_code", "qualification_id", "decision_date", "pk"
        )
        .values_list(*adapters.AWARD_COLUMNS)
    )
    chunk: list[tuple] = []
    for row in awards.iterator(chunk_size=chunk_size):
        if only is not None and row[0] not in only:
            continue
        chunk.append(row)
        if len(chunk) >= chunk_size:
            yield from _chunk_records(chunk)
            chunk = []
    yield from _chunk_records(chunk)


def _chunk_records(rows: list[tuple]) -> Iterator[hr.AwardRecord]:
    urls = adapters.proof_urls([row[0] for row in rows]) if rows else {}
    for row in rows:
        yield adapters.award_record_from_row(row, urls.get(row[0], ""))


def preview(certifier) -> hr.ReportResult:
    """What the next file would hold, without writing it (the page's not-reportable list)."""
    rows = HolderReportEntry.objects.filter(certifier=certifier, state__in=["to_report", "corrected"])
    result = hr.ReportResult(flux_id="")
    account = adapters.account_record(CdcAccount.objects.filter(certifier=certifier).first())
    for record_ in hr.classify(_records(rows), account, result):
        result.reported.append(record_.id_technique)
    return result


@transaction.atomic
def build_file(certifier, *, by=None, since: date | None = None, today: date | None = None):
    """Writes the next file of this certifier; returns (HolderReportFile or None, ReportResult).

    None when no award can be reported (the result lists why). Every reported entry moves to
    `in_file N`; the not-reportable ones stay to report and are listed on the file.
    """
    today = today or timezone.localdate()
    pending = HolderReportEntry.objects.filter(certifier=certifier, state__in=["to_report", "corrected"])
    if since:
        pending = pending.filter(decision_date__gte=since)
    rows = list(pending.select_for_update().values_list("pk", "award_id", *PURE_FIELDS, named=True))
    number = (HolderReportFile.objects.filter(certifier=certifier).aggregate(n=Max("number"))["n"] or 0) + 1
    account = adapters.account_record(CdcAccount.objects.filter(certifier=certifier).first())
    flux = hr.flux_id(certifier.siret, number)
    schema = schema_path()
    with tempfile.TemporaryFile() as tmp:
        records = _records(pending, only={row.award_id for row in rows})
        result = hr.write_flux(tmp, account, records, flux=flux, schema_path=schema or None)
        if result.count == 0:
            return None, result
        report = HolderReportFile(
            certifier=certifier,
            number=number,
            flux_id=flux,
            sha256=result.sha256,
            size=result.size,
            count=result.count,
            corrections=len(result.corrections),
            validated=result.validated,
            schema=result.schema_used,
            errors=result.errors[:200],
            not_reportable=[
                {"reference": p.reference, "id": p.id_technique, "reasons": list(p.reasons)}
                for p in result.not_reportable + result.excluded
            ],
            since=since,
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        tmp.seek(0)
        report.content.save(f"accrochage-{certifier.siret}-{number:04d}.xml", File(tmp), save=False)
        report.save()
    if result.valid:
        reported = {int(i.rsplit("-", 1)[1]) for i in result.reported}
        _apply_all(
            [row for row in rows if row.award_id in reported],
            lambda e: e.include(number, today),
            by,
            file=report,
        )
    record(by, "holder_report_built", report, branch=certifier.branch)
    return report, result


@transaction.atomic
def discard_file(report: HolderReportFile, *, by=None, today: date | None = None) -> None:
    """The file was never deposited: its awards go back to be reported."""
    today = today or timezone.localdate()
    for row in HolderReportEntry.objects.select_for_update().filter(file=report, state="in_file"):
        _apply(row, lambda e: e.release(today), by)
        row.file = None
        row.save(update_fields=["file"])
    report.discarded_at = timezone.now()
    report.save(update_fields=["discarded_at"])
    record(by, "holder_report_discarded", report, branch=report.certifier.branch)


@transaction.atomic
def record_answer(
    report: HolderReportFile, *, rejected: dict[int, str], by=None, on: date | None = None
) -> int:
    """The CDC's answer to file N: the listed entries are rejected with their reason, the rest accepted."""
    on = on or timezone.localdate()
    count = 0
    for row in HolderReportEntry.objects.select_for_update().filter(file=report, state="in_file"):
        reason = rejected.get(row.pk)
        if reason:
            _apply(row, lambda e, r=reason: e.reject(on, r), by)
        else:
            _apply(row, lambda e: e.accept(on), by)
        count += 1
    if report.deposited_on is None:
        report.deposited_on = on
        report.save(update_fields=["deposited_on"])
    record(
        by,
        "holder_report_answered",
        report,
        branch=report.certifier.branch,
        changes={"rejected": len(rejected)},
    )
    return count


@transaction.atomic
def reject_entry(
    row: HolderReportEntry, *, reason: str, by=None, on: date | None = None
) -> HolderReportEntry:
    on = on or timezone.localdate()
    row = HolderReportEntry.objects.select_for_update().get(pk=row.pk)
    _apply(row, lambda e: e.reject(on, reason), by)
    record(by, "holder_report_rejected", row, branch=row.certifier.branch, changes={"reason": reason})
    return row


@transaction.atomic
def correct_entry(
    row: HolderReportEntry, *, reason: str, by=None, on: date | None = None
) -> HolderReportEntry:
    on = on or timezone.localdate()
    row = HolderReportEntry.objects.select_for_update().get(pk=row.pk)
    _apply(row, lambda e: e.correct(on, reason), by)
    record(by, "holder_report_corrected", row, branch=row.certifier.branch, changes={"reason": reason})
    return row


# --- reminders -------------------------------------------------------------------------------------


def send_reminders(today: date | None = None, *, within_days: int = 14) -> int:
    """E-mails each certifier's branch staff about awards due within `within_days`, overdue, or rejected.

    One message per certifier and day at most (`reminded_on`); returns how many messages were sent.
    """
    from datetime import timedelta

    from django.core.mail import send_mail
    from django.utils.translation import gettext as _

    from cqphub.orgs.models import BRANCH_STAFF_ROLES, Membership

    today = today or timezone.localdate()
    horizon = today + timedelta(days=within_days)
    todo = (
        HolderReportEntry.objects.filter(
            state__in=["to_report", "corrected", "rejected"], due_on__lte=horizon
        )
        .exclude(reminded_on=today)
        .select_related("certifier")
    )
    by_certifier: dict = {}
    for row in todo:
        by_certifier.setdefault(row.certifier, []).append(row)
    sent = 0
    for certifier, rows in by_certifier.items():
        if not certifier.branch_id:
            continue
        emails = sorted(
            set(
                Membership.objects.active()
                .filter(branch=certifier.branch, role__in=[str(r) for r in BRANCH_STAFF_ROLES])
                .values_list("user__email", flat=True)
            )
        )
        if not emails:
            continue
        overdue = sum(1 for r in rows if r.due_on < today)
        subject = _("Déclaration des titulaires : %(n)d à faire pour %(certifier)s") % {
            "n": len(rows),
            "certifier": certifier.name,
        }
        body = _(
            "%(n)d certification(s) obtenue(s) doivent être déclarées à la Caisse des dépôts "
            "(R. 6113-17-2 : dans les trois mois), dont %(overdue)d en retard.\n\n"
            "Produire le fichier : %(url)s\n"
        ) % {"n": len(rows), "overdue": overdue, "url": adapters.public_url("/espace/rapports/")}
        send_mail(subject, body, None, emails)
        HolderReportEntry.objects.filter(pk__in=[r.pk for r in rows]).update(reminded_on=today)
        sent += 1
    return sent


def schedule_statistics() -> None:
    """Rebuild the statistics cells in the background (django-tasks), once the transaction commits."""
    from cqphub.reporting.tasks import refresh_statistics_task

    # once per transaction, however many awards it records: look for our callback among the ones waiting
    # for the commit, not yet run (a rolled-back transaction drops them, so nothing stays "pending")
    waiting = transaction.get_connection().run_on_commit
    if any(getattr(entry[1], "reporting_refresh", False) for entry in waiting):
        return

    def run():
        run.reporting_refresh = False
        refresh_statistics_task.enqueue()

    run.reporting_refresh = True
    transaction.on_commit(run)
