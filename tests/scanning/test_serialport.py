# SPDX-License-Identifier: AGPL-3.0-or-later
"""Tests for scanning.serialport: line parsing from byte streams, errors, a pseudo-terminal scanner."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from scanning.errors import ScannerError
from scanning.reader import DeviceScan
from scanning.serialport import SerialLineParser, SerialScanner, list_serial_ports, open_serial_port


class TestSerialLineParser:
    def test_splits_codes_on_cr_lf_and_crlf(self) -> None:
        assert SerialLineParser().feed(b"AAA1\rBBB2\nCCC3\r\n") == ["AAA1", "BBB2", "CCC3"]

    def test_keeps_a_partial_code_until_its_terminator_arrives(self) -> None:
        parser = SerialLineParser()
        assert parser.feed(b"TICK") == []
        assert parser.feed(b"ET-9\r") == ["TICKET-9"]

    def test_crlf_split_across_chunks_gives_no_empty_code(self) -> None:
        parser = SerialLineParser()
        assert parser.feed(b"ONE\r") == ["ONE"]
        assert parser.feed(b"\nTWO\r\n") == ["TWO"]

    def test_custom_terminator(self) -> None:
        parser = SerialLineParser(terminator=b"\x03")
        assert parser.feed(b"\x02ABC\x03\x02DEF") == ["ABC"]
        assert parser.feed(b"\x03") == ["DEF"]

    def test_strips_stx_etx_framing_and_spaces(self) -> None:
        assert SerialLineParser().feed(b"\x02 CODE42 \x03\r\n") == ["CODE42"]

    def test_drops_an_endless_line_of_noise(self) -> None:
        parser = SerialLineParser(max_length=16)
        assert parser.feed(b"x" * 40) == []
        assert parser.feed(b"OK12\r") == ["OK12"]

    def test_bad_bytes_do_not_raise(self) -> None:
        assert SerialLineParser().feed(b"AB\xffCD\r") == ["AB\ufffdCD"]

    def test_utf8_split_inside_a_character(self) -> None:
        parser = SerialLineParser()
        data = "Zoé-7\r".encode()
        assert parser.feed(data[:3]) == []
        assert parser.feed(data[3:]) == ["Zoé-7"]

    def test_empty_terminator_is_refused(self) -> None:
        with pytest.raises(ValueError):
            SerialLineParser(terminator=b"")


class TestOpenSerialPort:
    def test_missing_port_is_a_scanner_error_in_plain_words(self, tmp_path: Path) -> None:
        with pytest.raises(ScannerError, match="Scanner not found"):
            open_serial_port(str(tmp_path / "ttyUSB9"))

    def test_scanner_start_on_a_missing_port_raises(self, tmp_path: Path) -> None:
        scanner = SerialScanner(str(tmp_path / "ttyACM7"), lambda scan: None)
        with pytest.raises(ScannerError):
            scanner.start()
        assert not scanner.running

    def test_listing_ports_works_without_any(self) -> None:
        assert isinstance(list_serial_ports(), list)


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
class TestSerialScanner:
    def test_reads_codes_written_to_a_pseudo_terminal(self) -> None:
        controller, device = os.openpty()
        got: list[DeviceScan] = []
        two_codes = threading.Event()

        def on_scan(scan: DeviceScan) -> None:
            got.append(scan)
            if len(got) == 2:
                two_codes.set()

        scanner = SerialScanner(os.ttyname(device), on_scan, baudrate=115200)
        scanner.start()
        try:
            os.write(controller, b"TICKET-A1\r\nTICK")
            os.write(controller, b"ET-B2\r\n")
            assert two_codes.wait(5)
        finally:
            scanner.stop()
            os.close(controller)
            os.close(device)
        assert [scan.text for scan in got] == ["TICKET-A1", "TICKET-B2"]
