# SPDX-License-Identifier: AGPL-3.0-or-later
"""A HID-POS scanner as the set-up lists it and the door reads it, whichever way its reports arrive."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

BARCODE_SCANNER_USAGE_PAGE = 0x8C
#: Bytes asked for per read: a scanned-data report is 64 with its ID; longer ones come whole.
REPORT_SIZE = 256


@dataclass(frozen=True, slots=True)
class HidPosDevice:
    """A connected HID-POS scanner. `path` is hidapi's when the operating system's HID driver holds it;
    empty when no driver claims it and libusb reaches it directly."""

    vendor_id: int
    product_id: int
    interface: int
    name: str
    path: bytes = b""

    @property
    def label(self) -> str:
        return f"USB {self.vendor_id:04x}:{self.product_id:04x}"


class HidLink(Protocol):
    """An open scanner: input reports as bytes, report ID first."""

    def read_report(self, timeout_ms: int) -> bytes:
        """The next input report, or b"" when none came within `timeout_ms`; ScannerError if unplugged."""
        ...

    def close(self) -> None:
        """Release the device."""
        ...
