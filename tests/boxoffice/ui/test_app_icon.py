"""The app icon: drawn from its SVG source, and generated as PNG sizes, a Windows .ico and a macOS .icns."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PIL import Image

from boxoffice.ui.app_icon import app_icon, icon_path

ROOT = Path(__file__).resolve().parents[3]


def test_the_window_icon_is_drawn_from_the_svg_at_small_and_large_sizes(qtbot):
    assert icon_path().suffix == ".svg" and icon_path().exists()
    for size in (16, 256):
        image = app_icon().pixmap(size, size).toImage()
        assert image.width() == size
        assert image.pixelColor(size // 2, size // 2).alpha() > 0  # something is drawn in the middle


def test_make_icons_writes_every_png_size_an_ico_and_an_icns(tmp_path: Path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    made = subprocess.run([sys.executable, str(ROOT / "scripts" / "make-icons.py"), str(tmp_path)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    for size in (16, 32, 48, 128, 256, 512):
        with Image.open(tmp_path / "hicolor" / f"{size}x{size}" / "apps" / "boxoffice.png") as png:
            assert png.size == (size, size)
    assert (tmp_path / "hicolor" / "scalable" / "apps" / "boxoffice.svg").exists()
    with Image.open(tmp_path / "boxoffice.ico") as ico:
        assert {(16, 16), (32, 32), (256, 256)} <= set(ico.info["sizes"])
    with Image.open(tmp_path / "boxoffice.icns") as icns:
        assert icns.format == "ICNS" and (512, 512) in {size[:2] for size in icns.info["sizes"]}
