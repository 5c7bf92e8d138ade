# SPDX-License-Identifier: AGPL-3.0-or-later
"""Tests for Code 128 tickets the second look used to miss: tilted next to QR tickets at 1080p (its
bars and print joined into one region of mixed directions), lit by a lamp's glare, among decoys."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.hard_frames import make_frame
from scanning import restore
from scanning.decode import FrameDecoder
from scanning.regions import find_regions

#: Generous, so that what is read does not depend on how loaded the machine is.
NO_HURRY = 10.0

#: Hard-set frames (kind, size, seed) whose whole Code 128 ticket the code before these tests missed.
FRAMES = [("multi", (1920, 1080), 16), ("multi", (1280, 720), 6), ("glare", (1280, 720), 18),
          ("decoys", (640, 480), 0)]


@pytest.mark.parametrize(("kind", "size", "seed"), FRAMES)
def test_every_whole_ticket_of_the_frame_is_read_and_nothing_else(kind: str, size: tuple[int, int],
                                                                 seed: int) -> None:
    frame = make_frame(kind, size, np.random.default_rng(seed))
    tickets = {code.text for code in frame.codes if code.whole}
    first = {code.text for code in FrameDecoder(second_look=False).decode(frame.frame)}
    assert first < tickets and len(first) != 1  # the whole-frame pass leaves one; the second look runs
    got = [code.text for code in FrameDecoder(budget_seconds=NO_HURRY).decode(frame.frame)]
    assert sorted(got) == sorted(tickets)


def test_a_code_128_next_to_qr_tickets_at_1080p_is_a_bar_region() -> None:
    frame = make_frame("multi", (1920, 1080), np.random.default_rng(16))
    [bars] = [code for code in frame.codes if code.format == "CODE_128"]
    found = FrameDecoder(budget_seconds=NO_HURRY).decode(frame.frame)
    [code] = [code for code in found if code.text == bars.text]
    x, y = np.mean(code.corners, axis=0)
    gray = frame.frame.mean(axis=2).astype(np.uint8)
    assert any(region.linear and region.contains((int(x), int(y))) for region in find_regions(gray))


def test_flattening_a_scan_line_lets_one_threshold_split_bars_from_spaces_under_a_reflection() -> None:
    x = np.arange(600, dtype=np.float32)
    spaces = (x // 6) % 2 == 1  # bars and spaces 6 px wide
    line = np.clip(np.where(spaces, 200.0, 40.0) + 150 * np.exp(-(((x - 300) / 60) ** 2)), 0, 255)

    def split(profile: np.ndarray) -> np.ndarray:
        return np.asarray(profile > (profile.min() + profile.max()) / 2)

    assert not np.array_equal(split(line), spaces)  # the bars under the glare pass for spaces
    assert np.array_equal(split(restore.flatten_profile(line)), spaces)
