# SPDX-License-Identifier: AGPL-3.0-or-later
"""Scanner inputs as Qt objects: camera, serial and HID-POS read on their own threads and hand each
code to the UI thread by signal; the keyboard wedge is caught application-wide by scanning.wedge_qt."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from scanning.errors import ScannerError

WEDGE, CAMERA, SERIAL, HIDPOS = "wedge", "camera", "serial", "hidpos"
KINDS = (WEDGE, CAMERA, SERIAL, HIDPOS)


@dataclass(frozen=True)
class InputChoice:
    """Which scanner feeds the door: kind, and the camera index / video file or serial port it uses."""

    kind: str = WEDGE
    camera: int | str | Path = 0
    serial_port: str = ""
    keyboard_layout: str = "us"
    scanner_layout: str = "us"


class _Start(QRunnable):
    # Opening a camera blocks up to ~1 s: never on the Qt thread (DESIGN: Threads).
    def __init__(self, start: Callable[[], None], failed: Callable[[str], None]) -> None:
        super().__init__()
        self._start, self._failed = start, failed

    def run(self) -> None:
        try:
            self._start()
        except ScannerError as error:
            self._failed(str(error))


class ScanSource(QObject):
    """A running scanner. Signals are emitted from the reader's thread and arrive queued on the UI thread.

    `code_read(text, captured_at)`: captured_at is time.monotonic() of the frame or read.
    """

    code_read = Signal(str, float)
    started = Signal()
    stopped = Signal(str)

    def __init__(self, choice: InputChoice, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.choice = choice
        self._reader: object | None = None

    def start(self) -> None:
        reader = self._make_reader()
        self._reader = reader

        def open_it() -> None:
            reader.start()  # type: ignore[attr-defined]
            self.started.emit()

        QThreadPool.globalInstance().start(_Start(open_it, self.stopped.emit))

    def stop(self) -> None:
        reader, self._reader = self._reader, None
        if reader is not None:
            reader.stop()  # type: ignore[attr-defined]

    def _make_reader(self) -> object:
        kind = self.choice.kind
        if kind == CAMERA:
            from scanning.camera import Camera

            return Camera(self.choice.camera, lambda scan: self.code_read.emit(scan.code.text, scan.captured_at),
                          on_stopped=self._on_stopped)
        if kind == SERIAL:
            from scanning.serialport import SerialScanner

            return SerialScanner(self.choice.serial_port, self._on_device_scan, on_stopped=self._on_stopped)
        if kind == HIDPOS:
            from scanning.hidpos import HidPosScanner

            return HidPosScanner(self._on_device_scan, on_stopped=self._on_stopped)
        raise ValueError(f"{kind} is not a threaded scanner")

    def _on_device_scan(self, scan: object) -> None:
        self.code_read.emit(getattr(scan, "text", ""), getattr(scan, "received_at", time.monotonic()))

    def _on_stopped(self, error: object) -> None:
        self.stopped.emit(str(error) if error else "")
