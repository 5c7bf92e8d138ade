"""UUIDv7 identifiers: time-ordered, so bulk inserts append to the b-tree instead of splitting it."""

from __future__ import annotations

import os
import threading
import time

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def _next_stamp() -> tuple[int, int]:
    """Return (unix ms, 12-bit counter), monotonic even when the wall clock repeats or steps back."""
    global _last_ms, _counter
    with _lock:
        now = time.time_ns() // 1_000_000
        if now > _last_ms:
            _last_ms, _counter = now, int.from_bytes(os.urandom(2)) & 0x3FF
        else:
            _counter += 1
            if _counter > 0xFFF:
                # RFC 9562 §6.2 method 1: on counter overflow borrow the next millisecond.
                _last_ms, _counter = _last_ms + 1, 0
        return _last_ms, _counter


def _format(ms: int, counter: int, rand: int) -> str:
    variant_rand = (0b10 << 62) | (rand & ((1 << 62) - 1))
    return (
        f"{ms >> 16:08x}-{ms & 0xFFFF:04x}-{0x7000 | counter:04x}-"
        f"{variant_rand >> 48:04x}-{variant_rand & 0xFFFFFFFFFFFF:012x}"
    )


def uuid7() -> str:
    """One new UUIDv7 as its canonical 36-character string."""
    ms, counter = _next_stamp()
    return _format(ms, counter, int.from_bytes(os.urandom(8)))


def uuid7_batch(count: int) -> list[str]:
    """`count` ordered UUIDv7 strings sharing one timestamp and a random base.

    RFC 9562 §6.2 allows a counter in the random bits; a bulk import gets its ids at a
    fraction of the cost of `count` calls to `uuid7()` while staying unique and ordered.
    """
    if count <= 0:
        return []
    ms, counter = _next_stamp()
    base = (0b10 << 62) | (int.from_bytes(os.urandom(8)) & ((1 << 61) - 1))
    head = f"{ms >> 16:08x}-{ms & 0xFFFF:04x}-{0x7000 | counter:04x}-"
    out: list[str] = []
    # The last group is 48 bits: within a run where the group before it does not change, each
    # id is one fixed prefix plus a formatted integer (half the cost of formatting both groups).
    first, end = base, base + count
    while first < end:
        last = min(end, (first | 0xFFFFFFFFFFFF) + 1)
        prefix = f"{head}{first >> 48:04x}-"
        low = first & 0xFFFFFFFFFFFF
        out += [f"{prefix}{value:012x}" for value in range(low, low + last - first)]
        first = last
    return out


def timestamp_ms(uuid: str) -> int:
    """The creation time (unix ms) a UUIDv7 carries."""
    return int(uuid[:8] + uuid[9:13], 16)


# Crockford's base32: no I, L, O or U, so a code read aloud or typed by hand is not misread.
_SECRET_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_secret(bits: int = 130) -> str:
    """A random ticket secret (DESIGN: Ticket codes): >= 128 bits, 5 bits per character."""
    value = int.from_bytes(os.urandom((bits + 7) // 8))
    return "".join(_SECRET_ALPHABET[(value >> (5 * i)) & 31] for i in range((bits + 4) // 5))
