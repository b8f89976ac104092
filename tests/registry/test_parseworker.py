"""The importer's parsing process: items in order, errors raised here, the child never outlives its use."""

import os
import signal

import pytest

from cqphub.registry.parseworker import ParserDied, ParsingProcess
from cqphub.registry.records import ParseError


def counting(n, fail_at=None):
    def produce(progress):
        for i in range(n):
            progress(10)
            if i == fail_at:
                raise ParseError("malformed XML: bad tag", file="export.xml", fiche="RNCP1", where="line 9")
            yield (i, f"fiche {i}")

    return produce


def test_items_come_back_in_order_with_the_progress():
    seen = []
    with ParsingProcess(counting(300), progress=seen.append, chunk=7) as items:
        got = list(items)
    assert got == [(i, f"fiche {i}") for i in range(300)]
    assert sum(seen) == 3000


def test_an_error_in_the_child_is_raised_here_after_the_items_before_it():
    got = []
    with pytest.raises(ParseError) as raised, ParsingProcess(counting(100, fail_at=42), chunk=5) as items:
        got.extend(items)
    assert got == [(i, f"fiche {i}") for i in range(42)]
    error = raised.value
    assert str(error) == "export.xml · fiche RNCP1 · line 9: malformed XML: bad tag"
    assert (error.file, error.fiche, error.where) == ("export.xml", "RNCP1", "line 9")


def test_stopping_early_here_ends_the_child():
    with pytest.raises(KeyError), ParsingProcess(counting(10**9)) as items:
        for i, _text in items:
            if i == 100:
                child = items.child
                raise KeyError("the writer failed")
    assert not child.is_alive()
    assert child.exitcode is not None


def test_a_child_killed_is_reported_not_waited_for():
    def produce(progress):
        yield 1
        os.kill(os.getpid(), signal.SIGKILL)
        yield 2

    got = []
    with pytest.raises(ParserDied, match="ended unexpectedly"), ParsingProcess(produce, chunk=1) as items:
        got.extend(items)
    assert got == [1]
