"""Numbers: sequential per qualification, year and kind, no gap and no duplicate under concurrency.

Two threads, each with its own database connection, take numbers at the same time; run on SQLite
and on PostgreSQL (DATABASE_URL=postgres://…) by the same test. SQLite's in-memory test database
(shared cache) answers "table is locked" at once instead of waiting as a database file does: the
thread then retries its transaction, which was rolled back whole (so it consumed no number).
"""

from __future__ import annotations

import threading

import pytest
from django.db import OperationalError, connection, transaction

from cqphub.credentials import services
from cqphub.credentials.enums import DocumentKind
from cqphub.credentials.models import NumberCounter
from tests.factories.qualifications import make_qualification


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_issuers_never_share_or_skip_a_number():
    qualification = make_qualification(title="CQP Numérotation")
    taken: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(2)

    def work():
        try:
            start.wait()
            for _ in range(25):
                while True:
                    try:
                        with transaction.atomic():
                            numbers = services.reserve_numbers(
                                qualification.pk, 2026, DocumentKind.PARCHMENT, 2
                            )
                        break
                    except OperationalError as error:
                        if "locked" not in str(error):
                            raise
                with lock:
                    taken.extend(numbers)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert sorted(taken) == list(range(1, 101))
    assert NumberCounter.objects.get(qualification=qualification, year=2026, kind="parchment").last == 100


@pytest.mark.django_db
def test_counters_are_per_qualification_year_and_kind():
    first, second = make_qualification(title="CQP A"), make_qualification(title="CQP B")
    assert list(services.reserve_numbers(first.pk, 2026, DocumentKind.PARCHMENT, 3)) == [1, 2, 3]
    assert list(services.reserve_numbers(first.pk, 2027, DocumentKind.PARCHMENT, 1)) == [1]
    assert list(services.reserve_numbers(first.pk, 2026, DocumentKind.ATTESTATION, 1)) == [1]
    assert list(services.reserve_numbers(second.pk, 2026, DocumentKind.PARCHMENT, 1)) == [1]
    assert list(services.reserve_numbers(first.pk, 2026, DocumentKind.PARCHMENT, 1)) == [4]
    assert services.format_number(DocumentKind.PARCHMENT, 12, 2026, 42) == "CQP-0012-2026-00042"
    assert services.format_number(DocumentKind.ATTESTATION, 12, 2026, 42) == "ATT-0012-2026-00042"
