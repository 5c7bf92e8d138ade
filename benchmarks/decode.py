# SPDX-License-Identifier: AGPL-3.0-or-later
"""Decode benchmark: recall and ms per frame of scanning.decode vs bare zxing-cpp, camera latency, hard set."""

from __future__ import annotations

import json
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
import zxingcpp

from benchmarks import clips, hard_set
from scanning.camera import CameraScan, ScanPipeline
from scanning.decode import Deduplicator, FrameDecoder
from tests.scanning.images import (
    blurred,
    code128_image,
    in_low_light,
    in_perspective,
    inverted,
    qr_image,
    rotated,
    ticket_frame,
)

SEED = 20240611
SIZES = ((1280, 720), (1920, 1080))
FRAMES_PER_KIND = 20  # per size and kind: 9 kinds x 2 sizes x 20 = 360 frames
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # base32 without ambiguous characters, as on tickets


@dataclass(frozen=True)
class Sample:
    kind: str
    size: tuple[int, int]
    frame: np.ndarray
    text: str


def _secret(rng: np.random.Generator, length: int) -> str:
    return "".join(ALPHABET[i] for i in rng.integers(0, len(ALPHABET), length))


def _frame_with(symbol: np.ndarray, size: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    width, height = size
    h, w = symbol.shape
    at = (int(rng.integers(40, width - w - 40)), int(rng.integers(40, height - h - 40)))
    return ticket_frame(symbol, size, at, rng)


def _qr_sample(kind: str, size: tuple[int, int], rng: np.random.Generator) -> Sample:
    text = _secret(rng, 26)
    scale = 1.5 if size[0] > 1280 else 1.0
    symbol = qr_image(text, box_size=int(rng.integers(2, 6) * scale))
    frame = _frame_with(symbol, size, rng)
    if kind == "blur":
        frame = blurred(frame, int(rng.choice([5, 7, 9, 11])))
    elif kind == "rotation":
        frame = rotated(frame, float(rng.uniform(-45, 45)))
    elif kind == "perspective":
        frame = in_perspective(frame, float(rng.uniform(0.08, 0.22)))
    elif kind == "low_light":
        frame = in_low_light(frame, float(rng.uniform(0.06, 0.25)), rng)
    elif kind == "inverted":
        frame = inverted(frame)
    return Sample(kind, size, frame, text)


def _code128_sample(kind: str, size: tuple[int, int], rng: np.random.Generator) -> Sample:
    text = _secret(rng, 12)
    symbol = code128_image(text, scale=int(rng.integers(2, 4)), height=int(rng.integers(60, 120)))
    frame = _frame_with(symbol, size, rng)
    if kind == "code128_blur_tilt":
        frame = rotated(blurred(frame, 3), float(rng.uniform(-6, 6)))
    elif kind == "code128_inverted":  # a phone screen in dark mode
        frame = inverted(frame)
    return Sample(kind, size, frame, text)


KINDS: dict[str, Callable[[str, tuple[int, int], np.random.Generator], Sample]] = {
    "clean": _qr_sample, "blur": _qr_sample, "rotation": _qr_sample, "perspective": _qr_sample,
    "low_light": _qr_sample, "inverted": _qr_sample, "code128": _code128_sample,
    "code128_blur_tilt": _code128_sample, "code128_inverted": _code128_sample,
}


def generate_samples(seed: int = SEED, per_kind: int = FRAMES_PER_KIND) -> list[Sample]:
    """The benchmark's frames; the same seed gives the same frames."""
    rng = np.random.default_rng(seed)
    return [make(kind, size, rng) for size in SIZES for kind, make in KINDS.items() for _ in range(per_kind)]


@dataclass
class Score:
    hits: int = 0
    frames: int = 0
    seconds: float = 0.0

    @property
    def recall(self) -> float:
        return self.hits / self.frames if self.frames else 0.0

    @property
    def ms_per_frame(self) -> float:
        return 1000 * self.seconds / self.frames if self.frames else 0.0


def _measure(
    samples: list[Sample], read: Callable[[np.ndarray], list[str]]
) -> tuple[Score, dict[str, Score]]:
    total, by_kind = Score(), defaultdict[str, Score](Score)
    for sample in samples:
        start = time.perf_counter()
        texts = read(sample.frame)
        elapsed = time.perf_counter() - start
        hit = int(sample.text in texts)
        for score in (total, by_kind[f"{sample.kind}@{sample.size[1]}p"]):
            score.hits += hit
            score.frames += 1
            score.seconds += elapsed
    return total, dict(by_kind)


def _empty_frame(size: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """What the door camera sees between visitors: paper, print, no code."""
    frame = ticket_frame(np.full((8, 8), 170, np.uint8), size, rng=rng)
    for line in range(12):
        origin = (int(rng.integers(0, size[0] - 300)), int(rng.integers(30, size[1])))
        cv2.putText(frame, f"ADMIT ONE  ROW {line}", origin, cv2.FONT_HERSHEY_SIMPLEX, 1.2, (40, 40, 40), 2)
    return frame


def measure_latency(
    samples: list[Sample], fps: float = 30.0, empty_frames: int = 6, frames_shown: int = 8
) -> tuple[list[float], list[float]]:
    """Latencies (ms) through the camera's decode pipeline, frames fed at camera pace: each ticket
    shown for ``frames_shown`` frames after ``empty_frames`` empty ones. Returns (per decoded frame:
    its capture to the callback; per ticket: its first frame to the callback, dropped frames included).
    """
    per_frame: list[float] = []
    per_ticket: list[float] = []
    first_shown: dict[str, float] = {}

    def on_scan(scan: CameraScan) -> None:
        per_frame.append(scan.latency_ms)
        if scan.code.text in first_shown:
            per_ticket.append(1000 * (scan.decoded_at - first_shown[scan.code.text]))

    empty = _empty_frame(samples[0].size, np.random.default_rng(SEED))
    pipeline = ScanPipeline(on_scan, FrameDecoder(), Deduplicator(hold_seconds=2.0))
    pipeline.start()
    start, tick = time.monotonic(), 0
    try:
        for sample in samples:
            for shown in [False] * empty_frames + [True] * frames_shown:
                time.sleep(max(0.0, start + tick / fps - time.monotonic()))  # camera pace
                now, tick = time.monotonic(), tick + 1
                if shown:
                    first_shown.setdefault(sample.text, now)
                pipeline.submit(sample.frame if shown else empty, now)
        pipeline.wait_idle(2.0)
    finally:
        pipeline.stop()
    return per_frame, per_ticket


def _percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    samples = generate_samples()
    decoder = FrameDecoder()
    print(f"{len(samples)} frames, sizes {', '.join(f'{w}x{h}' for w, h in SIZES)}, seed {SEED}")
    zxingcpp.read_barcodes(samples[0].frame)  # warm up both libraries before timing
    decoder.decode(samples[0].frame)
    pipeline, pipeline_kinds = _measure(samples, lambda f: [c.text for c in decoder.decode(f)])
    bare, bare_kinds = _measure(samples, lambda f: [b.text for b in zxingcpp.read_barcodes(f)])
    for kind in pipeline_kinds:
        ours, theirs = pipeline_kinds[kind], bare_kinds[kind]
        print(f"  {kind:24} pipeline {ours.recall:6.1%} {ours.ms_per_frame:6.1f} ms"
              f"   bare zxing {theirs.recall:6.1%} {theirs.ms_per_frame:6.1f} ms")
    latency_samples = [s for s in samples if s.size == (1280, 720)][::4]
    per_frame, latencies = measure_latency(latency_samples)
    ratio = pipeline.ms_per_frame / bare.ms_per_frame
    print(f"pipeline:   recall {pipeline.recall:.1%}, {pipeline.ms_per_frame:.2f} ms/frame")
    print(f"bare zxing: recall {bare.recall:.1%}, {bare.ms_per_frame:.2f} ms/frame")
    print(f"time ratio {ratio:.2f} (target <= 1.3); recall target: pipeline >= bare")
    p50, p99 = _percentile(latencies, 0.5), _percentile(latencies, 0.99)
    hard = hard_set.run()
    clip_times = clips.run()
    print(f"frame to callback, 720p at 30 fps, per decoded frame: p50 {_percentile(per_frame, 0.5):.1f} ms,"
          f" p99 {_percentile(per_frame, 0.99):.1f} ms")
    print(f"ticket's first frame to callback: p50 {p50:.1f} ms, p99 {p99:.1f} ms, mean "
          f"{statistics.fmean(latencies) if latencies else 0:.1f} ms over {len(latencies)} of "
          f"{len(latency_samples)} tickets shown (target < 100 ms)")
    print(json.dumps({
        "frames": len(samples),
        "pipeline": {"recall": round(pipeline.recall, 4), "ms_per_frame": round(pipeline.ms_per_frame, 2)},
        "bare_zxing": {"recall": round(bare.recall, 4), "ms_per_frame": round(bare.ms_per_frame, 2)},
        "time_ratio": round(ratio, 3),
        "frame_to_callback_ms_p50": round(p50, 2),
        "frame_to_callback_ms_p99": round(p99, 2),
        "hard_set": hard,
        "clips": clip_times,
    }))


if __name__ == "__main__":
    main()
