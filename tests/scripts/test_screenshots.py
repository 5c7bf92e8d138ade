"""`make screenshots`: every page rendered at 1366x768, in the language asked, nothing wider than the screen."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]


class TestScreenshots:
    def test_the_welcome_and_the_event_editor_render_in_french_at_1366_by_768(self, tmp_path: Path):
        done = subprocess.run([sys.executable, str(ROOT / "scripts" / "screenshots.py"), "--languages", "fr",
                               "--only", "welcome,events-editor", "--out", str(tmp_path)],
                              capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 0, done.stderr[-2000:]
        for name in ("welcome-fr.png", "events-editor-fr.png"):
            image = QImage(str(tmp_path / name))
            assert (image.width(), image.height()) == (1366, 768), name  # the window never grew past the screen
