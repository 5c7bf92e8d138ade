# SPDX-License-Identifier: AGPL-3.0-or-later
"""Tests for scanning.decode: generated tickets under camera conditions, files, de-duplication."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest

from scanning.decode import (
    Code,
    Deduplicator,
    FrameDecoder,
    ScanInputError,
    decode_file,
    decode_frame,
    format_name,
    iter_video_codes,
    read_image,
)
from tests.scanning.images import (
    blurred,
    code128_image,
    in_low_light,
    in_perspective,
    inverted,
    qr_image,
    rotated,
    ticket_frame,
)

SECRET = "7KQ2MXRTB4ZD9WHNCP3FJ6VLSE"
Distortion = Callable[[np.ndarray], np.ndarray]


@pytest.fixture
def qr_frame() -> np.ndarray:
    return ticket_frame(qr_image(SECRET, box_size=5))


@pytest.fixture
def code128_frame() -> np.ndarray:
    return ticket_frame(code128_image("T00042ABC", scale=3))


def texts(codes: list[Code]) -> list[str]:
    return [code.text for code in codes]


class TestFrameDecoder:
    def test_reads_a_qr_ticket_with_format_and_corners(self, qr_frame: np.ndarray) -> None:
        [code] = FrameDecoder().decode(qr_frame)
        assert (code.format, code.text, code.engine) == ("QR_CODE", SECRET, "zxing")
        assert len(code.corners) == 4
        xs = [x for x, _ in code.corners]
        assert 0 < min(xs) < max(xs) < qr_frame.shape[1]

    def test_reads_a_code128_ticket(self, code128_frame: np.ndarray) -> None:
        [code] = FrameDecoder().decode(code128_frame)
        assert (code.format, code.text) == ("CODE_128", "T00042ABC")

    def test_reads_grayscale_and_bgra_frames(self, qr_frame: np.ndarray) -> None:
        decoder = FrameDecoder()
        assert texts(decoder.decode(cv2.cvtColor(qr_frame, cv2.COLOR_BGR2GRAY))) == [SECRET]
        assert texts(decoder.decode(cv2.cvtColor(qr_frame, cv2.COLOR_BGR2BGRA))) == [SECRET]

    @pytest.mark.parametrize(
        "distort",
        [
            pytest.param(lambda f: inverted(f), id="inverted phone screen"),
            pytest.param(lambda f: rotated(f, 33), id="rotated 33 degrees"),
            pytest.param(lambda f: rotated(f, 90), id="rotated 90 degrees"),
            pytest.param(lambda f: blurred(f, 5), id="blurred"),
            pytest.param(lambda f: in_perspective(f, 0.2), id="perspective"),
            pytest.param(lambda f: in_low_light(f, 0.15), id="low light"),
        ],
    )
    def test_reads_qr_under_camera_conditions(self, qr_frame: np.ndarray, distort: Distortion) -> None:
        assert texts(FrameDecoder().decode(distort(qr_frame))) == [SECRET]

    @pytest.mark.parametrize(
        "distort",
        [
            pytest.param(lambda f: inverted(f), id="inverted phone screen"),
            pytest.param(lambda f: rotated(f, 5), id="tilted"),
            pytest.param(lambda f: rotated(f, 90), id="rotated 90 degrees"),
            pytest.param(lambda f: blurred(f, 3), id="blurred"),
            pytest.param(lambda f: in_low_light(f, 0.2), id="low light"),
        ],
    )
    def test_reads_code128_under_camera_conditions(
        self, code128_frame: np.ndarray, distort: Distortion
    ) -> None:
        assert texts(FrameDecoder().decode(distort(code128_frame))) == ["T00042ABC"]

    def test_inverted_code128_is_read_by_zxing_without_zbar(self, code128_frame: np.ndarray) -> None:
        [code] = FrameDecoder(second_engine="never").decode(inverted(code128_frame))
        assert code.engine == "zxing"

    def test_ignores_formats_the_venue_does_not_use(self, code128_frame: np.ndarray) -> None:
        assert FrameDecoder(["QR_CODE"], second_engine="always").decode(code128_frame) == []

    def test_finds_nothing_in_an_empty_frame(self) -> None:
        assert FrameDecoder(second_engine="always").decode(ticket_frame(np.full((4, 4), 170, np.uint8))) == []

    def test_second_engine_reads_what_zxing_is_not_asked_to(self, qr_frame: np.ndarray) -> None:
        class ZxingBlind(FrameDecoder):
            def _decode_zxing(self, *args: object) -> tuple[list[Code], bool]:
                return [], True

        # Without the second look, which reads a clean QR code with zxing-cpp before zbar gets it.
        [code] = ZxingBlind(second_look=False).decode(qr_frame)
        assert (code.engine, code.format, code.text) == ("zbar", "QR_CODE", SECRET)

    def test_zbar_waits_for_the_next_frame_once_a_cameras_frame_budget_is_spent(self, qr_frame: np.ndarray) -> None:
        class ZxingBlind(FrameDecoder):
            def _decode_zxing(self, *args: object) -> tuple[list[Code], bool]:
                return [], True

        # No time at all for the frame: a camera's decoder leaves zbar to the next frame, a file's runs it.
        camera = ZxingBlind(second_look=False, budget_seconds=0.0, zbar_past_budget=False)
        assert camera.decode(qr_frame) == []
        assert texts(ZxingBlind(second_look=False, budget_seconds=0.0).decode(qr_frame)) == [SECRET]

    def test_reads_two_tickets_in_one_frame(self) -> None:
        frame = ticket_frame(qr_image("FIRST-TICKET", box_size=5), at=(100, 100))
        frame[100:400, 800:1100] = ticket_frame(qr_image("SECOND-TICKET", box_size=5), (300, 300))
        assert sorted(texts(FrameDecoder().decode(frame))) == ["FIRST-TICKET", "SECOND-TICKET"]

    def test_rejects_unknown_formats(self) -> None:
        with pytest.raises(ValueError, match="NOT_A_FORMAT"):
            FrameDecoder(["QR_CODE", "NOT_A_FORMAT"])

    def test_decode_frame_uses_default_formats(self, qr_frame: np.ndarray) -> None:
        assert texts(decode_frame(qr_frame)) == [SECRET]


class TestFormatName:
    @pytest.mark.parametrize(
        ("zxing", "ours"),
        [("QRCode", "QR_CODE"), ("Code128", "CODE_128"), ("EAN13", "EAN_13"), ("DataMatrix", "DATA_MATRIX")],
    )
    def test_uses_the_cli_json_names(self, zxing: str, ours: str) -> None:
        assert format_name(zxing) == ours


class TestDeduplicator:
    def make(self, hold: float = 2.0) -> tuple[Deduplicator, list[float]]:
        now = [100.0]
        return Deduplicator(hold, clock=lambda: now[0]), now

    def test_lets_a_code_through_once_while_it_stays_in_view(self) -> None:
        dedup, now = self.make()
        code = Code("QR_CODE", SECRET)
        seen = []
        for _ in range(60):  # two seconds of frames at 30 fps
            seen += dedup.filter([code])
            now[0] += 1 / 30
        assert seen == [code]

    def test_lets_a_code_through_again_after_the_hold_time_out_of_view(self) -> None:
        dedup, now = self.make(hold=2.0)
        code = Code("QR_CODE", SECRET)
        assert dedup.filter([code]) == [code]
        now[0] += 2.5
        assert dedup.filter([code]) == [code]

    def test_does_not_hold_back_a_different_code(self) -> None:
        dedup, _ = self.make()
        first, second = Code("QR_CODE", "A"), Code("QR_CODE", "B")
        assert dedup.filter([first]) == [first]
        assert dedup.filter([first, second]) == [second]

    def test_clear_forgets_codes(self) -> None:
        dedup, _ = self.make()
        code = Code("QR_CODE", SECRET)
        dedup.filter([code])
        dedup.clear()
        assert dedup.filter([code]) == [code]


class TestDecodeFile:
    def test_reads_a_png_and_serialises_as_the_cli_prints(self, tmp_path: Path) -> None:
        path = tmp_path / "ticket.png"
        cv2.imwrite(str(path), qr_image(SECRET))
        [result] = decode_file(path)
        assert json.loads(json.dumps(result.to_json())) == {
            "file": str(path), "codes": [{"format": "QR_CODE", "text": SECRET}]
        }

    def test_reads_a_jpeg_with_no_code_as_an_empty_result(self, tmp_path: Path) -> None:
        path = tmp_path / "blank.jpg"
        cv2.imwrite(str(path), np.full((200, 200, 3), 255, np.uint8))
        assert [r.codes for r in decode_file(path)] == [[]]

    def test_puts_transparent_pngs_on_white(self, tmp_path: Path) -> None:
        modules = qr_image(SECRET)
        rgba = np.zeros((*modules.shape, 4), np.uint8)
        rgba[:, :, 3] = 255 - modules  # black modules opaque, background fully transparent (and black)
        path = tmp_path / "transparent.png"
        cv2.imwrite(str(path), rgba)
        assert texts(FrameDecoder().decode(read_image(path))) == [SECRET]

    def test_reads_each_frame_of_a_video_with_its_index(self, tmp_path: Path) -> None:
        path = tmp_path / "clip.avi"
        writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 10, (640, 480))
        blank = ticket_frame(np.full((4, 4), 170, np.uint8), (640, 480))
        for frame in [blank, ticket_frame(qr_image("VIDEO-1", 5), (640, 480)), blank]:
            writer.write(frame)
        writer.release()
        assert [(i, texts(c)) for i, c in iter_video_codes(path)] == [(0, []), (1, ["VIDEO-1"]), (2, [])]
        assert [r.to_json() for r in decode_file(path)] == [
            {"file": str(path), "frame": 1, "codes": [{"format": "QR_CODE", "text": "VIDEO-1"}]}
        ]

    def test_missing_file_raises_at_the_call(self, tmp_path: Path) -> None:
        with pytest.raises(ScanInputError, match="File not found"):
            decode_file(tmp_path / "nope.png")

    def test_text_file_is_not_an_image(self, tmp_path: Path) -> None:
        path = tmp_path / "notes.png"
        path.write_text("not a picture")
        with pytest.raises(ScanInputError, match="Not an image"):
            decode_file(path)

    def test_directory_is_not_a_file(self, tmp_path: Path) -> None:
        with pytest.raises(ScanInputError, match="Not a file"):
            decode_file(tmp_path)

    def test_broken_video_is_reported(self, tmp_path: Path) -> None:
        path = tmp_path / "broken.mp4"
        path.write_bytes(b"\0" * 64)
        with pytest.raises(ScanInputError, match="video"):
            decode_file(path)
