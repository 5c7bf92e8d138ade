"""`make screenshots`: every page at 1366x768 in each language, nothing cut off, nothing wider than the screen."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from screenshot_fit import cut_off  # noqa: E402 (the scripts folder is not a package)


class TestScreenshots:
    def test_every_page_fits_a_1366_by_768_laptop_in_english_french_and_german(self, tmp_path: Path):
        done = subprocess.run([sys.executable, str(ROOT / "scripts" / "screenshots.py"), "--check",
                               "--languages", "en,fr,de", "--out", str(tmp_path)],
                              capture_output=True, text=True, timeout=900, check=False)
        assert done.returncode == 0, done.stderr[-3000:]
        for language in ("en", "fr", "de"):  # Italian and Spanish labels are shorter than German
            for page in ("welcome", "events-editor", "desk", "door-scan", "contacts", "passes", "settings"):
                image = QImage(str(tmp_path / f"{page}-{language}.png"))
                assert (image.width(), image.height()) == (1366, 768), f"{page}-{language}"


class TestCutOff:
    def test_a_row_of_buttons_wider_than_the_screen_is_reported_with_the_width_it_needs(self, qtbot):
        window = QWidget()
        row = QHBoxLayout(window)
        for number in range(12):
            row.addWidget(QPushButton(f"Einen sehr langen Knopf {number}"))
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        problems = cut_off(window, (1366, 768))
        assert any("larger than the 1366x768 screen" in problem for problem in problems), problems

    def test_a_label_squeezed_below_its_text_is_reported_by_its_text(self, qtbot):
        window = QWidget()
        column = QVBoxLayout(window)
        label = QLabel("Letzte Synchronisierung: nie")
        label.setMinimumWidth(10)
        label.setMaximumWidth(60)
        column.addWidget(label)
        qtbot.addWidget(window)
        window.resize(400, 300)
        window.show()
        assert cut_off(window, (1366, 768)) == [
            f"QLabel “Letzte Synchronisierung: nie” is cut: 60 px for {label.minimumSizeHint().width()} px of text"]

    def test_a_window_that_fits_reports_nothing(self, qtbot):
        window = QWidget()
        QVBoxLayout(window).addWidget(QPushButton("OK"))
        qtbot.addWidget(window)
        window.resize(400, 300)
        window.show()
        assert cut_off(window, (1366, 768)) == []
