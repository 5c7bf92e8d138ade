"""Declarative base, shared column types and the columns every synced row carries."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, Dialect, MetaData, String, TypeDecorator, false, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in Python, naive UTC in the column (SQLite keeps no zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


JSONDict = dict[str, Any]
JSONList = list[Any]

# Stable constraint names so Alembic migrations can find constraints on every backend.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {
        datetime: UTCDateTime(),
        JSONDict: JSON(),
        JSONList: JSON(),
        str: String(),
        bool: Boolean(),
    }


def utcnow() -> datetime:
    return datetime.now(UTC)


class Synced:
    """Columns of every replicated row: id, HLC of the last write, per-field HLCs, server order.

    `field_hlc` stays empty until a field is edited after creation: a row's fields are then
    at `hlc`, which keeps bulk creation cheap. `deleted` is the tombstone deletions sync as.
    """

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    hlc: Mapped[str] = mapped_column(String(80), server_default="")
    field_hlc: Mapped[JSONDict] = mapped_column(server_default=text("'{}'"))
    server_seq: Mapped[int | None] = mapped_column(BigInteger)
    deleted: Mapped[bool] = mapped_column(server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
