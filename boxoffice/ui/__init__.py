"""The PySide6 desktop app: main window shell, one package per page, ops that leave the UI thread."""

from boxoffice.ui.none_guard import keep_none_alive

# Before any Qt call of the app, its tests, screenshots and benchmarks: they all import this package.
keep_none_alive()
