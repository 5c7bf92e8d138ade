"""The layout rules a reader cannot see in one file: every module has a layer, and no module reaches into
another's private names (a leading underscore promises it can change without telling anyone)."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("boxoffice", "sync", "printing", "scanning")


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _layered() -> list[str]:
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    [layers] = [c["layers"] for c in contracts if c["type"] == "layers"]
    return [name.strip(" ()") for layer in layers for name in layer.replace(":", "|").split("|")]


def _private_uses(path: Path, modules: dict[str, Path]) -> list[str]:
    """`from other import _name`, or `other._name` on a module imported whole, in `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases: dict[str, str] = {}
    uses = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in PACKAGES:
            for alias in node.names:
                if f"{node.module}.{alias.name}" in modules:
                    aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                elif _private(alias.name):
                    uses.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {node.module}.{alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in modules and alias.asname:
                    aliases[alias.asname] = alias.name
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
                and _private(node.attr)):
            uses.append(f"{path.relative_to(ROOT)}:{node.lineno} uses {aliases[node.value.id]}.{node.attr}")
    return uses


def _private(name: str) -> bool:
    return name.startswith("_") and name != "_" and not name.startswith("__")  # `_` is gettext


def test_every_module_of_the_four_packages_sits_in_a_layer_of_the_import_contract() -> None:
    layered = _layered()
    unplaced = [name for name in _modules() if name not in PACKAGES
                and not any(name == layer or name.startswith(layer + ".") for layer in layered)]
    assert unplaced == [], f"add these to a layer in pyproject.toml's import contract: {unplaced}"


def test_no_module_imports_another_modules_private_names() -> None:
    modules = _modules()
    uses = [use for path in modules.values() for use in _private_uses(path, modules)]
    assert uses == [], "make these public (or move them where they are used):\n" + "\n".join(uses)
