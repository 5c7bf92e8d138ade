"""Printer profiles as data: card size, orientation, fit and driver choices, mapped to CUPS options."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from printing.errors import PrintError, _

Orientation = Literal["portrait", "landscape"]
Fit = Literal["entire-image", "actual-size", "fill"]
ORIENTATIONS: tuple[str, ...] = get_args(Orientation)
FITS: tuple[str, ...] = get_args(Fit)

# IPP orientation-requested enum values (RFC 8011 5.2.10).
_IPP_ORIENTATION = {"portrait": "3", "landscape": "4"}
# How each fit choice is said to CUPS: fit-to-page for the pdftopdf filter, print-scaling for IPP
# Everywhere queues. "entire-image" is the Smart-51 guide's "print the entire image".
_CUPS_FIT: dict[str, dict[str, str]] = {
    "entire-image": {"fit-to-page": "true", "print-scaling": "fit"},
    "actual-size": {"fit-to-page": "false", "print-scaling": "none"},
    "fill": {"fit-to-page": "false", "print-scaling": "fill"},
}

# The Smart-51 guide's settings as PPD choices. The option keys come from IDP's Smart-51 Linux
# driver and differ between driver versions: the technician checks them with
# `lpoptions -p QUEUE -l` and edits `driver_options` in the saved profile. CUPS ignores keys the
# queue's PPD does not know, so a wrong key costs a setting, never a refused job.
SMART51_DRIVER_OPTIONS: dict[str, str] = {
    "ResinExtraction": "BlackDotsOnly",  # guide: resin extraction "black dots only"
    "CardType": "CR80",  # guide: paper CR80 card
    "PrintArea": "EntireImage",  # guide: fit "print the entire image"
}
_NAME_OK = re.compile(r"^[^/\\\x00]+$")


class ProfileError(PrintError, ValueError):
    """A profile is malformed; `field` names the bad setting."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.field = where
        self.problem = problem


@dataclass(frozen=True)
class PrinterProfile:
    """How to print on one kind of printer; `printer` is the queue name, empty until one is chosen."""

    name: str
    media: str
    orientation: Orientation = "portrait"
    fit: Fit = "entire-image"
    layout: str = "cr80-badge"
    printer: str = ""
    copies: int = 1
    driver_options: Mapping[str, str] = field(default_factory=dict)
    notes: str = ""

    def __post_init__(self) -> None:
        if not self.name.strip() or not _NAME_OK.match(self.name):
            raise ProfileError("name", _("must not be empty nor contain / or \\"))
        if not self.media.strip():
            raise ProfileError("media", _("must not be empty"))
        if self.orientation not in ORIENTATIONS:
            raise ProfileError("orientation", _("must be portrait or landscape"))
        if self.fit not in FITS:
            raise ProfileError("fit", _("must be one of {choices}").format(choices=", ".join(FITS)))
        if self.copies < 1:
            raise ProfileError("copies", _("must be at least 1"))
        for key, value in self.driver_options.items():
            if not isinstance(key, str) or not isinstance(value, str) or not key:
                raise ProfileError(f"driver_options.{key}", _("keys and values must be text"))

    def cups_options(self) -> dict[str, str]:
        """The options handed to CUPS with each job; driver options win over the generic ones."""
        options = {
            "media": self.media,
            "orientation-requested": _IPP_ORIENTATION[self.orientation],
            "copies": str(self.copies),
            **_CUPS_FIT[self.fit],
        }
        options.update(self.driver_options)
        return options

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["driver_options"] = dict(self.driver_options)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PrinterProfile:
        """Read the form written by `to_dict`; raises ProfileError naming the bad field."""
        if not isinstance(data, Mapping):
            raise ProfileError("profile", _("expected an object"))
        known = cls.__dataclass_fields__
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise ProfileError(unknown[0], _("is not a profile setting"))
        for name in ("name", "media"):
            if name not in data:
                raise ProfileError(name, _("is missing"))
        for name, value in data.items():
            _check_type(name, value)
        return cls(**{**data, "driver_options": dict(data.get("driver_options", {}))})


def _check_type(name: str, value: Any) -> None:
    if name == "copies":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ProfileError(name, _("expected a whole number, got {value!r}").format(value=value))
    elif name == "driver_options":
        if not isinstance(value, Mapping):
            raise ProfileError(name, _("expected an object of option: choice"))
    elif not isinstance(value, str):
        raise ProfileError(name, _("expected text, got {value!r}").format(value=value))


def idp_smart51_cr80() -> PrinterProfile:
    """IDP Smart-51 with CR80 PVC cards, set as the vendor's guide says (PR1)."""
    return PrinterProfile(
        name="IDP Smart-51 CR80",
        media="Custom.54x86mm",
        orientation="portrait",
        fit="entire-image",
        layout="cr80-badge",
        driver_options=dict(SMART51_DRIVER_OPTIONS),
        notes="Resin extraction: black dots only. Card: CR80 (54 x 86 mm). Portrait. Fit: print the entire image.",
    )


def generic_a4() -> PrinterProfile:
    """Any office printer with A4 paper, for tickets."""
    return PrinterProfile(name="Generic A4", media="A4", fit="actual-size", layout="a4-ticket")


def generic_thermal_80mm() -> PrinterProfile:
    """An 80 mm roll thermal printer, for desk tickets."""
    return PrinterProfile(
        name="Generic thermal 80 mm",
        media="Custom.80x150mm",
        fit="entire-image",
        layout="thermal-80mm-ticket",
    )


BUILT_IN_PROFILES = {p.name: p for p in (idp_smart51_cr80(), generic_a4(), generic_thermal_80mm())}


def profile_path(directory: Path | str, name: str) -> Path:
    """The file a profile of that name lives in: its name, lower case, spaces as dashes."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "profile"
    return Path(directory) / f"{slug}.json"


def save_profile(directory: Path | str, profile: PrinterProfile) -> Path:
    """Write `profile` as JSON into `directory` (created if needed); returns the file written."""
    path = profile_path(directory, profile.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(profile.to_dict(), indent=2, ensure_ascii=False) + "\n", "utf-8")
    temporary.replace(path)  # a crash mid-write leaves the old profile, not half a file
    return path


def load_profile(path: Path | str) -> PrinterProfile:
    """Read one profile file; ProfileError names the file and the bad setting."""
    source = Path(path)
    try:
        data = json.loads(source.read_text("utf-8"))
    except OSError as error:
        raise ProfileError(source.name, _("cannot be read: {error}").format(error=error.strerror)) from None
    except json.JSONDecodeError as error:
        problem = _("is not valid JSON (line {line}, column {column})")
        raise ProfileError(source.name, problem.format(line=error.lineno, column=error.colno)) from None
    try:
        return PrinterProfile.from_dict(data)
    except ProfileError as error:
        raise ProfileError(f"{source.name}: {error.field}", error.problem) from None


def load_profiles(directory: Path | str) -> list[PrinterProfile]:
    """The built-in profiles overlaid with those saved in `directory` (same name wins), by name."""
    folder = Path(directory)
    profiles = dict(BUILT_IN_PROFILES)
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        profile = load_profile(path)
        profiles[profile.name] = profile
    return sorted(profiles.values(), key=lambda profile: profile.name)
