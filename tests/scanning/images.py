# SPDX-License-Identifier: AGPL-3.0-or-later
"""Synthetic ticket pictures for decoder tests and the decode benchmark: codes, frames, distortions."""

from __future__ import annotations

import cv2
import numpy as np
import qrcode
import zxingcpp


def qr_image(text: str, box_size: int = 6, border: int = 4) -> np.ndarray:
    """A QR code as black modules on white, 8-bit grayscale."""
    code = qrcode.QRCode(box_size=box_size, border=border, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    matrix = np.array(code.get_matrix(), dtype=bool)
    image = np.where(matrix, 0, 255).astype(np.uint8)
    return cv2.resize(image, None, fx=box_size, fy=box_size, interpolation=cv2.INTER_NEAREST)


def code128_image(text: str, scale: int = 3, height: int = 90) -> np.ndarray:
    """A Code 128 barcode with quiet zones, 8-bit grayscale, ``height`` pixels tall."""
    symbol = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.Code128)
    bars = np.asarray(symbol.to_image(scale=scale, add_quiet_zones=True))
    return cv2.resize(bars, (bars.shape[1], height), interpolation=cv2.INTER_NEAREST)


def ticket_frame(
    symbol: np.ndarray,
    size: tuple[int, int] = (1280, 720),
    at: tuple[int, int] | None = None,
    rng: np.random.Generator | None = None,
) -> np.ndarray:
    """A BGR camera-like frame (``size`` = width, height): grey paper, sensor noise, the symbol pasted."""
    rng = rng or np.random.default_rng(0)
    width, height = size
    paper = np.full((height, width), 170, np.uint8)
    frame = np.asarray(cv2.add(paper, rng.integers(0, 12, paper.shape, dtype=np.uint8)), np.uint8)
    h, w = symbol.shape
    x, y = at if at is not None else ((width - w) // 2, (height - h) // 2)
    frame[y : y + h, x : x + w] = symbol
    return cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)


def blurred(frame: np.ndarray, kernel: int = 5) -> np.ndarray:
    return cv2.GaussianBlur(frame, (kernel, kernel), 0)


def rotated(frame: np.ndarray, degrees: float) -> np.ndarray:
    h, w = frame.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(frame, matrix, (w, h), borderValue=(170, 170, 170))


def in_perspective(frame: np.ndarray, tilt: float = 0.18) -> np.ndarray:
    """The frame as seen from the side: one edge pulled in by ``tilt`` of the height."""
    h, w = frame.shape[:2]
    source = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    target = np.array([[0, h * tilt], [w, 0], [w, h], [0, h * (1 - tilt)]], np.float32)
    matrix = cv2.getPerspectiveTransform(source, target)
    return cv2.warpPerspective(frame, matrix, (w, h), borderValue=(170, 170, 170))


def in_low_light(frame: np.ndarray, gain: float = 0.25, rng: np.random.Generator | None = None) -> np.ndarray:
    """A dim, noisy version of the frame, as a webcam sees a ticket in a dark hall."""
    rng = rng or np.random.default_rng(1)
    dim = frame.astype(np.float32) * gain + rng.normal(0, 4, frame.shape)
    return np.clip(dim, 0, 255).astype(np.uint8)


def inverted(frame: np.ndarray) -> np.ndarray:
    """Light modules on a dark ground, as some phone screens show a ticket in dark mode."""
    return cv2.bitwise_not(frame)
