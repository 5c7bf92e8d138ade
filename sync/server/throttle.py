"""Rate limits with back-off: guessing codes and passwords, or flooding a form, gets slower each time.

Each `Throttle` counts events (a failed enrollment or login, a form submission) per key (an
address, a code's owner, a link's token). After `free` events within `window` seconds, each
further one makes that key wait `base * 2**n` seconds (capped), answered 429 with Retry-After.
The counts live in the process: behind a load balancer each process limits on its own, which
multiplies an attacker's budget by the number of processes, not more.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import Request

from sync.server.deps import Refused

MAX_KEYS = 100_000


@dataclass
class _Count:
    events: int
    first: float
    blocked_until: float


class Throttled(Refused):
    """Too many tries: wait `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(429, f"too many tries: wait {retry_after} s and try again", retry_after=retry_after)


class Throttle:
    """Events per key; thread-safe (FastAPI runs plain routes in worker threads)."""

    def __init__(self, free: int, window: float, base: float = 1.0, cap: float = 900.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.free, self.window, self.base, self.cap, self._clock = free, window, base, cap, clock
        self._counts: OrderedDict[str, _Count] = OrderedDict()
        self._lock = threading.Lock()

    def check(self, *keys: str) -> None:
        """Raise Throttled while any of `keys` must wait."""
        now = self._clock()
        with self._lock:
            waits = [c.blocked_until - now for k in keys if (c := self._counts.get(k)) is not None]
        wait = max(waits, default=0.0)
        if wait > 0:
            raise Throttled(math.ceil(wait))

    def count(self, *keys: str) -> None:
        """One more event for each key; past the free ones, the key waits longer each time."""
        now = self._clock()
        with self._lock:
            for key in keys:
                found = self._counts.pop(key, None)
                if found is None or (now - found.first > self.window and now >= found.blocked_until):
                    found = _Count(0, now, 0.0)
                found.events += 1
                if found.events > self.free:
                    found.blocked_until = now + min(self.cap, self.base * 2 ** (found.events - self.free - 1))
                self._counts[key] = found  # most recent last: the oldest go first when full
            while len(self._counts) > MAX_KEYS:
                self._counts.popitem(last=False)

    def forget(self, *keys: str) -> None:
        """A success (the right password): the key starts afresh."""
        with self._lock:
            for key in keys:
                self._counts.pop(key, None)


@dataclass(frozen=True)
class Throttles:
    """The server's limits, one set per app."""

    # Codes and passwords: 10 failures an hour are free, then 1 s, 2 s, 4 s… up to 15 minutes.
    enrollment: Throttle
    # RSVP and pass-area forms: 20 submissions in 10 minutes, then the same back-off.
    forms: Throttle

    @classmethod
    def default(cls) -> Throttles:
        return cls(enrollment=Throttle(free=10, window=3600), forms=Throttle(free=20, window=600))


def throttles(request: Request) -> Throttles:
    found: Throttles = request.app.state.throttles
    return found


def address_key(request: Request) -> str:
    """The caller's address as a key (behind a proxy, uvicorn's --forwarded-allow-ips gives the real one)."""
    return f"address:{request.client.host if request.client else 'unknown'}"
