"""Group commit: on SQLite one writer thread runs the queued pushes together, one commit for many.

SQLite has one writer. Taking turns one push at a time spent most of each push on BEGIN, COMMIT
and the write-ahead-log pages every commit rewrites (the counter, the change log's indexes), and
every waiting push held a worker thread and a pooled connection. Here pushes queue for a writer
thread that runs every queued one in a single transaction, each under a savepoint of its own,
then commits; each caller gets its own answer or its own error, and none before the commit.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.orm import Session

T = TypeVar("T")
# Enough to share a commit among every waiting device, few enough that the first in line is not kept long.
MAX_GROUP = 64
IDLE_SECONDS = 5.0


@dataclass
class _Job:
    work: Callable[[Session], Any]
    future: Future[Any]


class GroupCommit:
    """The writer of one SQLite database; `writer` is the process's writer lock (Database.writing)."""

    def __init__(self, sessions: Callable[[], Session], options: dict[str, Any], writer: threading.Lock) -> None:
        self._sessions, self._options, self._writer = sessions, options, writer
        self._queue: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._started = threading.Lock()

    def submit(self, work: Callable[[Session], T]) -> Future[T]:
        """Run `work(session)` in a write transaction; the future holds its result once committed."""
        future: Future[T] = Future()
        self._queue.put(_Job(work, future))
        with self._started:
            if self._thread is None:
                # Started on demand and gone when idle: a Database that never writes has no thread.
                self._thread = threading.Thread(target=self._run, name="sqlite-writer", daemon=True)
                self._thread.start()
        return future

    def _run(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=IDLE_SECONDS)
            except queue.Empty:
                with self._started:
                    if self._queue.empty():
                        self._thread = None
                        return
                continue
            group = [first]
            while len(group) < MAX_GROUP:
                try:
                    group.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            with self._writer:
                self._run_group(group)

    def _run_group(self, group: list[_Job]) -> None:
        answers: list[tuple[Any, BaseException | None]] = []
        try:
            with self._sessions() as opened:
                opened.connection(execution_options=self._options)
                for job in group:
                    savepoint = opened.begin_nested()
                    try:
                        answers.append((job.work(opened), None))
                        savepoint.commit()
                    except Exception as exc:  # the job's own error, raised to its caller after the commit
                        answers.append((None, exc))
                        savepoint.rollback()
                opened.commit()
        except Exception as exc:  # the transaction itself failed: nothing of the group was kept
            answers = [(None, exc)] * len(group)
        for job, (result, error) in zip(group, answers, strict=True):
            if error is None:
                job.future.set_result(result)
            else:
                job.future.set_exception(error)
