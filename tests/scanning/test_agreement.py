# SPDX-License-Identifier: AGPL-3.0-or-later
"""Tests for scanning.agreement: a read one scan line made waits for a second frame; a strong read never waits."""

from __future__ import annotations

import time

from scanning.agreement import Agreement
from scanning.camera import CameraScan, ScanPipeline
from scanning.decode import Code, FrameDecoder
from tests.scanning.images import qr_image, ticket_frame

QR = Code("QR_CODE", "TICKET-QR-1", ((0, 0), (9, 0), (9, 9), (0, 9)))
ONE_LINE = Code("CODE_128", "T128-4711", ((0, 0), (90, 0), (90, 2), (0, 2)), unconfirmed=True)
TWO_LINES = Code("CODE_128", "T128-4711", ((0, 0), (90, 0), (90, 30), (0, 30)))


class TestAgreement:
    def test_a_qr_read_passes_from_the_first_frame(self) -> None:
        assert Agreement().filter([QR], now=10.0) == [QR]

    def test_a_one_line_read_waits_for_a_second_frame_that_reads_the_same(self) -> None:
        agreement = Agreement()
        assert agreement.filter([ONE_LINE], now=10.0) == []
        assert agreement.filter([], now=10.03) == []
        assert agreement.filter([ONE_LINE], now=10.07) == [ONE_LINE]
        assert (agreement.held, agreement.agreed) == (1, 1)

    def test_a_one_line_read_in_a_single_frame_is_never_taken(self) -> None:
        agreement = Agreement()
        passed = [agreement.filter([ONE_LINE] if index == 3 else [], now=10.0 + index / 30) for index in range(60)]
        assert passed == [[]] * 60

    def test_a_second_read_too_long_after_the_first_waits_again(self) -> None:
        agreement = Agreement(agree_seconds=1.0)
        agreement.filter([ONE_LINE], now=10.0)
        assert agreement.filter([ONE_LINE], now=11.5) == []
        assert agreement.filter([ONE_LINE], now=11.6) == [ONE_LINE]

    def test_a_code_two_lines_read_before_vouches_for_a_one_line_read_of_it(self) -> None:
        agreement = Agreement()
        assert agreement.filter([TWO_LINES], now=10.0) == [TWO_LINES]
        assert agreement.filter([ONE_LINE], now=10.1) == [ONE_LINE]

    def test_another_code_does_not_vouch_for_a_one_line_read(self) -> None:
        agreement = Agreement()
        other = Code("CODE_128", "T128-4717", unconfirmed=True)
        agreement.filter([other], now=10.0)
        assert agreement.filter([ONE_LINE], now=10.05) == []

    def test_a_strong_read_in_the_same_frame_as_a_one_line_read_is_not_held_back_with_it(self) -> None:
        assert Agreement().filter([ONE_LINE, QR], now=10.0) == [QR]


class TestPipelineAgreement:
    def test_a_qr_ticket_is_scanned_from_the_first_frame_that_holds_it(self) -> None:
        scans: list[CameraScan] = []
        pipeline = ScanPipeline(scans.append, FrameDecoder())
        pipeline.start()
        try:
            pipeline.submit(ticket_frame(qr_image("FIRST-FRAME-1", 5), (640, 480)), time.monotonic(), index=0)
            assert pipeline.wait_idle(5)
        finally:
            pipeline.stop()
        assert [(scan.code.text, scan.frame_index) for scan in scans] == [("FIRST-FRAME-1", 0)]
        assert pipeline.agreement.held == 0
