# SPDX-License-Identifier: AGPL-3.0-or-later
"""Tests for scanning.camera: a video file of tickets stands in for the webcam."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from scanning.camera import Camera, CameraError, CameraScan, ScanPipeline, list_cameras
from scanning.decode import Code, Deduplicator, FrameDecoder
from tests.scanning.images import qr_image, ticket_frame

TICKETS = ["TICKET-AAA111", "TICKET-BBB222", "TICKET-CCC333"]


def write_ticket_video(path: Path, fourcc: str, frames_per_ticket: int = 6) -> Path:
    """Each ticket held in front of the camera for a few frames, with empty frames in between."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*fourcc), 30, (640, 480))
    assert writer.isOpened()
    blank = ticket_frame(np.full((4, 4), 170, np.uint8), (640, 480))
    for text in TICKETS:
        shown = ticket_frame(qr_image(text, box_size=5), (640, 480))
        for frame in [blank] * 3 + [shown] * frames_per_ticket:
            writer.write(frame)
    writer.write(blank)
    writer.release()
    return path


class Collector:
    def __init__(self) -> None:
        self.scans: list[CameraScan] = []
        self.stopped = threading.Event()
        self.stop_error: CameraError | None = None

    def on_scan(self, scan: CameraScan) -> None:
        self.scans.append(scan)

    def on_stopped(self, error: CameraError | None) -> None:
        self.stop_error = error
        self.stopped.set()


class TestCamera:
    @pytest.mark.parametrize("fourcc, suffix", [("MJPG", ".avi"), ("mp4v", ".mp4")])
    def test_video_file_delivers_each_ticket_once_with_timings(
        self, tmp_path: Path, fourcc: str, suffix: str
    ) -> None:
        video = write_ticket_video(tmp_path / f"door{suffix}", fourcc)
        got = Collector()
        camera = Camera(video, got.on_scan, on_stopped=got.on_stopped)
        camera.start()
        try:
            assert camera.wait_finished(timeout=20)
        finally:
            camera.stop()
        assert [scan.code.text for scan in got.scans] == TICKETS
        assert got.stopped.is_set() and got.stop_error is None
        for scan in got.scans:
            assert scan.captured_at <= scan.decoded_at
            assert 0 <= scan.latency_ms < 1000
        assert camera.resolution == (640, 480)

    def test_a_decoder_slower_than_the_camera_drops_frames_instead_of_falling_behind(self, tmp_path: Path) -> None:
        # 30 fps for about one second; each frame takes 0.1 s to decode: a queue would still be
        # decoding two seconds later, and its last verdicts would come from frames 2 s old.
        video = write_ticket_video(tmp_path / "busy.avi", "MJPG", frames_per_ticket=6)
        decode_seconds = 0.1

        class SlowDecoder(FrameDecoder):
            def decode(self, frame: np.ndarray, budget_seconds: float | None = None) -> list[Code]:
                time.sleep(decode_seconds)
                return super().decode(frame, budget_seconds)

        got = Collector()
        camera = Camera(video, got.on_scan, decoder=SlowDecoder(), on_stopped=got.on_stopped)
        started = time.monotonic()
        camera.start()
        try:
            assert got.stopped.wait(timeout=20)
            ended = time.monotonic()
            assert camera.pipeline.wait_idle(timeout=5)
            idle = time.monotonic()
        finally:
            camera.stop()
        frames = 3 * 9 + 1
        pipeline = camera.pipeline
        assert pipeline.decoded_frames + pipeline.dropped_frames == frames
        assert pipeline.dropped_frames >= frames // 2
        assert idle - ended < 3 * decode_seconds + 0.2  # at most the frame being decoded and the newest one waiting
        assert ended - started < frames / 30 + 1.0  # the file plays at its own pace, not the decoder's
        for scan in got.scans:
            assert scan.latency_ms < 1000 * (2 * decode_seconds + 0.3)

    def test_stop_is_prompt_and_idempotent(self, tmp_path: Path) -> None:
        video = write_ticket_video(tmp_path / "long.avi", "MJPG", frames_per_ticket=60)
        camera = Camera(video, lambda scan: None)
        camera.start()
        assert camera.running
        started = time.monotonic()
        camera.stop()
        camera.stop()
        assert not camera.running
        assert time.monotonic() - started < 2

    def test_a_camera_waits_for_the_preview_to_let_the_same_device_go(self, tmp_path: Path) -> None:
        # The door's set-up preview and then its scanning open the same webcam, which Windows and macOS
        # give to one at a time: Start must not fail because the preview is still letting it go.
        video = write_ticket_video(tmp_path / "door.avi", "MJPG", frames_per_ticket=60)  # plays ~6 s
        preview, scanning = Camera(video, lambda _scan: None), Camera(video, lambda _scan: None)
        opened = threading.Event()
        starting = threading.Thread(target=lambda: (scanning.start(), opened.set()))
        preview.start()
        starting.start()
        try:
            assert not opened.wait(0.5)  # the preview still holds it
            preview.stop()
            assert opened.wait(5) and scanning.running
        finally:
            preview.stop()
            scanning.stop()
            starting.join(5)

    def test_missing_video_file_is_a_camera_error(self, tmp_path: Path) -> None:
        with pytest.raises(CameraError, match="not found"):
            Camera(tmp_path / "nope.avi", lambda scan: None).start()

    def test_missing_camera_index_is_a_camera_error(self) -> None:
        with pytest.raises(CameraError, match="camera"):
            Camera(97, lambda scan: None).start()

    def test_list_cameras_is_quick_without_cameras(self) -> None:
        started = time.monotonic()
        cameras = list_cameras(max_index=6)
        assert time.monotonic() - started < 5
        assert all(camera.index < 6 for camera in cameras)


