"""Tables only the server has: organizers, enrolled devices, applied mutations, the change log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Index, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from boxoffice.model.base import NAMING, JSONDict, JSONList, UTCDateTime


class ServerBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), JSONDict: JSON(), JSONList: JSON()}


class Organizer(ServerBase):
    __tablename__ = "organizers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)  # the organizer code, hashed (auth.hash_code)
    created_at: Mapped[datetime]


class Account(ServerBase):
    """A person who logs devices in with an email and a password (D2) instead of a code."""

    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    organizer_id: Mapped[str] = mapped_column(String(36), index=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime]


class ProfileCode(ServerBase):
    """A code that enrolls up to `max_uses` devices with a preset role and dates (D2) until it expires."""

    __tablename__ = "profile_codes"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)  # the code as typed is never stored
    organizer_id: Mapped[str] = mapped_column(String(36), index=True)
    role: Mapped[str] = mapped_column(String(20))
    dates: Mapped[JSONList]
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    max_uses: Mapped[int]
    uses: Mapped[int] = mapped_column(default=0)
    revoked_at: Mapped[datetime | None]


class Device(ServerBase):
    __tablename__ = "devices"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    organizer_id: Mapped[str] = mapped_column(String(36), index=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    secret_hash: Mapped[str] = mapped_column(String(64))
    dates: Mapped[JSONList]
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    profile_id: Mapped[str | None] = mapped_column(String(36))  # the profile code it enrolled with, if any


class AppliedMutation(ServerBase):
    """A device's mutation as the server answered it, replayed as is when pushed again."""

    __tablename__ = "applied_mutations"

    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[JSONDict]
    applied_at: Mapped[datetime]


class ChangeCounter(ServerBase):
    """Per-organizer change number, bumped inside the write transaction: commit order = number order."""

    __tablename__ = "change_counters"

    organizer_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class RowChange(ServerBase):
    """The latest change number of every replicated row, its owner and its scope."""

    __tablename__ = "row_changes"
    # By scope for a door's own dates; by number alone for "dates" (every date), which filters
    # while walking the numbers in order instead of sorting all matches for every page.
    __table_args__ = (Index("ix_row_changes_scope", "organizer_id", "scope", "seq"),
                      Index("ix_row_changes_seq", "organizer_id", "seq"))

    entity: Mapped[str] = mapped_column(String(40), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    organizer_id: Mapped[str] = mapped_column(String(36))
    scope: Mapped[str] = mapped_column(String(80))
    seq: Mapped[int] = mapped_column(BigInteger)


class ServerSetting(ServerBase):
    """Server-wide values every process shares, such as the mail settings (never a secret: see token_keys.py)."""

    __tablename__ = "server_settings"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ScopeCheckpoint(ServerBase):
    """Count and hash (sum of row hashes, hex) of the rows an organizer's scope holds now."""

    __tablename__ = "scope_checkpoints"

    organizer_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    scope: Mapped[str] = mapped_column(String(80), primary_key=True)
    row_count: Mapped[int] = mapped_column(BigInteger)
    digest: Mapped[str] = mapped_column(String(32))
