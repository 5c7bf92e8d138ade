"""Duplicate an event in its box office or into another one, with a preview first (T1).

Copied: the event's settings, zones with their seats, rates (date-limited ones follow the date
in the same position), questions, ticket template and appearance. Not copied: the box office's
general settings, the old dates (the user gives new ones), signing keys and the door access code.
Each new date keeps the representation settings of the old date in its position (doors opening,
end and sales closing at the same distance from the start).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from boxoffice.i18n import _, ngettext
from boxoffice.model.events import BoxOffice, Event, EventDate
from boxoffice.mutations.unit_of_work import UnitOfWork
from boxoffice.services.catalogue import CatalogueError, EventDetails, create_row, event_details, utc_iso

# Event fields copied as they are; the times are shifted with the dates.
EVENT_FIELDS = ("description", "location", "event_type", "visibility", "access_control", "appearance", "sending",
                "ticket_template")
SHIFTED_FIELDS = ("starts_at", "ends_at", "sales_close_at")


@dataclass(frozen=True)
class PlannedDate:
    starts_at: datetime
    ends_at: datetime | None
    doors_open_at: datetime | None
    sales_close_at: datetime | None
    status: str
    settings: dict[str, Any]
    source_id: str | None


@dataclass(frozen=True)
class CopyPreview:
    """What a duplicate will create, shown before the user confirms."""

    source_id: str
    source_name: str
    name: str
    box_office_id: str
    box_office_name: str
    dates: list[PlannedDate]
    zones: list[str]
    seats: int
    rates: list[str]
    rates_left_out: list[str]
    questions: list[str]
    ticket_template: bool
    appearance: bool
    shift: timedelta = field(default=timedelta(0))

    def lines(self) -> list[str]:
        """The preview in plain words, one line each."""
        out = [_("“{source}” becomes “{name}” in {office}.").format(
            source=self.source_name, name=self.name, office=self.box_office_name),
            ngettext("{n} date: {dates}", "{n} dates: {dates}", len(self.dates)).format(
                n=len(self.dates), dates=", ".join(d.starts_at.strftime("%Y-%m-%d %H:%M") for d in self.dates)),
            _("Zones: {zones}").format(zones=", ".join(self.zones) or _("none")),
            ngettext("{n} numbered seat", "{n} numbered seats", self.seats).format(n=self.seats),
            _("Rates: {rates}").format(rates=", ".join(self.rates) or _("none")),
            _("Questions: {questions}").format(questions=", ".join(self.questions) or _("none")),
            _("Ticket template: {answer}").format(answer=_("copied") if self.ticket_template else _("none")),
            _("Appearance: {answer}").format(answer=_("copied") if self.appearance else _("none"))]
        if self.rates_left_out:
            out.append(_("Not copied (their date has no counterpart): {rates}").format(
                rates=", ".join(self.rates_left_out)))
        out.append(_("The box office's general settings are not copied."))
        return out

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source_id, "name": self.name, "box_office": self.box_office_name,
                "dates": [utc_iso(d.starts_at) for d in self.dates], "zones": self.zones, "seats": self.seats,
                "rates": self.rates, "rates_left_out": self.rates_left_out, "questions": self.questions,
                "ticket_template": self.ticket_template, "appearance": self.appearance}


def _plan_dates(details: EventDetails, starts: list[datetime]) -> list[PlannedDate]:
    planned = []
    for index, start in enumerate(sorted(starts)):
        model = details.dates[min(index, len(details.dates) - 1)] if details.dates else None

        def keep(moment: datetime | None, model: EventDate | None = model, start: datetime = start) -> datetime | None:
            return None if moment is None or model is None else start + (moment - model.starts_at)

        planned.append(PlannedDate(
            start, keep(model.ends_at if model else None), keep(model.doors_open_at if model else None),
            keep(model.sales_close_at if model else None), "on_sale", dict(model.settings) if model else {},
            model.id if model is not None and index < len(details.dates) else None))
    return planned


def _target_office(session: Session, details: EventDetails, box_office_id: str | None) -> BoxOffice:
    office_id = box_office_id or details.event.box_office_id
    office = session.get(BoxOffice, office_id) if office_id else None
    if office is None or office.deleted:
        raise CatalogueError(_("This box office no longer exists."))
    return office


def preview_duplicate(session: Session, event_id: str, name: str, starts: list[datetime],
                      box_office_id: str | None = None) -> CopyPreview:
    """Check the request and say what `duplicate_event` would create; writes nothing."""
    details = event_details(session, event_id)
    office = _target_office(session, details, box_office_id)
    name = (name or "").strip()
    if not name:
        raise CatalogueError(_("The copy needs a name."))
    clash = session.scalar(select(Event.id).where(func.lower(Event.name) == name.lower(), Event.deleted.is_(False),
                                                  Event.box_office_id == office.id))
    if clash is not None:
        raise CatalogueError(_("An event named “{name}” already exists in {office}.").format(
            name=name, office=office.name))
    if not starts:
        raise CatalogueError(_("Give the copy at least one date."))
    if any(s.tzinfo is None for s in starts):
        raise CatalogueError(_("A time must say its time zone."))
    if len(set(starts)) != len(starts):
        raise CatalogueError(_("The same date is given twice."))
    dates = _plan_dates(details, starts)
    kept = {d.source_id for d in dates if d.source_id}
    rates = [r.name for r in details.rates if r.date_id is None or r.date_id in kept]
    left_out = [r.name for r in details.rates if r.date_id is not None and r.date_id not in kept]
    shift = dates[0].starts_at - details.dates[0].starts_at if details.dates else timedelta(0)
    return CopyPreview(
        event_id, details.event.name, name, office.id, office.name, dates,
        [f"{z.name} ({z.capacity})" for z in details.zones], sum(len(s) for s in details.seats.values()),
        rates, left_out, [q.label for q in details.questions], bool(details.event.ticket_template),
        bool(details.event.appearance), shift)


def duplicate_event(work: UnitOfWork, event_id: str, name: str, starts: list[datetime],
                    box_office_id: str | None = None) -> str:
    """Create the copy `preview_duplicate` describes, as a draft; returns the new event's id."""
    preview = preview_duplicate(work.session, event_id, name, starts, box_office_id)
    details = event_details(work.session, event_id)
    source = details.event
    values: dict[str, Any] = {f: getattr(source, f) for f in EVENT_FIELDS}
    for f in SHIFTED_FIELDS:
        moment = getattr(source, f)
        values[f] = moment + preview.shift if moment is not None else None
    new_id = create_row(work, "events", {**values, "box_office_id": preview.box_office_id, "kind": "ticketing",
                                      "name": preview.name, "status": "draft",
                                      "door_access_code": f"{secrets.randbelow(10**6):06d}"})
    date_ids = {}
    for planned in preview.dates:
        new_date = create_row(work, "event_dates", {
            "event_id": new_id, "starts_at": planned.starts_at, "ends_at": planned.ends_at,
            "doors_open_at": planned.doors_open_at, "sales_close_at": planned.sales_close_at,
            "status": planned.status, "settings": planned.settings})
        if planned.source_id:
            date_ids[planned.source_id] = new_date
    zone_ids = _copy_zones(work, details, new_id)
    _copy_rates_and_questions(work, details, new_id, date_ids, zone_ids)
    return new_id


