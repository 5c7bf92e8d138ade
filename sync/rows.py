"""Rows as they travel: every replicated table's row to JSON values and back."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import LargeBinary, Table

from boxoffice.model import Base
from boxoffice.model.base import UTCDateTime

LOCAL_ONLY = {"local_device", "outbox", "sync_cursors", "audit_log", "print_jobs"}


def replicated_tables() -> dict[str, Table]:
    """Every table whose rows sync: the model's tables that carry a server_seq column."""
    return {name: table for name, table in Base.metadata.tables.items()
            if name not in LOCAL_ONLY and "server_seq" in table.c}


def to_wire(table: Table, row: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column in table.c:
        if column.name == "server_seq":
            continue
        value = row[column.name]
        if isinstance(value, datetime):
            value = value.astimezone(UTC).isoformat() if value.tzinfo else value.replace(tzinfo=UTC).isoformat()
        elif isinstance(value, bytes | memoryview):
            value = {"$b64": base64.b64encode(bytes(value)).decode()}
        out[column.name] = value
    return out


def from_wire(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    """Wire values to Python values for `table`; unknown columns are refused, missing ones left out."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        column = table.c.get(name)
        if column is None:
            raise ValueError(f"{table.name} has no column {name!r}")
        if value is not None and isinstance(column.type, UTCDateTime):
            value = datetime.fromisoformat(value).astimezone(UTC)
        elif value is not None and isinstance(column.type, LargeBinary):
            value = base64.b64decode(value["$b64"])
        out[name] = value
    return out


def checkpoint(items: Iterable[tuple[str, str, int]]) -> tuple[int, str]:
    """Count and hash of (entity, id, seq) triples, order-independent, computed alike on both ends."""
    digest = hashlib.sha256()
    count = 0
    for entity, row_id, seq in sorted(items):
        digest.update(f"{entity}:{row_id}:{seq}\n".encode())
        count += 1
    return count, digest.hexdigest()
