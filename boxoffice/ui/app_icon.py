"""The app's icon, drawn from its SVG source (resources/icons/boxoffice.svg) at any size."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QIcon


def icon_path() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)  # inside a PyInstaller bundle
    root = Path(bundle) if bundle else Path(__file__).resolve().parents[2]
    return root / "resources" / "icons" / "boxoffice.svg"


def app_icon() -> QIcon:
    return QIcon(str(icon_path()))
