"""The desktop app needs neither the server's libraries (the `server` extra) nor Qt modules outside
PySide6-Essentials, -Addons and -Pdf: importing every module of the app loads none of them."""

from __future__ import annotations

import subprocess
import sys

IMPORT_EVERYTHING = """
import importlib, pkgutil, sys
import boxoffice, printing, scanning
for package in (boxoffice, printing, scanning):
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
importlib.import_module("sync.client")
print(" ".join(sorted(sys.modules)))
"""
SERVER_ONLY = ("fastapi", "uvicorn", "psycopg", "starlette", "sync.server")


def test_importing_the_whole_app_loads_no_server_library_and_no_web_engine():
    loaded = subprocess.run([sys.executable, "-c", IMPORT_EVERYTHING], capture_output=True, text=True,
                            timeout=300, env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""})
    assert loaded.returncode == 0, loaded.stderr
    modules = loaded.stdout.split()
    assert "boxoffice.ui.crash" in modules and "PySide6.QtWidgets" in modules
    assert [name for name in modules if name.split(".")[0] in SERVER_ONLY or name.startswith("sync.server")] == []
    assert [name for name in modules if name.startswith("PySide6.QtWebEngine")] == []
