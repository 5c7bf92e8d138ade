"""The About box: the app's name, version and licence, and the versions of what it runs on."""

from __future__ import annotations

import ctypes
import platform
import sqlite3
from importlib import metadata

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from boxoffice import __version__
from boxoffice.i18n import _
from boxoffice.ui.app_icon import app_icon

LICENCE = "AGPL-3.0-or-later"


def _distribution(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return _("not installed")


def zbar_library_version() -> str:
    """The zbar C library's own version (pyzbar is only its binding)."""
    try:
        from pyzbar import zbar_library

        library = zbar_library.load()[0]
        major, minor, patch = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
        library.zbar_version.argtypes = [ctypes.POINTER(ctypes.c_uint)] * 3
        library.zbar_version(ctypes.byref(major), ctypes.byref(minor), ctypes.byref(patch))
    except (ImportError, OSError, AttributeError):
        return _("not found")
    return f"{major.value}.{minor.value}.{patch.value}"


def component_versions() -> list[tuple[str, str]]:
    """(component, version) for the About box and crash reports."""
    return [
        ("Python", platform.python_version()),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("SQLite", sqlite3.sqlite_version),
        ("zxing-cpp", _distribution("zxing-cpp")),
        ("pyzbar", _distribution("pyzbar")),
        ("zbar", zbar_library_version()),
        ("OpenCV", _distribution("opencv-python-headless")),
    ]


def version_lines() -> list[str]:
    return [f"boxoffice {__version__} ({platform.platform()})",
            *(f"{name} {version}" for name, version in component_versions())]


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("about_dialog")
        self.setWindowTitle(_("About boxoffice"))
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(96, 96))
        icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        heading = QLabel(f"<h2>boxoffice {__version__}</h2>")
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        blurb = QLabel(_("Offline-first box office: contacts, invitations, desk sales, door control and "
                         "badge printing."))
        blurb.setWordWrap(True)
        licence = QLabel(_("Free software under the {licence} licence: you may share and change it, and anyone "
                           "you serve it to over a network may ask for its source.").format(licence=LICENCE))
        licence.setWordWrap(True)
        versions = QFormLayout()
        for name, version in component_versions():
            value = QLabel(version)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            versions.addRow(name, value)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (icon, heading, blurb, licence):
            layout.addWidget(widget)
        layout.addLayout(versions)
        layout.addStretch(1)
        layout.addWidget(buttons)


def show_about(parent: QWidget | None) -> AboutDialog:
    dialog = AboutDialog(parent)
    dialog.open()
    return dialog
