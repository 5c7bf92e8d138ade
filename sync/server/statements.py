"""Every statement push and pull send straight to the driver (driver_sql.py), in one place.

Table and column names come from tables.py (a renamed column fails at import, not in a push),
and each statement's text is made once per dialect: `?` marks for SQLite, `%s` for psycopg.
tests/sync/test_statements.py EXPLAINs every one of them on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table

from sync.protocol import SCOPE_KEYS
from sync.server.tables import AppliedMutation, ChangeCounter, Device, RowChange, ScopeCheckpoint

DIALECTS = ("sqlite", "postgresql")


class _Names:
    """A table's name, and its columns' names as attributes: only the ones the table has."""

    def __init__(self, table: Any) -> None:
        self._table: Table = table.__table__

    def __str__(self) -> str:
        return self._table.name

    def __format__(self, _spec: str) -> str:
        return self._table.name

    def __getattr__(self, column: str) -> str:
        if column.startswith("_") or column not in self._table.c:
            raise AttributeError(f"{self._table.name} has no column {column}")
        return column


@dataclass(frozen=True)
class Statement:
    """One statement's text for each dialect, and what EXPLAIN needs to plan it (sample parameters)."""

    name: str
    texts: dict[str, str]  # by dialect: the ones it runs on
    sample: tuple[Any, ...]

    def text(self, dialect: str) -> str:
        return self.texts[dialect]


ALL: dict[str, Statement] = {}
_N = {"devices": _Names(Device), "applied": _Names(AppliedMutation), "counters": _Names(ChangeCounter),
      "changes": _Names(RowChange), "checkpoints": _Names(ScopeCheckpoint)}


def _texts(template: str, tails: dict[str, str] | None = None, dialects: tuple[str, ...] = DIALECTS
           ) -> dict[str, str]:
    """`template` with tables.py names filled in, per dialect (`tails` adds a dialect's own end)."""
    filled = template.format(**_N)
    texts = {dialect: filled.replace("?", "%s") if dialect == "postgresql" else filled for dialect in dialects}
    for dialect, tail in (tails or {}).items():
        texts[dialect] += tail
    return texts


def _define(name: str, template: str, sample: tuple[Any, ...], tails: dict[str, str] | None = None,
            dialects: tuple[str, ...] = DIALECTS) -> Statement:
    statement = Statement(name, _texts(template, tails, dialects), sample)
    ALL[name] = statement
    return statement


ORG, DEV, NOW = "00000000-0000-0000-0000-000000000000", "00000000-0000-0000-0000-000000000001", "2026-01-01"

_DEVICE = ("SELECT {devices.id}, {devices.organizer_id}, {devices.name}, {devices.role}, {devices.dates}, "
           "{devices.last_seq}, {devices.revoked_at}, {devices.created_at} FROM {devices} WHERE {devices.id} = ?")
DEVICE = _define("device", _DEVICE, (DEV,))
# SQLite has no FOR UPDATE: its writers take turns at BEGIN IMMEDIATE.
DEVICE_LOCKED = _define("device_locked", _DEVICE, (DEV,), {"postgresql": " FOR UPDATE"})
COUNTER_LOCKED = _define("counter_locked", "SELECT {counters.value} FROM {counters} WHERE {counters.organizer_id} = ?",
                         (ORG,), {"postgresql": " FOR UPDATE"})
BUMP_COUNTER = _define("bump_counter", "UPDATE {counters} SET {counters.value} = {counters.value} + ? "
                       "WHERE {counters.organizer_id} = ? RETURNING {counters.value}", (1, ORG))
RECORD_ANSWERS = _define("record_answers", "INSERT INTO {applied} ({applied.device_id}, {applied.seq}, {applied.name}, "
                         "{applied.status}, {applied.reason}, {applied.result}, {applied.applied_at}) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)", (DEV, 1, "x.y", "applied", "", "{}", NOW))
ADVANCE_DEVICE = _define("advance_device", "UPDATE {devices} SET {devices.last_seq} = ? WHERE {devices.id} = ?",
                         (1, DEV))
OWNER = _define("owner", "SELECT {changes.organizer_id} FROM {changes} WHERE {changes.entity} = ? "
                "AND {changes.entity_id} = ?", ("tickets", DEV))
OWNED_SEQ = _define("owned_seq", "SELECT {changes.seq}, {changes.scope} FROM {changes} WHERE {changes.entity} = ? "
                    "AND {changes.entity_id} = ? AND {changes.organizer_id} = ?", ("tickets", DEV, ORG))
