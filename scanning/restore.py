# SPDX-License-Identifier: AGPL-3.0-or-later
"""Making a blurred, small or dim code region readable: deconvolution, sharpening, upscaling, bar profiles.

Everything here works on one region cut out of a frame (a few hundred pixels a side), never on the
whole frame, so it costs a few milliseconds and only on frames that need it.
"""

from __future__ import annotations

import math

import cv2
import numpy as np


def blur_estimate(crop: np.ndarray) -> tuple[float, float, bool]:
    """The blur in ``crop`` from its cepstrum: (dx, dy, is_motion) of the strongest negative peak.

    A line (motion) kernel of length L at angle a leaves a deep point at L*(cos a, sin a); a disc
    (defocus) of radius r leaves a ring at about 2r, as deep all around it.
    """
    side = 1 << int(math.log2(max(1, min(crop.shape[0], crop.shape[1], 256))))
    if side < 32:
        return 0.0, 0.0, False
    y0, x0 = (crop.shape[0] - side) // 2, (crop.shape[1] - side) // 2
    patch = crop[y0 : y0 + side, x0 : x0 + side].astype(np.float32)
    patch -= patch.mean()
    window = np.outer(np.hanning(side), np.hanning(side)).astype(np.float32)
    spectrum = np.abs(np.fft.rfft2(patch * window))
    log = np.log1p(spectrum / (spectrum.mean() + 1e-6))
    cepstrum = np.fft.fftshift(np.fft.irfft2(log - log.mean(), s=(side, side)))
    centre = side // 2
    reach = min(22, centre - 1)
    area = cepstrum[centre - reach : centre + reach + 1, centre - reach : centre + reach + 1]
    y, x = np.mgrid[-reach : reach + 1, -reach : reach + 1]
    radius = np.hypot(x, y)
    masked = np.where((radius >= 2.5) & (radius <= reach), area, np.inf)
    iy, ix = np.unravel_index(int(np.argmin(masked)), masked.shape)
    dx, dy = float(x[iy, ix]), float(y[iy, ix])
    ring = area[np.abs(radius - math.hypot(dx, dy)) < 0.7]
    depth = float(masked[iy, ix])
    is_motion = bool(depth < 2.0 * float(ring.mean())) if ring.size else True
    return dx, dy, is_motion


