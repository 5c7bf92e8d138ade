"""The PySide6 desktop app: main window shell, one package per page, ops that leave the UI thread."""
