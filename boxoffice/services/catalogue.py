"""Box offices, events with their dates, zones, seats, rates and order questions (T1, T3, T4, T6, T7).

Every write goes through the `catalogue.create` / `catalogue.update` / `catalogue.remove`
mutators inside the caller's unit of work; nothing here commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import available_timezones

from babel.numbers import list_currencies
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from boxoffice.i18n import N_, _, ngettext
from boxoffice.model.base import Base
from boxoffice.model.events import BoxOffice, Event, EventDate, Question, Rate, Seat, Zone
from boxoffice.model.sales import Ticket
from boxoffice.mutations.catalogue import CatalogueCreate, CatalogueUpdate
from boxoffice.mutations.tombstones import CatalogueRemove
from boxoffice.mutations.unit_of_work import UnitOfWork
from boxoffice.store.ids import uuid7, uuid7_batch

RATE_KINDS = {"public": N_("public"), "reduced": N_("reduced"), "pass_only": N_("pass holders only"),
              "free": N_("free")}
EVENT_STATUSES = {"draft": N_("draft"), "published": N_("published"), "closed": N_("sales closed"),
                  "cancelled": N_("cancelled")}
VISIBILITIES = {"public": N_("public"), "hidden": N_("hidden (link only)"), "private": N_("private")}
DATE_STATUSES = {"on_sale": N_("on sale"), "closed": N_("sales closed"), "cancelled": N_("cancelled")}
QUESTION_KINDS = {"text": N_("text"), "choice": N_("choice"), "yes_no": N_("yes or no")}
MAX_SEATS = 20_000


class CatalogueError(ValueError):
    """A catalogue change was refused; the message says why in plain words."""


@dataclass(frozen=True)
class EventDetails:
    """One event with everything the editor, the desk and a duplicate need."""

    box_office: BoxOffice | None
    event: Event
    dates: list[EventDate]
    zones: list[Zone]
    seats: dict[str, list[Seat]]
    rates: list[Rate]
    questions: list[Question]


def utc_iso(value: datetime | None) -> str | None:
    """`value` as stored: ISO 8601 in UTC; a time without its zone is refused (it would shift silently)."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise CatalogueError(_("A time must say its time zone."))
    return value.astimezone(UTC).isoformat()


def _json(values: dict[str, Any]) -> dict[str, Any]:
    return {k: utc_iso(v) if isinstance(v, datetime) else v for k, v in values.items()}


def create_row(work: UnitOfWork, entity: str, values: dict[str, Any], row_id: str | None = None) -> str:
    """A new catalogue row of `entity` (events, dates, zones, rates…) through its mutation; its id."""
    row_id = row_id or uuid7()
    work.run(CatalogueCreate(entity=entity, id=row_id, values=_json(values)))
    return row_id


def _update(work: UnitOfWork, entity: str, row_id: str, changes: dict[str, Any]) -> None:
    if changes:
        work.run(CatalogueUpdate(entity=entity, id=row_id, changes=_json(changes)))


def _live(session: Session, model: type[Base], row_id: str | None, missing: str) -> Any:
    row = session.get(model, row_id) if row_id else None
    if row is None or getattr(row, "deleted", False):
        raise CatalogueError(missing)
    return row


