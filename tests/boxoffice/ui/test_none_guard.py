"""The app survives PySide6 6.12's lost references to None: a long day of Qt calls does not free None."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
calls = sys.getrefcount(None) + 1000  # more calls than None has references
{guard}
label = QLabel()
for _ in range(calls):
    label.setText("Admitted")
print("still running")
"""


def _run(guard: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", SCRIPT.format(guard=guard)], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


def test_a_door_showing_verdicts_all_day_keeps_running() -> None:
    guarded = _run("import boxoffice.ui")
    assert guarded.returncode == 0, guarded.stderr
    assert guarded.stdout.strip() == "still running"
