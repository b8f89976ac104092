"""The importer's one helper thread: write batch N while the main thread parses batch N+1.

    with WriteBehind() as writer:       # the GIL switch interval is shortened while it lives
        writer.submit(job)              # a callable; at most `depth` wait, so memory stays bounded
    # leaving the block waits for the queued jobs and re-raises the first error a job raised

The first error stops the writing (later jobs are dropped) and is raised in the main thread, at its
next `submit` or when the block ends. When the main thread itself fails, its error is the one that
propagates; the writer is still stopped and joined. The switch interval is restored in every case.
"""

from __future__ import annotations

import queue
import sys
import threading
from collections.abc import Callable


class WriteBehind:
    # The writer's C calls (sqlite3, psycopg, zlib) release the GIL once per row and must win it back
    # from the parsing thread; at the default 5 ms switch interval it mostly waits. 50 µs measured
    # fastest on a full import.
    SWITCH_INTERVAL = 5e-5

    def __init__(self, depth: int = 2, *, on_start: Callable[[], None] | None = None,
                 on_stop: Callable[[], None] | None = None):  # fmt: skip
        self.depth = depth
        self.on_start, self.on_stop = on_start, on_stop
        self.error: BaseException | None = None
        self.queue: queue.Queue = queue.Queue(maxsize=depth)
        self.thread: threading.Thread | None = None
        self.previous_interval: float | None = None

    # -- context ----------------------------------------------------------------------------------
    def __enter__(self) -> WriteBehind:
        self.previous_interval = sys.getswitchinterval()
        if self.on_start:
            self.on_start()
        self.thread = threading.Thread(target=self._loop, name="cqphub-import-writer", daemon=True)
        self.thread.start()
        sys.setswitchinterval(self.SWITCH_INTERVAL)
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self._stop()
        if exc_type is None:
            self._raise()
        # else: the main thread's error propagates; the writer's, if any, is dropped

    # -- use --------------------------------------------------------------------------------------
    def submit(self, job: Callable[[], None]) -> None:
        self._raise()
        while True:  # never block forever on a full queue behind a dead writer
            try:
                self.queue.put(job, timeout=0.5)
                return
            except queue.Full:
                self._raise()

    def _loop(self) -> None:
        while (job := self.queue.get()) is not None:
            if self.error is None:
                try:
                    job()
                except BaseException as error:  # noqa: BLE001 - handed to the main thread
                    self.error = error

    def _stop(self) -> None:
        try:
            if self.thread is not None and self.thread.is_alive():
                self.queue.put(None)
                self.thread.join()
        finally:
            self.thread = None
            if self.previous_interval is not None:
                sys.setswitchinterval(self.previous_interval)
                self.previous_interval = None
            if self.on_stop:
                self.on_stop()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error
