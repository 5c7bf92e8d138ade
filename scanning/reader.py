# SPDX-License-Identifier: AGPL-3.0-or-later
"""A background read loop shared by the serial and HID-POS scanners: read, parse, call back."""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass

from scanning.errors import ScannerError

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DeviceScan:
    """A code read by a serial or HID-POS scanner; ``received_at`` is ``time.monotonic()``."""

    text: str
    received_at: float
    #: The AIM symbology identifier (e.g. "]Q1" for QR) when the scanner sends one.
    symbology: str = ""


ScanHandler = Callable[[DeviceScan], None]
StopHandler = Callable[[ScannerError | None], None]


class DeviceReader(ABC):
    """Runs ``_read_scans`` in a loop on a daemon thread until ``stop``.

    ``on_scan`` and ``on_stopped`` run on that thread: a Qt caller hands the result to the main thread.
    ``on_stopped`` gets the ScannerError that ended the loop (unplugged), or None after ``stop``.
    """

    thread_name = "scanning-device"

    def __init__(self, on_scan: ScanHandler, on_stopped: StopHandler | None = None) -> None:
        self._on_scan = on_scan
        self._on_stopped = on_stopped
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Opens the device (ScannerError if missing, busy or not allowed), then reads in the background."""
        if self._thread is not None:
            return
        self._open()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        self._thread = None

    def _run(self) -> None:
        error: ScannerError | None = None
        try:
            while not self._stop.is_set():
                for scan in self._read_scans():
                    self._deliver(scan)
        except ScannerError as failure:
            error = failure
        finally:
            self._close()
        if self._on_stopped is not None:
            self._on_stopped(error)

    def _deliver(self, scan: DeviceScan) -> None:
        try:
            self._on_scan(scan)
        except Exception:  # the app's handler failing must not stop the scanner
            log.exception("scan handler failed for %r", scan.text)

    @abstractmethod
    def _open(self) -> None:
        """Open the device, raising ScannerError in plain words when it is missing or busy."""

    @abstractmethod
    def _read_scans(self) -> list[DeviceScan]:
        """Blocks at most a fraction of a second (so ``stop`` is prompt); returns complete codes."""

    @abstractmethod
    def _close(self) -> None:
        """Release the device."""
