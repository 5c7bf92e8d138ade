"""Hybrid logical clock: orders changes across devices whose wall clocks disagree."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

# A timestamp is stored as a fixed-width string so that SQL and Python compare it the same
# way: 15 digits of unix ms, 5 of logical counter, then the node (device) id for ties.
_FORMAT = "{:015d}-{:05d}-{}"
# ASCII digits only: int() would also take "١٢", " 12", "+1" or "1_0", whose text does not sort.
_PATTERN = re.compile(r"([0-9]{15})-([0-9]{5})-(.*)", re.DOTALL)
MAX_COUNTER = 99_999
MAX_WALL_MS = 10**15 - 1


@dataclass(frozen=True, order=True)
class Timestamp:
    """One HLC reading: wall ms, logical counter, node id (ties broken by node)."""

    wall_ms: int
    counter: int
    node: str

    def __post_init__(self) -> None:
        # Wider numbers would no longer fit the fixed width, and the text order would break.
        if not 0 <= self.counter <= MAX_COUNTER:
            raise ValueError(f"hybrid logical clock counter out of range 0–{MAX_COUNTER}: {self.counter}")
        if not 0 <= self.wall_ms <= MAX_WALL_MS:
            raise ValueError(f"hybrid logical clock milliseconds out of range: {self.wall_ms}")

    def __str__(self) -> str:
        return _FORMAT.format(self.wall_ms, self.counter, self.node)

    def successor(self, node: str | None = None) -> Timestamp:
        """The next reading after this one (of `node`, or the same node): a full counter carries
        into the next millisecond."""
        return _carried(self.wall_ms, self.counter + 1, self.node if node is None else node)

    @classmethod
    def parse(cls, text: str) -> Timestamp:
        found = _PATTERN.fullmatch(text) if isinstance(text, str) else None
        if found is None:
            raise ValueError(f"not a hybrid logical clock timestamp: {text!r}")
        return cls(int(found[1]), int(found[2]), found[3])


def _carried(wall_ms: int, counter: int, node: str) -> Timestamp:
    if counter > MAX_COUNTER:
        return Timestamp(wall_ms + 1, 0, node)
    return Timestamp(wall_ms, counter, node)


class HybridClock:
    """A thread-safe HLC for one device (Kulkarni et al., 2014).

    `now()` stamps a local change; `observe()` folds in a timestamp received from elsewhere
    so that later local stamps sort after it even if this machine's clock is behind. A counter
    past 99,999 in one millisecond carries into the next one, so the text order holds.
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
                self._carry(self._counter + 1)
            return Timestamp(self._ms, self._counter, self.node)

    def observe(self, remote: Timestamp) -> None:
        with self._lock:
            wall = self._wall()
            top = max(wall, self._ms, remote.wall_ms)
            if top == self._ms and top == remote.wall_ms:
                counter = max(self._counter, remote.counter) + 1
            elif top == self._ms:
                counter = self._counter + 1
            elif top == remote.wall_ms:
                counter = remote.counter + 1
            else:
                counter = 0
            self._ms = top
            self._carry(counter)

    def _carry(self, counter: int) -> None:
        carried = _carried(self._ms, counter, self.node)
        self._ms, self._counter = carried.wall_ms, carried.counter
