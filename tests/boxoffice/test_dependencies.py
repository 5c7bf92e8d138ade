"""The desktop app needs neither the server's libraries (the `server` extra) nor Qt modules outside
PySide6-Essentials, -Addons and -Pdf, and everything it imports comes with its own dependencies."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

IMPORT_EVERYTHING = """
import importlib, json, pkgutil, sys
import boxoffice, printing, scanning
for package in (boxoffice, printing, scanning):
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
importlib.import_module("sync.client")
print(json.dumps(sorted(sys.modules)))
"""
ROOT = Path(__file__).resolve().parents[2]
SERVER_ONLY = ("fastapi", "uvicorn", "psycopg", "starlette")


def _app_modules() -> list[str]:
    loaded = subprocess.run([sys.executable, "-c", IMPORT_EVERYTHING], capture_output=True, text=True,
                            timeout=300, env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""})
    assert loaded.returncode == 0, loaded.stderr
    return list(json.loads(loaded.stdout))


def _name(requirement: str) -> str:
    return re.split(r"[\s;<>=!~\[(]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _without_extras(distribution: str, seen: set[str]) -> set[str]:
    """`distribution` and everything it requires when installed without extras."""
    if distribution in seen:
        return seen
    seen.add(distribution)
    try:
        requires = metadata.requires(distribution) or []
    except metadata.PackageNotFoundError:
        return seen
    for requirement in requires:
        if "extra ==" not in requirement and "sys_platform == 'win32'" not in requirement:
            _without_extras(_name(requirement), seen)
    return seen


def test_importing_the_whole_app_loads_no_server_library_and_no_web_engine():
    modules = _app_modules()
    assert "boxoffice.ui.crash" in modules and "PySide6.QtWidgets" in modules
    assert [name for name in modules if name.split(".")[0] in SERVER_ONLY or name.startswith("sync.server")] == []
    assert [name for name in modules if name.startswith("PySide6.QtWebEngine")] == []


def _imported_by_the_app() -> set[str]:
    """Top-level names the app's own modules import (the server's package left out)."""
    names: set[str] = set()
    for folder in ("boxoffice", "printing", "scanning", "sync"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.relative_to(ROOT).parts[:2] == ("sync", "server"):
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names.add(node.module.split(".")[0])
    return names


def test_every_library_the_app_imports_is_installed_by_a_plain_pip_install():
    installed = _without_extras("boxoffice", set())
    owners = metadata.packages_distributions()
    # A top-level name several distributions fill (PySide6) needs one of them.
    unprovided = {top for top in _imported_by_the_app()
                  if top in owners and not {_name(owner) for owner in owners[top]} & installed}
    assert sorted(unprovided) == []
