# SPDX-License-Identifier: AGPL-3.0-or-later
"""Where codes may be in a frame, found cheaply on a subsampled copy: dense gradients, bars or modules."""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

#: The subsampled copy is about this wide: a code of 60 pixels stays 15 wide.
_WORK_WIDTH = 480
#: Bars: gradients all along one direction (coherence of the structure tensor above this).
_LINEAR_COHERENCE = 0.62
#: How many times a component that is no code as a whole is split by a harder threshold.
_SPLITS = 2


@dataclass(frozen=True, slots=True)
class Region:
    """A place worth a closer look, in frame pixels: its rotated box and what it looks like."""

    centre: tuple[float, float]
    #: Width and height of the box; for bars, width runs across the bars.
    size: tuple[float, float]
    #: Direction of the box's width in degrees (for bars: across them, the direction a scan line reads).
    angle: float
    #: Bars (a 1-D code) rather than modules (QR).
    linear: bool
    #: Mean gradient energy per pixel, relative to the frame's median: how much it stands out.
    contrast: float

    def bounds(self, margin: float, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
        """Axis-aligned x0, y0, x1, y1 around the box grown by ``margin`` of its size, clipped to ``shape``."""
        w, h = self.size
        angle = math.radians(self.angle)
        half_w = (abs(w * math.cos(angle)) + abs(h * math.sin(angle))) / 2 * (1 + margin) + 4
        half_h = (abs(w * math.sin(angle)) + abs(h * math.cos(angle))) / 2 * (1 + margin) + 4
        x, y = self.centre
        return (max(0, int(x - half_w)), max(0, int(y - half_h)),
                min(shape[1], int(x + half_w) + 1), min(shape[0], int(y + half_h) + 1))

    def contains(self, point: tuple[int, int]) -> bool:
        x0, y0, x1, y1 = self.bounds(0.0, (1 << 30, 1 << 30))
        return x0 <= point[0] <= x1 and y0 <= point[1] <= y1


def find_regions(gray: np.ndarray, limit: int = 6) -> list[Region]:
    """Candidate code regions in an 8-bit grayscale frame, most striking first, at most ``limit``.

    A code is where gradients are dense *and* alternate in sign (dark, light, dark...): a single edge
    of a sleeve or a table has dense gradients of one sign only, and is left out.
    """
    step = max(1, round(gray.shape[1] / _WORK_WIDTH))
    # A 3x3 mean first: sensor noise in dim light alternates too, and would drown the codes.
    small = cv2.blur(gray[::step, ::step], (3, 3)).astype(np.float32)
    gx = cv2.Sobel(small, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(small, cv2.CV_32F, 0, 1, ksize=3)
    window = (9, 9)
    ax, ay = np.abs(gx), np.abs(gy)
    alternation = (cv2.boxFilter(ax, -1, window) - np.abs(cv2.boxFilter(gx, -1, window))
                   + cv2.boxFilter(ay, -1, window) - np.abs(cv2.boxFilter(gy, -1, window)))
    # The median of every fourth pixel each way: the same floor within a percent, in a sixteenth of the time.
    floor = float(np.median(alternation[::4, ::4])) + 1.0
    threshold = max(2.8 * floor, 20.0)
    mask: np.ndarray = (alternation > threshold).astype(np.uint8)
    found = _components(gray, mask, alternation, floor, threshold, step, (0, 0), _SPLITS)
    found.sort(key=lambda r: r.contrast * r.size[0] * r.size[1], reverse=True)
    return found[:limit]


def _components(gray: np.ndarray, mask: np.ndarray, alternation: np.ndarray, floor: float, threshold: float,
                step: int, origin: tuple[int, int], splits: int) -> list[Region]:
    """The regions of ``mask``'s components (``mask`` and ``alternation`` cut at ``origin`` of the copy).

    A component that is no code as a whole (too large, a line of print) is thresholded again, harder,
    ``splits`` more times: a line of print between two tickets, or a ticket under a decoy's card, joins
    them into one component at the first threshold, while the codes alternate far more than print does.
    """
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    found: list[Region] = []
    for label in range(1, count):
        if stats[label, cv2.CC_STAT_AREA] < 60:
            continue
        x, y, w, h = (int(v) for v in stats[label, :4])
        inside = labels[y : y + h, x : x + w] == label
        at = (origin[0] + x, origin[1] + y)
        full = gray[at[1] * step : (at[1] + h) * step, at[0] * step : (at[0] + w) * step]
        strength = alternation[y : y + h, x : x + w]
        region = _describe(inside, full, strength, floor, step, at)
        # A matrix code over half the frame has modules the whole-frame pass reads; on a large block
        # of print each attempt costs several frames' time.
        if region is not None and (region.linear or max(region.size) <= 0.5 * min(gray.shape)):
            found.append(region)
        elif splits > 0 and stats[label, cv2.CC_STAT_AREA] >= 240:
            harder = (inside & (strength > 2 * threshold)).astype(np.uint8)
            found += _components(gray, harder, strength, floor, 2 * threshold, step, at, splits - 1)
    return found


def _describe(inside: np.ndarray, full: np.ndarray, alternation: np.ndarray, floor: float,
              step: int, origin: tuple[int, int]) -> Region | None:
    """The component as a Region, or None when it looks like a line of print or scattered dots.

    Its direction is measured on the frame itself (``full``, the component's box at full resolution):
    on the subsampled copy, bars finer than the step alias into patterns running every way.
    """
    fx = cv2.Sobel(full, cv2.CV_32F, 1, 0, ksize=3)
    fy = cv2.Sobel(full, cv2.CV_32F, 0, 1, ksize=3)
    # Only the component's own pixels: the box around a tilted ticket is mostly background and card.
    weight = cv2.resize(inside.astype(np.float32), (full.shape[1], full.shape[0]), interpolation=cv2.INTER_NEAREST)
    fx, fy = fx * weight, fy * weight
    sxx, syy, sxy = float((fx * fx).sum()), float((fy * fy).sum()), float((fx * fy).sum())
    total = sxx + syy
    coherence = math.sqrt((sxx - syy) ** 2 + 4 * sxy**2) / total if total else 0.0
    # The outline's points give the same box as all of the component's pixels, in a fraction of the time.
    outlines, _ = cv2.findContours(inside.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    points = (np.vstack([outline.reshape(-1, 2) for outline in outlines]) + origin).astype(np.float32)
    (cx, cy), (w, h), rect_angle = cv2.minAreaRect(points)
    if min(w, h) < 4:
        return None
    fill = int(inside.sum()) / max(1.0, w * h)
    linear = coherence > _LINEAR_COHERENCE
    if linear:
        # Across the bars is the direction of the strongest gradient.
        across = 0.5 * math.degrees(math.atan2(2 * sxy, sxx - syy))
        if _angle_gap(across, rect_angle) > 45:
            w, h = h, w
        angle = across
    else:
        if max(w, h) > 4 * min(w, h) or fill < 0.35:
            return None  # a line of text or scattered print
        angle = rect_angle
    contrast = float(alternation[inside].mean()) / floor
    return Region(((cx + 0.5) * step, (cy + 0.5) * step), (w * step, h * step), angle, linear, contrast)


def _angle_gap(a: float, b: float) -> float:
    gap = abs(a - b) % 180
    return min(gap, 180 - gap)
