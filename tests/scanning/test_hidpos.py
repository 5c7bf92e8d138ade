# SPDX-License-Identifier: AGPL-3.0-or-later
"""Tests for scanning.hidpos: HID-POS reports and descriptors as byte streams, missing devices."""

from __future__ import annotations

import errno
import threading

import pytest
import usb.core

from scanning.errors import ScannerError, device_error
from scanning.hidpos import (
    HidPosReportParser,
    HidPosScanner,
    find_hidpos_scanners,
    has_barcode_usage_page,
    open_hidpos,
    parse_report,
)


def report(data: bytes, aim: bytes = b"]Q1", more: bool = False, report_id: int = 0x02) -> bytes:
    """A 64-byte scanned-data report as a Honeywell/Zebra scanner sends it."""
    body = bytearray(64)
    body[0], body[1], body[2:5] = report_id, len(data), aim
    body[5 : 5 + len(data)] = data
    body[63] = 0x01 if more else 0x00
    return bytes(body)


class TestParseReport:
    def test_reads_length_symbology_and_data(self) -> None:
        chunk = parse_report(report(b"TICKET-42"))
        assert chunk is not None
        assert (chunk.symbology, chunk.data, chunk.more_follows) == ("]Q1", b"TICKET-42", False)

    def test_other_report_ids_are_ignored(self) -> None:
        assert parse_report(report(b"X", report_id=0x04)) is None
        assert parse_report(b"") is None

    def test_zero_length_byte_falls_back_on_nul_padding(self) -> None:
        raw = bytearray(report(b"PAD-7"))
        raw[1] = 0
        chunk = parse_report(bytes(raw))
        assert chunk is not None and chunk.data == b"PAD-7"

    def test_report_without_its_id_byte(self) -> None:
        chunk = parse_report(report(b"NOID")[1:], report_id=None)
        assert chunk is not None and chunk.data == b"NOID"


class TestHidPosReportParser:
    def test_one_report_is_one_code(self) -> None:
        assert HidPosReportParser().feed(report(b"7KQ2MXRT")) == [("7KQ2MXRT", "]Q1")]

    def test_long_code_is_assembled_from_continued_reports(self) -> None:
        text = "".join(chr(65 + i % 26) for i in range(130))
        data = text.encode()
        parser = HidPosReportParser()
        assert parser.feed(report(data[:56], more=True)) == []
        assert parser.feed(report(data[56:112], more=True)) == []
        assert parser.feed(report(data[112:])) == [(text, "]Q1")]

    def test_status_reports_between_codes_do_not_disturb(self) -> None:
        parser = HidPosReportParser()
        assert parser.feed(report(b"", report_id=0x04)) == []
        assert parser.feed(report(b"C128-01", aim=b"]C0")) == [("C128-01", "]C0")]

    def test_stream_of_reports_gives_codes_in_order(self) -> None:
        parser = HidPosReportParser()
        stream = [report(b"ONE"), report(b"TW", more=True), report(b"O"), report(b"THREE")]
        assert [text for r in stream for text, _ in parser.feed(r)] == ["ONE", "TWO", "THREE"]


class TestReportDescriptor:
    def test_finds_the_bar_code_scanner_usage_page(self) -> None:
        # Usage Page (0x8C), Usage (Bar Code Scanner), Collection (Application), ..., End Collection
        descriptor = bytes([0x05, 0x8C, 0x09, 0x02, 0xA1, 0x01, 0x85, 0x02, 0x75, 0x08, 0xC0])
        assert has_barcode_usage_page(descriptor)

    def test_two_byte_usage_page_form(self) -> None:
        assert has_barcode_usage_page(bytes([0x06, 0x8C, 0x00, 0x09, 0x02]))

    def test_a_keyboard_is_not_a_hid_pos_scanner(self) -> None:
        keyboard = bytes([0x05, 0x01, 0x09, 0x06, 0xA1, 0x01, 0x05, 0x07, 0x19, 0xE0, 0x29, 0xE7, 0xC0])
        assert not has_barcode_usage_page(keyboard)

    def test_usage_value_0x8c_is_not_mistaken_for_the_page(self) -> None:
        assert not has_barcode_usage_page(bytes([0x05, 0x01, 0x09, 0x8C]))


SCANNER_PATH = b"/dev/hidraw3"


