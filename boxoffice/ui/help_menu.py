"""The Help menu and the Settings row that open the About box and the log folder."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QMainWindow, QPushButton, QWidget

from boxoffice.i18n import _
from boxoffice.ui.about import show_about
from boxoffice.ui.log_folder import open_log_folder


def install_help_menu(window: QMainWindow) -> None:
    menu = window.menuBar().addMenu(_("&Help"))
    menu.setObjectName("help_menu")
    folder = QAction(_("Open log folder"), window)
    folder.triggered.connect(lambda: open_log_folder())
    about = QAction(_("About boxoffice"), window)
    about.setMenuRole(QAction.MenuRole.AboutRole)
    about.triggered.connect(lambda: setattr(window, "about_dialog", show_about(window)))
    menu.addAction(folder)
    menu.addAction(about)


def log_and_about_row(parent: QWidget) -> QHBoxLayout:
    """Settings' "Open log folder" and "About boxoffice…" buttons."""
    folder = QPushButton(_("Open log folder"))
    folder.setObjectName("open_log_folder")
    folder.clicked.connect(lambda: open_log_folder())
    about = QPushButton(_("About boxoffice…"))
    about.setObjectName("about_boxoffice")
    about.clicked.connect(lambda: setattr(parent, "about_dialog", show_about(parent)))
    row = QHBoxLayout()
    row.addWidget(folder)
    row.addWidget(about)
    row.addStretch(1)
    return row