def _name(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise CatalogueError(_("{what} needs a name.").format(what=what))
    return text


def _choice(value: str, allowed: dict[str, str], what: str) -> str:
    if value not in allowed:
        raise CatalogueError(_("“{value}” is not a valid {what}; choose one of: {choices}.").format(
            value=value, what=what, choices=", ".join(_(v) for v in allowed.values())))
    return value


def get_event(session: Session, event_id: str) -> Event:
    event: Event = _live(session, Event, event_id, _("This event no longer exists."))
    return event


# Box offices ----------------------------------------------------------------------------------

def check_office(timezone: str, currency: str) -> tuple[str, str]:
    if timezone not in available_timezones():
        raise CatalogueError(_("“{zone}” is not a time zone; choose one such as Europe/Zurich.").format(zone=timezone))
    currency = (currency or "").strip().upper()
    if currency not in list_currencies():
        raise CatalogueError(_("“{code}” is not a currency code; type one such as CHF or EUR.").format(code=currency))
    return timezone, currency


def create_box_office(work: UnitOfWork, name: str, timezone: str = "Europe/Zurich", currency: str = "CHF") -> str:
    name = _name(name, _("A box office"))
    if find_box_office(work.session, name) is not None:
        raise CatalogueError(_("A box office named “{name}” already exists.").format(name=name))
    timezone, currency = check_office(timezone, currency)
    return create_row(work, "box_offices", {"name": name, "timezone": timezone, "currency": currency})


def update_box_office(work: UnitOfWork, box_office_id: str, name: str, timezone: str, currency: str) -> None:
    """Rename a box office or change its time zone; its currency only while none of its rates sold."""
    office: BoxOffice = _live(work.session, BoxOffice, box_office_id, _("This box office no longer exists."))
    name = _name(name, _("A box office"))
    other = find_box_office(work.session, name)
    if other is not None and other.id != box_office_id:
        raise CatalogueError(_("A box office named “{name}” already exists.").format(name=name))
    timezone, currency = check_office(timezone, currency)
    changes = {k: v for k, v in (("name", name), ("timezone", timezone), ("currency", currency))
               if getattr(office, k) != v}
    if "currency" in changes:
        _change_currency(work, office, currency)
    _update(work, "box_offices", box_office_id, changes)


def _change_currency(work: UnitOfWork, office: BoxOffice, currency: str) -> None:
    events = [e.id for e in events_of(work.session, office.id)]
    rates = [r for event_id in events for r in rates_of(work.session, event_id)]
    sold = work.session.scalar(select(func.count()).select_from(Ticket).where(
        Ticket.event_id.in_(events), Ticket.order_id.is_not(None))) if events else 0
    if sold:
        raise CatalogueError(_("The currency cannot change: tickets were already sold in {currency}.").format(
            currency=office.currency))
    for rate in rates:
        _update(work, "rates", rate.id, {"currency": currency})


def find_box_office(session: Session, name: str) -> BoxOffice | None:
    return session.scalars(select(BoxOffice).where(func.lower(BoxOffice.name) == name.strip().lower(),
                                                   BoxOffice.deleted.is_(False))).first()


def box_offices(session: Session) -> list[BoxOffice]:
    return list(session.scalars(select(BoxOffice).where(BoxOffice.deleted.is_(False)).order_by(BoxOffice.name)))


def events_of(session: Session, box_office_id: str | None = None) -> list[Event]:
    """Ticketed events (of one box office, or all), by name."""
    query = select(Event).where(Event.kind == "ticketing", Event.deleted.is_(False)).order_by(Event.name)
    if box_office_id is not None:
        query = query.where(Event.box_office_id == box_office_id)
    return list(session.scalars(query))


# Events and dates -----------------------------------------------------------------------------

def create_event(work: UnitOfWork, box_office_id: str, name: str, **settings: Any) -> str:
    """A ticketed event in a box office; `settings` are event fields (location, status, visibility, …)."""
    _live(work.session, BoxOffice, box_office_id, _("This box office no longer exists."))
    values = {"box_office_id": box_office_id, "kind": "ticketing", "name": _name(name, _("An event"))}
    values.update(_check_event_settings(settings))
    return create_row(work, "events", values)


def _check_event_settings(settings: dict[str, Any]) -> dict[str, Any]:
    if "name" in settings:
        settings = {**settings, "name": _name(settings["name"], _("An event"))}
    if "status" in settings:
        _choice(settings["status"], EVENT_STATUSES, _("status"))
    if "visibility" in settings:
        _choice(settings["visibility"], VISIBILITIES, _("visibility"))
    return settings


def update_event(work: UnitOfWork, event_id: str, **changes: Any) -> None:
    get_event(work.session, event_id)
    _update(work, "events", event_id, _check_event_settings(changes))


def _check_date(starts_at: datetime | None, ends_at: datetime | None, doors_open_at: datetime | None) -> None:
    if starts_at is None:
        raise CatalogueError(_("A date needs a start time."))
    if ends_at is not None and ends_at <= starts_at:
        raise CatalogueError(_("A date must end after it starts."))
    if doors_open_at is not None and doors_open_at > starts_at:
        raise CatalogueError(_("Doors must open before the start."))


def add_date(work: UnitOfWork, event_id: str, starts_at: datetime, **details: Any) -> str:
    """A representation of the event; `details`: ends_at, doors_open_at, sales_close_at, status, settings."""
    get_event(work.session, event_id)
    _check_date(starts_at, details.get("ends_at"), details.get("doors_open_at"))
    if "status" in details:
        _choice(details["status"], DATE_STATUSES, _("status"))
    return create_row(work, "event_dates", {"event_id": event_id, "starts_at": starts_at, **details})


def update_date(work: UnitOfWork, date_id: str, **changes: Any) -> None:
    row = _live(work.session, EventDate, date_id, _("This date no longer exists."))
    merged = {"starts_at": row.starts_at, "ends_at": row.ends_at, "doors_open_at": row.doors_open_at, **changes}
    _check_date(merged["starts_at"], merged["ends_at"], merged["doors_open_at"])
    if "status" in changes:
        _choice(changes["status"], DATE_STATUSES, _("status"))
    _update(work, "event_dates", date_id, changes)


# Zones and seats ------------------------------------------------------------------------------

def add_zone(work: UnitOfWork, event_id: str, name: str, capacity: int, seated: bool = False) -> str:
    get_event(work.session, event_id)
    if capacity < 1:
        raise CatalogueError(_("A zone holds at least one place."))
    return create_row(work, "zones", {"event_id": event_id, "name": _name(name, _("A zone")), "capacity": capacity,
                                   "seated": seated})


def update_zone(work: UnitOfWork, zone_id: str, **changes: Any) -> None:
    _live(work.session, Zone, zone_id, _("This zone no longer exists."))
    if "name" in changes:
        changes["name"] = _name(changes["name"], _("A zone"))
    if "capacity" in changes and int(changes["capacity"]) < 1:
        raise CatalogueError(_("A zone holds at least one place."))
    _update(work, "zones", zone_id, changes)


def generate_seats(work: UnitOfWork, zone_id: str, rows: list[str], seats_per_row: int, first_number: int = 1) -> int:
    """T6: numbered seats row by row; the zone becomes seated and its capacity the number of seats."""
    zone = _live(work.session, Zone, zone_id, _("This zone no longer exists."))
    rows = [r.strip() for r in rows if r.strip()]
    if not rows or seats_per_row < 1:
        raise CatalogueError(_("Give at least one row and one seat per row."))
    existing = {(s.row, s.number) for s in seats_of(work.session, zone_id)}
    wanted = [(row, str(n)) for row in rows for n in range(first_number, first_number + seats_per_row)]
    new = [pair for pair in wanted if pair not in existing]
    if len(existing) + len(new) > MAX_SEATS:
        raise CatalogueError(ngettext("A zone holds at most {n} seat.",
                                      "A zone holds at most {n} seats.", MAX_SEATS).format(n=MAX_SEATS))
    for seat_id, (row, number) in zip(uuid7_batch(len(new)), new, strict=True):
        create_row(work, "seats", {"zone_id": zone_id, "row": row, "number": number}, seat_id)
    _update(work, "zones", zone_id, {"seated": True, "capacity": len(existing) + len(new)}
            if (not zone.seated or zone.capacity != len(existing) + len(new)) else {})
    return len(new)


def seats_of(session: Session, zone_id: str) -> list[Seat]:
    query = select(Seat).where(Seat.zone_id == zone_id, Seat.deleted.is_(False))
    seats = list(session.scalars(query))
    seats.sort(key=lambda s: (s.row, int(s.number) if s.number.isdigit() else 0, s.number))
    return seats


# Rates and questions --------------------------------------------------------------------------

def _check_rate_scope(session: Session, event_id: str, date_id: str | None, zone_id: str | None) -> None:
    if date_id is not None:
        date = _live(session, EventDate, date_id, _("This date no longer exists."))
        if date.event_id != event_id:
            raise CatalogueError(_("A rate can only be limited to a date of its own event."))
    if zone_id is not None:
        zone = _live(session, Zone, zone_id, _("This zone no longer exists."))
        if zone.event_id != event_id:
            raise CatalogueError(_("A rate can only be limited to a zone of its own event."))


def add_rate(work: UnitOfWork, event_id: str, name: str, price_minor: int, kind: str = "public",
             date_id: str | None = None, zone_id: str | None = None, currency: str | None = None) -> str:
    """T4: a price for the event, or only for one date and/or zone; kinds public, reduced, pass_only, free."""
    event = get_event(work.session, event_id)
    _choice(kind, RATE_KINDS, _("kind of rate"))
    if price_minor < 0:
        raise CatalogueError(_("A price cannot be negative."))
    if kind == "free" and price_minor != 0:
        raise CatalogueError(_("A free rate costs nothing."))
    _check_rate_scope(work.session, event_id, date_id, zone_id)
    position = len(rates_of(work.session, event_id))
    office = work.session.get(BoxOffice, event.box_office_id) if event.box_office_id else None
    return create_row(work, "rates", {
        "event_id": event_id, "name": _name(name, _("A rate")), "price_minor": price_minor, "kind": kind,
        "date_id": date_id, "zone_id": zone_id, "position": position,
        "currency": currency or (office.currency if office else "CHF")})


def update_rate(work: UnitOfWork, rate_id: str, **changes: Any) -> None:
    rate = _live(work.session, Rate, rate_id, _("This rate no longer exists."))
    if "kind" in changes:
        _choice(changes["kind"], RATE_KINDS, _("kind of rate"))
    if int(changes.get("price_minor", rate.price_minor)) < 0:
        raise CatalogueError(_("A price cannot be negative."))
    if changes.get("kind", rate.kind) == "free" and int(changes.get("price_minor", rate.price_minor)) != 0:
        raise CatalogueError(_("A free rate costs nothing."))
    _check_rate_scope(work.session, rate.event_id, changes.get("date_id", rate.date_id),
                      changes.get("zone_id", rate.zone_id))
    _update(work, "rates", rate_id, changes)


def rates_of(session: Session, event_id: str) -> list[Rate]:
    return list(session.scalars(select(Rate).where(Rate.event_id == event_id, Rate.deleted.is_(False))
                                .order_by(Rate.position, Rate.id)))


def add_question(work: UnitOfWork, event_id: str, label: str, kind: str = "text", required: bool = False,
                 options: list[str] | None = None) -> str:
    """T7: a question asked at order time; a choice question lists its options."""
    get_event(work.session, event_id)
    _choice(kind, QUESTION_KINDS, _("kind of question"))
    options = [o.strip() for o in options or [] if o.strip()]
    if kind == "choice" and len(options) < 2:
        raise CatalogueError(_("A choice question needs at least two options."))
    position = len(questions_of(work.session, event_id))
    return create_row(work, "questions", {"event_id": event_id, "label": _name(label, _("A question")), "kind": kind,
                                       "required": required, "options": options, "position": position})


def update_question(work: UnitOfWork, question_id: str, **changes: Any) -> None:
    """Change a question's label, kind, options or whether it must be answered."""
    question: Question = _live(work.session, Question, question_id, _("This question no longer exists."))
    if "label" in changes:
        changes["label"] = _name(changes["label"], _("A question"))
    kind = _choice(changes.get("kind", question.kind), QUESTION_KINDS, _("kind of question"))
    if "options" in changes:
        changes["options"] = [o.strip() for o in changes["options"] or [] if o.strip()]
    if kind == "choice" and len(changes.get("options", question.options)) < 2:
        raise CatalogueError(_("A choice question needs at least two options."))
    _update(work, "questions", question_id, changes)


def questions_of(session: Session, event_id: str) -> list[Question]:
    return list(session.scalars(select(Question).where(Question.event_id == event_id, Question.deleted.is_(False))
                                .order_by(Question.position, Question.id)))


def remove(work: UnitOfWork, entity: str, row_id: str) -> None:
    """Delete a date, zone, seat, rate or question as a tombstone (it syncs as a deletion)."""
    if entity not in {"event_dates", "zones", "seats", "rates", "questions", "events"}:
        raise CatalogueError(_("This cannot be removed."))
    work.run(CatalogueRemove(entity=entity, id=row_id))


# Reading --------------------------------------------------------------------------------------

def event_details(session: Session, event_id: str) -> EventDetails:
    event = get_event(session, event_id)
    office = session.get(BoxOffice, event.box_office_id) if event.box_office_id else None
    dates = list(session.scalars(select(EventDate).where(EventDate.event_id == event_id,
                                                         EventDate.deleted.is_(False)).order_by(EventDate.starts_at)))
    zones = list(session.scalars(select(Zone).where(Zone.event_id == event_id, Zone.deleted.is_(False))
                                 .order_by(Zone.name)))
    seats = {z.id: seats_of(session, z.id) for z in zones if z.seated}
    return EventDetails(office, event, dates, zones, seats, rates_of(session, event_id),
                        questions_of(session, event_id))


def sales_close_at(event: Event, date: EventDate) -> datetime | None:
    """T4: a date's own closing time wins over the event's."""
    return date.sales_close_at or event.sales_close_at