class RecordedHidapi:
    """The hidapi module at the device's edge: a keyboard and a HID-POS scanner held by the HID driver,
    the scanner's input reports a recorded byte stream that ends when it is unplugged."""

    def __init__(self, stream: bytes, report_size: int = 64) -> None:
        self.reports = [stream[i:i + report_size] for i in range(0, len(stream), report_size)]
        self.opened: list[bytes] = []
        self.closed = False

    def enumerate(self, vendor_id: int = 0, product_id: int = 0) -> list[dict[str, object]]:
        common = {"vendor_id": 0x0C2E, "product_id": 0x0B87, "interface_number": 0,
                  "product_string": "Honeywell Xenon 1950g"}
        return [{**common, "path": b"/dev/hidraw2", "usage_page": 0x01, "usage": 0x06},  # its keyboard side
                {**common, "path": SCANNER_PATH, "usage_page": 0x8C, "usage": 0x02}]

    def device(self) -> RecordedHidapi:
        return self

    def open_path(self, path: bytes) -> None:
        if path != SCANNER_PATH:
            raise OSError("open failed")
        self.opened.append(path)

    def read(self, max_length: int, timeout_ms: int = 0) -> list[int]:
        if not self.reports:
            raise OSError("read error")  # what hidapi raises once the scanner is unplugged
        return list(self.reports.pop(0)[:max_length])

    def close(self) -> None:
        self.closed = True


class WithoutUdevRule(RecordedHidapi):
    """The same scanner on a Linux computer where no udev rule gives this user its hidraw node."""

    def open_path(self, path: bytes) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", path.decode())


class TestDriverHeldScanner:
    def test_it_is_listed_by_its_name_without_its_keyboard_side(self) -> None:
        [scanner] = find_hidpos_scanners(RecordedHidapi(b""))
        assert (scanner.vendor_id, scanner.product_id, scanner.name) == (0x0C2E, 0x0B87, "Honeywell Xenon 1950g")
        assert scanner.path == SCANNER_PATH

    def test_a_byte_stream_of_reports_gives_every_code_in_order_then_says_it_was_unplugged(self) -> None:
        long_code = "".join(chr(65 + i % 26) for i in range(130)).encode()
        stream = (report(b"", report_id=0x04) + report(b"7KQ2MXRT") + report(long_code[:56], more=True)
                  + report(long_code[56:112], more=True) + report(long_code[112:]) + report(b"C128-01", aim=b"]C0"))
        hidapi = RecordedHidapi(stream)
        scans: list[tuple[str, str]] = []
        stopped: list[ScannerError | None] = []
        done = threading.Event()

        def on_stopped(error: ScannerError | None) -> None:
            stopped.append(error)
            done.set()

        scanner = HidPosScanner(lambda scan: scans.append((scan.text, scan.symbology)), on_stopped=on_stopped,
                                hidapi=hidapi)
        scanner.start()
        assert done.wait(30), "the reader never reached the end of the stream"
        assert scans == [("7KQ2MXRT", "]Q1"), (long_code.decode(), "]Q1"), ("C128-01", "]C0")]
        assert hidapi.opened == [SCANNER_PATH] and hidapi.closed
        assert stopped[0] is not None and "stopped responding" in str(stopped[0])

    def test_a_scanner_the_user_may_not_open_is_named_in_the_error(self) -> None:
        with pytest.raises(ScannerError, match=r"Permission denied for scanner USB 0c2e:0b87"):
            open_hidpos(hidapi=WithoutUdevRule(b""))


class TestMissingDevice:
    def test_finding_scanners_with_none_connected_gives_an_empty_list(self) -> None:
        assert find_hidpos_scanners() == []

    def test_opening_without_a_scanner_is_a_scanner_error(self) -> None:
        with pytest.raises(ScannerError, match="No HID-POS barcode scanner"):
            open_hidpos()

    def test_opening_a_given_scanner_that_is_absent(self) -> None:
        with pytest.raises(ScannerError, match="0c2e:0b8f"):
            open_hidpos(0x0C2E, 0x0B8F)

    def test_scanner_start_raises_and_does_not_run(self) -> None:
        scanner = HidPosScanner(lambda scan: None, vendor_id=0x05E0, product_id=0x1200)
        with pytest.raises(ScannerError):
            scanner.start()
        assert not scanner.running


class TestDeviceErrors:
    @pytest.mark.parametrize(
        ("number", "words"),
        [(errno.EACCES, "Permission denied"), (errno.EBUSY, "busy"), (errno.ENOENT, "not found")],
    )
    def test_usb_errors_become_plain_words(self, number: int, words: str) -> None:
        error = usb.core.USBError("failed", error_code=None, errno=number)
        assert words in str(device_error("USB 0c2e:0b8f", error))

    def test_windows_style_serial_message_is_understood(self) -> None:
        error = OSError("could not open port 'COM3': PermissionError(13, 'Access is denied.')")
        assert "Permission denied" in str(device_error("COM3", error))
