# SPDX-License-Identifier: AGPL-3.0-or-later
"""Webcam capture with OpenCV on a plain thread, decoding on a second thread that drops stale frames."""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from scanning.agreement import Agreement
from scanning.camera_controls import CameraControls, CameraSettings, apply_focus_and_exposure, read_controls
from scanning.decode import Code, Deduplicator, FrameDecoder
from scanning.errors import ScannerError, _

log = logging.getLogger(__name__)

#: A camera that fails this many grabs in a row is taken as unplugged.
_FAILED_GRABS_BEFORE_GIVING_UP = 30
# How long a camera waits for another Camera of this process to release the same device.
DEVICE_HANDOVER_SECONDS = 3.0
_DEVICES: dict[object, threading.Lock] = {}
_DEVICES_LOCK = threading.Lock()


def _hold_device(source: object) -> Callable[[], None]:
    """Wait until no other Camera of this process has `source` open (up to DEVICE_HANDOVER_SECONDS), and
    return what lets it go again. The door's set-up preview may still be releasing the webcam, on its
    own thread, when Start opens it for scanning: a webcam opens once at a time on Windows and macOS."""
    with _DEVICES_LOCK:
        device = _DEVICES.setdefault(str(source), threading.Lock())
    if not device.acquire(timeout=DEVICE_HANDOVER_SECONDS):
        return lambda: None  # still held: opening it anyway says plainly if the camera is busy
    return device.release


class CameraError(ScannerError):
    """The camera is missing, busy or stopped delivering pictures."""


@dataclass(frozen=True, slots=True)
class CameraScan:
    """A code seen by the camera, with the times (``time.monotonic`` seconds) to measure latency."""

    code: Code
    #: When the frame holding the code was grabbed from the camera.
    captured_at: float
    #: When decoding that frame finished, just before the callback ran.
    decoded_at: float
    frame_index: int

    @property
    def latency_ms(self) -> float:
        return 1000.0 * (self.decoded_at - self.captured_at)


ScanCallback = Callable[[CameraScan], None]
#: Every decoded frame's codes (empty too) and the frame's index: what a preview outlines.
DecodedCallback = Callable[[list[Code], int], None]
#: Every frame grabbed, as the camera gave it (BGR): what a preview shows.
FrameCallback = Callable[[np.ndarray, int], None]


