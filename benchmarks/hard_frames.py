# SPDX-License-Identifier: AGPL-3.0-or-later
"""Hard camera frames for the decode benchmark, generated apart from the decoder: scene, optics, sensor.

Nothing here is shared with tests/scanning/images.py or with the decoder's code: tickets are laid on
cards, the cards warped into a cluttered scene, then blurred by a lens or a moving hand (disc and line
kernels), lit (low light, glare), read by a noisy sensor and compressed as a webcam's MJPEG would be.
Severities were set from the kinds' physics (kernel sizes, gains, module sizes named in issue #18), not
from the pipeline's results; bare zxing-cpp's recall per kind differs from the independent set's
(glare is harder here, two codes in a frame easier), so the figures are this set's, not that one's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import cv2
import numpy as np
import qrcode
import zxingcpp

SIZES: tuple[tuple[int, int], ...] = ((640, 480), (1280, 720), (1920, 1080))
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
HARD_KINDS = ("defocus", "motion", "code128", "multi", "decoys", "low_light", "glare", "perspective", "screen")
KINDS = ("clean", *HARD_KINDS)
#: Code 128 drawn at under two pixels a module is reported in a bucket of its own: its ceiling is physical.
FINE_CODE128 = "code128_below_2px"
_HI = 8  # pixels a module on the high-resolution card, before the card is projected into the frame


@dataclass(frozen=True)
class Planted:
    """A code put in the scene: what it says, its format and how many frame pixels a module spans."""

    text: str
    format: str
    module_px: float
    #: False when the frame's edge or another card cuts the symbol: part of a QR code, or every scan
    #: line across a bar code's bars. Such a code cannot be read from this frame at all.
    whole: bool = True


@dataclass(frozen=True)
class HardFrame:
    kind: str
    size: tuple[int, int]
    frame: np.ndarray
    #: The ticket codes a reader should return (QR or Code 128).
    codes: tuple[Planted, ...]
    #: Other things that look like codes: EAN-13, Data Matrix, PDF417, Code 39 (never to be returned).
    decoys: tuple[Planted, ...] = ()


def _secret(rng: np.random.Generator, length: int) -> str:
    return "".join(ALPHABET[i] for i in rng.integers(0, len(ALPHABET), length))


def _qr_modules(text: str) -> np.ndarray:
    code = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    return np.array(code.get_matrix(), dtype=bool)


def _zxing_modules(text: str, name: str) -> np.ndarray:
    image = np.asarray(zxingcpp.create_barcode(text, getattr(zxingcpp.BarcodeFormat, name)).to_image(
        scale=1, add_quiet_zones=False))
    return image < 128


def _write(image: np.ndarray, text: str, origin: tuple[int, int], scale: float, value: float,
           thickness: int) -> None:
    """Prints ``text`` on a float picture in place (OpenCV draws text on 8-bit pictures only)."""
    ink = np.zeros(image.shape, np.uint8)
    cv2.putText(ink, text, origin, cv2.FONT_HERSHEY_SIMPLEX, scale, 255, thickness, cv2.LINE_AA)
    alpha = ink.astype(np.float32) / 255
    image *= 1 - alpha
    image += alpha * value


Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class _Footprint:
    """Where a card went in the frame: its outline, and points of its symbol (rows of points along
    the bars' length for a bar code, a grid of modules for a matrix code), in frame pixels."""

    outline: np.ndarray
    samples: np.ndarray
    linear: bool


def _footprint(card_shape: tuple[int, ...], box: Box, homography: np.ndarray, linear: bool) -> _Footprint:
    h, w = card_shape[:2]
    x, y, bw, bh = box
    corners = np.array([[[0, 0]], [[w, 0]], [[w, h]], [[0, h]]], np.float32)
    ys = np.linspace(y, y + bh, 9 if linear else max(2, bh // _HI + 1))
    xs = np.linspace(x, x + bw, max(2, bw // _HI + 1))
    grid = np.stack(np.meshgrid(xs, ys), axis=-1).astype(np.float32)  # rows x columns x 2
    samples = cv2.perspectiveTransform(grid.reshape(-1, 1, 2), homography).reshape(grid.shape)
    return _Footprint(cv2.perspectiveTransform(corners, homography).reshape(4, 2), samples, linear)


def _is_whole(footprint: _Footprint, later: list[_Footprint], size: tuple[int, int]) -> bool:
    """Whether the symbol is in the frame and under no card pasted after it (see Planted.whole)."""
    width, height = size
    cover = np.zeros((height, width), np.uint8)
    for card in later:
        cv2.fillConvexPoly(cover, card.outline.round().astype(np.int32), 1)
    xs, ys = footprint.samples[..., 0], footprint.samples[..., 1]
    inside = (xs >= 0) & (xs <= width - 1) & (ys >= 0) & (ys <= height - 1)
    clear = inside.copy()
    clear[inside] = cover[ys[inside].round().astype(int), xs[inside].round().astype(int)] == 0
    return bool(clear.all(axis=1).any() if footprint.linear else clear.all())


def _card(modules: np.ndarray, quiet: int, rng: np.random.Generator, bar_rows: int = 0) -> tuple[np.ndarray, Box]:
    """A white card (reflectance 0..1 at _HI px a module) with the symbol, quiet zones and print,
    and the symbol's box on it (x, y, width, height in card pixels)."""
    if bar_rows:  # a linear code: one module row stretched to ``bar_rows`` modules tall
        modules = np.repeat(modules[:1], bar_rows, axis=0)
    h, w = modules.shape
    symbol = np.where(np.kron(modules, np.ones((_HI, _HI), bool)), 0.06, 0.92)
    pad_x, pad_y = quiet * _HI, (quiet if not bar_rows else 4) * _HI
    text_rows = int(rng.integers(1, 4))
    card = np.full((h * _HI + 2 * pad_y + text_rows * 5 * _HI, w * _HI + 2 * pad_x), 0.92, np.float32)
    card[pad_y : pad_y + h * _HI, pad_x : pad_x + w * _HI] = symbol
    for row in range(text_rows):
        y = pad_y + h * _HI + (row + 1) * 4 * _HI
        words = " ".join(_secret(rng, int(rng.integers(3, 8))) for _ in range(3))
        _write(card, words, (pad_x, y), _HI / 7, 0.1, max(1, _HI // 4))
    return card, (pad_x, pad_y, w * _HI, h * _HI)


def _qr_card(text: str, rng: np.random.Generator) -> tuple[np.ndarray, Box]:
    return _card(_qr_modules(text), 4, rng)


def _linear_card(text: str, name: str, rng: np.random.Generator, rows: int) -> tuple[np.ndarray, Box]:
    return _card(_zxing_modules(text, name), 10, rng, bar_rows=rows)


def _placement(card: np.ndarray, module_px: float, centre: tuple[float, float], degrees: float,
               tilt: float = 0.0) -> np.ndarray:
    """The homography from card pixels to frame pixels: scale, rotation, then a tilt of the card plane."""
    h, w = card.shape
    scale = module_px / _HI
    corners = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]]) * scale
    if tilt:  # the card turned away about its vertical axis: the far edge shrinks, the near one grows
        depth = 1 + np.sin(tilt) * corners[:, 0] / max(1.0, float(np.abs(corners[:, 0]).max())) * 0.5
        corners = np.stack([corners[:, 0] * np.cos(tilt) / depth, corners[:, 1] / depth], axis=1)
    angle = np.radians(degrees)
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    target = corners @ rotation.T + np.array(centre)
    source = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    return cv2.getPerspectiveTransform(source, target.astype(np.float32))


def _paste(scene: np.ndarray, card: np.ndarray, homography: np.ndarray, module_px: float) -> None:
    """Projects ``card`` into ``scene`` in place, low-passed first so small modules do not alias."""
    sigma = 0.5 * _HI / max(module_px, 0.1)
    if sigma > 0.6:
        card = cv2.GaussianBlur(card, (0, 0), sigma)
    size = (scene.shape[1], scene.shape[0])
    warped = cv2.warpPerspective(card, homography, size, flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.ones_like(card), homography, size, flags=cv2.INTER_LINEAR)
    scene *= 1 - mask
    scene += warped * mask


def _background(size: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    width, height = size
    coarse = rng.uniform(0.25, 0.6, (6, 8)).astype(np.float32)
    scene = cv2.resize(coarse, (width, height), interpolation=cv2.INTER_CUBIC)
    for _ in range(int(rng.integers(2, 7))):  # posters, a sleeve, a table edge
        x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
        cv2.rectangle(scene, (x, y), (x + int(rng.integers(20, width // 3)), y + int(rng.integers(20, height // 3))),
                      float(rng.uniform(0.1, 0.8)), -1)
    for _ in range(int(rng.integers(3, 9))):
        origin = (int(rng.integers(0, width - 60)), int(rng.integers(20, height)))
        _write(scene, _secret(rng, int(rng.integers(4, 14))), origin, float(rng.uniform(0.4, 1.4)) * height / 720,
               float(rng.uniform(0.0, 0.3)), 2)
    return np.clip(scene, 0, 1)


def disc_kernel(radius: float) -> np.ndarray:
    """A lens out of focus: a uniform disc of ``radius`` pixels (anti-aliased edge)."""
    r = int(np.ceil(radius)) + 1
    y, x = np.mgrid[-r : r + 1, -r : r + 1]
    kernel = np.clip(radius + 0.5 - np.hypot(x, y), 0, 1).astype(np.float32)
    return kernel / kernel.sum()


def line_kernel(length: float, degrees: float) -> np.ndarray:
    """A hand moving during the exposure: a line of ``length`` pixels at ``degrees``."""
    r = int(np.ceil(length / 2)) + 1
    kernel = np.zeros((2 * r + 1, 2 * r + 1), np.float32)
    angle = np.radians(degrees)
    for t in np.linspace(-length / 2, length / 2, max(2, int(length * 4))):
        kernel[round(float(r + t * np.sin(angle))), round(float(r + t * np.cos(angle)))] += 1
    return kernel / kernel.sum()


def _sensor(scene: np.ndarray, rng: np.random.Generator, gain: float, read_noise: float,
            quality: int) -> np.ndarray:
    """Exposure, shot and read noise, gamma, 8 bits, a slight colour cast, and MJPEG compression."""
    signal = np.clip(scene * gain, 0, 1)
    noisy = signal + rng.normal(0, 1, signal.shape).astype(np.float32) * (0.012 * np.sqrt(signal) + read_noise)
    gray = (np.clip(noisy, 0, 1) ** (1 / 2.2) * 255).astype(np.uint8)
    tint = rng.uniform(0.9, 1.05, 3)
    bgr = np.clip(gray[:, :, None] * tint, 0, 255).astype(np.uint8)
    ok, data = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return cv2.imdecode(data, cv2.IMREAD_COLOR)


def _qr_module_px(size: tuple[int, int], rng: np.random.Generator) -> float:
    return float(rng.uniform(3.2, 6.5) * size[1] / 720 + 0.8)


def _place_ticket(scene: np.ndarray, rng: np.random.Generator, centre: tuple[float, float],
                  linear: bool = False, module_px: float | None = None, tilt: float = 0.0,
                  degrees: float | None = None, layout: list[_Footprint] | None = None) -> Planted:
    size = (scene.shape[1], scene.shape[0])
    if linear:
        text, module = _secret(rng, int(rng.integers(8, 13))), module_px or float(rng.uniform(2.0, 3.5))
        card, box = _linear_card(text, "Code128", rng, rows=int(rng.integers(12, 30)))
    else:
        text, module = _secret(rng, int(rng.integers(16, 30))), module_px or _qr_module_px(size, rng)
        card, box = _qr_card(text, rng)
    angle = float(rng.uniform(-20, 20)) if degrees is None else degrees
    placement = _placement(card, module, centre, angle, tilt)
    _paste(scene, card, placement, module)
    if layout is not None:
        layout.append(_footprint(card.shape, box, placement, linear))
    return Planted(text, "CODE_128" if linear else "QR_CODE", module)


def _centre(size: tuple[int, int], rng: np.random.Generator, margin: float = 0.3) -> tuple[float, float]:
    width, height = size
    return (float(rng.uniform(margin, 1 - margin) * width), float(rng.uniform(margin, 1 - margin) * height))


def _add_glare(scene: np.ndarray, at: tuple[float, float], radius: float, strength: float) -> None:
    h, w = scene.shape
    y, x = np.ogrid[:h, :w]
    scene += strength * np.exp(-((x - at[0]) ** 2 + ((y - at[1]) * 1.6) ** 2) / (2 * radius**2)).astype(np.float32)


def _screen(scene: np.ndarray, rng: np.random.Generator, centre: tuple[float, float],
            layout: list[_Footprint] | None = None) -> Planted:
    """A phone held up: dark bezel, an emitting screen (inverted in dark mode), a faint pixel grid."""
    size = (scene.shape[1], scene.shape[0])
    text, module = _secret(rng, int(rng.integers(16, 30))), _qr_module_px(size, rng)
    card, (x, y, w, h) = _qr_card(text, rng)
    if rng.random() < 0.5:
        card = 0.98 - card
    card = 0.15 + 0.8 * card
    bezel = np.full((card.shape[0] + 6 * _HI, card.shape[1] + 4 * _HI), 0.03, np.float32)
    bezel[3 * _HI : 3 * _HI + card.shape[0], 2 * _HI : 2 * _HI + card.shape[1]] = card
    grid = 1 - 0.12 * ((np.arange(bezel.shape[1]) // 2) % 2)[None, :].astype(np.float32)
    bezel *= grid
    placement = _placement(bezel, module, centre, float(rng.uniform(-25, 25)))
    _paste(scene, bezel * 1.3, placement, module)
    if layout is not None:
        layout.append(_footprint(bezel.shape, (x + 2 * _HI, y + 3 * _HI, w, h), placement, False))
    return Planted(text, "QR_CODE", module)


def _decoy(scene: np.ndarray, rng: np.random.Generator, centre: tuple[float, float],
           layout: list[_Footprint] | None = None) -> Planted:
    name = str(rng.choice(["EAN13", "DataMatrix", "PDF417", "Code39"]))
    text = "".join(str(d) for d in rng.integers(0, 10, 12)) if name == "EAN13" else _secret(rng, 10)
    modules = _zxing_modules(text, name)
    card, box = _card(modules, 6, rng, bar_rows=0 if name in ("DataMatrix", "PDF417") else 20)
    module = float(rng.uniform(2.0, 4.0))
    placement = _placement(card, module, centre, float(rng.uniform(-20, 20)))
    _paste(scene, card, placement, module)
    if layout is not None:
        layout.append(_footprint(card.shape, box, placement, name not in ("DataMatrix", "PDF417")))
    return Planted(text, name, module)


def _spots(size: tuple[int, int], count: int, rng: np.random.Generator) -> list[tuple[float, float]]:
    """``count`` centres on a shuffled grid, one per cell, so symbols do not overlap."""
    columns = 2 if count <= 2 else 3 if count <= 6 else 4
    rows = int(np.ceil(count / columns)) if count > 2 else 1
    cells = [(c, r) for c in range(columns) for r in range(rows)]
    order = rng.permutation(len(cells))[:count]
    width, height = size
    return [((cells[i][0] + rng.uniform(0.4, 0.6)) * width / columns,
             (cells[i][1] + rng.uniform(0.4, 0.6)) * height / rows) for i in order]


def make_frame(kind: str, size: tuple[int, int], rng: np.random.Generator) -> HardFrame:
    """One frame of ``kind`` (see KINDS) at ``size`` (width, height)."""
    scene = _background(size, rng)
    scale = size[1] / 720
    gain, noise, quality, sigma = float(rng.uniform(0.8, 1.1)), 0.004, int(rng.integers(80, 93)), 0.6
    psf: np.ndarray | None = None
    codes: list[Planted] = []
    decoys: list[Planted] = []
    layout: list[_Footprint] = []  # every card pasted, in order: the codes' first, then the decoys'
    if kind == "multi":
        for spot in _spots(size, int(rng.integers(2, 5)), rng):
            linear = rng.random() < 0.3
            module = float(rng.uniform(2.2, 3.5)) if linear else _qr_module_px(size, rng) * 0.8
            codes.append(_place_ticket(scene, rng, spot, linear=linear, module_px=module, layout=layout))
    elif kind == "decoys":
        spots = _spots(size, int(rng.integers(3, 5)), rng)
        codes.append(_place_ticket(scene, rng, spots[0], linear=rng.random() < 0.35, layout=layout))
        decoys.extend(_decoy(scene, rng, spot, layout) for spot in spots[1:])
    elif kind == "screen":
        codes.append(_screen(scene, rng, _centre(size, rng), layout))
        _add_glare(scene, _centre(size, rng), float(rng.uniform(40, 120)) * scale, float(rng.uniform(0.1, 0.4)))
    elif kind == "code128":
        codes.append(_place_ticket(scene, rng, _centre(size, rng), linear=True,
                                   module_px=float(rng.uniform(1.5, 3.0)), layout=layout))
        sigma = float(rng.uniform(0.5, 0.9))
    else:
        tilt = float(np.radians(rng.uniform(35, 60))) * float(rng.choice([-1, 1])) if kind == "perspective" else 0.0
        linear = kind in ("clean", "low_light", "glare") and rng.random() < 0.25
        centre = _centre(size, rng)
        ticket = _place_ticket(scene, rng, centre, linear=linear, tilt=tilt, layout=layout)
        codes.append(ticket)
        if kind == "defocus":
            psf = disc_kernel(float(rng.uniform(0.55, 1.05)) * ticket.module_px)
        elif kind == "motion":
            psf = line_kernel(float(rng.uniform(5, 15)), float(rng.uniform(0, 180)))
        elif kind == "low_light":
            gain, noise, sigma = float(rng.uniform(0.04, 0.15)), 0.006, 0.9
        elif kind == "glare":  # a lamp's reflection on the ticket, off its centre by up to ten modules
            reach = 10 * ticket.module_px
            at = (centre[0] + float(rng.uniform(-reach, reach)), centre[1] + float(rng.uniform(-reach, reach)))
            _add_glare(scene, at, float(rng.uniform(4, 10)) * ticket.module_px, float(rng.uniform(0.5, 1.4)))
            scene *= np.linspace(float(rng.uniform(0.4, 0.8)), 1.1, size[0], dtype=np.float32)[None, :]
    scene = cv2.filter2D(scene, -1, psf) if psf is not None else cv2.GaussianBlur(scene, (0, 0), sigma)
    frame = _sensor(scene, rng, gain, noise, quality)
    codes = [replace(code, whole=_is_whole(layout[n], layout[n + 1 :], size)) for n, code in enumerate(codes)]
    if kind == "code128" and codes[0].module_px < 2.0:
        kind = FINE_CODE128
    return HardFrame(kind, size, frame, tuple(codes), tuple(decoys))


def generate(seed: int, per_kind: int, sizes: tuple[tuple[int, int], ...] = SIZES) -> list[HardFrame]:
    """``per_kind`` frames of every kind at every size; the same seed gives the same frames."""
    rng = np.random.default_rng(seed)
    return [make_frame(kind, size, rng) for size in sizes for kind in KINDS for _ in range(per_kind)]


@dataclass(frozen=True)
class Clip:
    """A ticket slid into a fixed-focus camera's view, then held still: frames at 30 a second."""

    size: tuple[int, int]
    frames: tuple[np.ndarray, ...]
    code: Planted
    #: Index of the first frame showing part of the ticket's card, and of the first showing all of it.
    first_seen: int
    all_seen: int


def make_clip(size: tuple[int, int], rng: np.random.Generator, sliding: int = 8, held: int = 22) -> Clip:
    """A card sliding in from the left over ``sliding`` frames (easing out, smeared along its way by
    half a frame's exposure), then ``held`` frames still; the lens slightly out of focus throughout."""
    width = size[0]
    base = _background(size, rng)
    linear = rng.random() < 0.3
    text = _secret(rng, int(rng.integers(8, 13) if linear else rng.integers(16, 30)))
    module = float(rng.uniform(2.2, 3.5)) if linear else _qr_module_px(size, rng)
    card, _ = _linear_card(text, "Code128", rng, 20) if linear else _qr_card(text, rng)
    half_width = card.shape[1] * module / _HI / 2
    rest = _centre(size, rng)
    start_x = -half_width * 1.2
    lens = disc_kernel(float(rng.uniform(0.2, 0.45)) * module)
    angle, frames, first_seen, all_seen = float(rng.uniform(-10, 10)), [], -1, -1
    for index in range(sliding + held):
        progress = 1 - (1 - min(1.0, index / sliding)) ** 2
        x = start_x + (rest[0] - start_x) * progress
        step = x - (start_x + (rest[0] - start_x) * (1 - (1 - min(1.0, (index - 1) / sliding)) ** 2))
        # The card alone is smeared by its motion: it is drawn on a layer of its own, with its coverage.
        layer, cover = np.zeros_like(base), np.zeros_like(base)
        placement = _placement(card, module, (x, rest[1]), angle)
        _paste(layer, card, placement, module)
        _paste(cover, np.ones_like(card), placement, module)
        if abs(step) >= 1 and index > 0:
            smear = line_kernel(min(15.0, abs(step) / 2), 0.0)
            layer, cover = cv2.filter2D(layer, -1, smear), cv2.filter2D(cover, -1, smear)
        scene = base * (1 - cover) + layer
        frames.append(_sensor(cv2.filter2D(scene, -1, lens), rng, 1.0, 0.004, 88))
        if first_seen < 0 and x + half_width > 0:
            first_seen = index
        if all_seen < 0 and x - half_width >= 0 and x + half_width <= width:
            all_seen = index
    return Clip(size, tuple(frames), Planted(text, "CODE_128" if linear else "QR_CODE", module),
                first_seen, all_seen)
