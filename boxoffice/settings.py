"""Typed settings with their defaults, and where the data directory is."""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import platformdirs

from boxoffice.i18n import LANGUAGES, _, system_language

APP = "boxoffice"
SETTINGS_FILE = "settings.json"


class SettingsError(ValueError):
    """A settings file or value is wrong; the message names the file and the field."""


@dataclass
class Settings:
    """What a user can set in the Settings page; stored as settings.json in the data directory."""

    language: str = ""
    door_name: str = ""
    venue_timezone: str = "Europe/Zurich"
    #: The door's scanner: "wedge", "camera", "serial" or "hidpos" ("": the keyboard-wedge scanner).
    door_scanner: str = ""
    #: The door's webcam by its name (its index moves when another camera is plugged in).
    camera: str = ""
    #: "1280x720", or "" for what the camera gives.
    camera_resolution: str = ""
    #: A fixed focus or exposure in the camera's own units, or "" for automatic.
    camera_focus: str = ""
    camera_exposure: str = ""

    def effective_language(self) -> str:
        return self.language or system_language()


def config_dir() -> Path:
    override = os.environ.get("BOXOFFICE_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir(APP))


def default_data_dir() -> Path:
    """The data directory chosen in Settings, else the platform's user data directory."""
    pointer = config_dir() / "data-dir"
    if pointer.exists():
        chosen = pointer.read_text(encoding="utf-8").strip()
        if chosen:
            return Path(chosen)
    return Path(platformdirs.user_data_dir(APP))


def choose_data_dir(path: Path) -> None:
    """Remember `path` as the data directory for later starts without --data-dir."""
    config_dir().mkdir(parents=True, exist_ok=True)
    (config_dir() / "data-dir").write_text(str(path), encoding="utf-8")


def load(data_dir: Path) -> Settings:
    path = data_dir / SETTINGS_FILE
    if not path.exists():
        return Settings()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SettingsError(_("{file} cannot be read: {error}").format(file=path, error=exc)) from exc
    if not isinstance(raw, dict):
        raise SettingsError(_("{file} must hold a JSON object.").format(file=path))
    known = {f.name for f in fields(Settings)}
    values = {k: v for k, v in raw.items() if k in known}
    for name, value in values.items():
        if not isinstance(value, str):
            raise SettingsError(_("{file}: the setting “{name}” must be text.").format(file=path, name=name))
    settings = Settings(**values)
    if settings.language and settings.language not in LANGUAGES:
        raise SettingsError(_("{file}: unknown language “{language}”.").format(file=path, language=settings.language))
    _check_camera(path, settings)
    return settings


def _check_camera(path: Path, settings: Settings) -> None:
    if settings.door_scanner not in ("", "wedge", "camera", "serial", "hidpos"):
        raise SettingsError(_("{file}: the setting “{name}” must be one of {choices}.").format(
            file=path, name="door_scanner", choices="wedge, camera, serial, hidpos"))
    if settings.camera_resolution and not re.fullmatch(r"\d{2,5}x\d{2,5}", settings.camera_resolution):
        raise SettingsError(_("{file}: the setting “{name}” must be a resolution like 1280x720.").format(
            file=path, name="camera_resolution"))
    for name in ("camera_focus", "camera_exposure"):
        if not re.fullmatch(r"(-?\d{1,6})?", getattr(settings, name)):
            raise SettingsError(_("{file}: the setting “{name}” must be a whole number, or empty for automatic.")
                                .format(file=path, name=name))


def save(data_dir: Path, settings: Settings) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / SETTINGS_FILE
    partial = path.with_suffix(".part")
    partial.write_text(json.dumps(asdict(settings), indent=2), encoding="utf-8")
    partial.replace(path)
