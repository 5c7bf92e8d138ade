# SPDX-License-Identifier: AGPL-3.0-or-later
"""The door's scanner filter: the keyboard wedge everywhere except in the fields people type into."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from scanning.wedge import WedgeDetector
from scanning.wedge_qt import WedgeFilter


class DoorWedgeFilter(WedgeFilter):
    """Keys typed into one of `typing_fields` (the search by name) go straight to it, however fast:
    a name typed at 30 ms a key is never taken for a scan. Everywhere else a burst is a scan."""

    def __init__(self, detector: WedgeDetector, parent: QObject | None = None,
                 clock: Callable[[], float] = time.monotonic, typing_fields: tuple[QWidget, ...] = ()) -> None:
        super().__init__(detector, parent, clock)
        self.typing_fields = typing_fields

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(watched, QWidget) and any(
                field is watched or field.isAncestorOf(watched) for field in self.typing_fields):
            return False
        return super().eventFilter(watched, event)
