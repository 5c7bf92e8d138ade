"""Printer profiles and card layouts kept as JSON in the data directory, and which printer prints what."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from boxoffice.i18n import _
from printing import profiles as profile_files
from printing.layout import Layout, LayoutError
from printing.profiles import PrinterProfile
from printing.templates import BUILT_IN, TEST_CARD, test_card

PROFILES_DIR = "printer-profiles"
LAYOUTS_DIR = "layouts"
# What each built-in layout prints; a saved layout records its own kind.
BUILT_IN_KINDS = {
    "cr80-badge": "badge",
    "cr80-pass": "pass",
    "a4-ticket": "ticket",
    "thermal-80mm-ticket": "ticket",
    TEST_CARD: "test",
}
DEFAULT_LAYOUTS = {"badge": "cr80-badge", "pass": "cr80-pass", "ticket": "a4-ticket"}
DEFAULT_PROFILES = {"badge": "IDP Smart-51 CR80", "pass": "IDP Smart-51 CR80", "ticket": "Generic A4"}


class PrintSetupError(ValueError):
    """A profile or layout cannot be found, read or saved; the message says which and why."""


@dataclass(frozen=True)
class NamedLayout:
    """A layout the user can pick: built in or saved from the layout editor."""

    name: str
    kind: str
    built_in: bool


def load_profiles(data_dir: Path) -> list[PrinterProfile]:
    """The built-in profiles overlaid with the ones saved in the data directory, by name."""
    try:
        return profile_files.load_profiles(data_dir / PROFILES_DIR)
    except profile_files.ProfileError as error:
        raise PrintSetupError(_("A saved printer profile is wrong: {error}").format(error=error)) from None


def find_profile(data_dir: Path, name: str) -> PrinterProfile:
    for profile in load_profiles(data_dir):
        if profile.name == name:
            return profile
    raise PrintSetupError(_("There is no printer profile named “{name}”.").format(name=name))


def save_profile(data_dir: Path, profile: PrinterProfile) -> Path:
    return profile_files.save_profile(data_dir / PROFILES_DIR, profile)


def profile_for_printer(data_dir: Path, printer: str) -> PrinterProfile | None:
    """The profile assigned to `printer` in the Printers page, if any."""
    return next((p for p in load_profiles(data_dir) if p.printer == printer), None)


def assign_profile(data_dir: Path, printer: str, profile_name: str) -> PrinterProfile:
    """Make `profile_name` the one `printer` prints with; a profile serves one printer at a time."""
    chosen = find_profile(data_dir, profile_name)
    for other in load_profiles(data_dir):
        if other.printer == printer and other.name != profile_name:
            save_profile(data_dir, replace(other, printer=""))
    assigned = replace(chosen, printer=printer)
    save_profile(data_dir, assigned)
    return assigned


def profile_for(data_dir: Path, what: str, printer: str, name: str | None = None) -> PrinterProfile:
    """The profile to print `what` on `printer`: the named one, the printer's own, or the default."""
    if name:
        return find_profile(data_dir, name)
    return profile_for_printer(data_dir, printer) or find_profile(data_dir, DEFAULT_PROFILES[what])


def printer_for(data_dir: Path, what: str) -> str | None:
    """A printer whose assigned profile prints `what` (its layout is of that kind), if one is set up."""
    for profile in load_profiles(data_dir):
        if profile.printer and layout_kind(data_dir, profile.layout) == what:
            return profile.printer
    return None


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "layout"


def _saved(data_dir: Path) -> dict[str, tuple[str, dict[str, Any]]]:
    """Saved layouts by name: (kind, JSON form)."""
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    folder = data_dir / LAYOUTS_DIR
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as error:
            raise PrintSetupError(_("The layout file {file} cannot be read: {error}").format(
                file=path.name, error=error)) from None
        if isinstance(data, dict) and isinstance(data.get("name"), str):
            found[data["name"]] = (str(data.get("kind", "badge")), data)
    return found


def layouts(data_dir: Path, kind: str | None = None) -> list[NamedLayout]:
    """Every layout of `kind` (all kinds when None): built-in ones first, then saved ones by name."""
    saved = _saved(data_dir)
    named = [NamedLayout(n, k, True) for n, k in BUILT_IN_KINDS.items() if n not in saved]
    named += [NamedLayout(n, k, False) for n, (k, _data) in sorted(saved.items())]
    return [item for item in named if kind is None or item.kind == kind]


def layout_kind(data_dir: Path, name: str) -> str:
    saved = _saved(data_dir)
    return saved[name][0] if name in saved else BUILT_IN_KINDS.get(name, "")


def load_layout(data_dir: Path, name: str) -> Layout:
    """A saved layout of that name, else the built-in one."""
    saved = _saved(data_dir)
    try:
        if name in saved:
            return Layout.from_dict(saved[name][1])
    except LayoutError as error:
        raise PrintSetupError(_("The layout “{name}” is wrong: {error}").format(name=name, error=error)) from None
    if name in BUILT_IN:
        return BUILT_IN[name]()
    if name == TEST_CARD:
        return test_card()
    raise PrintSetupError(_("There is no layout named “{name}”.").format(name=name))


def save_layout(data_dir: Path, layout: Layout, kind: str) -> Path:
    """Store `layout` under its name (saving over a built-in name makes a local version of it)."""
    if kind not in DEFAULT_LAYOUTS and kind != "test":
        raise PrintSetupError(_("A layout prints badges, passes or tickets, not “{kind}”.").format(kind=kind))
    folder = data_dir / LAYOUTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{_slug(layout.name)}.json"
    partial = path.with_suffix(".json.part")
    partial.write_text(json.dumps({"kind": kind, **layout.to_dict()}, indent=2, ensure_ascii=False) + "\n", "utf-8")
    partial.replace(path)  # a crash mid-write keeps the previous version whole
    return path


def layout_for(data_dir: Path, what: str, profile: PrinterProfile | None, name: str | None = None) -> Layout:
    """The layout to print `what` with: the named one, the profile's if it prints `what`, else the default."""
    if name:
        return load_layout(data_dir, name)
    if profile is not None and layout_kind(data_dir, profile.layout) == what:
        return load_layout(data_dir, profile.layout)
    return load_layout(data_dir, DEFAULT_LAYOUTS[what])
