# SPDX-License-Identifier: AGPL-3.0-or-later
"""A camera's resolution, focus and exposure through OpenCV's properties: what it offers, and setting them."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Any

import cv2

#: Resolutions the door's set-up offers; a camera gives the nearest it has.
RESOLUTIONS: tuple[tuple[int, int], ...] = ((640, 480), (1280, 720), (1920, 1080))

_RESOLUTION = re.compile(r"^(\d{2,5})x(\d{2,5})$")


def parse_resolution(text: str) -> tuple[int, int] | None:
    """``"1280x720"`` -> (1280, 720); ``""`` -> None (the camera's own); ValueError for anything else."""
    if not text:
        return None
    match = _RESOLUTION.match(text.strip())
    if not match:
        raise ValueError(f"not a resolution like 1280x720: {text!r}")
    return int(match.group(1)), int(match.group(2))


def resolution_text(resolution: tuple[int, int] | None) -> str:
    return f"{resolution[0]}x{resolution[1]}" if resolution else ""


@dataclass(frozen=True, slots=True)
class CameraSettings:
    """What the door staff set for a camera. None everywhere leaves the camera as it comes."""

    resolution: tuple[int, int] | None = None
    #: A fixed focus in the camera's own units (autofocus off), or None for its autofocus.
    focus: int | None = None
    #: A fixed exposure in the camera's own units (auto exposure off), or None for automatic.
    exposure: int | None = None


@dataclass(frozen=True, slots=True)
class CameraControls:
    """What an opened camera offers: its resolution, and its focus and exposure now (None: not offered)."""

    resolution: tuple[int, int]
    focus: int | None
    exposure: int | None


# CAP_PROP_AUTO_EXPOSURE takes the driver's own values: V4L2's menu (1 manual, 3 aperture priority),
# DirectShow's and Media Foundation's 0.25 / 0.75 (OpenCV's videoio documentation).
_AUTO_EXPOSURE_ON, _AUTO_EXPOSURE_OFF = (3.0, 1.0) if sys.platform.startswith("linux") else (0.75, 0.25)


def _offered(capture: Any, prop: int) -> int | None:
    # OpenCV's backends answer -1 (V4L2, Media Foundation) or 0 with no such control (AVFoundation
    # answers 0 for focus on built-in cameras, which have none).
    value = capture.get(prop)
    return None if value == -1 or (value == 0 and sys.platform == "darwin") else round(value)


def read_controls(capture: Any) -> CameraControls:
    """What the opened ``capture`` offers (called on the thread that owns it)."""
    width, height = capture.get(cv2.CAP_PROP_FRAME_WIDTH), capture.get(cv2.CAP_PROP_FRAME_HEIGHT)
    return CameraControls((int(width), int(height)), _offered(capture, cv2.CAP_PROP_FOCUS),
                          _offered(capture, cv2.CAP_PROP_EXPOSURE))


def apply_focus_and_exposure(capture: Any, settings: CameraSettings, previous: CameraSettings | None) -> None:
    """Sets what changed since ``previous`` (None: just opened, where automatic is left alone)."""
    if previous is None or settings.focus != previous.focus:
        if settings.focus is None:
            if previous is not None:
                capture.set(cv2.CAP_PROP_AUTOFOCUS, 1)
        else:
            capture.set(cv2.CAP_PROP_AUTOFOCUS, 0)
            capture.set(cv2.CAP_PROP_FOCUS, settings.focus)
    if previous is None or settings.exposure != previous.exposure:
        if settings.exposure is None:
            if previous is not None:
                capture.set(cv2.CAP_PROP_AUTO_EXPOSURE, _AUTO_EXPOSURE_ON)
        else:
            capture.set(cv2.CAP_PROP_AUTO_EXPOSURE, _AUTO_EXPOSURE_OFF)
            capture.set(cv2.CAP_PROP_EXPOSURE, settings.exposure)