class ScanPipeline:
    """Decodes frames on its own thread, always the newest: a frame waiting while the decoder is busy
    is replaced (and counted in ``dropped_frames``), so results never lag behind a growing queue.
    A code read on one scan line only waits for a second frame to agree (scanning.agreement).

    ``on_scan`` (a new code) and ``on_decoded`` (every frame's codes) run on the decoding thread: a
    Qt caller must hand the result to the main thread (signal or posted event) and never touch a
    widget from it.
    """

    def __init__(
        self,
        on_scan: ScanCallback,
        decoder: FrameDecoder | None = None,
        deduplicator: Deduplicator | None = None,
        on_decoded: DecodedCallback | None = None,
        agreement: Agreement | None = None,
    ) -> None:
        self._on_scan = on_scan
        self._on_decoded = on_decoded
        self.agreement = agreement if agreement is not None else Agreement()
        # A camera's frame has the next one 33 ms behind it: zbar, at 40-80 ms a pass on a large frame,
        # only runs within the frame's budget (measured on 360 hard frames: it ran on 10, all past the
        # budget, 80 ms each, and read 2).
        self._decoder = decoder or FrameDecoder(zbar_past_budget=False)
        self._deduplicator = deduplicator if deduplicator is not None else Deduplicator()
        self._changed = threading.Condition()
        self._waiting: tuple[np.ndarray, float, int] | None = None
        self._busy = False
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._next_index = 0
        self.decoded_frames = 0
        self.dropped_frames = 0

    def start(self) -> None:
        with self._changed:
            self._stopping = False
        self._thread = threading.Thread(target=self._run, name="scanning-decode", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Stops after the frame being decoded; a frame still waiting is dropped."""
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        self._thread = None

    def submit(self, frame: np.ndarray, captured_at: float, index: int | None = None) -> None:
        """Hands over a frame (never blocks); ``captured_at`` is its ``time.monotonic()`` grab time."""
        if index is None:
            index = self._next_index
        self._next_index = index + 1
        with self._changed:
            if self._waiting is not None:
                self.dropped_frames += 1
            self._waiting = (frame, captured_at, index)
            self._changed.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """True once every submitted frame is decoded or dropped (tests and file playback)."""
        with self._changed:
            return self._changed.wait_for(lambda: self._waiting is None and not self._busy, timeout)

    def _run(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._waiting is not None or self._stopping)
                if self._stopping:
                    return
                assert self._waiting is not None
                (frame, captured_at, index), self._waiting = self._waiting, None
                self._busy = True
            try:
                self._decode(frame, captured_at, index)
            except Exception:  # a bad frame or callback must not kill the door's camera
                log.exception("decoding frame %d failed", index)
            finally:
                with self._changed:
                    self._busy = False
                    self.decoded_frames += 1
                    self._changed.notify_all()

    def _decode(self, frame: np.ndarray, captured_at: float, index: int) -> None:
        codes = self._decoder.decode(frame)
        decoded_at = time.monotonic()
        if self._on_decoded is not None:
            self._on_decoded(codes, index)
        for code in self._deduplicator.filter(self.agreement.filter(codes, decoded_at), decoded_at):
            self._on_scan(CameraScan(code, captured_at, decoded_at, index))


@dataclass(frozen=True, slots=True)
class CameraInfo:
    """A camera the user can choose: its OpenCV index and, where the system says it, its name."""

    index: int
    name: str


def _linux_camera_name(index: int) -> str | None:
    """The V4L2 device name, or None when /dev/videoN does not exist (no need to try opening it)."""
    if not Path(f"/dev/video{index}").exists():
        return None
    name_file = Path(f"/sys/class/video4linux/video{index}/name")
    try:
        return name_file.read_text(encoding="utf-8").strip()
    except OSError:
        return f"/dev/video{index}"


def _can_open(index: int) -> bool:
    capture = cv2.VideoCapture(index)
    try:
        return bool(capture.isOpened())
    finally:
        capture.release()


def list_cameras(max_index: int = 6) -> list[CameraInfo]:
    """Cameras at indexes 0..max_index-1 that open. On Linux, absent /dev/videoN are skipped unopened,
    which keeps the probe quick; elsewhere each index is opened once (about 0.1-1 s each on Windows).
    """
    previous = cv2.utils.logging.getLogLevel()
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)  # probing misses are not errors
    try:
        found = []
        for index in range(max_index):
            name = _linux_camera_name(index) if sys.platform.startswith("linux") else _("Camera {n}").format(
                n=index + 1
            )
            if name is not None and _can_open(index):
                found.append(CameraInfo(index, name))
        return found
    finally:
        cv2.utils.logging.setLogLevel(previous)


def open_capture(source: int | str | Path, settings: CameraSettings | None = None, name: str = "") -> Any:
    """An opened cv2.VideoCapture for a camera index or a video file; CameraError in plain words, naming
    the camera by ``name`` (the name people know it by) when given."""
    missing = _("Camera {source} cannot be opened: it is missing or another program is using it.")
    if isinstance(source, int):
        if sys.platform.startswith("linux") and _linux_camera_name(source) is None:
            if name:
                raise CameraError(missing.format(source=name))
            raise CameraError(_("No camera number {n} is connected.").format(n=source))
        capture = cv2.VideoCapture(source)
    else:
        if not Path(source).is_file():
            raise CameraError(_("Video file not found: {file}").format(file=source))
        capture = cv2.VideoCapture(str(source))
    if not capture.isOpened():
        capture.release()
        raise CameraError(missing.format(source=name or source))
    settings = settings or CameraSettings()
    if settings.resolution is not None:
        capture.set(cv2.CAP_PROP_FRAME_WIDTH, settings.resolution[0])
        capture.set(cv2.CAP_PROP_FRAME_HEIGHT, settings.resolution[1])
    if isinstance(source, int):
        apply_focus_and_exposure(capture, settings, None)
    # A one-frame driver buffer: otherwise V4L2/DirectShow hand us pictures several frames old.
    capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)
    return capture


class Camera:
    """A camera (OpenCV index) or a video file standing in for one, grabbed on its own thread and
    decoded by a ScanPipeline. ``start`` opens the device and may block ~1 s: call it off the Qt thread.

    ``on_scan``, ``on_decoded``, ``on_frame`` and ``on_stopped`` run on background threads (see
    ScanPipeline). ``on_stopped`` gets None at the end of a video file, or the CameraError when a
    camera stops delivering pictures. ``on_frame`` gets every frame grabbed and must return at once.
    """

    def __init__(
        self,
        source: int | str | Path,
        on_scan: ScanCallback,
        *,
        settings: CameraSettings | None = None,
        decoder: FrameDecoder | None = None,
        deduplicator: Deduplicator | None = None,
        on_stopped: Callable[[CameraError | None], None] | None = None,
        on_decoded: DecodedCallback | None = None,
        on_frame: FrameCallback | None = None,
        name: str = "",
    ) -> None:
        self.source = source
        #: What the door staff call the camera ("Logitech C920"): its problems are said with it.
        self.name = name
        self.settings = settings or CameraSettings()
        self.pipeline = ScanPipeline(on_scan, decoder, deduplicator, on_decoded)
        self._on_stopped = on_stopped
        self._on_frame = on_frame
        self._capture: Any = None
        self._let_go: Callable[[], None] = lambda: None  # the device's hold, once it runs
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        #: Guards the settings handed over by ``adjust`` and the start/stop hand-over.
        self._adjust_lock = threading.Lock()
        self._adjusted: CameraSettings | None = None
        self.resolution: tuple[int, int] = (0, 0)
        #: What the opened camera offers (focus and exposure None for a video file); set by ``start``.
        self.controls: CameraControls | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Opens the camera and checks it delivers a picture; raises CameraError if missing or busy.

        A Camera runs once: stopped (even while ``start`` is still opening it), it stays stopped.
        """
        if self._thread is not None or self._stop.is_set():
            return
        let_go = _hold_device(self.source)
        try:
            capture = open_capture(self.source, self.settings, self.name)
        except BaseException:
            let_go()
            raise
        if not capture.grab():  # an open but busy camera fails here, not at isOpened()
            capture.release()
            let_go()
            message = _("Camera {source} gives no picture: another program may be using it.")
            raise CameraError(message.format(source=self.name or self.source))
        first_at = time.monotonic()
        controls = read_controls(capture)
        self.resolution = controls.resolution
        self.controls = controls if isinstance(self.source, int) else CameraControls(controls.resolution, None, None)
        with self._adjust_lock:
            if self._stop.is_set():  # stopped while it was opening: the door moved on
                capture.release()
                let_go()
                return
            self._capture, self._let_go = capture, let_go
            self.pipeline.start()
            self._thread = threading.Thread(
                target=self._run, args=(first_at,), name="scanning-camera", daemon=True
            )
            self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Stops grabbing and decoding and releases the device; safe to call twice, and while ``start``
        is still opening it (on another thread)."""
        with self._adjust_lock:
            self._stop.set()
            thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        self.pipeline.stop(timeout)

    def adjust(self, settings: CameraSettings) -> None:
        """New focus and exposure, set on the grabbing thread before its next frame (any thread may
        call this; a new resolution needs the camera opened again)."""
        with self._adjust_lock:
            self._adjusted = settings

    def _apply_adjustment(self, capture: Any) -> None:
        with self._adjust_lock:
            adjusted, self._adjusted = self._adjusted, None
        if adjusted is not None and isinstance(self.source, int):
            apply_focus_and_exposure(capture, adjusted, self.settings)
        if adjusted is not None:
            self.settings = adjusted

    def wait_finished(self, timeout: float) -> bool:
        """For a video file: True once it has played to the end and its last frame is decoded."""
        deadline = time.monotonic() + timeout
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                return False
        return self.pipeline.wait_idle(max(0.0, deadline - time.monotonic()))

    def __enter__(self) -> Camera:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _run(self, first_at: float) -> None:
        capture, error = self._capture, None
        try:
            error = self._grab_frames(capture, first_at)
        finally:
            capture.release()
            self._capture = None
            self._let_go()
        if self._on_stopped is not None and not self._stop.is_set():
            self._on_stopped(error)

    def _grab_frames(self, capture: Any, first_at: float) -> CameraError | None:
        is_file = not isinstance(self.source, int)
        # A file plays at its own frame rate, as a camera would deliver it, so frames drop realistically.
        period = 1.0 / (capture.get(cv2.CAP_PROP_FPS) or 30.0) if is_file else 0.0
        index, captured_at, failures = 0, first_at, 0
        while not self._stop.is_set():
            ok, frame = capture.retrieve()
            if ok:
                self.pipeline.submit(frame, captured_at, index)
                if self._on_frame is not None:
                    self._on_frame(frame, index)
                index += 1
            self._apply_adjustment(capture)
            if is_file and self._stop.wait(max(0.0, first_at + index * period - time.monotonic())):
                return None
            ok = capture.grab()
            captured_at = time.monotonic()
            if ok:
                failures = 0
                continue
            if is_file:
                return None
            failures += 1
            if failures >= _FAILED_GRABS_BEFORE_GIVING_UP:
                return CameraError(_("Camera {source} stopped sending pictures: is it unplugged?").format(
                    source=self.name or self.source))
        return None
