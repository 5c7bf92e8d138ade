"""A first venue in one go (the welcome page's guided flow): box office, event, dates, zones and rates.

The flow checks each step as it is filled in (`check_*`, no database needed) and writes the whole
plan in the caller's unit of work with `set_up_venue`, so a refusal leaves nothing half-made.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from boxoffice.i18n import _, ngettext
from boxoffice.model.devices import LocalDevice
from boxoffice.model.events import BoxOffice, Event
from boxoffice.money import parse_money
from boxoffice.mutations.unit_of_work import UnitOfWork
from boxoffice.services import catalogue
from boxoffice.services.catalogue import RATE_KINDS, CatalogueError

MAX_ROWS = 200


@dataclass(frozen=True)
class ZonePlan:
    """Standing places (`capacity`) or numbered seats (`rows` × `seats_per_row`)."""

    name: str
    capacity: int = 0
    rows: tuple[str, ...] = ()
    seats_per_row: int = 0

    @property
    def places(self) -> int:
        return len(self.rows) * self.seats_per_row if self.rows else self.capacity


@dataclass(frozen=True)
class RatePlan:
    name: str
    price_minor: int
    kind: str = "public"


@dataclass(frozen=True)
class VenuePlan:
    office_name: str
    timezone: str
    currency: str
    event_name: str
    location: str = ""
    dates: tuple[datetime, ...] = ()
    zones: tuple[ZonePlan, ...] = ()
    rates: tuple[RatePlan, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class VenueSetUp:
    box_office_id: str
    event_id: str


def is_first_run(session: Session) -> bool:
    """Nothing to work with yet: no box office, no event, and not paired with a server."""
    if session.scalars(select(BoxOffice.id).where(BoxOffice.deleted.is_(False)).limit(1)).first():
        return False
    if session.scalars(select(Event.id).where(Event.deleted.is_(False)).limit(1)).first():
        return False
    return not session.scalars(select(LocalDevice.id).where(LocalDevice.server_url.is_not(None),
                                                            LocalDevice.server_url != "").limit(1)).first()


def check_office(name: str, timezone: str, currency: str) -> tuple[str, str, str]:
    """The box office step: a name, a real time zone and a currency code."""
    if not name.strip():
        raise CatalogueError(_("A box office needs a name."))
    timezone, currency = catalogue.check_office(timezone.strip(), currency)
    return name.strip(), timezone, currency


def check_event(name: str) -> str:
    if not name.strip():
        raise CatalogueError(_("An event needs a name."))
    return name.strip()


def _expand(part: str) -> list[str]:
    """"A-D" → A, B, C, D; "1-3" → 1, 2, 3; anything else is one row."""
    match = re.fullmatch(r"([A-Za-z]|\d+)\s*[-–]\s*([A-Za-z]|\d+)", part)
    if match is None:
        return [part]
    first, last = match.groups()
    if first.isdigit() and last.isdigit() and int(first) <= int(last):
        return [str(n) for n in range(int(first), int(last) + 1)]
    letters = string.ascii_uppercase
    if first.isalpha() and last.isalpha() and letters.index(first.upper()) <= letters.index(last.upper()):
        return list(letters[letters.index(first.upper()):letters.index(last.upper()) + 1])
    raise CatalogueError(_("“{rows}” is not a range of rows; write e.g. A-J or 1-12.").format(rows=part))


def parse_rows(text: str) -> tuple[str, ...]:
    """Rows as typed: "A-J", "A, B, C" or "1-12", mixed with commas."""
    rows: list[str] = []
    for part in (p.strip() for p in text.split(",")):
        if part:
            rows += _expand(part)
    if len(rows) > MAX_ROWS:
        raise CatalogueError(ngettext("A zone has at most {n} row.",
                                      "A zone has at most {n} rows.", MAX_ROWS).format(n=MAX_ROWS))
    return tuple(dict.fromkeys(rows))


def check_zone(name: str, capacity: int, rows_text: str = "", seats_per_row: int = 0) -> ZonePlan:
    """The zones step: a name, and places or rows of numbered seats."""
    if not name.strip():
        raise CatalogueError(_("A zone needs a name."))
    rows = parse_rows(rows_text)
    if rows and seats_per_row < 1:
        raise CatalogueError(_("Give the number of seats per row of “{zone}”.").format(zone=name.strip()))
    plan = ZonePlan(name.strip(), capacity, rows, seats_per_row if rows else 0)
    if plan.places < 1:
        raise CatalogueError(_("A zone holds at least one place."))
    if plan.places > catalogue.MAX_SEATS and rows:
        raise CatalogueError(ngettext("A zone holds at most {n} seat.", "A zone holds at most {n} seats.",
                                      catalogue.MAX_SEATS).format(
            n=catalogue.MAX_SEATS))
    return plan


def check_rate(name: str, price: str, kind: str, currency: str) -> RatePlan:
    """The rates step: a name and a price typed as people write it ("25", "25,50", "CHF 25.–")."""
    if not name.strip():
        raise CatalogueError(_("A rate needs a name."))
    if kind not in RATE_KINDS:
        raise CatalogueError(_("Choose the kind of rate."))
    price_minor = 0 if kind == "free" and not price.strip() else parse_money(price, currency)
    if kind == "free" and price_minor:
        raise CatalogueError(_("A free rate costs nothing."))
    return RatePlan(name.strip(), price_minor, kind)


def check_plan(plan: VenuePlan) -> None:
    """What the last step needs before it writes: at least one date, one zone and one rate."""
    if not plan.dates:
        raise CatalogueError(_("Add at least one date."))
    if not plan.zones:
        raise CatalogueError(_("Add at least one zone."))
    if not plan.rates:
        raise CatalogueError(_("Add at least one rate."))


def set_up_venue(work: UnitOfWork, plan: VenuePlan) -> VenueSetUp:
    """Write the whole plan: the event is published and its dates on sale, ready for the desk."""
    check_plan(plan)
    office_id = catalogue.create_box_office(work, plan.office_name, plan.timezone, plan.currency)
    event_id = catalogue.create_event(work, office_id, plan.event_name, location=plan.location.strip(),
                                      status="published")
    for starts_at in sorted(plan.dates):
        catalogue.add_date(work, event_id, starts_at)
    for zone in plan.zones:
        zone_id = catalogue.add_zone(work, event_id, zone.name, zone.places, seated=bool(zone.rows))
        if zone.rows:
            catalogue.generate_seats(work, zone_id, list(zone.rows), zone.seats_per_row)
    for rate in plan.rates:
        catalogue.add_rate(work, event_id, rate.name, rate.price_minor, rate.kind)
    return VenueSetUp(office_id, event_id)
