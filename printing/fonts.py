"""The TrueType font badges are printed with: found once, registered with reportlab once."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from printing.errors import FontMissingError, _

REGULAR_FILE = "DejaVuSans.ttf"
BOLD_FILE = "DejaVuSans-Bold.ttf"


@dataclass(frozen=True)
class FontPair:
    """Registered reportlab font names and their vertical metrics (per point of size)."""

    regular: str
    bold: str
    ascent: float
    descent: float

    @property
    def line_height(self) -> float:
        return self.ascent - self.descent


def font_dirs() -> list[Path]:
    """Where to look, first match wins: the override, the shipped copy, then the system's."""
    dirs: list[Path] = []
    if override := os.environ.get("BOXOFFICE_FONT_DIR"):
        dirs.append(Path(override))
    # A PyInstaller build unpacks resources next to sys._MEIPASS rather than beside the sources.
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        dirs.append(Path(bundle) / "resources" / "fonts")
    dirs.append(Path(__file__).resolve().parent.parent / "resources" / "fonts")
    dirs += [
        Path("/usr/share/fonts/truetype/dejavu"),
        Path("/usr/share/fonts/dejavu"),
        Path("/usr/share/fonts/TTF"),
        Path("/usr/local/share/fonts"),
        Path.home() / "Library" / "Fonts",
        Path("/Library/Fonts"),
    ]
    if windir := os.environ.get("WINDIR"):
        dirs.append(Path(windir) / "Fonts")
    return dirs


def find_font(file_name: str) -> Path | None:
    return next((d / file_name for d in font_dirs() if (d / file_name).is_file()), None)


@cache
def badge_fonts() -> FontPair:
    """Register DejaVu Sans (regular and bold) once per process; raises FontMissingError if absent."""
    regular = find_font(REGULAR_FILE)
    if regular is None:
        searched = ", ".join(str(d) for d in font_dirs())
        raise FontMissingError(
            _(
                "The font {font} was not found (looked in {dirs}). Install fonts-dejavu-core "
                "or put the file in resources/fonts."
            ).format(font=REGULAR_FILE, dirs=searched)
        )
    pdfmetrics.registerFont(TTFont("BoxofficeSans", str(regular)))
    bold_path = find_font(BOLD_FILE)
    # Without the bold file, bold text falls back to regular rather than failing a whole print run.
    bold = "BoxofficeSans"
    if bold_path is not None:
        pdfmetrics.registerFont(TTFont("BoxofficeSans-Bold", str(bold_path)))
        bold = "BoxofficeSans-Bold"
    face = pdfmetrics.getFont("BoxofficeSans").face
    return FontPair("BoxofficeSans", bold, face.ascent / 1000, face.descent / 1000)
