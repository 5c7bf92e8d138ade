"""The app's icon set: bundled 24 px line icons (resources/icons/pages/*.svg), drawn in the palette's text colour.

The SVGs stroke in `currentColor`; each time Qt asks for a pixmap the colour is put in from the palette of
that moment (text, disabled text, or the selection's text), so one icon reads on light and dark pages and on
the page list's filled selection without a second set of files.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer


def icons_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)  # inside a PyInstaller bundle (packaging ships resources/)
    root = Path(bundle) if bundle else Path(__file__).resolve().parents[2]
    return root / "resources" / "icons" / "pages"


def names() -> list[str]:
    return sorted(path.stem for path in icons_dir().glob("*.svg"))


@cache
def _source(name: str) -> bytes:
    return (icons_dir() / f"{name}.svg").read_bytes()


@cache
def _renderer(name: str, colour: str) -> QSvgRenderer:
    return QSvgRenderer(QByteArray(_source(name).replace(b"currentColor", colour.encode())))


def _colour(mode: QIcon.Mode) -> QColor:
    palette = QGuiApplication.palette()
    if mode == QIcon.Mode.Disabled:
        return palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
    if mode == QIcon.Mode.Selected:
        return palette.color(QPalette.ColorRole.HighlightedText)
    return palette.color(QPalette.ColorRole.WindowText)


class _Engine(QIconEngine):
    def __init__(self, name: str) -> None:
        super().__init__()
        self._name = name

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        _renderer(self._name, _colour(mode).name()).render(painter, QRectF(rect))

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        picture = QPixmap(size)
        picture.fill(Qt.GlobalColor.transparent)
        painter = QPainter(picture)
        self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        painter.end()
        return picture

    def clone(self) -> QIconEngine:
        return _Engine(self._name)

    def key(self) -> str:
        return "boxoffice-line"


def icon(name: str) -> QIcon:
    """The bundled icon `name` (see names()); an unknown name is a programming error, so it raises."""
    if not (icons_dir() / f"{name}.svg").exists():
        raise KeyError(f"no icon {name!r} in {icons_dir()}")
    return QIcon(_Engine(name))
