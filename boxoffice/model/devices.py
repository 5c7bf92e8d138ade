"""This device's identity, the conflicts sync found, and the audit log of who changed what."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from boxoffice.model.base import Base, JSONDict, JSONList

ROLES = ("organizer", "desk", "door")


class LocalDevice(Base):
    """The single row that says who this copy is: until enrolled it is a standalone organizer.

    Its secret for the server is not here but in the keyring or beside the database
    (boxoffice/store/device_secret.py): a copy of the database must not be able to sync as it.
    """

    __tablename__ = "local_device"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20), server_default="organizer")
    organizer_id: Mapped[str] = mapped_column(String(36), server_default="")
    server_url: Mapped[str] = mapped_column(server_default="")
    scopes: Mapped[JSONList] = mapped_column(server_default=text("'[]'"))
    last_hlc: Mapped[str] = mapped_column(String(80), server_default="")
    enrolled_at: Mapped[datetime | None]


class Conflict(Base):
    """An overwritten concurrent edit or a double entry, kept until the organizer has seen it (S3)."""

    __tablename__ = "conflicts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(36))
    details: Mapped[JSONDict] = mapped_column(server_default=text("'{}'"))
    detected_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    server_seq: Mapped[int | None] = mapped_column(BigInteger)


class OutboxEntry(Base):
    """A local change waiting for the server: a named mutation with its arguments (DESIGN: Sync).

    `seq` is the per-device mutation id the server deduplicates on; it only grows.
    """

    __tablename__ = "outbox"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mutation: Mapped[str] = mapped_column(String(80))
    args: Mapped[str]
    hlc: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime]
    pushed_at: Mapped[datetime | None]
    result: Mapped[JSONDict | None]


class SyncCursor(Base):
    """How far this device has pulled one scope; committed with each page so a kill resumes."""

    __tablename__ = "sync_cursors"

    scope: Mapped[str] = mapped_column(String(120), primary_key=True)
    cursor: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    checkpoint: Mapped[JSONDict] = mapped_column(server_default=text("'{}'"))


class AuditEntry(Base):
    """X3: who changed what; written by the mutation runner for every change."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(80))
    summary: Mapped[str] = mapped_column(server_default="")
