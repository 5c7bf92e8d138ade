"""Installed size and start-up: the packaged app (dist/boxoffice, `make package`) from process start to its
first painted window on the demo, next to a bare PySide6 window measured the same way in the same run.

Each start is a new process, timed from launch to the line it prints once its window is painted
(`boxoffice --smoke-test`); the first start of each is reported as the cold one (the page cache is not
dropped: that needs root and disturbs the machine), then the median of the warm ones. Without dist/boxoffice
the app from the virtual environment (`python -m boxoffice`) is timed, and its installed size is that of the
Python packages it needs.

Run: python -m benchmarks.startup   (the last line is one JSON object)
"""

from __future__ import annotations

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


def time_start(command: list[str], env: dict[str, str]) -> float:
    """Milliseconds from launch to the painted line."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    for line in process.stdout:
        if PAINTED in line:
            elapsed = (time.perf_counter() - started) * 1000
            break
    else:
        raise SystemExit(f"startup: {' '.join(command)} exited without painting its window")
    process.wait(60)
    return elapsed


def starts(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    cold = time_start(command, env)
    return cold, statistics.median(time_start(command, env) for _ in range(WARM_STARTS))


def main() -> int:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    with tempfile.TemporaryDirectory() as scratch:
        env["BOXOFFICE_LOG_DIR"] = str(Path(scratch) / "logs")
        data = Path(scratch) / "data"
        packaged = (BUNDLE / "boxoffice").exists()
        app = [str(BUNDLE / "boxoffice")] if packaged else [sys.executable, "-m", "boxoffice"]
        subprocess.run([*app, "--data-dir", str(data), "demo", "--tickets", "100"], env=env, check=True,
                       capture_output=True)
        size = folder_mb(BUNDLE) if packaged else venv_packages_mb()
        bare_cold, bare_warm = starts([sys.executable, "-c", BARE_WINDOW], env)
        app_cold, app_warm = starts([*app, "--data-dir", str(data), "--smoke-test"], env)
    what = "dist/boxoffice (PyInstaller folder)" if packaged else "the venv's packages (no dist/boxoffice)"
    print(f"installed size of {what}: {size:.0f} MB, "
          f"{size / TODAY_FOLDER_MB:.0%} of the {TODAY_FOLDER_MB} MB folder before")
    print(f"bare PySide6 window: first start {bare_cold:.0f} ms, then median {bare_warm:.0f} ms")
    print(f"boxoffice on the demo: first start {app_cold:.0f} ms ({app_cold / bare_cold:.1f}x), "
          f"then median {app_warm:.0f} ms ({app_warm / bare_warm:.1f}x)")
    print(json.dumps({
        "measured": what, "installed_mb": round(size, 1),
        "installed_ratio_to_before": round(size / TODAY_FOLDER_MB, 2),
        "cold_start_ms": round(app_cold), "warm_start_ms": round(app_warm),
        "baseline_ms": round(bare_cold), "baseline_warm_ms": round(bare_warm),
        "cold_ratio": round(app_cold / bare_cold, 2), "warm_ratio": round(app_warm / bare_warm, 2),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
