# SPDX-License-Identifier: AGPL-3.0-or-later
"""Tests for scanning.wedge_qt: real QKeyEvents through the application-wide filter."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from scanning.wedge import WedgeDetector
from scanning.wedge_qt import WedgeFilter


class Clock:
    """The filter's clock, moved by the test so key timing is exact and no test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def edit(qtbot: QtBot) -> QLineEdit:
    widget = QLineEdit()
    qtbot.addWidget(widget)
    widget.show()
    widget.setFocus()
    return widget


@pytest.fixture
def wedge(qapp: QApplication, clock: Clock) -> Iterator[WedgeFilter]:
    event_filter = WedgeFilter(WedgeDetector(layout="de"), clock=clock)
    event_filter.install(qapp)
    yield event_filter
    event_filter.uninstall(qapp)


def press(widget: QLineEdit, clock: Clock, text: str, gap: float, key: int | None = None,
          modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    clock.now += gap
    if key is None:
        key = Qt.Key.Key_Return if text == "\r" else ord(text.upper()) if text.isalnum() else 0
    QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, key, modifiers, text))
    QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyRelease, key, modifiers, text))


class TestWedgeFilter:
    def test_scanner_burst_is_swallowed_and_signalled(
        self, qtbot: QtBot, edit: QLineEdit, wedge: WedgeFilter, clock: Clock
    ) -> None:
        with qtbot.waitSignal(wedge.code_scanned, timeout=2000) as scanned:
            for char in "7KQ2MXRT\r":
                press(edit, clock, char, 0.008)
        assert scanned.args == ["7KQ2MXRT"]
        assert edit.text() == ""

    def test_scanner_without_enter_is_signalled_after_the_pause(
        self, qtbot: QtBot, edit: QLineEdit, wedge: WedgeFilter, clock: Clock
    ) -> None:
        for char in "T00042":
            press(edit, clock, char, 0.008)
        clock.now += 0.2
        with qtbot.waitSignal(wedge.code_scanned, timeout=2000) as scanned:
            pass
        assert scanned.args == ["T00042"]
        assert edit.text() == ""

    def test_human_typing_reaches_the_line_edit(
        self, qtbot: QtBot, edit: QLineEdit, wedge: WedgeFilter, clock: Clock
    ) -> None:
        with qtbot.assertNotEmitted(wedge.code_scanned):
            for char in "smith":
                press(edit, clock, char, 0.2)
            clock.now += 0.2
            with qtbot.waitSignal(wedge.keys_released, timeout=2000):
                pass
        assert edit.text() == "smith"

    def test_german_layout_is_translated_for_the_scanner(
        self, qtbot: QtBot, edit: QLineEdit, wedge: WedgeFilter, clock: Clock
    ) -> None:
        with qtbot.waitSignal(wedge.code_scanned, timeout=2000) as scanned:
            for char in "zyzy\r":
                press(edit, clock, char, 0.008)
        assert scanned.args == ["yzyz"]

    def test_shift_presses_inside_a_burst_do_not_break_it(
        self, qtbot: QtBot, edit: QLineEdit, wedge: WedgeFilter, clock: Clock
    ) -> None:
        with qtbot.waitSignal(wedge.code_scanned, timeout=2000) as scanned:
            for char in "ABCD\r":
                press(edit, clock, "", 0.002, key=Qt.Key.Key_Shift)
                press(edit, clock, char, 0.006, modifiers=Qt.KeyboardModifier.ShiftModifier)
        assert scanned.args == ["ABCD"]

    def test_shortcut_keys_pass_straight_through(
        self, qtbot: QtBot, edit: QLineEdit, wedge: WedgeFilter, clock: Clock
    ) -> None:
        edit.setText("select me")
        with qtbot.waitSignal(wedge.keys_released, timeout=2000):
            press(edit, clock, "a", 0.5, key=Qt.Key.Key_A, modifiers=Qt.KeyboardModifier.ControlModifier)
        assert edit.selectedText() == "select me"
