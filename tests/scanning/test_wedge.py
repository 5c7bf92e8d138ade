# SPDX-License-Identifier: AGPL-3.0-or-later
"""Tests for scanning.wedge and scanning.layouts: scanner bursts vs typing, layout mix-ups."""

from __future__ import annotations

import pytest

from scanning.layouts import translation
from scanning.wedge import KeyEvent, WedgeDetector, WedgeOutput

SCANNER_GAP = 0.008  # a USB scanner types a key every few milliseconds
HUMAN_GAP = 0.18


def keys(text: str, start: float = 10.0, gap: float = SCANNER_GAP) -> list[KeyEvent]:
    return [KeyEvent(char, char, start + i * gap) for i, char in enumerate(text)]


def run(detector: WedgeDetector, events: list[KeyEvent], settle_at: float | None = None) -> WedgeOutput:
    """Feeds events as the app would, then lets the pause timer fire at ``settle_at``."""
    out = WedgeOutput()
    for event in events:
        out.extend(detector.feed(event))
    deadline = detector.deadline()
    if deadline is not None:
        out.extend(detector.poll(settle_at if settle_at is not None else deadline + 0.001))
    return out


def enter(at: float) -> KeyEvent:
    return KeyEvent("\r", "Enter", at)


class TestWedgeDetector:
    def test_scanner_burst_ended_by_enter_is_one_code_and_nothing_leaks(self) -> None:
        burst = keys("7KQ2MXRT")
        out = run(WedgeDetector(), [*burst, enter(burst[-1].at + SCANNER_GAP)])
        assert [c.text for c in out.codes] == ["7KQ2MXRT"]
        assert out.codes[0].ended_by == "Enter"
        assert out.released == []

    def test_scanner_burst_without_enter_ends_on_the_pause(self) -> None:
        out = run(WedgeDetector(), keys("T00042ABC"))
        [code] = out.codes
        assert (code.text, code.ended_by) == ("T00042ABC", "pause")
        assert code.duration_ms == pytest.approx(8 * SCANNER_GAP * 1000)
        assert out.released == []

    def test_tab_suffix_ends_a_code(self) -> None:
        burst = keys("ABCD1234")
        out = run(WedgeDetector(), [*burst, KeyEvent("\t", "Tab", burst[-1].at + 0.005)])
        assert [(c.text, c.ended_by) for c in out.codes] == [("ABCD1234", "Tab")]

    def test_human_typing_is_released_in_order_and_is_not_a_code(self) -> None:
        typed = keys("smith", gap=HUMAN_GAP)
        out = run(WedgeDetector(), [*typed, enter(typed[-1].at + HUMAN_GAP)])
        assert out.codes == []
        assert [e.text for e in out.released] == ["s", "m", "i", "t", "h", "\r"]

    def test_human_key_is_held_at_most_the_max_gap(self) -> None:
        detector = WedgeDetector(max_gap=0.05)
        assert detector.feed(KeyEvent("a", "a", 1.0)).released == []
        assert detector.deadline() == pytest.approx(1.05)
        assert detector.poll(1.04).released == []
        assert [e.text for e in detector.poll(1.051).released] == ["a"]

    def test_short_fast_burst_is_typing(self) -> None:
        out = run(WedgeDetector(min_length=4), keys("ab"))
        assert out.codes == [] and [e.text for e in out.released] == ["a", "b"]

    def test_enter_after_a_pause_ended_code_is_swallowed(self) -> None:
        detector = WedgeDetector()
        burst = keys("CODE9876")
        out = run(detector, burst)
        out.extend(detector.feed(enter(burst[-1].at + 0.12)))
        assert [c.text for c in out.codes] == ["CODE9876"]
        assert out.released == []

    def test_typing_then_scan_gives_both_back_correctly(self) -> None:
        typed = keys("hi", start=1.0, gap=HUMAN_GAP)
        burst = keys("SCAN1234", start=2.0)
        out = run(WedgeDetector(), [*typed, *burst, enter(burst[-1].at + 0.005)])
        assert [e.text for e in out.released] == ["h", "i"]
        assert [c.text for c in out.codes] == ["SCAN1234"]

    def test_keys_without_characters_and_auto_repeat_pass_at_once(self) -> None:
        detector = WedgeDetector()
        held = detector.feed(KeyEvent("a", "a", 1.0))
        out = detector.feed(KeyEvent("", "Left", 1.01))
        assert held.released == [] and [e.key for e in out.released] == ["a", "Left"]
        repeat = detector.feed(KeyEvent("x", "x", 2.0, repeat=True))
        assert [e.text for e in repeat.released] == ["x"]

    def test_tokens_come_back_with_released_keys(self) -> None:
        detector = WedgeDetector()
        marker = object()
        detector.feed(KeyEvent("q", "q", 1.0, token=marker))
        assert detector.poll(2.0).released[0].token is marker


class TestLayouts:
    def test_us_scanner_on_german_qwertz_keeps_y_and_z(self) -> None:
        # A US-configured scanner typing "Zy-9=+^" on a German computer produces these characters.
        out = run(WedgeDetector(layout="de"), keys("Yzß9´`&"))
        assert [c.text for c in out.codes] == ["Zy-9=+^"]

    def test_us_scanner_on_french_azerty_gets_digits_and_letters_back(self) -> None:
        # On AZERTY the digit row types "&é\"'(-è_çà" unshifted and a/q, z/w, m/; swap places.
        out = run(WedgeDetector(layout="fr"), keys("&é\"'(-è_çàQAZW,=+"))
        assert [c.text for c in out.codes] == ["1234567890AQWZm=+"]

    def test_us_scanner_on_swiss_german(self) -> None:
        out = run(WedgeDetector(layout="ch"), keys("zy+*ç'"))
        assert [c.text for c in out.codes] == ["yz!#$-"]

    def test_same_layout_changes_nothing(self) -> None:
        assert translation("de", "de") == {}

    def test_german_scanner_on_us_computer(self) -> None:
        assert translation("us", "de")["y"] == "z"

    def test_unknown_layout_is_refused(self) -> None:
        with pytest.raises(ValueError, match="dvorak"):
            WedgeDetector(layout="dvorak")

    def test_human_typing_is_never_translated(self) -> None:
        out = run(WedgeDetector(layout="de"), keys("yz", gap=HUMAN_GAP))
        assert [e.text for e in out.released] == ["y", "z"]
