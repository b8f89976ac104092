"""The importer's parsing process: items in order, errors raised here, the child never outlives its use."""

import os
import signal

import pytest

from cqphub.registry.parseworker import ParserDied, ParsingGroups, ParsingProcess
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


def labelled(label, n, fail_at=None):
    def produce(progress):
        for i in range(n):
            progress(1)
            if i == fail_at:
                raise ParseError("malformed XML: bad tag", file=f"{label}.xml", where="line 9")
            yield (label, i)

    return produce


def test_groups_come_one_after_another_each_producer_in_its_own_order():
    seen = []
    with ParsingGroups(
        [[labelled("a", 200), labelled("b", 150)], [labelled("c", 30)]], progress=seen.append
    ) as stream:
        got = list(stream)
    assert got[0] == 0 and got[351] == 1 and len(got) == 382
    first = got[1:351]
    assert sorted(first) == sorted([("a", i) for i in range(200)] + [("b", i) for i in range(150)])
    for label in "ab":  # interleaved as they arrive, but each producer's items in its order
        assert [i for name, i in first if name == label] == sorted(i for name, i in first if name == label)
    assert got[352:] == [("c", i) for i in range(30)]  # the later group after the whole first one
    assert sum(seen) == 380


def test_an_error_in_one_producer_of_a_group_is_raised_and_every_child_ends():
    groups = ParsingGroups([[labelled("a", 10**9), labelled("b", 100, fail_at=50)], [labelled("c", 10**9)]])
    with pytest.raises(ParseError, match="b.xml"), groups as stream:
        for _item in stream:
            pass
    children = [process.child for group in groups.processes for process in group]
    assert all(not child.is_alive() for child in children)
