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
#: A code the second look read, and whether only one scan line read it (a "pure" read no other line of
#: the same region confirmed: a 1-D code's checksum alone vouches for it).
Read = tuple[str, str, tuple[Point, ...], bool]
#: How a picture is read: "pure" bars (linear formats, global threshold), or a matrix picture with
#: zxing-cpp's local ("local") or global ("global") binarizer.
Mode = Literal["pure", "local", "global"]
#: A picture to try, how to map its pixels back to the frame, and how to read it.
Attempt = tuple[np.ndarray, Callable[[float, float], Point], Mode]

#: A crop darker than this on average (of 255) is a dim one, where sensor noise is what to remove.
_DIM = 80.0
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

    def read(self, gray: np.ndarray, known: list[tuple[Point, ...]], deadline: float) -> list[Read]:
        """Codes in regions of ``gray`` that hold none of the ``known`` codes' centres, until ``deadline``
        (a ``time.perf_counter()`` value). Corners are in frame pixels.

        A code read on one scan line of bars is looked for on the region's other lines (a tenth of a
        millisecond each): read again, it is confirmed; read once, it is returned as unconfirmed.
        """
        found: list[Read] = []
        for region in find_regions(gray):
            if time.perf_counter() >= deadline:
                break
            if any(region.contains(_centre(corners)) for corners in known + [f[2] for f in found]):
                continue
            found.extend(self._read_region(gray, region, deadline))
        return found

    def _read_region(self, gray: np.ndarray, region: Region, deadline: float) -> list[Read]:
        once: Read | None = None
        for picture, to_frame, mode in self._attempts(gray, region):
            formats = self._linear if mode == "pure" else self._all
            if time.perf_counter() >= deadline:
                break
            if formats is None or (once is not None and mode != "pure"):
                continue
            codes = _read(picture, formats, _LOCAL if mode == "local" else _GLOBAL, invert=mode != "pure")
            reads = [(f, text, tuple(to_frame(*p) for p in corners), mode == "pure") for f, text, corners in codes]
            if not reads:
                continue
            if mode != "pure":
                return reads
            if once is None:
                once = reads[0]
            elif any(text == once[1] for _f, text, _c, _w in reads):
                return [(once[0], once[1], once[2], False)]
        return [once] if once is not None else []

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
    # Low light: the sensor's noise, not blur, breaks the modules' edges; a 3x3 median keeps the edges
    # and takes the noise (it read 4 of the 5 dark QR tickets of three hard-set seeds no other remedy read).
    # Only on dim crops: elsewhere the read it costs would come out of the deconvolutions' time.
    if float(crop.mean()) < _DIM:
        yield sized(restore.denoise(crop)), back, "local"
    if smeared:
        # The smear's length must be right within a pixel or two, and what the deconvolution leaves
        # ringing around the modules suits one binarizer or the other from frame to frame.
        direction, length = restore.motion_estimate(crop)
        # The variants, in order, are those that read the most smeared tickets the whole-frame pass
        # misses (27 hard-set motion frames of three seeds, each variant tried on every frame): the
        # measured length, noise-to-signal 0.01 then 0.02, then a pixel or two shorter.
        along = math.radians(direction)
        variants: tuple[tuple[int, float, tuple[Mode, ...]], ...] = (
            (0, 0.01, ("local", "global")), (0, 0.02, ("local", "global")), (-1, 0.01, ("local",)),
            (-2, 0.005, ("local",)))
        for extra, noise, modes in variants:
            if length + extra >= 4:
                psf = restore.line_psf((length + extra) * math.cos(along), (length + extra) * math.sin(along))
                restored = restore.wiener(crop, psf, noise)
                for mode in modes:
                    yield restored, back, mode
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

    def back_from(factor_x: float, factor_y: float, left: float = 0.0,
                  row: float | None = None) -> Callable[[float, float], Point]:
        def back(x: float, y: float) -> Point:
            u, v = left + x / factor_x - lw / 2, (y / factor_y if row is None else row) - lh / 2
            return (int(origin[0] + w / 2 + u * cos - v * sin), int(origin[1] + h / 2 + u * sin + v * cos))
        return back

    yield levelled, back_from(1, 1), "local"
    yield restore.upscale(levelled, 2.0), back_from(2, 2), "local"
    # Scan lines across the bars themselves: the levelled crop of a tilted code is mostly card and
    # background above and below them, which would wash the bars out of a band's average.
    px, py = region.centre[0] - origin[0] - w / 2, region.centre[1] - origin[1] - h / 2
    u0, v0 = px * cos + py * sin + lw / 2, -px * sin + py * cos + lh / 2
    half_w, half_h = region.size[0] * 0.62 + 6, region.size[1] * 0.55 + 2
    left, top = max(0, int(u0 - half_w)), max(0, int(v0 - half_h))
    bars = levelled[top : min(lh, int(v0 + half_h) + 1), left : min(lw, int(u0 + half_w) + 1)]
    if min(bars.shape) < 4:
        return
    factor = 3
    middle = back_from(factor, 1, left, v0)

    def profiles(bands: int, flatten: bool) -> list[np.ndarray]:
        # Both ways round: whether the margins are darker than the bars says little (a light card on a
        # dark table, a dark-mode screen), and reading a line of bars costs a tenth of a millisecond.
        found = restore.bar_profiles(bars, bands, factor, flatten=flatten)
        return [picture for bars_line in found for picture in (bars_line, 255 - bars_line)]

    plain = profiles(3, False)
    for picture in plain:
        yield picture, middle, "pure"
    # Glare: the bars' contrast evened out along the line; then fifths of the bars' height, as a
    # decoy's card laid over part of a ticket leaves whole scan lines only in a narrow band.
    for picture in profiles(3, True) + profiles(5, True):
        yield picture, middle, "pure"
    for width in (4, 7, 10):
        for picture in plain[2:4]:
            yield restore.deblur_profile(picture, width * factor), middle, "pure"
