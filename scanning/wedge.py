# SPDX-License-Identifier: AGPL-3.0-or-later
"""Keyboard-wedge scanners: tells a scanner's key burst from a person's typing by timing; no Qt."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from scanning.layouts import translation

#: Key names that end a code, as scanners send them after the data (or not at all).
TERMINATORS = frozenset({"Enter", "Return", "Tab"})


@dataclass(frozen=True, slots=True)
class KeyEvent:
    """One key press: the character it typed ("" for none), its key name and when (seconds)."""

    text: str
    key: str
    at: float
    #: The caller's handle on the original event (e.g. a copy of a QKeyEvent), given back on release.
    token: object = None
    #: Auto-repeat of a held key: always a person.
    repeat: bool = False


@dataclass(frozen=True, slots=True)
class WedgeScan:
    """A code typed by a scanner, with its timing."""

    text: str
    started_at: float
    ended_at: float
    #: "Enter", "Tab" or "pause" (a scanner configured without a suffix).
    ended_by: str

    @property
    def duration_ms(self) -> float:
        return 1000.0 * (self.ended_at - self.started_at)


@dataclass(slots=True)
class WedgeOutput:
    """What a call to the detector settled: codes scanned, and key presses to hand back to the app."""

    codes: list[WedgeScan] = field(default_factory=list)
    released: list[KeyEvent] = field(default_factory=list)

    def extend(self, other: WedgeOutput) -> None:
        self.codes.extend(other.codes)
        self.released.extend(other.released)


class WedgeDetector:
    """Holds printable key presses back while they come faster than ``max_gap`` seconds apart.

    A burst of at least ``min_length`` characters ended by Enter/Tab, or by a pause longer than
    ``max_gap``, is a scanned code and its keys are swallowed. Anything else (slower keys, short
    bursts, keys with no character, auto-repeat) is released, in order, for the focused widget.
    Keys are held at most ``max_gap``: the caller must call ``poll(now)`` at ``deadline()``.

    ``layout`` is the computer's keyboard layout and ``scanner_layout`` the one the scanner emulates
    ("us", "de", "fr", "ch"); the codes are translated back to what the scanner meant.
    Not thread-safe: feed it from one thread (the Qt thread in the app).
    """

    def __init__(
        self,
        *,
        max_gap: float = 0.05,
        min_length: int = 4,
        layout: str = "us",
        scanner_layout: str = "us",
        suffix_grace: float = 0.3,
    ) -> None:
        self.max_gap = max_gap
        self.min_length = min_length
        self.suffix_grace = suffix_grace
        self._table = translation(layout, scanner_layout)
        self._held: list[KeyEvent] = []
        self._last_code_end: float | None = None

    def set_layouts(self, layout: str, scanner_layout: str = "us") -> None:
        self._table = translation(layout, scanner_layout)

    def deadline(self) -> float | None:
        """When ``poll`` must run next (the time held keys are settled), or None if none are held."""
        return self._held[-1].at + self.max_gap if self._held else None

    def feed(self, event: KeyEvent) -> WedgeOutput:
        """Takes one key press; returns the codes completed and the presses to let through now."""
        out = self.poll(event.at)
        if event.key in TERMINATORS:
            out.extend(self._terminate(event))
        elif event.repeat or not _is_character(event.text):
            out.released.extend(self._held)
            out.released.append(event)
            self._held = []
        else:
            self._held.append(event)
        return out

    def poll(self, now: float) -> WedgeOutput:
        """Settles held keys once ``max_gap`` has passed without a new key: a code or released keys."""
        out = WedgeOutput()
        if self._held and now - self._held[-1].at > self.max_gap:
            out.extend(self._settle("pause"))
        return out

    def _terminate(self, event: KeyEvent) -> WedgeOutput:
        if self._is_burst():
            return self._settle(event.key if event.key != "Return" else "Enter", event.at)
        recent_code = self._last_code_end is not None and event.at - self._last_code_end <= self.suffix_grace
        if not self._held and recent_code:
            # A scanner that pauses before its Enter: the code already ended on the pause.
            self._last_code_end = None
            return WedgeOutput()
        out = WedgeOutput(released=[*self._held, event])
        self._held = []
        return out

    def _settle(self, ended_by: str, ended_at: float | None = None) -> WedgeOutput:
        held, self._held = self._held, []
        if len(held) >= self.min_length and _gaps_within(held, self.max_gap):
            text = "".join(self._table.get(key.text, key.text) for key in held)
            end = held[-1].at if ended_at is None else ended_at
            self._last_code_end = end if ended_by == "pause" else None
            return WedgeOutput(codes=[WedgeScan(text, held[0].at, end, ended_by)])
        return WedgeOutput(released=held)

    def _is_burst(self) -> bool:
        return len(self._held) >= self.min_length and _gaps_within(self._held, self.max_gap)


def _is_character(text: str) -> bool:
    return len(text) == 1 and text.isprintable()


def _gaps_within(keys: list[KeyEvent], max_gap: float) -> bool:
    return all(later.at - earlier.at <= max_gap for earlier, later in pairwise(keys))
