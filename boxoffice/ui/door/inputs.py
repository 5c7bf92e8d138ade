# SPDX-License-Identifier: AGPL-3.0-or-later
"""Scanner inputs as Qt objects: camera, serial and HID-POS read on their own threads and hand each
code to the UI thread by signal; the keyboard wedge is caught application-wide by scanning.wedge_qt."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from scanning.camera_controls import CameraSettings
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
    camera_settings: CameraSettings = field(default_factory=CameraSettings)
    #: The camera's name, as the door's set-up lists it, for its problems in plain words.
    camera_name: str = ""


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
    A camera also sends what a preview shows: `frame_grabbed(frame)`, the newest BGR frame (one at a
    time: a frame is only sent once the UI has taken the previous one with `frame_taken`), and
    `codes_decoded(codes)` for every decoded frame. `started` comes once the device is open.
    """

    code_read = Signal(str, float)
    started = Signal()
    stopped = Signal(str)
    frame_grabbed = Signal(object)
    codes_decoded = Signal(object)

    def __init__(self, choice: InputChoice, parent: QObject | None = None, preview: bool = False) -> None:
        super().__init__(parent)
        self.choice = choice
        self.preview = preview
        self._reader: object | None = None
        self._frame_on_its_way = threading.Event()

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

    @property
    def camera(self) -> Any:
        """The running scanning.camera.Camera (its ``controls`` once started), or None."""
        return self._reader if self.choice.kind == CAMERA else None

    def adjust(self, settings: CameraSettings) -> None:
        """A camera's new focus and exposure, applied from its next frame."""
        if self.camera is not None:
            self.camera.adjust(settings)

    def frame_taken(self) -> None:
        """The UI has drawn the last frame sent: the next one may come."""
        self._frame_on_its_way.clear()

    def _on_frame(self, frame: Any, _index: int) -> None:
        # The UI thread paints at its own pace: frames it has not taken yet are not queued behind it.
        if not self._frame_on_its_way.is_set():
            self._frame_on_its_way.set()
            self.frame_grabbed.emit(frame)

    def _make_reader(self) -> object:
        kind = self.choice.kind
        if kind == CAMERA:
            from scanning.camera import Camera

            preview = self.preview
            return Camera(self.choice.camera, lambda scan: self.code_read.emit(scan.code.text, scan.captured_at),
                          settings=self.choice.camera_settings, on_stopped=self._on_stopped,
                          on_decoded=(lambda codes, _i: self.codes_decoded.emit(codes)) if preview else None,
                          on_frame=self._on_frame if preview else None, name=self.choice.camera_name)
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
