"""`boxoffice --smoke-test`: the window opens on the demo, is painted, its pages are built, and the app quits by
itself."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path


def test_the_window_is_painted_on_the_demo_and_the_app_quits_with_a_log_file(tmp_path: Path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BOXOFFICE_LOG_DIR": str(tmp_path / "logs")}
    data = tmp_path / "data"
    demo = subprocess.run([sys.executable, "-m", "boxoffice", "--data-dir", str(data), "demo", "--tickets", "20"],
                          env=env, capture_output=True, text=True, timeout=300)
    assert demo.returncode == 0, demo.stderr
    opened = subprocess.run([sys.executable, "-m", "boxoffice", "--data-dir", str(data), "--smoke-test"],
                            env=env, capture_output=True, text=True, timeout=300)
    assert opened.returncode == 0, opened.stderr
    assert re.search(r"boxoffice: window painted \(10 pages\)", opened.stdout), opened.stdout
    # The pages are built after the first paint; the smoke test quits once all of them are.
    assert re.search(r"boxoffice: pages ready \(10 pages\)", opened.stdout), opened.stdout
    assert (tmp_path / "logs" / "boxoffice.log").stat().st_size > 0


def test_a_store_that_cannot_be_opened_after_the_first_paint_fails_the_smoke_test_instead_of_hanging(tmp_path: Path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BOXOFFICE_LOG_DIR": str(tmp_path / "logs")}
    data = tmp_path / "data"
    data.mkdir()
    (data / "boxoffice.sqlite3").write_bytes(b"not a database" * 100)
    opened = subprocess.run([sys.executable, "-m", "boxoffice", "--data-dir", str(data), "--smoke-test"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert opened.returncode == 1, (opened.stdout, opened.stderr)
    assert "boxoffice: window painted" in opened.stdout and "pages ready" not in opened.stdout
    assert "DatabaseError" in opened.stderr
