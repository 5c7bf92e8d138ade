# SPDX-License-Identifier: AGPL-3.0-or-later
"""The technician's Scanners screen (D7): each input kind with a live "last code read" test."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from boxoffice.i18n import _
from boxoffice.ui.door.inputs import CAMERA, HIDPOS, SERIAL, WEDGE, InputChoice, ScanSource


class ScannersPanel(QWidget):
    """While visible, keyboard-wedge codes land on the wedge row; Test starts the other inputs.
    `code_read(kind, text)` is emitted for every code shown (tests and diagnostics)."""

    code_read = Signal(str, str)
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.last = {kind: QLabel("—") for kind in (WEDGE, CAMERA, SERIAL, HIDPOS)}
        self.state = {kind: QLabel() for kind in self.last}
        self.camera = QComboBox()
        self.serial_port = QComboBox()
        self.serial_port.setEditable(True)
        self.sources: dict[str, ScanSource] = {}
        grid = QGridLayout()
        for column, title in enumerate((_("Scanner"), _("Device"), _("Last code read"), _("State"), "")):
            grid.addWidget(QLabel(f"<b>{title}</b>"), 0, column)
        rows = ((WEDGE, _("USB scanner (keyboard): just scan"), None), (CAMERA, _("Webcam"), self.camera),
                (SERIAL, _("Serial scanner"), self.serial_port), (HIDPOS, _("USB scanner (HID-POS)"), None))
        for row, (kind, title, device) in enumerate(rows, start=1):
            grid.addWidget(QLabel(title), row, 0)
            if device is not None:
                grid.addWidget(device, row, 1)
            grid.addWidget(self.last[kind], row, 2)
            grid.addWidget(self.state[kind], row, 3)
            if kind != WEDGE:
                test = QPushButton(_("Test"))
                test.clicked.connect(lambda _c=False, k=kind: self.toggle_test(k))
                grid.addWidget(test, row, 4)
        back = QPushButton(_("Back to the door setup"))
        back.clicked.connect(self.back_requested.emit)
        page = QVBoxLayout(self)
        page.addWidget(QLabel(_("Scan any code with each scanner: it should appear here at once.")))
        page.addLayout(grid)
        page.addStretch()
        page.addWidget(back)

    def show_cameras(self, cameras: list[tuple[int, str]]) -> None:
        """The cameras by name, each with its OpenCV index."""
        self.camera.clear()
        for index, name in cameras:
            self.camera.addItem(name, index)

    def show_code(self, kind: str, text: str) -> None:
        self.last[kind].setText(text)
        self.code_read.emit(kind, text)

    def toggle_test(self, kind: str, camera: object = None) -> None:
        """Start (or stop) a test read; `camera` overrides the chosen camera (a video file in tests)."""
        running = self.sources.pop(kind, None)
        if running is not None:
            running.stop()
            self.state[kind].setText(_("stopped"))
            return
        chosen = camera if camera is not None else (self.camera.currentData() or 0)
        port = str(self.serial_port.currentData() or self.serial_port.currentText())
        source = ScanSource(InputChoice(kind, chosen, port), self)  # type: ignore[arg-type]
        source.code_read.connect(lambda text, _at, k=kind: self.show_code(k, text))
        source.started.connect(lambda k=kind: self.state[k].setText(_("reading…")))
        source.stopped.connect(lambda problem, k=kind: self.state[k].setText(problem or _("stopped")))
        self.sources[kind] = source
        self.state[kind].setText(_("opening…"))
        source.start()

    def stop_all(self) -> None:
        for source in self.sources.values():
            source.stop()
        self.sources.clear()
