# SPDX-License-Identifier: AGPL-3.0-or-later
"""HID-POS barcode scanners (USB HID usage page 0x8C): found, opened the way the OS allows, reports to text."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from scanning.errors import ScannerError, _
from scanning.hid_devices import BARCODE_SCANNER_USAGE_PAGE, HidLink, HidPosDevice
from scanning.hid_driver import DriverLink, driver_scanners
from scanning.reader import DeviceReader, DeviceScan, ScanHandler, StopHandler
from scanning.usb_direct import UsbLink, has_barcode_usage_page, usb_scanners

__all__ = ["BARCODE_SCANNER_USAGE_PAGE", "HidPosDevice", "HidPosReportParser", "HidPosScanner",
           "find_hidpos_scanners", "has_barcode_usage_page", "open_hidpos", "parse_report"]
#: The report ID of the "scanned data" input report used by Honeywell, Zebra and Datalogic.
SCANNED_DATA_REPORT_ID = 0x02
_DATA_START = 5  # report ID, length, three AIM symbology bytes
_DATA_SIZE = 56  # "decoded data" field of the HID POS usage tables
_CONTINUED_OFFSET = 63  # last byte of a 64-byte report: bit 0 = more data follows in the next report


@dataclass(frozen=True, slots=True)
class ReportChunk:
    """The part of a code carried by one scanned-data report."""

    symbology: str
    data: bytes
    more_follows: bool


def parse_report(report: bytes, report_id: int | None = SCANNED_DATA_REPORT_ID) -> ReportChunk | None:
    """One scanned-data input report: [report id][length][AIM x3][data x56][...][continued flag].

    With ``report_id`` None the report comes without its ID byte (as hidraw/WebHID give it).
    Returns None for other reports (attributes, status).
    """
    if report_id is not None:
        if not report or report[0] != report_id:
            return None
        report = report[1:]
    if len(report) < 4:
        return None
    length, symbology = report[0], report[1:4].rstrip(b"\0").decode("ascii", errors="replace")
    data = report[4 : 4 + _DATA_SIZE]
    # The length byte counts the data bytes; some firmware leaves it 0, so fall back on NUL padding.
    data = data[:length] if 0 < length <= len(data) else data.rstrip(b"\0")
    continued = _CONTINUED_OFFSET - 1
    more = len(report) > continued and bool(report[continued] & 0x01)
    return ReportChunk(symbology, bytes(data), more)


class HidPosReportParser:
    """Assembles codes longer than one report (QR tickets often are) from consecutive reports."""

    def __init__(self, report_id: int | None = SCANNED_DATA_REPORT_ID, encoding: str = "utf-8") -> None:
        self.report_id = report_id
        self.encoding = encoding
        self._parts: list[bytes] = []
        self._symbology = ""

    def feed(self, report: bytes) -> list[tuple[str, str]]:
        """``[(text, symbology)]`` for the code this report completes, or [] if it needs more."""
        chunk = parse_report(report, self.report_id)
        if chunk is None:
            return []
        self._symbology = self._symbology or chunk.symbology
        self._parts.append(chunk.data)
        if chunk.more_follows:
            return []
        text = b"".join(self._parts).decode(self.encoding, errors="replace")
        symbology, self._parts, self._symbology = self._symbology, [], ""
        return [(text, symbology)] if text else []


def find_hidpos_scanners(hidapi: Any = None) -> list[HidPosDevice]:
    """The scanners the operating system's HID driver holds (hidapi), then those only libusb reaches."""
    held = driver_scanners(hidapi)
    try:
        direct = usb_scanners()
    except ScannerError:  # no libusb on this computer: the driver-held scanners are all there is
        if not held:
            raise
        direct = []
    seen = {(scanner.vendor_id, scanner.product_id) for scanner in held}
    return held + [scanner for scanner in direct if (scanner.vendor_id, scanner.product_id) not in seen]


def open_hidpos(vendor_id: int | None = None, product_id: int | None = None, hidapi: Any = None) -> HidLink:
    """The scanner opened through its HID driver when one holds it, else claimed over libusb.

    Without ids, the first HID-POS scanner found. ScannerError when none is connected, it is busy,
    or this user lacks permission (on Linux a udev rule for the scanner is needed).
    """
    held = [scanner for scanner in driver_scanners(hidapi)
            if vendor_id is None or (scanner.vendor_id, scanner.product_id) == (vendor_id, product_id)]
    if held:
        try:
            return DriverLink(held[0], hidapi)
        except ScannerError as refused:  # a udev rule for the USB device but not for its hidraw node
            try:
                return UsbLink(held[0].vendor_id, held[0].product_id, held[0].interface)
            except ScannerError:
                raise refused from None
    if vendor_id is None or product_id is None:
        direct = usb_scanners()
        if not direct:
            raise ScannerError(_("No HID-POS barcode scanner is connected."))
        return UsbLink(direct[0].vendor_id, direct[0].product_id, direct[0].interface)
    return UsbLink(vendor_id, product_id)


class HidPosScanner(DeviceReader):
    """Reads codes from a HID-POS scanner on a background thread (see DeviceReader for the rules).
    `hidapi` stands in for the hidapi module in tests, at the device's edge."""

    thread_name = "scanning-hidpos"

    def __init__(
        self,
        on_scan: ScanHandler,
        *,
        vendor_id: int | None = None,
        product_id: int | None = None,
        on_stopped: StopHandler | None = None,
        hidapi: Any = None,
    ) -> None:
        super().__init__(on_scan, on_stopped)
        self.vendor_id = vendor_id
        self.product_id = product_id
        self.parser = HidPosReportParser()
        self._hidapi = hidapi
        self._link: HidLink | None = None

    def _open(self) -> None:
        self._link = open_hidpos(self.vendor_id, self.product_id, self._hidapi)

    def _read_scans(self) -> list[DeviceScan]:
        if self._link is None:
            return []
        report = self._link.read_report(200)
        if not report:
            return []
        now = time.monotonic()
        return [DeviceScan(text, now, symbology) for text, symbology in self.parser.feed(report)]

    def _close(self) -> None:
        if self._link is not None:
            self._link.close()
            self._link = None
