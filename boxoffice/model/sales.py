"""Orders, tickets, refunds and the allotments desks sell from offline (T5, T6)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from boxoffice.model.base import Base, JSONDict, Synced

# The status of an order of tickets printed in advance for sale at the door or desk, sold to nobody
# yet (D6): the only tickets quick cancel may put back on sale. Sold orders are 'paid' ('cancelled'
# once none of their tickets is valid).
STOCK = "stock"


class Order(Synced, Base):
    """A sale at a desk, online or of a pass; or, with status STOCK, tickets printed as unsold stock."""

    __tablename__ = "orders"
    __table_args__ = (UniqueConstraint("device_id", "number"),)

    # Unique per selling device: devices number their orders offline, independently.
    number: Mapped[str] = mapped_column(String(32), index=True)
    customer_name: Mapped[str] = mapped_column(server_default="")
    customer_email: Mapped[str] = mapped_column(server_default="")
    customer: Mapped[JSONDict] = mapped_column(server_default=text("'{}'"))
    answers: Mapped[JSONDict] = mapped_column(server_default=text("'{}'"))
    payment_method: Mapped[str] = mapped_column(String(20), server_default="cash")
    total_minor: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))
    currency: Mapped[str] = mapped_column(String(3), server_default="CHF")
    status: Mapped[str] = mapped_column(String(20), server_default="paid")
    device_id: Mapped[str] = mapped_column(String(36), server_default="")
    sold_at: Mapped[datetime | None] = mapped_column(index=True)  # the day's takings
    # The one date all its tickets are for, else None (passes, several dates): the order then syncs in
    # that date's scope, and a door holds only the orders of its dates (docs/roles.md).
    date_id: Mapped[str | None] = mapped_column(String(36))


class Ticket(Synced, Base):
    """A right to enter one date. `secret` is what its QR code carries (DESIGN: Ticket codes).

    state: 'valid', 'cancelled', or 'unsold' for printed stock that quick cancel (D6) returns.
    """

    __tablename__ = "tickets"
    # Places left for a date and zone are counted on every sale (boxoffice/services/sales.py).
    __table_args__ = (Index("ix_tickets_date_zone_state", "date_id", "zone_id", "state"),)

    order_id: Mapped[str | None] = mapped_column(ForeignKey("orders.id"), index=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), index=True)
    date_id: Mapped[str] = mapped_column(ForeignKey("event_dates.id"), index=True)
    zone_id: Mapped[str | None] = mapped_column(ForeignKey("zones.id"))
    seat_id: Mapped[str | None] = mapped_column(ForeignKey("seats.id"))
    rate_id: Mapped[str | None] = mapped_column(ForeignKey("rates.id"))
    pass_id: Mapped[str | None] = mapped_column(ForeignKey("passes.id"))
    secret: Mapped[str] = mapped_column(String(64), unique=True)
    holder_name: Mapped[str] = mapped_column(server_default="")
    price_minor: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))
    currency: Mapped[str] = mapped_column(String(3), server_default="CHF")
    state: Mapped[str] = mapped_column(String(20), server_default="valid")
    cancelled_at: Mapped[datetime | None]


class Refund(Synced, Base):
    __tablename__ = "refunds"

    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"), index=True)
    ticket_id: Mapped[str | None] = mapped_column(ForeignKey("tickets.id"))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    method: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(server_default="")


class Allotment(Synced, Base):
    """Places (or seats) of one date and zone leased to one desk, sellable offline.

    The server keeps sold + leased-unsold <= capacity; the desk sells only what it leased.
    """

    __tablename__ = "allotments"

    device_id: Mapped[str] = mapped_column(String(36), index=True)
    date_id: Mapped[str] = mapped_column(ForeignKey("event_dates.id"), index=True)
    zone_id: Mapped[str] = mapped_column(ForeignKey("zones.id"))
    leased: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    sold: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    state: Mapped[str] = mapped_column(String(20), server_default="active")
    expires_at: Mapped[datetime | None]