class TestScanPipeline:
    def test_drops_waiting_frames_instead_of_queueing_them(self) -> None:
        release = threading.Event()
        decoded: list[int] = []

        class SlowDecoder(FrameDecoder):
            def decode(self, frame: np.ndarray) -> list[Code]:
                release.wait(5)
                decoded.append(int(frame[0, 0]))
                return []

        pipeline = ScanPipeline(lambda scan: None, SlowDecoder())
        pipeline.start()
        try:
            for value in range(5):
                pipeline.submit(np.full((2, 2), value, np.uint8), time.monotonic())
            release.set()
            assert pipeline.wait_idle(5)
        finally:
            pipeline.stop()
        assert decoded[-1] == 4  # the newest frame is always decoded
        assert len(decoded) + pipeline.dropped_frames == 5
        assert pipeline.dropped_frames >= 1

    def test_callback_gets_code_and_both_timestamps(self) -> None:
        got = Collector()
        pipeline = ScanPipeline(got.on_scan, FrameDecoder(), Deduplicator())
        pipeline.start()
        try:
            captured = time.monotonic()
            pipeline.submit(ticket_frame(qr_image("PIPE-1", 5), (640, 480)), captured, index=7)
            assert pipeline.wait_idle(5)
        finally:
            pipeline.stop()
        [scan] = got.scans
        assert (scan.code.text, scan.captured_at, scan.frame_index) == ("PIPE-1", captured, 7)
        assert scan.decoded_at >= captured

    def test_a_failing_callback_does_not_stop_decoding(self) -> None:
        calls: list[str] = []

        def on_scan(scan: CameraScan) -> None:
            calls.append(scan.code.text)
            raise RuntimeError("handler bug")

        pipeline = ScanPipeline(on_scan, FrameDecoder(), Deduplicator())
        pipeline.start()
        try:
            for text in ("ONE-111", "TWO-222"):
                pipeline.submit(ticket_frame(qr_image(text, 5), (640, 480)), time.monotonic())
                assert pipeline.wait_idle(5)
        finally:
            pipeline.stop()
        assert calls == ["ONE-111", "TWO-222"]
