"""Rows as they travel: every replicated table's row to JSON values and back."""

from __future__ import annotations

import base64
import functools
import hashlib
import operator
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import JSON, LargeBinary, Select, Table, Text, cast, select

from boxoffice.model import Base
from boxoffice.model.base import UTCDateTime

LOCAL_ONLY = {"local_device", "outbox", "sync_cursors", "audit_log", "print_jobs"}


def replicated_tables() -> dict[str, Table]:
    """Every table whose rows sync: the model's tables that carry a server_seq column."""
    return {name: table for name, table in Base.metadata.tables.items()
            if name not in LOCAL_ONLY and "server_seq" in table.c}


@functools.cache
def wire_select(table: Table) -> tuple[Select[Any], tuple[str, ...], frozenset[str], frozenset[str]]:
    """The SELECT that reads rows ready to send, with the names of its JSON and binary columns.

    JSON and times are read as the database's text and sent as is (JSON embedded unparsed,
    times as naive UTC text): decoding them only to encode them again was most of a pull's cost.
    """
    columns: list[Any] = []
    json_names: set[str] = set()
    binary: set[str] = set()
    for column in table.c:
        if column.name == "server_seq":
            continue
        if isinstance(column.type, JSON | UTCDateTime):
            columns.append(cast(column, Text).label(column.name))
            if isinstance(column.type, JSON):
                json_names.add(column.name)
        else:
            columns.append(column)
            if isinstance(column.type, LargeBinary):
                binary.add(column.name)
    names = tuple(c.name for c in table.c if c.name != "server_seq")
    query: Select[Any] = select(*columns)
    return query, names, frozenset(json_names), frozenset(binary)


def to_wire(names: tuple[str, ...], json_names: frozenset[str], binary: frozenset[str], row: Any) -> dict[str, Any]:
    out = dict(zip(names, row, strict=True))
    for name in json_names:
        if out[name] is not None:
            out[name] = orjson.Fragment(out[name])
    for name in binary:
        if out[name] is not None:
            out[name] = {"$b64": base64.b64encode(bytes(out[name])).decode()}
    return out


def _to_time(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _to_bytes(value: dict[str, str]) -> bytes:
    return base64.b64decode(value["$b64"])


@functools.cache
def _converters(table: Table) -> tuple[frozenset[str], tuple[tuple[str, Any], ...]]:
    """Column names, and the columns whose wire form needs converting (times, binary)."""
    special = tuple((c.name, _to_time if isinstance(c.type, UTCDateTime) else _to_bytes) for c in table.c
                    if isinstance(c.type, UTCDateTime | LargeBinary))
    return frozenset(c.name for c in table.c), special


def _is_sqlite_time(value: Any) -> bool:
    # The text SQLAlchemy stores for a DATETIME on SQLite: 'YYYY-MM-DD HH:MM:SS.ffffff'.
    return isinstance(value, str) and len(value) == 26 and value[10] == " " and value[19] == "."


def from_wire(table: Table, values: dict[str, Any], keep_times: bool = False) -> dict[str, Any]:
    """Wire values to Python values for `table`; unknown columns are refused, missing ones left out.

    keep_times: leave times already in SQLite's stored form as text, for a bulk insert on a device.
    """
    names, special = _converters(table)
    if not names.issuperset(values):
        raise ValueError(f"{table.name} has no column {', '.join(sorted(set(values) - names))}")
    out = dict(values)
    for name, convert in special:
        value = out.get(name)
        if value is not None and not (keep_times and _is_sqlite_time(value)):
            out[name] = convert(value)
    return out


def wire_rows(table: Table, rows: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """Many wire rows of `table` (as the server sends them: same columns) to column names and value
    lists for a bulk insert, times left in SQLite's stored form. The columns are checked once and
    only time and binary values are looked at: per row, from_wire cost more than the insert."""
    first = rows[0]
    names = list(from_wire(table, first, keep_times=True))
    _all, special = _converters(table)
    convert = [(names.index(name), fn) for name, fn in special if name in first]
    pick = operator.itemgetter(*names)
    out = []
    width = len(first)
    for row in rows:
        # Same length and every name found: the same columns.
        try:
            if len(row) != width:
                raise KeyError
            values = list(pick(row)) if width > 1 else [row[names[0]]]
        except KeyError:
            raise ValueError(f"the server sent rows of {table.name} with different columns") from None
        for index, fn in convert:
            value = values[index]
            if value is not None and not _is_sqlite_time(value):
                values[index] = fn(value)
        out.append(values)
    return names, out


HASH_BITS = 128
_MASK = (1 << HASH_BITS) - 1


def row_hash(entity: str, row_id: str, seq: int) -> int:
    """One row's share of a checkpoint hash."""
    return int.from_bytes(hashlib.blake2b(f"{entity}:{row_id}:{seq}".encode(), digest_size=HASH_BITS // 8).digest())


def hash_text(total: int) -> str:
    return format(total & _MASK, f"0{HASH_BITS // 4}x")


def checkpoint(items: Iterable[tuple[str, str, int]]) -> tuple[int, str]:
    """Count and hash of (entity, id, seq) triples, computed alike on both ends.

    The hash is the sum of the rows' hashes modulo 2**128: order does not matter and the server
    keeps it up to date as rows change (sync/server/checkpoints.py) instead of re-reading every
    row of a scope for each pull.
    """
    total = count = 0
    for entity, row_id, seq in items:
        total += row_hash(entity, row_id, seq)
        count += 1
    return count, hash_text(total)
