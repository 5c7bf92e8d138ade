"""Guest-manager events (G1–G3): what, when, where, how it looks and how its invitations are sent."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from boxoffice.i18n import N_, _
from boxoffice.model.events import Event
from boxoffice.mutations.catalogue import CatalogueCreate, CatalogueUpdate
from boxoffice.mutations.unit_of_work import UnitOfWork
from boxoffice.services import email_images
from boxoffice.services.email_addresses import is_valid_email
from boxoffice.services.message_template import is_colour
from boxoffice.store.ids import uuid7

KIND = "guests"
EVENT_TYPES: dict[str, str] = {
    "inauguration": N_("Inauguration"), "birthday": N_("Birthday"), "meal": N_("Meal"),
    "general_assembly": N_("General assembly"), "graduation": N_("Graduation"), "wedding": N_("Wedding"),
    "conference": N_("Conference"), "party": N_("Party"), "other": N_("Other"),
}
MESSAGE_LANGUAGES = {"en": "English", "fr": "Français", "de": "Deutsch", "it": "Italiano", "es": "Español"}
IMAGE_TYPES = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".gif": "gif", ".svg": "svg+xml"}
# Images travel inside the event row (the server sends them inline and shows them on the RSVP page),
# so they are kept small: scaled for e-mail (email_images.py), a banner is rarely over 200 KB.
MAX_IMAGE_BYTES = 1_000_000
SENDING_KEYS = ("group_name", "organizer", "sender_email", "language", "deadline", "timezone")


class GuestEventError(ValueError):
    """The event cannot be saved as it is; the message says what to fix."""


@dataclass
class Appearance:
    logo: str = ""
    banner: str = ""
    primary_colour: str = "#1f4e79"
    background_colour: str = "#ffffff"

    def as_json(self) -> dict[str, str]:
        """The appearance as stored: image files chosen on this computer are embedded as data URIs."""
        return {"logo": embedded_image(self.logo, "logo"), "banner": embedded_image(self.banner, "banner"),
                "primary_colour": self.primary_colour, "background_colour": self.background_colour}


def is_embedded(value: str) -> bool:
    return value.startswith("data:image/")


def embedded_image(value: str, kind: str = "banner") -> str:
    """A file path becomes a `data:image/…;base64,` URI, scaled and compressed for e-mail (email_images.py);
    an embedded image or an empty value stays as is, and so does a file that cannot be used (the
    appearance step says why)."""
    path = Path(value)
    if not value or is_embedded(value) or path.suffix.lower() not in IMAGE_TYPES or not path.is_file():
        return value
    if IMAGE_TYPES[path.suffix.lower()] == "svg+xml":
        data, subtype = path.read_bytes(), "svg+xml"
    else:
        try:
            prepared = email_images.prepare(path, kind)
        except email_images.ImageProblem:
            return value
        data, subtype = prepared.data, prepared.subtype
    if len(data) > MAX_IMAGE_BYTES:
        return value
    return f"data:image/{subtype};base64,{base64.b64encode(data).decode('ascii')}"


@dataclass
class Sending:
    group_name: str = ""
    organizer: str = ""
    sender_email: str = ""
    language: str = "en"
    deadline: datetime | None = None
    timezone: str = "Europe/Zurich"

    def as_json(self) -> dict[str, Any]:
        return {"group_name": self.group_name, "organizer": self.organizer, "sender_email": self.sender_email,
                "language": self.language, "deadline": self.deadline.isoformat() if self.deadline else None,
                "timezone": self.timezone}


@dataclass
class GuestEvent:
    """A guest-manager event as the wizard edits it; `id` is given before the first save."""

    id: str = field(default_factory=uuid7)
    name: str = ""
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    access_control: bool = True
    location: str = ""
    event_type: str = "other"
    appearance: Appearance = field(default_factory=Appearance)
    sending: Sending = field(default_factory=Sending)

    def columns(self) -> dict[str, Any]:
        """The event row's values as JSON, as the catalogue mutations take them."""
        return {"kind": KIND, "name": self.name.strip(), "location": self.location.strip(),
                "event_type": self.event_type, "access_control": self.access_control,
                "starts_at": self.starts_at.isoformat() if self.starts_at else None,
                "ends_at": self.ends_at.isoformat() if self.ends_at else None,
                "appearance": self.appearance.as_json(), "sending": self.sending.as_json()}


def _aware(value: datetime | None, what: str) -> None:
    if value is not None and value.tzinfo is None:
        raise GuestEventError(_("{what} needs a time zone.").format(what=what))


