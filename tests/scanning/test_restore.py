# SPDX-License-Identifier: AGPL-3.0-or-later
"""Tests for restoring hard code regions: a hand's motion measured and undone on the code's crop only."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from benchmarks.hard_frames import line_kernel
from scanning import restore
from scanning.decode import FrameDecoder
from tests.scanning.images import qr_image, ticket_frame

#: Generous, so that what is read does not depend on how loaded the machine is.
NO_HURRY = 10.0
#: (length in pixels, direction in degrees) of the smears: horizontal, vertical and slanted.
SMEARS = [(10, 0.0), (12, 90.0), (13, 60.0)]


def smeared_ticket(text: str, length: float, degrees: float) -> tuple[np.ndarray, np.ndarray]:
    """A 640x480 frame with a QR ticket (5 px a module) smeared by motion, and the crop around the code."""
    symbol = qr_image(text, box_size=5)
    frame = ticket_frame(symbol, (640, 480), (200, 120), np.random.default_rng(3))
    smeared = cv2.filter2D(frame, -1, line_kernel(length, degrees))
    gray = cv2.cvtColor(smeared, cv2.COLOR_BGR2GRAY)
    return smeared, gray[100 : 140 + symbol.shape[0], 180 : 220 + symbol.shape[1]]


def _angle_gap(a: float, b: float) -> float:
    gap = abs(a - b) % 180
    return min(gap, 180 - gap)


@pytest.mark.parametrize(("length", "degrees"), SMEARS)
def test_motion_estimate_finds_the_smears_direction_and_length(length: int, degrees: float) -> None:
    _, crop = smeared_ticket("SMEAR-MEASURED", length, degrees)
    direction, measured = restore.motion_estimate(crop)
    assert _angle_gap(direction, degrees) <= 8
    assert abs(measured - length) <= 1


@pytest.mark.parametrize(("length", "degrees"), SMEARS)
def test_a_qr_ticket_smeared_by_motion_is_read_and_nothing_else(length: int, degrees: float) -> None:
    text = f"SMEARED-TICKET-{length}"
    frame, _ = smeared_ticket(text, length, degrees)
    assert FrameDecoder(second_look=False).decode(frame) == []  # hard for the whole-frame pass
    assert [code.text for code in FrameDecoder(budget_seconds=NO_HURRY).decode(frame)] == [text]


def test_motion_estimate_gives_no_length_on_a_crop_too_small_to_measure() -> None:
    assert restore.motion_estimate(np.full((20, 20), 128, np.uint8))[1] == 0