NUMBER_ROWS = _define("number_rows", "INSERT INTO {changes} ({changes.entity}, {changes.entity_id}, "
                      "{changes.organizer_id}, {changes.scope}, {changes.seq}) VALUES (?, ?, ?, ?, ?) "
                      "ON CONFLICT ({changes.entity}, {changes.entity_id}) DO UPDATE SET "
                      "{changes.scope} = excluded.{changes.scope}, {changes.seq} = excluded.{changes.seq}",
                      ("tickets", DEV, ORG, "organizer", 1))
_PAGE = ("SELECT {changes.entity}, {changes.entity_id}, {changes.seq} FROM {changes} WHERE {changes.organizer_id} = ? "
         "AND {changes.scope} MATCH AND {changes.seq} > ? ORDER BY {changes.seq} LIMIT ?")
PAGE_ONE = _define("page_one", _PAGE.replace("MATCH", "= ?"), (ORG, "organizer", 0, 2000))
PAGE_DATES = _define("page_dates", _PAGE.replace("MATCH", "LIKE ?"), (ORG, "date:%", 0, 2000))
# On SQLite a page comes back as ONE row of JSON (replication._page says why).
_PACKED = "SELECT json_group_array(json_array({changes.entity}, {changes.entity_id}, {changes.seq})) FROM (PAGE)"
PAGE_ONE_PACKED = _define("page_one_packed", _PACKED.replace("PAGE", _PAGE.replace("MATCH", "= ?")),
                          PAGE_ONE.sample, dialects=("sqlite",))
PAGE_DATES_PACKED = _define("page_dates_packed", _PACKED.replace("PAGE", _PAGE.replace("MATCH", "LIKE ?")),
                            PAGE_DATES.sample, dialects=("sqlite",))
_CHECKPOINT = ("SELECT {checkpoints.row_count}, {checkpoints.digest} FROM {checkpoints} "
               "WHERE {checkpoints.organizer_id} = ? AND {checkpoints.scope} MATCH")
CHECKPOINT_ONE = _define("checkpoint_one", _CHECKPOINT.replace("MATCH", "= ?"), (ORG, "organizer"))
CHECKPOINT_DATES = _define("checkpoint_dates", _CHECKPOINT.replace("MATCH", "LIKE ?"), (ORG, "date:%"))
SAVE_CHECKPOINTS = _define("save_checkpoints", "INSERT INTO {checkpoints} ({checkpoints.organizer_id}, "
                           "{checkpoints.scope}, {checkpoints.row_count}, {checkpoints.digest}) VALUES (?, ?, ?, ?) "
                           "ON CONFLICT ({checkpoints.organizer_id}, {checkpoints.scope}) DO UPDATE SET "
                           "{checkpoints.row_count} = excluded.{checkpoints.row_count}, "
                           "{checkpoints.digest} = excluded.{checkpoints.digest}", (ORG, "organizer", 0, "0"))


@functools.cache
def numbered_rows(count: int) -> Statement:
    """Scope and number of `count` rows of one entity (a push's touched rows, in chunks)."""
    return Statement("numbered_rows", _texts(
        "SELECT {changes.entity_id}, {changes.organizer_id}, {changes.scope}, {changes.seq} FROM {changes} "
        f"WHERE {{changes.entity}} = ? AND {{changes.entity_id}} IN ({', '.join('?' * count)})"),
        ("tickets", *[DEV] * count))


@functools.cache
def checkpoints_of(count: int) -> Statement:
    """The checkpoints of `count` scopes of one organizer."""
    return Statement("checkpoints_of", _texts(
        "SELECT {checkpoints.scope}, {checkpoints.row_count}, {checkpoints.digest} FROM {checkpoints} "
        f"WHERE {{checkpoints.organizer_id}} = ? AND {{checkpoints.scope}} IN ({', '.join('?' * count)})"),
        (ORG, *["organizer"] * count))


@functools.cache
def scope_keys_of(entity: str, count: int) -> Statement:
    """What decides the scope of `count` rows of `entity` (sync/protocol.SCOPE_KEYS), read back as written."""
    expressions = "".join(", " + expression for _key, expression in SCOPE_KEYS[entity])
    text = f"SELECT {entity}.id{expressions} FROM {entity} WHERE {entity}.id IN ({', '.join('?' * count)})"
    # Not through _texts: the expressions are SQL of their own, with no tables.py names to fill in.
    return Statement("scope_keys_of", {"sqlite": text, "postgresql": text.replace("?", "%s")}, (DEV,) * count)


# The shapes of the statements made per call, for the EXPLAIN test.
ALL["numbered_rows"], ALL["checkpoints_of"] = numbered_rows(3), checkpoints_of(2)
ALL["scope_keys_of"] = scope_keys_of("orders", 2)
