# SPDX-License-Identifier: AGPL-3.0-or-later
"""A second look at the places of a frame where a code may be but none was read: region by region,
cheapest remedy first (upscale, contrast, deconvolution, scan lines), until the frame's time is up.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from typing import Literal

import numpy as np
import zxingcpp

from scanning import restore
from scanning.regions import Region, find_regions

Point = tuple[int, int]
#: (format name as zxing-cpp spells it, text, corners in the picture read) for each code read.
Found = tuple[str, str, tuple[Point, ...]]
#: How a picture is read: "pure" bars (linear formats, global threshold), or a matrix picture with
#: zxing-cpp's local ("local") or global ("global") binarizer.
Mode = Literal["pure", "local", "global"]
#: A picture to try, how to map its pixels back to the frame, and how to read it.
Attempt = tuple[np.ndarray, Callable[[float, float], Point], Mode]

_LOCAL = zxingcpp.Binarizer.LocalAverage
_GLOBAL = zxingcpp.Binarizer.GlobalHistogram


def _read(picture: np.ndarray, formats: zxingcpp.BarcodeFormats, binarizer: zxingcpp.Binarizer,
          invert: bool = True) -> list[Found]:
    found = zxingcpp.read_barcodes(picture, formats=formats, try_rotate=False, try_downscale=False,
                                   try_invert=invert, binarizer=binarizer)
    return [(b.format.name, b.text, tuple((int(p.x), int(p.y)) for p in (
        b.position.top_left, b.position.top_right, b.position.bottom_right, b.position.bottom_left)))
        for b in found]


class SecondLook:
    """Reads codes the first, whole-frame pass missed, working only inside candidate regions."""

    def __init__(self, every: zxingcpp.BarcodeFormats, linear: zxingcpp.BarcodeFormats | None) -> None:
        self._all, self._linear = every, linear

    def read(self, gray: np.ndarray, known: list[tuple[Point, ...]], deadline: float) -> list[Found]:
        """Codes in regions of ``gray`` that hold none of the ``known`` codes' centres, until ``deadline``
        (a ``time.perf_counter()`` value). Corners are in frame pixels."""
        found: list[Found] = []
        for region in find_regions(gray):
            if time.perf_counter() >= deadline:
                break
            if any(region.contains(_centre(corners)) for corners in known + [f[2] for f in found]):
                continue
            for picture, to_frame, mode in self._attempts(gray, region):
                formats = self._linear if mode == "pure" else self._all
                if time.perf_counter() >= deadline:
                    break
                if formats is None:
                    continue
                codes = _read(picture, formats, _LOCAL if mode == "local" else _GLOBAL, invert=mode != "pure")
                if codes:
                    found.extend((f, text, tuple(to_frame(*p) for p in corners)) for f, text, corners in codes)
                    break
        return found

    def _attempts(self, gray: np.ndarray, region: Region) -> Iterator[Attempt]:
        x0, y0, x1, y1 = region.bounds(0.3, gray.shape)
        crop = gray[y0:y1, x0:x1]
        if min(crop.shape) < 16:
            return
        squarish = max(region.size) < 2 * min(region.size)
        # Bars run long; a squarish region of gradients running one way is a QR code smeared by
        # motion more often than a short Code 128, so the matrix remedies go first there.
        if region.linear and squarish:
            yield from _matrix_attempts(crop, (x0, y0), smeared=True)
        if region.linear:
            yield from _linear_attempts(crop, region, (x0, y0))
        if not region.linear:
            yield from _matrix_attempts(crop, (x0, y0), smeared=False)


def _centre(corners: tuple[Point, ...]) -> Point:
    if not corners:
        return (-1, -1)
    return (sum(p[0] for p in corners) // len(corners), sum(p[1] for p in corners) // len(corners))


def _matrix_attempts(crop: np.ndarray, origin: Point, smeared: bool) -> Iterator[Attempt]:
    factor = min(3.0, max(1.0, 260.0 / min(crop.shape)))

    def back(x: float, y: float) -> Point:
        return (int(origin[0] + x / factor), int(origin[1] + y / factor))

    def sized(picture: np.ndarray) -> np.ndarray:
        return restore.upscale(picture, factor) if factor > 1.05 else picture

    yield sized(crop), back, "local"
    yield sized(restore.stretch(crop)), back, "local"
    if smeared:
        # The smear's length must be right within a pixel or two; the global binarizer copes better
        # with what the deconvolution leaves ringing around the modules.
        direction, length = restore.motion_estimate(crop)
        for extra in (0, -1):
            if length >= 4:
                along = math.radians(direction)
                psf = restore.line_psf((length + extra) * math.cos(along), (length + extra) * math.sin(along))
                restored = restore.wiener(crop, psf, 0.02)
                yield restored, back, "global"
                yield restored, back, "local"
    dx, dy, is_motion = restore.blur_estimate(crop)
    radius = math.hypot(dx, dy) / 2
    if radius >= 1:
        line, disc = restore.line_psf(dx, dy), restore.disc_psf(radius)
        for psf in (line, disc) if is_motion else (disc, line):
            yield sized(restore.wiener(crop, psf)), back, "local"
    yield sized(restore.sharpen(crop, 2.0)), back, "local"


def _linear_attempts(crop: np.ndarray, region: Region, origin: Point) -> Iterator[Attempt]:
    levelled = restore.level_bars(crop, region.angle)
    h, w = crop.shape
    cos, sin = math.cos(math.radians(region.angle)), math.sin(math.radians(region.angle))
    lh, lw = levelled.shape

    def back_from(factor_x: float, factor_y: float) -> Callable[[float, float], Point]:
        def back(x: float, y: float) -> Point:
            u, v = x / factor_x - lw / 2, y / factor_y - lh / 2
            return (int(origin[0] + w / 2 + u * cos - v * sin), int(origin[1] + h / 2 + u * sin + v * cos))
        return back

    yield levelled, back_from(1, 1), "local"
    yield restore.upscale(levelled, 2.0), back_from(2, 2), "local"
    factor = 3
    pictures = restore.bar_profiles(levelled, 3, factor)
    middle = back_from(factor, 24 / max(1, lh))
    for picture in pictures:
        if picture[:, : picture.shape[1] // 12].mean() < picture.mean():  # dark margins: a dark-mode screen
            picture = 255 - picture
        yield picture, middle, "pure"
    for width in (4, 7, 10):
        for picture in pictures[1:2]:
            if picture[:, : picture.shape[1] // 12].mean() < picture.mean():
                picture = 255 - picture
            yield restore.deblur_profile(picture, width * factor), middle, "pure"