def details_problems(event: GuestEvent) -> list[str]:
    """G1: name, start, optional end after the start, type."""
    problems = []
    if not event.name.strip():
        problems.append(_("The event needs a name."))
    if event.starts_at is None:
        problems.append(_("The event needs a start date and time."))
    elif event.ends_at is not None and event.ends_at <= event.starts_at:
        problems.append(_("The end must come after the start."))
    if event.event_type not in EVENT_TYPES:
        problems.append(_("Choose a type of event."))
    return problems


def appearance_problems(look: Appearance) -> list[str]:
    """G2: images are existing PNG, JPEG, GIF or SVG files; colours are #RRGGBB."""
    problems = []
    for label, path, kind in ((_("The logo"), look.logo, "logo"), (_("The banner"), look.banner, "banner")):
        if not path or is_embedded(path):
            continue
        if Path(path).suffix.lower() not in IMAGE_TYPES:
            problems.append(_("{what} must be a PNG, JPEG, GIF or SVG image.").format(what=label))
        elif not Path(path).is_file():
            problems.append(_("{what} file {path} does not exist.").format(what=label, path=path))
        elif embedded_image(path, kind) == path:  # scaled and compressed, it is still too large, or unreadable
            problems.append(_("{what} cannot be used: it is not a readable image, or even scaled down for e-mail it "
                              "is larger than {size} KB. Choose another image.").format(
                what=label, size=MAX_IMAGE_BYTES // 1000))
    for label, colour in ((_("The main colour"), look.primary_colour),
                          (_("The background colour"), look.background_colour)):
        if not is_colour(colour):
            problems.append(_("{what} must look like #1F4E79.").format(what=label))
    return problems


def sending_problems(sending: Sending, starts_at: datetime | None) -> list[str]:
    """G3: organizer, a valid sender email, a supported language, a deadline before the start."""
    problems = []
    if not sending.organizer.strip():
        problems.append(_("Give the organizer's name."))
    if not is_valid_email(sending.sender_email.strip()):
        problems.append(_("Give a valid sender email address."))
    if sending.language not in MESSAGE_LANGUAGES:
        problems.append(_("Choose the language of the automatic messages."))
    if sending.deadline is not None and starts_at is not None and sending.deadline > starts_at:
        problems.append(_("The registration deadline must come before the event starts."))
    return problems


def check_event(event: GuestEvent) -> None:
    """Raise GuestEventError with every problem of steps G1–G3 at once."""
    _aware(event.starts_at, _("The start"))
    _aware(event.ends_at, _("The end"))
    _aware(event.sending.deadline, _("The registration deadline"))
    problems = details_problems(event) + appearance_problems(event.appearance) + sending_problems(
        event.sending, event.starts_at)
    if problems:
        raise GuestEventError(" ".join(problems))


def save_guest_event(work: UnitOfWork, event: GuestEvent) -> list[str]:
    """Create the event, or write only the fields that changed; returns the fields written."""
    values = event.columns()
    row = work.session.get(Event, event.id)
    if row is None:
        work.run(CatalogueCreate(entity="events", id=event.id, values=values))
        return sorted(values)
    if row.kind != KIND:
        raise GuestEventError(_("“{name}” is not a guest-manager event.").format(name=row.name))
    current = {name: getattr(row, name) for name in values}
    for name in ("starts_at", "ends_at"):
        current[name] = current[name].isoformat() if current[name] else None
    changes = {k: v for k, v in values.items() if current[k] != v}
    if changes:
        work.run(CatalogueUpdate(entity="events", id=event.id, changes=changes))
    return sorted(changes)


def load_guest_event(session: Session, event_id: str) -> GuestEvent:
    row = session.get(Event, event_id)
    if row is None or row.deleted or row.kind != KIND:
        raise GuestEventError(_("This event no longer exists."))
    look, send = dict(row.appearance or {}), dict(row.sending or {})
    deadline = send.get("deadline")
    return GuestEvent(
        id=row.id, name=row.name, starts_at=row.starts_at, ends_at=row.ends_at, access_control=row.access_control,
        location=row.location, event_type=row.event_type or "other",
        appearance=Appearance(**{k: str(look[k]) for k in Appearance().as_json() if k in look}),
        sending=Sending(**{k: send[k] for k in SENDING_KEYS if k in send and k != "deadline"},
                        deadline=datetime.fromisoformat(deadline) if deadline else None))


def guest_events(session: Session) -> list[GuestEvent]:
    ids = session.scalars(select(Event.id).where(Event.kind == KIND, Event.deleted.is_(False))
                          .order_by(Event.starts_at.desc()))
    return [load_guest_event(session, event_id) for event_id in ids]
