# SPDX-License-Identifier: AGPL-3.0-or-later
"""Door benchmark: code string to committed verdict on 100,000 tickets vs bare sqlite3, and camera latency.

Run: python -m benchmarks.door   (the last line is one JSON object)
"""

from __future__ import annotations

import json
import queue
import random
import sqlite3
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np
from sqlalchemy import select

from benchmarks.figures import percentile
from boxoffice.model.sales import Ticket
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import door
from boxoffice.services.demo import create_demo
from boxoffice.services.door import DoorSetup
from boxoffice.services.door_lists import door_choices, make_setup
from boxoffice.store.engine import DATABASE_FILE, open_store
from boxoffice.store.ids import uuid7
from scanning.camera import Camera, CameraScan
from tests.scanning.images import qr_image, ticket_frame

TICKETS = 100_000
WARM_UP = 300
SCANS = 5_000
CAMERA_TICKETS = 24



def build(folder: Path) -> tuple[Writer, DoorSetup, list[str]]:
    writer = Writer(open_store(folder))
    started = time.perf_counter()
    with writer.transaction() as work:
        create_demo(work, tickets=TICKETS, contact_count=0)
    print(f"store with {TICKETS:,} tickets built in {time.perf_counter() - started:.1f} s")
    with writer.store.session() as session:
        setup = make_setup(session, [d.id for d in door_choices(session).dates], door="Benchmark door")
        codes = list(session.scalars(select(Ticket.secret)))
    random.Random(7).shuffle(codes)
    return writer, setup, codes


def time_verdicts(writer: Writer, setup: DoorSetup, codes: list[str]) -> tuple[list[float], list[float]]:
    """Microseconds per scan, each its own transaction like a real door: total, and the verdict
    without the commit (what the engine costs vs what the unit of work's commit costs)."""
    totals, verdicts = [], []
    for code in codes:
        start = time.perf_counter()
        with writer.transaction() as work:
            verdict = door.check(work, setup, code)
            decided = time.perf_counter()
        end = time.perf_counter()
        assert verdict.admitted, verdict
        totals.append((end - start) * 1e6)
        verdicts.append((decided - start) * 1e6)
    return totals, verdicts


def time_bare_sqlite(path: Path, codes: list[str]) -> list[float]:
    """The floor: plain sqlite3 select of the ticket + insert of a check-in + commit, same file and pragmas."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA busy_timeout=10000"):
        conn.execute(pragma)
    times = []
    for code in codes:
        start = time.perf_counter()
        conn.execute("BEGIN")
        row = conn.execute("SELECT id, date_id, zone_id, state FROM tickets WHERE secret = ?", (code,)).fetchone()
        conn.execute(
            "INSERT INTO checkins (id, ticket_id, code, date_id, zone_id, door, device_id, direction, verdict,"
            " reason, scanned_at, hlc) VALUES (?, ?, ?, ?, ?, 'baseline', 'bench', 'in', 'admitted', 'welcome',"
            " ?, ?)", (uuid7(), row[0], code, row[1], row[2], datetime.now(UTC).isoformat(), uuid7()))
        conn.execute("COMMIT")
        times.append((time.perf_counter() - start) * 1e6)
    conn.close()
    return times


def write_video(path: Path, codes: list[str]) -> Path:
    """Each ticket held up for 8 frames at 30 fps (640x480), a blank frame or two between tickets."""
    out = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 30, (640, 480))
    blank = ticket_frame(np.full((4, 4), 170, np.uint8), (640, 480))
    for code in codes:
        shown = ticket_frame(qr_image(code, box_size=6), (640, 480))
        for frame in [blank] * 2 + [shown] * 8:
            out.write(frame)
    out.release()
    return path


def time_camera(writer: Writer, setup: DoorSetup, codes: list[str], folder: Path) -> list[float]:
    """Milliseconds from the grab of the frame that shows a code to its committed verdict."""
    scans: queue.Queue[CameraScan | None] = queue.Queue()
    latencies: list[float] = []

    def judge() -> None:  # the door's single writer thread
        while (scan := scans.get()) is not None:
            with writer.transaction() as work:
                door.check(work, setup, scan.code.text)
            latencies.append((time.monotonic() - scan.captured_at) * 1000)

    worker = threading.Thread(target=judge)
    worker.start()
    camera = Camera(write_video(folder / "door.avi", codes), scans.put)
    camera.start()
    try:
        camera.wait_finished(timeout=120)
    finally:
        camera.stop()
        scans.put(None)
        worker.join()
    return latencies


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        writer, setup, codes = build(folder)
        time_verdicts(writer, setup, codes[:WARM_UP])
        totals, verdicts = time_verdicts(writer, setup, codes[WARM_UP:WARM_UP + SCANS])
        baseline = time_bare_sqlite(folder / DATABASE_FILE, codes[WARM_UP + SCANS:WARM_UP + 2 * SCANS])
        camera = time_camera(writer, setup, codes[-CAMERA_TICKETS:], folder)
        writer.store.close()
    figures = {
        "tickets": TICKETS,
        "p50_us": round(percentile(totals, 0.5), 1), "p99_us": round(percentile(totals, 0.99), 1),
        "baseline_p50_us": round(percentile(baseline, 0.5), 1),
        "baseline_p99_us": round(percentile(baseline, 0.99), 1),
        "verdict_before_commit_p50_us": round(percentile(verdicts, 0.5), 1),
        "camera_scans": len(camera),
        "frame_to_verdict_p50_ms": round(percentile(camera, 0.5), 2) if camera else None,
        "frame_to_verdict_p99_ms": round(percentile(camera, 0.99), 2) if camera else None,
    }
    figures["ratio_p99"] = round(figures["p99_us"] / figures["baseline_p99_us"], 1)
    print(f"code to committed verdict ({SCANS:,} scans, one transaction each): p50 {figures['p50_us']} µs, "
          f"p99 {figures['p99_us']} µs (target p99 <= 2000 µs)")
    print(f"  of which before the commit (lookups + checkins.record): p50 {figures['verdict_before_commit_p50_us']} µs")
    print(f"bare sqlite3 select + insert + commit: p50 {figures['baseline_p50_us']} µs, "
          f"p99 {figures['baseline_p99_us']} µs; ratio p99 {figures['ratio_p99']}x")
    print(f"camera frame to committed verdict ({len(camera)} of {CAMERA_TICKETS} tickets): "
          f"p50 {figures['frame_to_verdict_p50_ms']} ms, p99 {figures['frame_to_verdict_p99_ms']} ms")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
