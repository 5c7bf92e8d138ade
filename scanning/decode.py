# SPDX-License-Identifier: AGPL-3.0-or-later
"""Frames, images and video files to barcodes: zxing-cpp first, zbar on misses; no Qt, no verdicts."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import cv2
import numpy as np
import zxingcpp
from pyzbar import pyzbar

from scanning.errors import ScannerError, _
from scanning.second_look import SecondLook

#: What the venue prints: QR codes on tickets and passes, Code 128 on older thermal tickets.
DEFAULT_FORMATS: tuple[str, ...] = ("QR_CODE", "CODE_128")

#: Our format names (those of the CLI's JSON) to zxing-cpp's enum names.
_ZXING_NAMES: dict[str, str] = {
    "QR_CODE": "QRCode", "MICRO_QR_CODE": "MicroQRCode", "RM_QR_CODE": "RMQRCode",
    "CODE_128": "Code128", "CODE_39": "Code39", "CODE_93": "Code93", "CODABAR": "Codabar",
    "EAN_13": "EAN13", "EAN_8": "EAN8", "UPC_A": "UPCA", "UPC_E": "UPCE", "ITF": "ITF",
    "DATA_MATRIX": "DataMatrix", "AZTEC": "Aztec", "PDF_417": "PDF417", "MAXICODE": "MaxiCode",
    "DATABAR": "DataBar", "DATABAR_EXPANDED": "DataBarExp", "DATABAR_LIMITED": "DataBarLtd",
}
_FROM_ZXING: dict[str, str] = {zx: ours for ours, zx in _ZXING_NAMES.items()}

#: Our format names to zbar's symbol names (zbar reads fewer formats than zxing-cpp).
_ZBAR_NAMES: dict[str, str] = {
    "QR_CODE": "QRCODE", "CODE_128": "CODE128", "CODE_39": "CODE39", "CODE_93": "CODE93",
    "CODABAR": "CODABAR", "EAN_13": "EAN13", "EAN_8": "EAN8", "UPC_A": "UPCA", "UPC_E": "UPCE",
    "ITF": "I25", "PDF_417": "PDF417", "DATABAR": "DATABAR", "DATABAR_EXPANDED": "DATABAR_EXP",
}
_FROM_ZBAR: dict[str, str] = {zb: ours for ours, zb in _ZBAR_NAMES.items()}

_LINEAR = frozenset({
    "CODE_128", "CODE_39", "CODE_93", "CODABAR", "EAN_13", "EAN_8", "UPC_A", "UPC_E", "ITF",
    "DATABAR", "DATABAR_EXPANDED", "DATABAR_LIMITED",
})

_VIDEO_SUFFIXES = frozenset({".mp4", ".avi", ".mov", ".mkv", ".webm", ".m4v", ".mpg", ".mpeg", ".wmv"})

Point = tuple[int, int]


class ScanInputError(ScannerError):
    """An image or video file is missing, unreadable or not a picture."""


@dataclass(frozen=True, slots=True)
class Code:
    """One barcode found in a frame: its format (``QR_CODE``, ``CODE_128``...), text and corners."""

    format: str
    text: str
    #: Corner points in image pixels, clockwise from the symbol's top left (zbar: its polygon).
    corners: tuple[Point, ...] = ()
    #: Which engine read it: "zxing" or "zbar".
    engine: str = "zxing"
    #: Read on one scan line only, with nothing but a 1-D checksum to vouch for it: the camera's
    #: pipeline waits for another frame to read the same before it is taken (scanning.agreement).
    unconfirmed: bool = False

    def to_json(self) -> dict[str, str]:
        return {"format": self.format, "text": self.text}


@dataclass(frozen=True, slots=True)
class FileResult:
    """The codes of one image, or of one frame of a video (``frame`` is then its index)."""

    file: str
    codes: list[Code] = field(default_factory=list)
    frame: int | None = None

    def to_json(self) -> dict[str, Any]:
        result: dict[str, Any] = {"file": self.file}
        if self.frame is not None:
            result["frame"] = self.frame
        result["codes"] = [code.to_json() for code in self.codes]
        return result


def format_name(zxing_name: str) -> str:
    """Our name for a zxing-cpp format name: ``QRCode`` -> ``QR_CODE``, ``Code128`` -> ``CODE_128``."""
    if zxing_name in _FROM_ZXING:
        return _FROM_ZXING[zxing_name]
    return re.sub(r"(?<=[a-z])(?=[A-Z0-9])|(?<=[A-Z])(?=[A-Z][a-z])", "_", zxing_name).upper()


def _zxing_formats(names: Iterable[str]) -> zxingcpp.BarcodeFormats:
    return zxingcpp.BarcodeFormats([getattr(zxingcpp.BarcodeFormat, _ZXING_NAMES[n]) for n in names])


def _as_gray(frame: np.ndarray) -> np.ndarray:
    """A contiguous 8-bit grayscale view or copy of ``frame``; both engines work on luminance."""
    if frame.ndim == 3 and frame.shape[2] == 1:
        frame = frame[:, :, 0]
    elif frame.ndim == 3:
        code = cv2.COLOR_BGRA2GRAY if frame.shape[2] == 4 else cv2.COLOR_BGR2GRAY
        # Converting once here is cheaper than letting zxing convert BGR (measured ~1 ms at 720p).
        return cv2.cvtColor(frame, code)
    if frame.dtype != np.uint8:
        raise ScanInputError(_("Frames must be 8-bit images."))
    return np.ascontiguousarray(frame)


SecondEngine = Literal["unread", "always", "never"]


class FrameDecoder:
    """Decodes frames with zxing-cpp restricted to ``formats``; zbar only when zxing reads nothing.

    ``second_engine`` says when zbar runs after a zxing miss: "unread" (default) when zxing saw a
    symbol it could not read, "always", or "never". Measured: zbar on an empty 720p frame costs
    ~60 ms against ~6 ms for zxing, and a camera sees mostly empty frames; every frame zbar rescued
    in the benchmark was one where zxing had reported an unreadable symbol.

    Thread rule: use one decoder per thread; ``decode`` never touches the disk or the UI.
    """

    def __init__(
        self,
        formats: Iterable[str] = DEFAULT_FORMATS,
        *,
        second_engine: SecondEngine = "unread",
        try_invert: bool = True,
        second_look: bool = True,
        budget_seconds: float = 0.05,
        zbar_past_budget: bool = True,
    ) -> None:
        self.formats = tuple(name.upper() for name in formats)
        unknown = [name for name in self.formats if name not in _ZXING_NAMES]
        if unknown or not self.formats:
            raise ValueError(f"unknown barcode formats: {unknown or 'none given'}")
        self._zxing_formats = _zxing_formats(self.formats)
        self._zbar_symbols = [
            getattr(pyzbar.ZBarSymbol, _ZBAR_NAMES[n]) for n in self.formats if n in _ZBAR_NAMES
        ]
        self.second_engine: SecondEngine = second_engine if self._zbar_symbols else "never"
        self.try_invert = try_invert
        # zxing-cpp's try_invert covers matrix codes only (measured: an inverted Code 128 is missed),
        # so linear formats get one more zxing pass on the inverted picture before zbar's slower one.
        linear = [name for name in self.formats if name in _LINEAR]
        self._inverted_formats = _zxing_formats(linear) if try_invert and linear else None
        #: Seconds a frame may take in all (the second look stops when they are spent).
        self.budget_seconds = budget_seconds
        #: Whether zbar still runs once the budget is spent (40-80 ms a pass at 1080p): yes for a file or a
        #: picture, which has no next frame; no for a camera, where the next frame is 33 ms away.
        self.zbar_past_budget = zbar_past_budget
        self._second_look = SecondLook(
            self._zxing_formats, _zxing_formats(linear) if linear else None) if second_look else None

    def decode(self, frame: np.ndarray, budget_seconds: float | None = None) -> list[Code]:
        """All codes in ``frame`` (BGR, BGRA or grayscale numpy array), each text once.

        When the whole-frame passes read nothing (or two codes or more), places that look like a code
        get a second look (scanning.second_look) until ``budget_seconds`` (default: the decoder's)
        have passed since the call; a frame with one code read is never slowed by it. zbar comes
        last, on frames still without a code.
        """
        started = time.perf_counter()
        gray = _as_gray(frame)
        # One call: zxing-cpp tries rotations, downscales and (for phone screens) the inverted image.
        codes, unread = self._decode_zxing(gray, self._zxing_formats, self.try_invert)
        if not codes and self._inverted_formats is not None:
            codes, unread_inverted = self._decode_zxing(cv2.bitwise_not(gray), self._inverted_formats, False)
            unread = unread or unread_inverted
        # Frames the whole-frame pass read nothing in, and frames with two codes or more (a group's
        # tickets held up together, where a tilted Code 128 is often left): a frame with the one
        # ticket the door expects costs what it did.
        if self._second_look is not None and len(codes) != 1:
            deadline = started + (self.budget_seconds if budget_seconds is None else budget_seconds)
            seen: dict[str, Code] = {code.text: code for code in codes}
            for name, text, corners, once in self._second_look.read(gray, [code.corners for code in codes], deadline):
                seen.setdefault(text, Code(format_name(name), text, corners, "zxing", once))
            codes = list(seen.values())
        # zbar after the second look, not before: on a 720p frame it takes 40-130 ms (measured on the
        # hard set's defocused and glared frames), the whole budget, where the second look reads the
        # code's region in 10-30 ms. It still gets every frame neither zxing pass could read.
        in_time = self.zbar_past_budget or time.perf_counter() < started + (
            self.budget_seconds if budget_seconds is None else budget_seconds)
        if not codes and in_time and (self.second_engine == "always" or (unread and self.second_engine == "unread")):
            codes = self._decode_zbar(gray)
        return codes

    def _decode_zxing(
        self, gray: np.ndarray, formats: zxingcpp.BarcodeFormats, invert: bool
    ) -> tuple[list[Code], bool]:
        """The codes read, and whether zxing saw a symbol it could not read (worth zbar's time)."""
        found = zxingcpp.read_barcodes(gray, formats=formats, try_invert=invert, return_errors=True)
        codes: dict[str, Code] = {}
        unread = False
        for barcode in found:
            if not barcode.valid:
                unread = True
                continue
            position = barcode.position
            corners = tuple(
                (int(p.x), int(p.y))
                for p in (position.top_left, position.top_right, position.bottom_right, position.bottom_left)
            )
            code = Code(format_name(barcode.format.name), barcode.text, corners, "zxing")
            codes.setdefault(code.text, code)
        return list(codes.values()), unread

    def _decode_zbar(self, gray: np.ndarray) -> list[Code]:
        codes = self._zbar_once(gray)
        if not codes and self.try_invert:
            codes = self._zbar_once(cv2.bitwise_not(gray))
        return codes

    def _zbar_once(self, gray: np.ndarray) -> list[Code]:
        codes: dict[str, Code] = {}
        for symbol in pyzbar.decode(gray, symbols=self._zbar_symbols):
            text = symbol.data.decode("utf-8", errors="replace")
            corners = tuple((int(p.x), int(p.y)) for p in symbol.polygon)
            name = _FROM_ZBAR.get(symbol.type, symbol.type)
            # zbar's quality is the number of its scan lines that read a linear symbol.
            once = name in _LINEAR and symbol.quality < 2
            codes.setdefault(text, Code(name, text, corners, "zbar", once))
        return list(codes.values())


class Deduplicator:
    """Lets a code through once, then holds it back while it keeps showing up in consecutive frames.

    A code is new again after it has been out of sight for ``hold_seconds``. ``clock`` is injected
    (``time.monotonic`` by default) so tests control time.
    """

    def __init__(self, hold_seconds: float = 2.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.hold_seconds = hold_seconds
        self._clock = clock
        self._last_seen: dict[tuple[str, str], float] = {}

    def is_new(self, code: Code, now: float | None = None) -> bool:
        """True when ``code`` was not seen in the last ``hold_seconds``; records the sighting."""
        now = self._clock() if now is None else now
        key = (code.format, code.text)
        last = self._last_seen.get(key)
        self._last_seen[key] = now
        return last is None or now - last > self.hold_seconds

    def filter(self, codes: Iterable[Code], now: float | None = None) -> list[Code]:
        """The codes among ``codes`` that are new; forgets codes gone for longer than the hold."""
        now = self._clock() if now is None else now
        fresh = [code for code in codes if self.is_new(code, now)]
        if len(self._last_seen) > 64:
            self._last_seen = {k: t for k, t in self._last_seen.items() if now - t <= self.hold_seconds}
        return fresh

    def clear(self) -> None:
        self._last_seen.clear()


_default_decoder: FrameDecoder | None = None


def decode_frame(frame: np.ndarray) -> list[Code]:
    """Codes in ``frame`` with the default formats (QR and Code 128)."""
    global _default_decoder
    if _default_decoder is None:
        _default_decoder = FrameDecoder()
    return _default_decoder.decode(frame)


def _checked_path(path: str | Path) -> Path:
    file = Path(path)
    if not file.exists():
        raise ScanInputError(_("File not found: {file}").format(file=file))
    if not file.is_file():
        raise ScanInputError(_("Not a file: {file}").format(file=file))
    return file


def read_image(path: str | Path) -> np.ndarray:
    """The picture in a PNG/JPEG/... file as an 8-bit grayscale array; ScanInputError if it is not one."""
    file = _checked_path(path)
    try:
        # imdecode over bytes rather than imread: imread cannot open non-ASCII paths on Windows.
        data = np.fromfile(file, dtype=np.uint8)
    except OSError as error:
        raise ScanInputError(_("Cannot read {file}: {reason}").format(file=file, reason=error)) from error
    image = cv2.imdecode(data, cv2.IMREAD_UNCHANGED) if data.size else None
    if image is None:
        raise ScanInputError(_("Not an image file: {file}").format(file=file))
    if image.dtype != np.uint8:
        image = cv2.convertScaleAbs(image, alpha=255.0 / max(1.0, float(image.max())))
    if image.ndim == 3 and image.shape[2] == 4:
        # Codes saved with a transparent background: put them on white paper, not on black.
        alpha = image[:, :, 3:4].astype(np.float32) / 255.0
        image = (image[:, :, :3] * alpha + 255.0 * (1.0 - alpha)).astype(np.uint8)
    return _as_gray(image)


def _open_video(file: Path) -> Any:
    capture = cv2.VideoCapture(str(file))
    if not capture.isOpened():
        capture.release()
        raise ScanInputError(_("Not a video file that can be read: {file}").format(file=file))
    return capture


def _video_codes(capture: Any, decoder: FrameDecoder) -> Iterator[tuple[int, list[Code]]]:
    try:
        index = 0
        while True:
            ok, frame = capture.read()
            if not ok:
                return
            yield index, decoder.decode(frame)
            index += 1
    finally:
        capture.release()


def iter_video_codes(
    path: str | Path, decoder: FrameDecoder | None = None
) -> Iterator[tuple[int, list[Code]]]:
    """``(frame_index, codes)`` for every frame of a video file read with OpenCV.

    Raises ScanInputError at the call (not at the first frame) when the file cannot be opened.
    """
    return _video_codes(_open_video(_checked_path(path)), decoder or FrameDecoder())


def decode_file(path: str | Path, decoder: FrameDecoder | None = None) -> Iterator[FileResult]:
    """One result for an image (even with no code); for a video, one per frame that has codes.

    Raises ScanInputError at the call for a missing, unreadable, non-image or non-video file.
    """
    file = _checked_path(path)
    decoder = decoder or FrameDecoder()
    if file.suffix.lower() in _VIDEO_SUFFIXES:
        frames = iter_video_codes(file, decoder)
        return (FileResult(str(path), codes, index) for index, codes in frames if codes)
    return iter([FileResult(str(path), decoder.decode(read_image(file)))])
