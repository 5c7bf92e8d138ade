"""Hybrid logical clock: orders changes across devices whose wall clocks disagree."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

# A timestamp is stored as a fixed-width string so that SQL and Python compare it the same
# way: 15 digits of unix ms, 5 of logical counter, then the node (device) id for ties.
_FORMAT = "{:015d}-{:05d}-{}"


@dataclass(frozen=True, order=True)
class Timestamp:
    """One HLC reading: wall ms, logical counter, node id (ties broken by node)."""

    wall_ms: int
    counter: int
    node: str

    def __str__(self) -> str:
        return _FORMAT.format(self.wall_ms, self.counter, self.node)

    @classmethod
    def parse(cls, text: str) -> Timestamp:
        try:
            wall, counter, node = text.split("-", 2)
            return cls(int(wall), int(counter), node)
        except ValueError as exc:
            raise ValueError(f"not a hybrid logical clock timestamp: {text!r}") from exc


class HybridClock:
    """A thread-safe HLC for one device (Kulkarni et al., 2014).

    `now()` stamps a local change; `observe()` folds in a timestamp received from elsewhere
    so that later local stamps sort after it even if this machine's clock is behind.
    """

    def __init__(self, node: str, last: Timestamp | None = None,
                 wall: Callable[[], int] | None = None) -> None:
        self.node = node
        self._wall = wall or (lambda: time.time_ns() // 1_000_000)
        self._ms = last.wall_ms if last else 0
        self._counter = last.counter if last else 0
        self._lock = threading.Lock()

    def now(self) -> Timestamp:
        with self._lock:
            wall = self._wall()
            if wall > self._ms:
                self._ms, self._counter = wall, 0
            else:
                self._counter += 1
            return Timestamp(self._ms, self._counter, self.node)

    def observe(self, remote: Timestamp) -> None:
        with self._lock:
            wall = self._wall()
            top = max(wall, self._ms, remote.wall_ms)
            if top == self._ms and top == remote.wall_ms:
                self._counter = max(self._counter, remote.counter) + 1
            elif top == self._ms:
                self._counter += 1
            elif top == remote.wall_ms:
                self._counter = remote.counter + 1
            else:
                self._counter = 0
            self._ms = top
