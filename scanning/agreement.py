# SPDX-License-Identifier: AGPL-3.0-or-later
"""Codes across a camera's frames: a confirmed read is taken at once; a read only one scan line made is
taken when another frame (within a second) reads the same code, and never from one frame alone."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from scanning.decode import Code

#: How long an unconfirmed read waits for another frame to agree: a ticket held up gives several
#: frames a second, and one read this long ago and not since is likely a misread, or a ticket gone.
AGREE_SECONDS = 1.0


class Agreement:
    """Filters each decoded frame's codes (``filter``, frame by frame, in order).

    A QR code (its error correction checks every read), a linear code that two scan lines read alike
    (zxing-cpp's whole-frame pass, the second look's confirmed reads, zbar with a quality of two) pass
    at once: a strong read is never delayed. An unconfirmed read (``Code.unconfirmed``) passes when an
    earlier frame read the same format and text no more than ``agree_seconds`` before. ``clock`` is
    injected (``time.monotonic`` by default) so tests control time.
    """

    def __init__(self, agree_seconds: float = AGREE_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.agree_seconds = agree_seconds
        self._clock = clock
        self._seen: dict[tuple[str, str], float] = {}
        #: Unconfirmed reads held back so far, and unconfirmed reads let through because a frame before agreed.
        self.held = 0
        self.agreed = 0

    def filter(self, codes: Iterable[Code], now: float | None = None) -> list[Code]:
        """The codes of one frame that may be taken now; every code read is remembered for the next frames."""
        now = self._clock() if now is None else now
        passed = []
        for code in codes:
            key = (code.format, code.text)
            before = self._seen.get(key)
            self._seen[key] = now
            if not code.unconfirmed:
                passed.append(code)
            elif before is not None and now - before <= self.agree_seconds:
                self.agreed += 1
                passed.append(code)
            else:
                self.held += 1
        if len(self._seen) > 64:
            self._seen = {key: at for key, at in self._seen.items() if now - at <= self.agree_seconds}
        return passed

    def clear(self) -> None:
        self._seen.clear()
