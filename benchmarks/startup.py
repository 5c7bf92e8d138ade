"""Installed size and start-up: the packaged app (dist/boxoffice, `make package`) from process start to its
first painted window on the demo, next to a bare PySide6 window measured the same way in the same run.

Each start is a new process, timed from launch to the line it prints once its window is painted
(`boxoffice --smoke-test`), and to the line it prints once every page is built (the window is painted
first, with the pages' names; the store opens and the pages fill in after). The first start of each is
reported as the cold one (the page cache is not dropped: that needs root and disturbs the machine), then
the median of the warm ones. Without dist/boxoffice
the app from the virtual environment (`python -m boxoffice`) is timed, and its installed size is that of the
Python packages it needs.

Run: python -m benchmarks.startup [--before OTHER_BUNDLE]   (the last line is one JSON object)
`--before` times another PyInstaller folder (an older build) in the same run, on the same demo.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "dist" / "boxoffice"
TODAY_FOLDER_MB = 538  # the PyInstaller folder before issue #15 (PySide6 meta-package, server libraries)
WARM_STARTS = 4
PAINTED = "window painted"
READY = "boxoffice: pages ready"
BARE_WINDOW = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication(sys.argv)
window = QWidget()
window.resize(1366, 768)
class Watch(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            print("bare: window painted", flush=True)
            QTimer.singleShot(0, app.quit)
        return False
watch = Watch()
window.installEventFilter(watch)
window.show()
app.exec()
"""


def folder_mb(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink()) / 2**20


def requirements(distribution: str, seen: set[str]) -> set[str]:
    """`distribution` and what it requires, recursively, when installed without extras."""
    if distribution in seen:
        return seen
    seen.add(distribution)
    try:
        requires = metadata.requires(distribution) or []
    except metadata.PackageNotFoundError:
        return seen
    for requirement in requires:
        if "extra ==" not in requirement and "win32" not in requirement:
            requirements(re.split(r"[\s;<>=!~\[(]", requirement, maxsplit=1)[0].lower(), seen)
    return seen


def venv_packages_mb() -> float:
    """The files of boxoffice's installed dependencies (without extras), as pip put them in the venv."""
    total = 0
    for name in requirements("boxoffice", set()) - {"boxoffice"}:
        try:
            files = metadata.distribution(name).files or []
        except metadata.PackageNotFoundError:
            continue
        total += sum(Path(file.locate()).stat().st_size for file in files if Path(file.locate()).is_file())
    return total / 2**20


def time_start(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Milliseconds from launch to the painted line, and to the ready line (the painted one if there is none)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    painted = ready = 0.0
    for line in process.stdout:
        elapsed = (time.perf_counter() - started) * 1000
        if PAINTED in line and not painted:
            painted = elapsed
        if READY in line:
            ready = elapsed
    process.wait(60)
    if not painted:
        raise SystemExit(f"startup: {' '.join(command)} exited without painting its window")
    return painted, ready or painted


def starts(command: list[str], env: dict[str, str]) -> tuple[tuple[float, float], tuple[float, float]]:
    """(painted, ready) of the first start, and the medians of the warm ones."""
    cold = time_start(command, env)
    warm = [time_start(command, env) for _ in range(WARM_STARTS)]
    return cold, (statistics.median(p for p, _ in warm), statistics.median(r for _, r in warm))


def main() -> int:
    options = argparse.ArgumentParser(description="installed size and start-up of the app")
    options.add_argument("--before", type=Path, help="another PyInstaller folder to time in the same run")
    before_bundle: Path | None = options.parse_args().before
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    with tempfile.TemporaryDirectory() as scratch:
        env["BOXOFFICE_LOG_DIR"] = str(Path(scratch) / "logs")
        data = Path(scratch) / "data"
        packaged = (BUNDLE / "boxoffice").exists()
        app = [str(BUNDLE / "boxoffice")] if packaged else [sys.executable, "-m", "boxoffice"]
        subprocess.run([*app, "--data-dir", str(data), "demo", "--tickets", "100"], env=env, check=True,
                       capture_output=True)
        size = folder_mb(BUNDLE) if packaged else venv_packages_mb()
        (bare_cold, _), (bare_warm, _) = starts([sys.executable, "-c", BARE_WINDOW], env)
        (app_cold, ready_cold), (app_warm, ready_warm) = starts([*app, "--data-dir", str(data), "--smoke-test"], env)
        before = {}
        if before_bundle is not None:
            (old_cold, _), (old_warm, _) = starts([str(before_bundle / "boxoffice"), "--data-dir", str(data),
                                                   "--smoke-test"], env)
            before = {"before_installed_mb": round(folder_mb(before_bundle), 1),
                      "before_cold_start_ms": round(old_cold), "before_warm_start_ms": round(old_warm),
                      "before_cold_ratio": round(old_cold / bare_cold, 2)}
            print(f"before ({before_bundle}): {before['before_installed_mb']:.0f} MB, window painted: first start "
                  f"{old_cold:.0f} ms ({old_cold / bare_cold:.1f}x), then median {old_warm:.0f} ms")
    what = "dist/boxoffice (PyInstaller folder)" if packaged else "the venv's packages (no dist/boxoffice)"
    print(f"installed size of {what}: {size:.0f} MB, "
          f"{size / TODAY_FOLDER_MB:.0%} of the {TODAY_FOLDER_MB} MB folder before")
    print(f"bare PySide6 window: first start {bare_cold:.0f} ms, then median {bare_warm:.0f} ms")
    print(f"boxoffice on the demo, window painted: first start {app_cold:.0f} ms ({app_cold / bare_cold:.1f}x), "
          f"then median {app_warm:.0f} ms ({app_warm / bare_warm:.1f}x)")
    print(f"boxoffice on the demo, every page built: first start {ready_cold:.0f} ms, "
          f"then median {ready_warm:.0f} ms")
    print(json.dumps({
        "measured": what, "installed_mb": round(size, 1),
        "installed_ratio_to_before": round(size / TODAY_FOLDER_MB, 2),
        "cold_start_ms": round(app_cold), "warm_start_ms": round(app_warm),
        "baseline_ms": round(bare_cold), "baseline_warm_ms": round(bare_warm),
        "cold_ratio": round(app_cold / bare_cold, 2), "warm_ratio": round(app_warm / bare_warm, 2),
        "pages_ready_cold_ms": round(ready_cold), "pages_ready_warm_ms": round(ready_warm), **before,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
