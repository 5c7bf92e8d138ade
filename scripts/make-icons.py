"""Render the app icon's SVG source to every PNG size, a Windows .ico and a macOS .icns.

    python scripts/make-icons.py OUT_DIR

Writes OUT_DIR/hicolor/<N>x<N>/apps/boxoffice.png (the freedesktop icon theme layout the .deb installs),
OUT_DIR/boxoffice.ico and OUT_DIR/boxoffice.icns. Generated at build time, never committed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "resources" / "icons" / "boxoffice.svg"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512)


def render(renderer: QSvgRenderer, size: int, path: Path) -> None:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(path)):
        raise SystemExit(f"make-icons: could not write {path}")


def main(out: Path) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QGuiApplication([])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"make-icons: {SOURCE} is not a valid SVG")
    pngs = {size: out / "hicolor" / f"{size}x{size}" / "apps" / "boxoffice.png" for size in SIZES}
    for size, path in pngs.items():
        render(renderer, size, path)
    (out / "hicolor" / "scalable" / "apps").mkdir(parents=True, exist_ok=True)
    (out / "hicolor" / "scalable" / "apps" / "boxoffice.svg").write_bytes(SOURCE.read_bytes())
    largest = Image.open(pngs[512])
    largest.save(out / "boxoffice.ico", sizes=[(s, s) for s in ICO_SIZES])
    largest.save(out / "boxoffice.icns", append_images=[Image.open(pngs[s]) for s in ICNS_SIZES if s != 512])
    del app
    print(f"make-icons: {len(pngs)} PNG sizes, boxoffice.ico and boxoffice.icns in {out}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    sys.exit(main(Path(sys.argv[1])))