def _copy_zones(work: UnitOfWork, details: EventDetails, new_event: str) -> dict[str, str]:
    zone_ids = {}
    for zone in details.zones:
        zone_ids[zone.id] = create_row(work, "zones", {"event_id": new_event, "name": zone.name,
                                                    "capacity": zone.capacity, "seated": zone.seated})
        for seat in details.seats.get(zone.id, []):
            create_row(work, "seats", {"zone_id": zone_ids[zone.id], "row": seat.row, "number": seat.number})
    return zone_ids


def _copy_rates_and_questions(work: UnitOfWork, details: EventDetails, new_event: str, date_ids: dict[str, str],
                              zone_ids: dict[str, str]) -> None:
    for rate in details.rates:
        if rate.date_id is not None and rate.date_id not in date_ids:
            continue
        create_row(work, "rates", {
            "event_id": new_event, "name": rate.name, "kind": rate.kind, "price_minor": rate.price_minor,
            "currency": rate.currency, "visible": rate.visible, "position": rate.position,
            "date_id": date_ids.get(rate.date_id) if rate.date_id else None,
            "zone_id": zone_ids.get(rate.zone_id) if rate.zone_id else None})
    for question in details.questions:
        create_row(work, "questions", {"event_id": new_event, "label": question.label, "kind": question.kind,
                                    "required": question.required, "options": list(question.options),
                                    "position": question.position})

