# SPDX-License-Identifier: AGPL-3.0-or-later
"""HID-POS scanners that no driver claims, reached over libusb with pyusb (report descriptors read there)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import usb.core
import usb.util

from scanning.errors import ScannerError, _, device_error
from scanning.hid_devices import BARCODE_SCANNER_USAGE_PAGE, HidPosDevice

_HID_CLASS = 3


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


def usb_scanners() -> list[HidPosDevice]:
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


class UsbLink:
    """A scanner's HID interface claimed over libusb; a HID driver still holding it (Linux) is detached."""

    def __init__(self, vendor_id: int, product_id: int, interface: int = -1) -> None:
        label = f"USB {vendor_id:04x}:{product_id:04x}"
        devices = _find_devices(idVendor=vendor_id, idProduct=product_id)
        if not devices:
            raise ScannerError(_("Scanner not found: {device}. Check that it is plugged in.").format(device=label))
        device = devices[0]
        try:
            if interface < 0:
                interface = next(_hid_interfaces(device))
            if device.is_kernel_driver_active(interface):
                device.detach_kernel_driver(interface)
            usb.util.claim_interface(device, interface)
        except StopIteration as error:
            raise ScannerError(_("{device} is not a HID scanner.").format(device=label)) from error
        except (usb.core.USBError, NotImplementedError) as error:
            raise device_error(label, error) from error
        endpoint = _in_endpoint(device, interface)
        if endpoint is None:
            raise ScannerError(_("{device} is not a HID scanner.").format(device=label))
        self._device, self._interface, self._endpoint = device, interface, endpoint

    def read_report(self, timeout_ms: int) -> bytes:
        endpoint = self._endpoint
        try:
            return bytes(self._device.read(endpoint.bEndpointAddress, endpoint.wMaxPacketSize, timeout_ms))
        except usb.core.USBTimeoutError:
            return b""
        except usb.core.USBError as error:
            raise ScannerError(_("The USB scanner stopped responding: is it unplugged?")) from error

    def close(self) -> None:
        usb.util.release_interface(self._device, self._interface)
        usb.util.dispose_resources(self._device)


def _in_endpoint(device: Any, interface_number: int) -> Any:
    interface = device.get_active_configuration()[(interface_number, 0)]
    return usb.util.find_descriptor(
        interface,
        custom_match=lambda e: usb.util.endpoint_direction(e.bEndpointAddress) == usb.util.ENDPOINT_IN,
    )
