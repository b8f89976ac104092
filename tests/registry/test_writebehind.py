"""The importer's writer thread: errors reach the main thread, the switch interval always comes back."""

import sys
import threading

import pytest

from cqphub.registry.writebehind import WriteBehind


class WriterBroke(Exception):
    pass


def test_jobs_run_in_order_on_another_thread_and_the_interval_is_restored():
    before = sys.getswitchinterval()
    done, threads = [], set()
    with WriteBehind() as writer:
        assert sys.getswitchinterval() == pytest.approx(WriteBehind.SWITCH_INTERVAL)
        for n in range(10):
            writer.submit(lambda n=n: (done.append(n), threads.add(threading.get_ident())))
    assert done == list(range(10))
    assert threading.get_ident() not in threads
    assert sys.getswitchinterval() == before


def test_an_error_in_the_writer_thread_is_raised_in_the_main_thread_and_stops_the_writing():
    before = sys.getswitchinterval()
    done = []

    def broken():
        raise WriterBroke("disk full")

    with pytest.raises(WriterBroke, match="disk full"), WriteBehind() as writer:
        writer.submit(lambda: done.append(1))
        writer.submit(broken)
        for _ in range(50):  # the error shows at the next submit, or at the end of the block
            writer.submit(lambda: done.append(2))
    assert done == [1]  # nothing written after the failure
    assert sys.getswitchinterval() == before
    assert not any(t.name == "cqphub-import-writer" for t in threading.enumerate())


def test_a_main_thread_error_wins_and_the_writer_is_still_stopped():
    before = sys.getswitchinterval()
    stopped = []
    with pytest.raises(KeyError), WriteBehind(on_stop=lambda: stopped.append(True)) as writer:
        writer.submit(lambda: (_ for _ in ()).throw(WriterBroke()))
        raise KeyError("parse error")
    assert stopped == [True]
    assert sys.getswitchinterval() == before


def test_the_import_reports_a_failure_inside_the_writer_thread(db, rncp_xml_fixture, monkeypatch):
    from cqphub.registry import importer
    from cqphub.registry.models import Certification, ImportRun
    from tests.factories.registry import XML_FIXTURE_DATE

    def failing_write(self, *batch):
        raise OSError("the writer thread failed")

    for sink in (importer._DirectSink, importer._StagedSink):
        monkeypatch.setattr(sink, "write", failing_write)
    before = sys.getswitchinterval()
    with pytest.raises(importer.ImportFailed, match="the writer thread failed"):
        importer.import_paths([rncp_xml_fixture], as_of=XML_FIXTURE_DATE)
    assert Certification.objects.count() == 0
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED
    assert sys.getswitchinterval() == before
