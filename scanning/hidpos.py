# SPDX-License-Identifier: AGPL-3.0-or-later
"""HID-POS barcode scanners (USB HID usage page 0x8C) read with pyusb: reports to code text."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import usb.core
import usb.util

from scanning.errors import ScannerError, _, device_error
from scanning.reader import DeviceReader, DeviceScan, ScanHandler, StopHandler

BARCODE_SCANNER_USAGE_PAGE = 0x8C
#: The report ID of the "scanned data" input report used by Honeywell, Zebra and Datalogic.
SCANNED_DATA_REPORT_ID = 0x02
_DATA_START = 5  # report ID, length, three AIM symbology bytes
_DATA_SIZE = 56  # "decoded data" field of the HID POS usage tables
_CONTINUED_OFFSET = 63  # last byte of a 64-byte report: bit 0 = more data follows in the next report
_HID_CLASS = 3


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


def _descriptor_items(descriptor: bytes) -> Iterator[tuple[int, int]]:
    """(tag byte without size bits, value) of each short item of a HID report descriptor."""
    index = 0
    while index < len(descriptor):
        prefix = descriptor[index]
        if prefix == 0xFE:  # long item: size in the next byte
            index += 3 + (descriptor[index + 1] if index + 1 < len(descriptor) else 0)
            continue
        size = (0, 1, 2, 4)[prefix & 0x03]
        value = int.from_bytes(descriptor[index + 1 : index + 1 + size], "little")
        yield prefix & 0xFC, value
        index += 1 + size


def has_barcode_usage_page(report_descriptor: bytes) -> bool:
    """True when the HID report descriptor declares usage page 0x8C (bar code scanner)."""
    usage_page_tag = 0x04  # global item, tag 0
    items = _descriptor_items(report_descriptor)
    return any(tag == usage_page_tag and value == BARCODE_SCANNER_USAGE_PAGE for tag, value in items)


@dataclass(frozen=True, slots=True)
class HidPosDevice:
    """A connected HID-POS scanner: what the settings page lists and the scanner opens."""

    vendor_id: int
    product_id: int
    interface: int
    name: str


def _find_devices(**match: int) -> list[Any]:
    try:
        return list(usb.core.find(find_all=True, **match) or [])
    except usb.core.NoBackendError as error:
        raise ScannerError(
            _("USB scanners need the libusb library, which is not installed on this computer.")
        ) from error


def _report_descriptor(device: Any, interface: int) -> bytes:
    # GET_DESCRIPTOR (0x06) of type HID report (0x22) from the interface: the usage page is only there.
    return bytes(device.ctrl_transfer(0x81, 0x06, 0x2200, interface, 4096, timeout=500))


def _hid_interfaces(device: Any) -> Iterator[int]:
    for configuration in device:
        for interface in configuration:
            if interface.bInterfaceClass == _HID_CLASS:
                yield interface.bInterfaceNumber


def _device_name(device: Any) -> str:
    try:
        return str(usb.util.get_string(device, device.iProduct) or "")
    except (usb.core.USBError, ValueError, NotImplementedError):
        return f"USB {device.idVendor:04x}:{device.idProduct:04x}"


def find_hidpos_scanners() -> list[HidPosDevice]:
    """HID interfaces whose report descriptor has usage page 0x8C. Devices this user may not open
    (no udev rule yet) are skipped: their descriptor cannot be read."""
    found = []
    for device in _find_devices():
        for interface in _hid_interfaces(device):
            try:
                is_scanner = has_barcode_usage_page(_report_descriptor(device, interface))
            except (usb.core.USBError, NotImplementedError):
                continue
            if is_scanner:
                found.append(HidPosDevice(device.idVendor, device.idProduct, interface, _device_name(device)))
    return found


def open_hidpos(vendor_id: int | None = None, product_id: int | None = None) -> tuple[Any, int, Any]:
    """Claims the scanner's HID interface: (device, interface number, IN endpoint).

    Without ids, the first HID-POS scanner found. ScannerError when none is connected, it is busy,
    or this user lacks permission (on Linux a udev rule for the scanner is needed).
    """
    if vendor_id is None or product_id is None:
        scanners = find_hidpos_scanners()
        if not scanners:
            raise ScannerError(_("No HID-POS barcode scanner is connected."))
        first = scanners[0]
        vendor_id, product_id, interface = first.vendor_id, first.product_id, first.interface
    else:
        interface = -1
    label = f"USB {vendor_id:04x}:{product_id:04x}"
    devices = _find_devices(idVendor=vendor_id, idProduct=product_id)
    if not devices:
        message = _("Scanner not found: {device}. Check that it is plugged in.")
        raise ScannerError(message.format(device=label))
    device = devices[0]
    try:
        if interface < 0:
            interface = next(_hid_interfaces(device))
        if device.is_kernel_driver_active(interface):  # the OS reads it as a keyboard/HID device
            device.detach_kernel_driver(interface)
        usb.util.claim_interface(device, interface)
    except StopIteration as error:
        raise ScannerError(_("{device} is not a HID scanner.").format(device=label)) from error
    except (usb.core.USBError, NotImplementedError) as error:
        raise device_error(label, error) from error
    endpoint = _in_endpoint(device, interface)
    if endpoint is None:
        raise ScannerError(_("{device} is not a HID scanner.").format(device=label))
    return device, interface, endpoint


def _in_endpoint(device: Any, interface_number: int) -> Any:
    interface = device.get_active_configuration()[(interface_number, 0)]
    return usb.util.find_descriptor(
        interface,
        custom_match=lambda e: usb.util.endpoint_direction(e.bEndpointAddress) == usb.util.ENDPOINT_IN,
    )


class HidPosScanner(DeviceReader):
    """Reads codes from a HID-POS scanner on a background thread (see DeviceReader for the rules)."""

    thread_name = "scanning-hidpos"

    def __init__(
        self,
        on_scan: ScanHandler,
        *,
        vendor_id: int | None = None,
        product_id: int | None = None,
        on_stopped: StopHandler | None = None,
    ) -> None:
        super().__init__(on_scan, on_stopped)
        self.vendor_id = vendor_id
        self.product_id = product_id
        self.parser = HidPosReportParser()
        self._device: Any = None
        self._interface = 0
        self._endpoint: Any = None

    def _open(self) -> None:
        self._device, self._interface, self._endpoint = open_hidpos(self.vendor_id, self.product_id)

    def _read_scans(self) -> list[DeviceScan]:
        try:
            endpoint = self._endpoint
            report = bytes(self._device.read(endpoint.bEndpointAddress, endpoint.wMaxPacketSize, 200))
        except usb.core.USBTimeoutError:
            return []
        except usb.core.USBError as error:
            raise ScannerError(_("The USB scanner stopped responding: is it unplugged?")) from error
        now = time.monotonic()
        return [DeviceScan(text, now, symbology) for text, symbology in self.parser.feed(report)]

    def _close(self) -> None:
        if self._device is not None:
            usb.util.release_interface(self._device, self._interface)
            usb.util.dispose_resources(self._device)
            self._device = None
