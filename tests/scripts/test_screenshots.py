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
    def test_every_page_fits_a_1366_by_768_laptop_in_english_french_and_german_light_and_german_dark(
            self, tmp_path: Path):
        # German, the widest, also in dark: the same store and pages repainted, so it costs a repaint per page.
        # At 125 % scaling (1093x614 to lay out in) French and German, the widest; English is narrower than both.
        for languages, schemes, scale in (("en,fr", "light", "1"), ("de", "light,dark", "1"),
                                          ("fr,de", "light", "1.25")):
            done = subprocess.run([sys.executable, str(ROOT / "scripts" / "screenshots.py"), "--check",
                                   "--languages", languages, "--schemes", schemes, "--scale", scale,
                                   "--out", str(tmp_path)],
                                  capture_output=True, text=True, timeout=900, check=False)
            assert done.returncode == 0, done.stderr[-3000:]
        pictures = [f"{page}-{language}.png" for language in ("en", "fr", "de")  # IT and ES are shorter than DE
                    for page in ("welcome", "events-editor", "desk", "door-scan", "contacts", "passes", "settings")]
        for name in [*pictures, "desk-de-dark.png", "door-scan-de-dark.png", "contacts-de-dark.png",
                     "passes-de-125.png", "desk-fr-125.png"]:
            image = QImage(str(tmp_path / name))
            assert (image.width(), image.height()) == (1366, 768), name
        dark, light = QImage(str(tmp_path / "desk-de-dark.png")), QImage(str(tmp_path / "desk-de.png"))
        assert dark.pixelColor(1300, 740).lightness() < 60 < 200 < light.pixelColor(1300, 740).lightness()


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
