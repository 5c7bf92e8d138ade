# SPDX-License-Identifier: AGPL-3.0-or-later
"""HID-POS scanners the operating system's HID driver holds, read through hidapi without detaching it."""

# pyusb would have to take the device from that driver: a driver swap on Windows, privileges on macOS.
# On Linux a udev rule gives the door's user the scanner's /dev/hidraw node.

from __future__ import annotations

import sys
from typing import Any

from scanning.errors import ScannerError, _, device_error
from scanning.hid_devices import BARCODE_SCANNER_USAGE_PAGE, REPORT_SIZE, HidPosDevice


def _hidapi(hidapi: Any) -> Any:
    """The hidapi module for this system, or the stand-in a test passes at this edge. On Linux the
    package's `hid` module is built on libusb (which detaches the driver, as pyusb does): `hidraw` reads
    through the kernel's HID driver. Windows and macOS have only `hid`, on their own HID APIs."""
    if hidapi is not None:
        return hidapi
    try:  # plain imports, so that PyInstaller sees and packs them
        if sys.platform.startswith("linux"):
            import hidraw

            return hidraw
        import hid

        return hid
    except ImportError:  # its library failed to load: no driver-held scanner can be read
        return None


def driver_scanners(hidapi: Any = None) -> list[HidPosDevice]:
    """The HID collections on usage page 0x8C (bar code scanner) that the HID driver holds."""
    module = _hidapi(hidapi)
    if module is None:
        return []
    found = []
    for entry in module.enumerate(0, 0):
        if entry.get("usage_page") == BARCODE_SCANNER_USAGE_PAGE:
            vendor, product = int(entry["vendor_id"]), int(entry["product_id"])
            name = str(entry.get("product_string") or "") or f"USB {vendor:04x}:{product:04x}"
            found.append(HidPosDevice(vendor, product, int(entry.get("interface_number", -1)), name,
                                      bytes(entry["path"])))
    return found


class DriverLink:
    """An open driver-held scanner: hidapi hands each input report with its report ID first."""

    def __init__(self, scanner: HidPosDevice, hidapi: Any = None) -> None:
        module = _hidapi(hidapi)
        if module is None:
            raise ScannerError(_("Cannot open scanner {device}: {reason}").format(
                device=scanner.label, reason="hidapi"))
        self._device = module.device()
        try:
            self._device.open_path(scanner.path)
        except OSError as error:
            raise device_error(scanner.label, error) from error

    def read_report(self, timeout_ms: int) -> bytes:
        try:
            return bytes(self._device.read(REPORT_SIZE, timeout_ms))
        except (OSError, ValueError) as error:
            raise ScannerError(_("The USB scanner stopped responding: is it unplugged?")) from error

    def close(self) -> None:
        self._device.close()
