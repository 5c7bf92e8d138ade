"""Invitations to guest-manager events, their guests and companions (G1–G13)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, false, text
from sqlalchemy.orm import Mapped, mapped_column

from boxoffice.model.base import Base, JSONDict, JSONList, Synced


class Invitation(Synced, Base):
    """An invitation as the wizard builds it; every step is saved, so a draft is just status 'draft'."""

    __tablename__ = "invitations"

    event_id: Mapped[str | None] = mapped_column(ForeignKey("events.id"), index=True)
    name: Mapped[str] = mapped_column(String(200), server_default="")
    status: Mapped[str] = mapped_column(String(20), server_default="draft")
    step: Mapped[int] = mapped_column(Integer, server_default=text("1"))
    language: Mapped[str] = mapped_column(String(5), server_default="en")
    subject: Mapped[str] = mapped_column(server_default="")
    body: Mapped[str] = mapped_column(server_default="")
    confirmation_subject: Mapped[str] = mapped_column(server_default="")
    confirmation_body: Mapped[str] = mapped_column(server_default="")
    form: Mapped[JSONList] = mapped_column(server_default=text("'[]'"))
    list_ids: Mapped[JSONList] = mapped_column(server_default=text("'[]'"))
    companions: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    show_guest_list: Mapped[bool] = mapped_column(server_default=false())
    scheduled_at: Mapped[datetime | None]
    reminders: Mapped[JSONList] = mapped_column(server_default=text("'[]'"))
    sender: Mapped[JSONDict] = mapped_column(server_default=text("'{}'"))
    sent_at: Mapped[datetime | None]


class Guest(Synced, Base):
    """One invited address. `token` is the unguessable RSVP link key; `code` is the door QR."""

    __tablename__ = "guests"

    invitation_id: Mapped[str] = mapped_column(ForeignKey("invitations.id"), index=True)
    contact_id: Mapped[str | None] = mapped_column(ForeignKey("contacts.id"))
    email: Mapped[str] = mapped_column(String(320))
    first_name: Mapped[str] = mapped_column(server_default="")
    last_name: Mapped[str] = mapped_column(server_default="")
    fields: Mapped[JSONDict] = mapped_column(server_default=text("'{}'"))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(20), server_default="pending")
    answers: Mapped[JSONDict] = mapped_column(server_default=text("'{}'"))
    answered_at: Mapped[datetime | None]
    delivery: Mapped[str] = mapped_column(String(20), server_default="queued")
    delivery_error: Mapped[str] = mapped_column(server_default="")
    sent_at: Mapped[datetime | None]


class Companion(Synced, Base):
    """A guest's companion: a set member with causal length `cl` (present while odd)."""

    __tablename__ = "companions"

    guest_id: Mapped[str] = mapped_column(ForeignKey("guests.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(64), unique=True)
    cl: Mapped[int] = mapped_column(Integer, server_default=text("1"))
