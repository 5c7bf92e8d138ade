"""Box offices, events with their dates, zones, seats, rates and order questions (T1–T7, G1–G3)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, false, text, true
from sqlalchemy.orm import Mapped, mapped_column

from boxoffice.model.base import Base, JSONDict, JSONList, Synced


class BoxOffice(Synced, Base):
    """A season or edition that holds events (T1); its settings are never copied with an event."""

    __tablename__ = "box_offices"

    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), server_default="Europe/Zurich")
    currency: Mapped[str] = mapped_column(String(3), server_default="CHF")
    settings: Mapped[JSONDict] = mapped_column(server_default=text("'{}'"))
    archived_at: Mapped[datetime | None]


class Event(Synced, Base):
    """A ticketed event (kind 'ticketing') or a guest-manager event (kind 'guests', G1–G3)."""

    __tablename__ = "events"

    box_office_id: Mapped[str | None] = mapped_column(ForeignKey("box_offices.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), server_default="ticketing")
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(server_default="")
    location: Mapped[str] = mapped_column(server_default="")
    event_type: Mapped[str] = mapped_column(String(40), server_default="")
    status: Mapped[str] = mapped_column(String(20), server_default="draft")
    visibility: Mapped[str] = mapped_column(String(20), server_default="public")
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]
    sales_close_at: Mapped[datetime | None]
    access_control: Mapped[bool] = mapped_column(server_default=true())
    appearance: Mapped[JSONDict] = mapped_column(server_default=text("'{}'"))
    sending: Mapped[JSONDict] = mapped_column(server_default=text("'{}'"))
    ticket_template: Mapped[JSONDict] = mapped_column(server_default=text("'{}'"))
    # Ed25519 public keys (base64url) that verify this event's signed ticket codes offline.
    signing_keys: Mapped[JSONList] = mapped_column(server_default=text("'[]'"))
    door_access_code: Mapped[str] = mapped_column(String(40), server_default="")


class EventDate(Synced, Base):
    """One representation of an event (T3); details here override the event's."""

    __tablename__ = "event_dates"

    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime | None]
    doors_open_at: Mapped[datetime | None]
    sales_close_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20), server_default="on_sale")
    settings: Mapped[JSONDict] = mapped_column(server_default=text("'{}'"))


class Zone(Synced, Base):
    __tablename__ = "zones"

    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    capacity: Mapped[int] = mapped_column(Integer)
    seated: Mapped[bool] = mapped_column(server_default=false())


class Seat(Synced, Base):
    __tablename__ = "seats"

    zone_id: Mapped[str] = mapped_column(ForeignKey("zones.id"), index=True)
    row: Mapped[str] = mapped_column(String(20))
    number: Mapped[str] = mapped_column(String(20))


class Rate(Synced, Base):
    """A price for an event, optionally only for one date or zone (T4)."""

    __tablename__ = "rates"

    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), index=True)
    date_id: Mapped[str | None] = mapped_column(ForeignKey("event_dates.id"))
    zone_id: Mapped[str | None] = mapped_column(ForeignKey("zones.id"))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20), server_default="public")
    price_minor: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))
    currency: Mapped[str] = mapped_column(String(3), server_default="CHF")
    visible: Mapped[bool] = mapped_column(server_default=true())
    position: Mapped[int] = mapped_column(Integer, server_default=text("0"))


class Question(Synced, Base):
    """A question asked at order time (T7)."""

    __tablename__ = "questions"

    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), index=True)
    label: Mapped[str]
    kind: Mapped[str] = mapped_column(String(20), server_default="text")
    required: Mapped[bool] = mapped_column(server_default=false())
    options: Mapped[JSONList] = mapped_column(server_default=text("'[]'"))
    position: Mapped[int] = mapped_column(Integer, server_default=text("0"))
