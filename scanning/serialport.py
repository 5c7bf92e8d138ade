# SPDX-License-Identifier: AGPL-3.0-or-later
"""Serial (RS-232 / USB virtual COM) barcode scanners with pyserial: one code per line."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import serial
from serial.tools import list_ports

from scanning.errors import ScannerError, _, device_error
from scanning.reader import DeviceReader, DeviceScan, ScanHandler, StopHandler

#: Framing some scanners put around each code (STX before, ETX after), stripped with white space.
_FRAMING = "\x02\x03 \t\r\n"


class SerialLineParser:
    """Splits a serial byte stream into codes. ``terminator`` None accepts CR, LF or CRLF.

    Chunks may end anywhere (even between CR and LF); blank lines are skipped; a line longer than
    ``max_length`` without terminator (noise, wrong baud rate) is thrown away.
    """

    def __init__(
        self, terminator: bytes | None = None, encoding: str = "utf-8", max_length: int = 4096
    ) -> None:
        if terminator == b"":
            raise ValueError("terminator must not be empty")
        self.terminator = terminator
        self.encoding = encoding
        self.max_length = max_length
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[str]:
        """The complete codes in ``data`` plus what earlier chunks left over."""
        self._buffer += data
        if self.terminator is None:
            # Any of CR and LF ends a line; the empty "line" between CR and LF is dropped below.
            *lines, rest = self._buffer.replace(b"\r", b"\n").split(b"\n")
        else:
            *lines, rest = self._buffer.split(self.terminator)
        self._buffer = bytearray(rest if len(rest) <= self.max_length else b"")
        codes = (line.decode(self.encoding, errors="replace").strip(_FRAMING) for line in lines)
        return [code for code in codes if code]


@dataclass(frozen=True, slots=True)
class SerialPortInfo:
    """A serial port the user can choose, e.g. ("/dev/ttyACM0", "Honeywell 1900 scanner")."""

    device: str
    description: str


def list_serial_ports() -> list[SerialPortInfo]:
    return [SerialPortInfo(port.device, port.description or port.device) for port in list_ports.comports()]


def open_serial_port(port: str, baudrate: int = 9600, timeout: float = 0.2) -> Any:
    """An open ``serial.Serial``; ScannerError in plain words when missing, busy or not allowed."""
    try:
        # exclusive=True: a second program on the same port fails here instead of stealing bytes.
        return serial.Serial(port, baudrate=baudrate, timeout=timeout, exclusive=True)
    except serial.SerialException as error:
        raise device_error(port, error) from error
    except (OSError, ValueError) as error:
        raise device_error(port, error) from error


class SerialScanner(DeviceReader):
    """Reads codes from a serial scanner on a background thread (see DeviceReader for the rules)."""

    thread_name = "scanning-serial"

    def __init__(
        self,
        port: str,
        on_scan: ScanHandler,
        *,
        baudrate: int = 9600,
        terminator: bytes | None = None,
        encoding: str = "utf-8",
        on_stopped: StopHandler | None = None,
    ) -> None:
        super().__init__(on_scan, on_stopped)
        self.port = port
        self.baudrate = baudrate
        self.parser = SerialLineParser(terminator, encoding)
        self._serial: Any = None

    def _open(self) -> None:
        self._serial = open_serial_port(self.port, self.baudrate)

    def _read_scans(self) -> list[DeviceScan]:
        try:
            data = self._serial.read(max(1, self._serial.in_waiting))
        except (serial.SerialException, OSError) as error:
            raise ScannerError(
                _("Scanner {device} stopped responding: is it unplugged?").format(device=self.port)
            ) from error
        now = time.monotonic()
        return [DeviceScan(text, now) for text in self.parser.feed(data)] if data else []

    def _close(self) -> None:
        if self._serial is not None:
            self._serial.close()
            self._serial = None