def motion_estimate(crop: np.ndarray) -> tuple[float, int]:
    """The smear of a hand's motion in ``crop``: (direction in degrees, length in pixels).

    Motion leaves the gradients along its direction weakest (structure tensor), and every row
    along it a box blur whose spectrum has zeros every 1/L: the 1-D cepstrum of the rows, averaged,
    dips at the lag L. Measured on the hard set's smeared QR codes, where the 2-D cepstrum
    (blur_estimate) often picks the code's own module period instead.
    """
    picture = crop.astype(np.float32)
    gx = cv2.Sobel(picture, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(picture, cv2.CV_32F, 0, 1, ksize=3)
    sxx, syy, sxy = float((gx * gx).sum()), float((gy * gy).sum()), float((gx * gy).sum())
    motion = 0.5 * math.degrees(math.atan2(2 * sxy, sxx - syy)) + 90.0
    # The code's own modules, along its axes, pull the tensor's direction by up to ~10 degrees:
    # the direction kept is the one, near it, where the smear's dip is deepest.
    best = (0.0, motion, 0)
    for offset in (-8.0, -4.0, 0.0, 4.0, 8.0):
        depth, length = _smear_dip(crop, motion + offset)
        if depth < best[0]:
            best = (depth, motion + offset, length)
    return best[1], best[2]


def _smear_dip(crop: np.ndarray, direction: float) -> tuple[float, int]:
    """How deep the rows' cepstrum dips along ``direction`` beyond what it does across, and at which lag."""
    along, across = _row_cepstrum(level_bars(crop, direction)), _row_cepstrum(level_bars(crop, direction + 90.0))
    if along is None or across is None:
        return 0.0, 0
    # The code's own modules dip the cepstrum at their period in every direction; the smear only
    # along the motion: the difference keeps the smear.
    n = min(along.size, across.size)
    difference = along[:n] - across[:n]
    low, high = 3, min(24, n // 3)
    if high <= low:
        return 0.0, 0
    lag = int(low + np.argmin(difference[low:high]))
    return float(difference[lag]), lag


def _row_cepstrum(levelled: np.ndarray) -> np.ndarray | None:
    """The cepstrum of the rows of the picture's middle, their power spectra averaged."""
    h, w = levelled.shape
    rows = levelled[h // 6 : h - h // 6, w // 6 : w - w // 6].astype(np.float32)
    n = rows.shape[1]
    if rows.shape[0] < 4 or n < 24:
        return None
    rows -= rows.mean(axis=1, keepdims=True)
    power = (np.abs(np.fft.rfft(rows * np.hanning(n).astype(np.float32), axis=1)) ** 2).mean(axis=0)
    log = np.log(power + 1e-3)
    return np.asarray(np.fft.irfft(log - log.mean(), n=n))


def line_psf(dx: float, dy: float) -> np.ndarray:
    """A motion kernel: a line from -(dx, dy)/2 to (dx, dy)/2."""
    length = math.hypot(dx, dy)
    r = math.ceil(length / 2) + 1
    kernel = np.zeros((2 * r + 1, 2 * r + 1), np.float32)
    steps = max(2, int(length * 4))
    for t in np.linspace(-0.5, 0.5, steps):
        kernel[round(float(r + t * dy)), round(float(r + t * dx))] += 1.0
    return kernel / kernel.sum()


def disc_psf(radius: float) -> np.ndarray:
    """A defocus kernel: a uniform disc, its rim anti-aliased."""
    r = math.ceil(radius) + 1
    y, x = np.mgrid[-r : r + 1, -r : r + 1]
    kernel = np.clip(radius + 0.5 - np.hypot(x, y), 0.0, 1.0).astype(np.float32)
    return kernel / kernel.sum()


def wiener(crop: np.ndarray, psf: np.ndarray, noise_to_signal: float = 0.01) -> np.ndarray:
    """``crop`` deconvolved by ``psf`` (Wiener filter), back to 8 bits; borders mirrored against ringing."""
    pad = psf.shape[0]
    image = cv2.copyMakeBorder(crop, pad, pad, pad, pad, cv2.BORDER_REFLECT).astype(np.float32)
    h, w = image.shape
    otf = np.zeros((h, w), np.float32)
    kh, kw = psf.shape
    otf[:kh, :kw] = psf
    otf = np.roll(otf, (-(kh // 2), -(kw // 2)), axis=(0, 1))
    transfer = np.fft.rfft2(otf)
    gain = np.conj(transfer) / (np.abs(transfer) ** 2 + noise_to_signal)
    restored = np.fft.irfft2(np.fft.rfft2(image) * gain, s=(h, w))[pad:-pad, pad:-pad]
    return _to_8bit(restored)


def denoise(crop: np.ndarray) -> np.ndarray:
    """A 3x3 median: a dim picture's sensor noise gone, its edges kept (a Gaussian would soften them)."""
    return cv2.medianBlur(crop, 3)


def sharpen(crop: np.ndarray, sigma: float, amount: float = 1.5) -> np.ndarray:
    """Unsharp masking: cheap, for the slight blur of a webcam's lens."""
    soft = cv2.GaussianBlur(crop, (0, 0), sigma)
    return cv2.addWeighted(crop, 1 + amount, soft, -amount, 0)


def upscale(crop: np.ndarray, factor: float) -> np.ndarray:
    return cv2.resize(crop, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)


def stretch(crop: np.ndarray) -> np.ndarray:
    """Contrast stretched between the 1st and 99th percentiles: for dim light and glare."""
    low, high = _percentiles(crop, 1, 99)
    return _to_8bit((crop.astype(np.float32) - low) / max(1.0, high - low) * 255, clip_only=True)


def level_bars(crop: np.ndarray, angle: float) -> np.ndarray:
    """The crop rotated so that ``angle`` (the direction across the bars) is horizontal."""
    h, w = crop.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    out_w, out_h = int(h * sin + w * cos), int(h * cos + w * sin)
    matrix[0, 2] += out_w / 2 - w / 2
    matrix[1, 2] += out_h / 2 - h / 2
    return cv2.warpAffine(crop, matrix, (out_w, out_h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)


def bar_profiles(levelled: np.ndarray, bands: int, factor: int, flatten: bool = False) -> list[np.ndarray]:
    """Scan lines along a levelled code: each band's rows averaged (noise falls, bars stay),
    resampled ``factor`` times finer, stretched, and drawn as a short picture of pure bars.

    ``flatten`` evens out the bars' contrast along the line first (see flatten_profile).
    """
    h, w = levelled.shape
    rows = levelled.astype(np.float32)
    pictures = []
    for band in range(bands):
        top, bottom = band * h // bands, (band + 1) * h // bands
        if bottom - top < 2:
            continue
        profile = rows[top:bottom].mean(axis=0)
        if flatten:
            profile = flatten_profile(profile)
        fine = cv2.resize(profile[None, :], (w * factor, 1), interpolation=cv2.INTER_CUBIC)
        pictures.append(np.repeat(stretch(fine), 24, axis=0))
    return pictures


def flatten_profile(profile: np.ndarray) -> np.ndarray:
    """A scan line with its light and dark levels made even along it: a lamp's reflection lifts the
    bars under it towards white, so one threshold for the whole line loses them. Each point is placed
    between the darkest and lightest values within a few bars of it (a sixteenth of the line: the
    widest Code 128 element is four modules, a ticket's code over a hundred).
    """
    n = profile.size
    reach = max(5, n // 16) | 1
    line = profile.astype(np.float32)[None, :]
    kernel = np.ones((1, reach), np.uint8)
    light = cv2.blur(cv2.dilate(line, kernel), (reach, 1))
    dark = cv2.blur(cv2.erode(line, kernel), (reach, 1))
    span = np.maximum(light - dark, 0.25 * float(line.max() - line.min()) + 1e-3)
    return np.asarray(((line - dark) / span * 255)[0])


def deblur_profile(picture: np.ndarray, width: float) -> np.ndarray:
    """A bar picture deconvolved along its rows by a box of ``width`` pixels (motion or defocus across bars)."""
    psf = np.zeros((1, int(2 * math.ceil(width / 2) + 1)), np.float32)
    centre = psf.shape[1] // 2
    psf[0, centre - int(width // 2) : centre + int(width // 2) + 1] = 1.0
    row = picture[:1].astype(np.float32)
    pad = psf.shape[1]
    padded = cv2.copyMakeBorder(row, 0, 0, pad, pad, cv2.BORDER_REFLECT)
    kernel = np.zeros_like(padded)
    kernel[0, : psf.shape[1]] = psf / psf.sum()
    kernel = np.roll(kernel, -centre, axis=1)
    transfer = np.fft.rfft(kernel[0])
    restored = np.fft.irfft(np.fft.rfft(padded[0]) * np.conj(transfer) / (np.abs(transfer) ** 2 + 0.02),
                            n=padded.shape[1])[pad:-pad]
    return np.repeat(_to_8bit(restored[None, :]), picture.shape[0], axis=0)


def _to_8bit(image: np.ndarray, clip_only: bool = False) -> np.ndarray:
    if not clip_only:
        low, high = _percentiles(image, 0.5, 99.5)
        image = (image - low) / max(1e-6, float(high - low)) * 255
    return np.clip(image, 0, 255).astype(np.uint8)


def _percentiles(image: np.ndarray, low: float, high: float) -> tuple[float, float]:
    """The ``low`` and ``high`` percentiles (nearest rank): np.percentile costs ~0.3 ms a call in
    overhead, and the second look asks for two on every picture it tries."""
    values = image.reshape(-1)
    last = values.size - 1
    ranks = (round(last * low / 100), round(last * high / 100))
    ordered = np.partition(values, ranks)
    return float(ordered[ranks[0]]), float(ordered[ranks[1]])
