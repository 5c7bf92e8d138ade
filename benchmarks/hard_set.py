# SPDX-License-Identifier: AGPL-3.0-or-later
"""Recall and ms per frame on the hard frames (benchmarks.hard_frames), per kind, pipeline next to bare zxing-cpp."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import zxingcpp

from benchmarks.hard_frames import FINE_CODE128, HARD_KINDS, SIZES, HardFrame, generate
from scanning.decode import FrameDecoder

SEED = 20261202
PER_KIND = 4  # frames per kind and size: 10 kinds x 3 sizes x 4 = 120 frames

Reader = Callable[[np.ndarray], list[str]]


@dataclass
class Tally:
    codes: int = 0
    read: int = 0
    false: int = 0
    frames: int = 0
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {"recall": round(self.read / self.codes, 4) if self.codes else None,
                "codes": self.codes, "read": self.read, "false_codes": self.false,
                "ms_per_frame": round(1000 * self.seconds / self.frames, 2) if self.frames else None}


#: Codes the frame's edge or another card cuts (Planted.whole is False): counted apart, as the codes
#: under two pixels a module are, since no reader can get them from that frame.
CUT = "cut_or_covered"


def measure(frames: list[HardFrame], read: Reader) -> dict[str, Tally]:
    """Tallies per kind, plus "hard" (every kind but clean and the sub-2-pixel Code 128) and "total".

    A cut or covered code counts in CUT only (and in "total"); its frame's time stays in its kind.
    """
    tallies: defaultdict[str, Tally] = defaultdict(Tally)
    for frame in frames:
        started = time.perf_counter()
        got = set(read(frame.frame))
        elapsed = time.perf_counter() - started
        wanted = {code.text for code in frame.codes}
        whole = {code.text for code in frame.codes if code.whole}
        groups = [frame.kind, "total"] + (["hard"] if frame.kind in HARD_KINDS else [])
        for group in groups:
            tally = tallies[group]
            counted = wanted if group == "total" else whole
            tally.codes += len(counted)
            tally.read += len(counted & got)
            tally.false += len(got - wanted)
            tally.frames += 1
            tally.seconds += elapsed
        if wanted - whole:
            cut = tallies[CUT]
            cut.codes += len(wanted - whole)
            cut.read += len((wanted - whole) & got)
    return dict(tallies)


def run(seed: int = SEED, per_kind: int = PER_KIND) -> dict[str, Any]:
    """Both readers on the same frames in the same run; prints one line per kind, returns the figures."""
    frames = generate(seed, per_kind)
    decoder = FrameDecoder()
    unconfirmed: set[str] = set()

    def pipeline(frame: np.ndarray) -> list[str]:
        codes = decoder.decode(frame)
        unconfirmed.update(code.text for code in codes if getattr(code, "unconfirmed", False))
        return [code.text for code in codes]

    readers: dict[str, Reader] = {
        "pipeline": pipeline,
        "bare_zxing": lambda f: [barcode.text for barcode in zxingcpp.read_barcodes(f)],
    }
    for read in readers.values():
        read(frames[0].frame)  # warm up before timing
    results = {name: measure(frames, read) for name, read in readers.items()}
    planted = {code.text for frame in frames for code in frame.codes}
    sizes = ", ".join(f"{w}x{h}" for w, h in SIZES)
    print(f"hard set: {len(frames)} frames ({per_kind} per kind and size, {sizes}), seed {seed}")
    notes = {FINE_CODE128: "  (under 2 px a module: physical ceiling)",
             CUT: "  (apart: cut by the frame's edge or under another card)"}
    ours_all, theirs_all = results["pipeline"], results["bare_zxing"]
    for kind in [*sorted(k for k in ours_all if k not in ("hard", "total", CUT)), "hard", CUT, "total"]:
        ours, theirs = ours_all.get(kind, Tally()), theirs_all.get(kind, Tally())
        if kind == CUT:
            print(f"  {kind:20} pipeline {ours.read:3}/{ours.codes:<3}            bare zxing {theirs.read:3}/"
                  f"{theirs.codes:<3}{notes[kind]}")
            continue
        print(f"  {kind:20} pipeline {ours.read:3}/{ours.codes:<3} {ours.to_json()['ms_per_frame']:6.1f} ms"
              f"   bare zxing {theirs.read:3}/{theirs.codes:<3} {theirs.to_json()['ms_per_frame']:6.1f} ms"
              f"   false {ours.false}/{theirs.false}{notes.get(kind, '')}")
    # A camera takes these once a second frame agrees (scanning.agreement); a single frame is all there is here.
    print(f"  read on one scan line only (unconfirmed): {len(unconfirmed & planted)} codes,"
          f" {len(unconfirmed - planted)} of them false")
    return {"frames": len(frames), "seed": seed,
            "unconfirmed": {"codes": len(unconfirmed & planted), "false": len(unconfirmed - planted)},
            **{name: {kind: tally.to_json() for kind, tally in kinds.items()} for name, kinds in results.items()}}


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=SEED, help="another seed generates a fresh set")
    parser.add_argument("--per-kind", type=int, default=PER_KIND)
    arguments = parser.parse_args()
    run(arguments.seed, arguments.per_kind)
