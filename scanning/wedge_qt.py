# SPDX-License-Identifier: AGPL-3.0-or-later
"""Qt adapter for keyboard-wedge scanners: an application-wide key filter around WedgeDetector."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from scanning.layouts import DEAD_KEYS
from scanning.wedge import KeyEvent, WedgeDetector, WedgeOutput

_MODIFIER_KEYS = frozenset({
    Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_AltGr, Qt.Key.Key_Meta,
    Qt.Key.Key_CapsLock, Qt.Key.Key_NumLock,
})
_SHORTCUT_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
)
_KEY_NAMES = {Qt.Key.Key_Return: "Enter", Qt.Key.Key_Enter: "Enter", Qt.Key.Key_Tab: "Tab"}


@dataclass(frozen=True, slots=True)
class _HeldPress:
    """Enough of a swallowed QKeyEvent to send it again (Qt deletes the original after the filter)."""

    receiver: QObject
    key: int
    modifiers: Qt.KeyboardModifier
    text: str


class WedgeFilter(QObject):
    """Watches every key press in the application; scanner bursts are swallowed and announced by
    ``code_scanned``, a person's typing is sent on to the widget it was meant for, ``max_gap``
    (50 ms by default) later at most. Lives on the Qt thread, like the detector it drives.
    """

    code_scanned = Signal(str)
    #: Held key presses were handed back to the app (their count): for tests and diagnostics.
    keys_released = Signal(int)

    def __init__(
        self,
        detector: WedgeDetector | None = None,
        parent: QObject | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.detector = detector or WedgeDetector()
        self._clock = clock
        self._replaying = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timeout)

    def install(self, app: QCoreApplication | None = None) -> None:
        instance = app or QCoreApplication.instance()
        if instance is None:
            raise RuntimeError("WedgeFilter.install needs a QApplication")
        instance.installEventFilter(self)

    def uninstall(self, app: QCoreApplication | None = None) -> None:
        instance = app or QCoreApplication.instance()
        if instance is not None:
            instance.removeEventFilter(self)
        self._on_output(WedgeOutput(released=self.detector.poll(math.inf).released))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._replaying or event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        if key in _MODIFIER_KEYS:
            return False  # a scanner's Shift around capitals must not break its burst
        text = event.text()
        name = _KEY_NAMES.get(Qt.Key(key)) or Qt.Key(key).name
        if name in DEAD_KEYS and not text:
            text = DEAD_KEYS[name]
        if event.modifiers() & _SHORTCUT_MODIFIERS:
            text = ""  # Ctrl+C and friends are commands, never part of a code
        press = _HeldPress(watched, key, event.modifiers(), event.text())
        key_event = KeyEvent(text, name, self._clock(), press, event.isAutoRepeat())
        self._on_output(self.detector.feed(key_event))
        return True

    def _on_timeout(self) -> None:
        self._on_output(self.detector.poll(self._clock()))

    def _on_output(self, output: WedgeOutput) -> None:
        if output.released:
            self._replay(output.released)
            self.keys_released.emit(len(output.released))
        for scan in output.codes:
            self.code_scanned.emit(scan.text)
        self._arm_timer()

    def _arm_timer(self) -> None:
        deadline = self.detector.deadline()
        if deadline is None:
            self._timer.stop()
            return
        # At least 1 ms: with a clock that has not moved yet, a 0 ms timer would spin.
        self._timer.start(max(1, math.ceil(1000 * (deadline - self._clock()))))

    def _replay(self, presses: list[KeyEvent]) -> None:
        self._replaying = True
        try:
            for press in presses:
                held = press.token
                if not isinstance(held, _HeldPress):
                    continue
                receiver = held.receiver if shiboken6.isValid(held.receiver) else QApplication.focusWidget()
                if receiver is not None:
                    copy = QKeyEvent(QEvent.Type.KeyPress, held.key, held.modifiers, held.text, press.repeat)
                    QCoreApplication.sendEvent(receiver, copy)
        finally:
            self._replaying = False
