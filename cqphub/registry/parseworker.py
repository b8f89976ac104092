"""The importer's parsing processes: the exports are read by child processes while this one writes.

    with ParsingProcess(produce, progress=on_bytes) as items:   # produce(progress) -> iterator
        for item in items:                                       # items come back in chunks
            ...
    with ParsingGroups([[part_1, part_2], [whole_file]]) as stream:  # several children at once
        for item in stream:          # 0, the first group's items as they arrive, 1, the second's…
            ...

Parsing the exports is the larger half of a first import and needs no database, so a forked child
does it (with everything that can be prepared from a fiche alone: rows, search document) and sends
compact tuples over a pipe, while this process decides, compresses the raw fiches and writes: both
cores work. Fork, not spawn: the child starts with this process's memory as it was (the fiches already
held, the agreement titles) without pickling it; it never touches the database connection it
inherits and leaves through `os._exit` (multiprocessing's own), so the connection is not closed under
the parent.

Back-pressure: the pipe holds little, so the child waits when this process is behind (memory bounded).
An error in the child (a malformed file: `ParseError`) is raised here, after the items sent before
it; stopping early here (an error of this process, or `close()`) terminates the child.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import sys
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")
Progress = Callable[[int], None]
CHUNK = 64  # items per message: few enough to keep the pipe moving, enough to amortise a send


class ParserDied(RuntimeError):
    """The parsing process ended without sending its end (killed, out of memory)."""


class ParsingProcess:
    """`produce(progress)` run in a forked child; iterate the context to get its items here, in order."""

    def __init__(self, produce: Callable[[Progress], Iterator[T]], *, progress: Progress | None = None,
                 chunk: int = CHUNK):  # fmt: skip
        self.produce, self.progress, self.chunk = produce, progress, chunk
        self.child = self.receive = None

    def __enter__(self) -> ParsingProcess:
        context = multiprocessing.get_context("fork")
        self.receive, send = context.Pipe(duplex=False)
        for stream in (sys.stdout, sys.stderr):  # the child flushes them at exit: nothing written twice
            stream.flush()
        self.child = context.Process(
            target=_child, args=(send, self.produce, self.chunk), name="cqphub-import-parser", daemon=True
        )
        self.child.start()
        send.close()
        return self

    def __iter__(self) -> Iterator:
        while True:
            items, done = self.next_message()
            yield from items
            if done:
                return

    def next_message(self) -> tuple[list, bool]:
        """The items of the child's next message, and whether it was its last (blocks until it comes)."""
        try:
            kind, payload, consumed = self.receive.recv()
        except EOFError:
            self.child.join()
            raise ParserDied(
                f"the parsing process ended unexpectedly (exit code {self.child.exitcode})"
            ) from None
        if consumed and self.progress is not None:
            self.progress(consumed)
        if kind == "items":
            return payload, False
        if kind == "error":
            raise payload
        return [], True

    def __exit__(self, *exc) -> None:
        self.receive.close()
        if self.child.is_alive():
            self.child.terminate()
        self.child.join()


def _child(send, produce: Callable[[Progress], Iterator], chunk: int) -> None:
    consumed = 0
    batch: list = []

    def progress(n: int) -> None:
        nonlocal consumed
        consumed += n

    try:
        for item in produce(progress):
            batch.append(item)
            if len(batch) >= chunk:
                send.send(("items", batch, consumed))
                batch, consumed = [], 0
        send.send(("items", batch, consumed))
        send.send(("done", None, 0))
    except BrokenPipeError:
        pass  # the parent stopped reading: it has its own error, or closed the stream
    except BaseException as error:  # noqa: BLE001 - handed to the parent, which raises it
        try:
            if batch:  # the items before the error first
                send.send(("items", batch, 0))
            try:
                send.send(("error", error, consumed))
            except BrokenPipeError:
                raise
            except Exception:  # noqa: BLE001 - an error that cannot be pickled: its text is enough
                send.send(("error", RuntimeError(f"{type(error).__name__}: {error}"), consumed))
        except BrokenPipeError:
            pass
    finally:
        send.close()


def interleaved(processes: list[ParsingProcess]) -> Iterator:
    """The items of several parsing processes as their messages arrive: each one's in its own order,
    none waiting for another's (the first error raised by any of them is raised here)."""
    live = {process.receive: process for process in processes}
    while live:
        for ready in multiprocessing.connection.wait(list(live)):
            items, done = live[ready].next_message()
            yield from items
            if done:
                del live[ready]


class ParsingGroups:
    """Groups of producers, each producer in its own forked child, all forked on entry (before the
    caller starts any thread). Iterating gives, group after group, the group's index and then its
    producers' items interleaved as they arrive. Children of later groups work ahead until their pipe
    is full: the cores are never idle at a group's end."""

    def __init__(
        self, groups: list[list[Callable[[Progress], Iterator]]], *, progress: Progress | None = None
    ):
        self.processes = [
            [ParsingProcess(produce, progress=progress) for produce in group] for group in groups
        ]

    def __enter__(self) -> ParsingGroups:
        started = []
        try:
            for group in self.processes:
                for process in group:
                    process.__enter__()
                    started.append(process)
        except BaseException:
            for process in started:
                process.__exit__(None, None, None)
            raise
        return self

    def __iter__(self) -> Iterator:
        for index, group in enumerate(self.processes):
            yield index
            yield from group[0] if len(group) == 1 else interleaved(group)

    def __exit__(self, *exc) -> None:
        for group in self.processes:
            for process in group:
                if process.child is not None:
                    process.__exit__(*exc)
