"""What each role receives of each replicated row, field by field (docs/roles.md is generated from here).

Least privilege (DESIGN: Sync protocol): assume a door laptop is stolen. A door gets what a verdict,
its search and its screen need; a desk what selling and finding orders at its box office need; an
organizer device everything of its organizer. The server serialises each row once per projection
(sync/server/replication.py), so the cut costs nothing per device.

A withheld column is left out of the row; one the device's table requires (NOT NULL without a
default) travels as a neutral placeholder instead (see `placeholders`), never its value.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import orjson
from sqlalchemy import Boolean, Integer, String, Table

from boxoffice.model.base import UTCDateTime
from sync.rows import replicated_tables

ALL = "all"
# Bookkeeping every role gets with every row it holds: ids, merge stamps, tombstones.
SYSTEM = frozenset({"id", "hlc", "field_hlc", "deleted", "created_at", "cl"})

_DOOR: dict[str, frozenset[str] | str] = {
    "box_offices": frozenset({"name", "timezone", "archived_at"}),
    "events": frozenset({"box_office_id", "kind", "name", "location", "event_type", "status", "starts_at",
                         "ends_at", "access_control", "signing_keys", "door_access_code"}),
    "event_dates": frozenset({"event_id", "starts_at", "ends_at", "doors_open_at", "status", "settings"}),
    "zones": ALL,
    "seats": ALL,
    "rates": frozenset({"event_id", "date_id", "zone_id", "name", "kind", "position"}),
    "tickets": frozenset({"order_id", "event_id", "date_id", "zone_id", "seat_id", "rate_id", "pass_id", "secret",
                          "holder_name", "state", "cancelled_at"}),
    "checkins": ALL,
    "orders": frozenset({"number", "customer_name", "status", "device_id", "date_id"}),
    "invitations": frozenset({"event_id", "name", "status"}),
    "guests": frozenset({"invitation_id", "first_name", "last_name", "code", "status"}),
    "companions": frozenset({"guest_id", "name", "code"}),
    "pass_definitions": frozenset({"box_office_id", "name", "support", "event_ids", "fixed_seats", "archived_at"}),
    # The QR secret stays: a pass code is checked against it. The pass area has its own key (area_key).
    "passes": frozenset({"definition_id", "order_id", "secret", "holder", "photo", "seat_id", "state"}),
    # A released seat no longer admits its pass on that date (resale.seat_released): no payout data.
    "resales": frozenset({"pass_id", "date_id", "seat_id", "status", "sold_ticket_id"}),
    "conflicts": frozenset({"kind", "entity", "entity_id", "detected_at", "resolved_at", "details"}),
}

_DESK: dict[str, frozenset[str] | str] = {
    **{entity: ALL for entity in ("box_offices", "events", "event_dates", "zones", "seats", "rates", "questions",
                                  "tickets", "checkins", "orders", "refunds", "pass_definitions", "allotments",
                                  "till_closes", "conflicts")},
    "passes": frozenset({"definition_id", "order_id", "secret", "holder", "photo", "seat_id", "state",
                         "credit_minor", "area_key"}),
    "resales": frozenset({"pass_id", "date_id", "seat_id", "status", "sold_ticket_id"}),
    "invitations": _DOOR["invitations"],
    "guests": _DOOR["guests"],
    "companions": _DOOR["companions"],
}

# Fields kept inside a JSON column, for the roles that get the column but not all of it.
_JSON_KEYS: dict[tuple[str, str, str], frozenset[str]] = {
    ("door", "passes", "holder"): frozenset({"first_name", "last_name"}),
    # A door gets double entries of its dates only; its banner shows both doors and times.
    ("door", "conflicts", "details"): frozenset({"first", "second", "date_id"}),
}

# A unique text column: each row gets its own placeholder ("withheld:<row id>").
_UNIQUE = object()

ROLE_COLUMNS: dict[str, dict[str, frozenset[str] | str]] = {"door": _DOOR, "desk": _DESK}


@functools.cache
def allowed(role: str, entity: str) -> frozenset[str]:
    """The columns of `entity` a device of `role` receives (an entity not listed: its ids alone)."""
    table = replicated_tables()[entity]
    names = frozenset(c.name for c in table.c if c.name != "server_seq")
    if role == "organizer":
        return names
    granted = ROLE_COLUMNS[role].get(entity, frozenset())
    return names if isinstance(granted, str) else names & (SYSTEM | granted)


@functools.cache
def is_full(role: str, entity: str) -> bool:
    """Whether `role` receives every column of `entity` (its rows are then sent as the organizer's)."""
    return allowed(role, entity) == allowed("organizer", entity) and not any(
        r == role and e == entity for r, e, _c in _JSON_KEYS)


def _placeholder(table: Table, name: str) -> Any:
    column = table.c[name]
    if isinstance(column.type, Boolean):
        return False
    if isinstance(column.type, Integer):
        return 0
    if isinstance(column.type, UTCDateTime):
        return "1970-01-01 00:00:00.000000"
    if isinstance(column.type, String) or column.type.python_type is str:
        return _UNIQUE if column.unique else ""
    return None


@functools.cache
def placeholders(role: str, entity: str) -> tuple[tuple[str, Any], ...]:
    """(column, value) for the withheld columns the device's table requires (NOT NULL, no default)."""
    table = replicated_tables()[entity]
    keep = allowed(role, entity)
    return tuple((c.name, _placeholder(table, c.name)) for c in table.c
                 if c.name not in keep and c.name != "server_seq" and not c.nullable
                 and c.server_default is None and c.default is None)


def view(role: str, entity: str) -> str:
    """The name rows of `entity` are serialised and cached under for `role`."""
    return "all" if is_full(role, entity) else role


def project(role: str, entity: str, values: dict[str, Any]) -> dict[str, Any]:
    """`values` (a row as it travels) cut to what `role` receives."""
    if is_full(role, entity):
        return values
    keep = allowed(role, entity)
    out = {name: value for name, value in values.items() if name in keep}
    for name, value in placeholders(role, entity):
        out[name] = f"withheld:{values['id']}" if value is _UNIQUE else value
    for (for_role, for_entity, column), keys in _JSON_KEYS.items():
        if for_role == role and for_entity == entity and out.get(column) is not None:
            out[column] = _cut_json(out[column], keys)
    return out


def _cut_json(value: Any, keys: frozenset[str]) -> dict[str, Any]:
    # On the server a JSON value travels as the database's text (an orjson.Fragment): read it back.
    held = orjson.loads(orjson.dumps(value)) if isinstance(value, orjson.Fragment) else value
    return {key: held[key] for key in sorted(keys) if isinstance(held, Mapping) and key in held}


_ROLE_NOTES = {"door": "a door", "desk": "a desk"}


def markdown() -> str:
    """The table of docs/roles.md: per entity, the columns each role receives (generated, so the
    document and what the server sends cannot drift; tests/sync/test_projections.py compares them)."""
    lines = ["| entity | organizer | desk | door |", "|---|---|---|---|"]
    for entity, table in sorted(replicated_tables().items()):
        names = [c.name for c in table.c if c.name != "server_seq" and c.name not in SYSTEM]
        cells = ["all"]
        for role in ("desk", "door"):
            keep = allowed(role, entity)
            got = [n for n in names if n in keep]
            if got == names and is_full(role, entity):
                cells.append("all")
            elif not got:
                cells.append("ids only" if entity in ROLE_COLUMNS[role] or not _scoped_out(role, entity)
                             else "—")
            else:
                cut = [f"{n} ({', '.join(sorted(_JSON_KEYS[(role, entity, n)]))} only)"
                       if (role, entity, n) in _JSON_KEYS else n for n in got]
                cells.append(", ".join(cut))
        lines.append(f"| {entity} | {' | '.join(cells)} |")
    return "\n".join(lines) + "\n"


def _scoped_out(role: str, entity: str) -> bool:
    """Whether no scope `role` pulls holds rows of `entity` (then it gets no rows at all)."""
    from sync.protocol import scope_of, scopes_for

    scope = scope_of(entity, {"date_id": "d", "event_id": "e", "device_id": "other", "kind": "double_entry"})
    return scope not in scopes_for(role, "self", None) and not scope.startswith("date:")
