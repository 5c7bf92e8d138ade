"""Open the folder the log files are in, in the desktop's file manager."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from boxoffice import logs


def app_log_folder() -> Path:
    return logs.log_folder("boxoffice")


def open_log_folder(folder: Path | None = None) -> bool:
    """Show `folder` (default: the app's log folder), creating it first; False when no file manager opened."""
    chosen = folder or app_log_folder()
    chosen.mkdir(parents=True, exist_ok=True)
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(chosen)))
