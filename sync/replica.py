"""Apply pulled rows to a device's store, merging with local edits not yet pushed; local checkpoints."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Table, delete, select, update
from sqlalchemy.orm import Session

from boxoffice.model import Base
from boxoffice.store.bulk import insert_rows
from sync import projections
from sync.protocol import SCOPE_KEYS, scope_of, within
from sync.rows import from_wire, hash_text, replicated_tables, row_hash, wire_rows

_MODELS = {str(getattr(mapper.local_table, "name", "")): mapper.class_ for mapper in Base.registry.mappers}
_SYSTEM = {"id", "hlc", "field_hlc", "server_seq", "deleted", "created_at", "cl"}


def apply_changes(session: Session, changes: list[dict[str, Any]]) -> str:
    """Write a page of changes; returns the highest HLC seen (for the device's clock)."""
    tables = replicated_tables()
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    top_hlc = ""
    for change in changes:
        grouped[change["entity"]].append(change)
        top_hlc = max(top_hlc, str(change["row"].get("hlc") or ""))
    for entity, items in grouped.items():
        table = tables.get(entity)
        if table is None:
            raise ValueError(f"the server sent rows of an unknown table {entity!r}")
        _apply_table(session, table, items)
    return top_hlc


def _apply_table(session: Session, table: Table, items: list[dict[str, Any]]) -> None:
    incoming = {c["row"]["id"]: c for c in items}
    known = _known_ids(session, table, list(incoming))
    # New rows (all of an initial sync) go in with one executemany, times kept as the wire's text.
    fresh = [c for row_id, c in incoming.items() if row_id not in known]
    if fresh:
        columns, rows = _fresh_rows(table, fresh)
        insert_rows(session, _MODELS[table.name], columns, rows)
    if not known:
        return
    for current in session.execute(select(table).where(table.c.id.in_(sorted(known)))).mappings():
        change = incoming[current["id"]]
        merged = merge(table, current, {**from_wire(table, change["row"]), "server_seq": change["seq"]})
        if merged:
            session.execute(update(table).where(table.c.id == current["id"]).values(**merged))


def _known_ids(session: Session, table: Table, ids: list[str]) -> set[str]:
    """The ids this copy already has; plain SQL in chunks: an initial sync asks for 140,000."""
    known: set[str] = set()
    connection = session.connection()
    for start in range(0, len(ids), 2000):
        chunk = ids[start:start + 2000]
        known.update(row[0] for row in connection.exec_driver_sql(
            f"SELECT id FROM {table.name} WHERE id IN ({', '.join('?' * len(chunk))})", tuple(chunk)))
    return known


def _fresh_rows(table: Table, changes: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    names, rows = wire_rows(table, [c["row"] for c in changes])
    for values, change in zip(rows, changes, strict=True):
        values.append(change["seq"])
    return [*names, "server_seq"], rows


def replace_rows(session: Session, changes: list[dict[str, Any]], missing: list[tuple[str, str]]) -> None:
    """Make rows exactly the server's (no merging: the local stamps came from a refused change),
    and delete those the server does not have."""
    tables = replicated_tables()
    for entity, row_id in missing:
        if entity in tables:
            session.execute(delete(tables[entity]).where(tables[entity].c.id == row_id))
    for change in changes:
        table = tables[change["entity"]]
        session.execute(delete(table).where(table.c.id == change["row"]["id"]))
        values = {**from_wire(table, change["row"], keep_times=True), "server_seq": change["seq"]}
        columns = list(values)
        insert_rows(session, _MODELS[table.name], columns, [tuple(values[c] for c in columns)])


def merge(table: Table, local: Any, remote: dict[str, Any]) -> dict[str, Any]:
    """The values to write: per field, the later HLC stamp wins (local edits not yet pushed keep
    their newer stamps); causal lengths take the longer history; append-only rows only learn
    their server number."""
    if "field_hlc" not in table.c:
        return {"server_seq": remote["server_seq"]} if "hlc" in table.c else dict(remote)
    local_stamps, remote_stamps = dict(local["field_hlc"] or {}), dict(remote.get("field_hlc") or {})
    out: dict[str, Any] = {"server_seq": remote["server_seq"]}
    stamps = dict(local_stamps)
    for column in table.c:
        name = column.name
        if name in _SYSTEM or name not in remote:
            continue
        theirs = remote_stamps.get(name, remote["hlc"])
        mine = local_stamps.get(name, local["hlc"])
        if theirs >= mine and remote[name] != local[name]:
            out[name] = remote[name]
        if theirs > mine:
            stamps[name] = theirs
    if "cl" in table.c and remote.get("cl", 0) > local["cl"]:
        out["cl"] = remote["cl"]
    if remote.get("deleted") and not local["deleted"]:
        out["deleted"] = True
    out["field_hlc"] = stamps
    out["hlc"] = max(local["hlc"], remote["hlc"])
    return out


def local_checkpoints(session: Session, scopes: list[str]) -> dict[str, tuple[int, str]]:
    """Count and hash of the rows this device holds for each scope, as the server computes them,
    in one pass over the replicated tables (plain SQL: ~1 µs a row)."""
    wanted = set(scopes)
    totals: dict[str, list[int]] = {scope: [0, 0] for scope in scopes}
    connection = session.connection()
    for name in replicated_tables():
        keys, sql = _scoped_rows(name, "id, server_seq")
        for row in connection.exec_driver_sql(sql):
            row_scope = scope_of(name, dict(zip(keys, row[2:], strict=True)))
            target = "dates" if "dates" in wanted and row_scope.startswith("date:") else row_scope
            if target in wanted:
                total = totals[target]
                total[0] += 1
                total[1] += row_hash(name, row[0], row[1])
    return {scope: (count, hash_text(total)) for scope, (count, total) in totals.items()}


def _scoped_rows(name: str, columns: str) -> tuple[list[str], str]:
    """The keys scope_of reads of `name`'s rows, and the SQL selecting `columns` then those keys for
    every row the server sent (a guest's event is read through its invitation, as the server does)."""
    pairs = SCOPE_KEYS.get(name, ())
    keys = [key for key, _expression in pairs]
    selected = "".join(f", {expression}" for _key, expression in pairs)
    return keys, f"SELECT {columns}{selected} FROM {name} WHERE {name}.server_seq IS NOT NULL"


def rows_outside(session: Session, scopes: list[str]) -> int:
    """How many rows the server sent this copy lie outside `scopes` (read only)."""
    held = set(scopes)
    connection = session.connection()
    count = 0
    for name in replicated_tables():
        keys, sql = _scoped_rows(name, "id")
        count += sum(1 for row in connection.exec_driver_sql(sql)
                     if not within(scope_of(name, dict(zip(keys, row[1:], strict=True))), held))
    return count


def drop_outside(session: Session, scopes: list[str], role: str) -> int:
    """Forget what this copy may no longer hold: rows of scopes outside `scopes` (a door narrowed
    to other dates, a desk that no longer pulls contacts), and the values of fields `role` does not
    receive (a copy pulled before projections existed). Rows never synced stay: they are this
    device's own, still waiting in its outbox. Returns the number of rows dropped."""
    held = set(scopes)
    connection = session.connection()
    dropped = 0
    # Every table's rows are judged before any is deleted: an order's scope is read through its
    # passes, which may go too.
    outside = {}
    for name in replicated_tables():
        keys, sql = _scoped_rows(name, "id")
        outside[name] = [row[0] for row in connection.exec_driver_sql(sql)
                         if not within(scope_of(name, dict(zip(keys, row[1:], strict=True))), held)]
    for name, table in replicated_tables().items():
        gone = outside[name]
        for start in range(0, len(gone), 500):
            chunk = gone[start:start + 500]
            connection.exec_driver_sql(f"DELETE FROM {name} WHERE id IN ({', '.join('?' * len(chunk))})", tuple(chunk))
        dropped += len(gone)
        if role != "organizer":
            _scrub(connection, name, table, role)
    return dropped


def _scrub(connection: Any, name: str, table: Table, role: str) -> None:
    """Set the fields `role` does not receive to what the server would send instead (nothing)."""
    keep = projections.allowed(role, name)
    sets = []
    for column in table.c:
        if column.name in keep or column.name == "server_seq":
            continue
        if column.server_default is not None:
            arg = column.server_default.arg  # type: ignore[attr-defined]
            value = f"'{arg}'" if isinstance(arg, str) else str(arg.compile(dialect=connection.dialect))
        elif column.nullable:
            value = "NULL"
        elif column.unique:
            value = "'withheld:' || id"
        else:
            placeholder = dict(projections.placeholders(role, name)).get(column.name, "")
            value = str(placeholder) if isinstance(placeholder, int) else f"'{placeholder}'"
        sets.append(f"{column.name} = {value}")
    if sets:
        connection.exec_driver_sql(f"UPDATE {name} SET {', '.join(sets)} WHERE server_seq IS NOT NULL")
