"""Push and pull on the server: apply mutations at most once, number changes, serve pages by scope."""

from __future__ import annotations

import functools
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import orjson
from sqlalchemy import Connection, Select, Table, bindparam
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from boxoffice import mutations
from boxoffice.i18n import N_
from boxoffice.mutations import MutationContext, MutationRejected
from boxoffice.store.bulk import sqlite_datetime
from boxoffice.store.hlc import Timestamp
from sync import projections
from sync.protocol import PAGE_SIZE, Mutation, MutationResult, within
from sync.rows import replicated_tables, to_wire, wire_select
from sync.server import checkpoints, driver_sql, routing
from sync.server import statements as sql
from sync.server.authorisation import authorise
from sync.server.fragments import Fragments, Key, ViewKey
from sync.server.tables import AppliedMutation


class OutOfOrder(Exception):
    """A mutation numbered below the device's last one that the server never received."""


ROLE_NAMES = {"door": "a door", "desk": "a desk", "organizer": "an organizer"}


_run = driver_sql.run


@dataclass
class DeviceRow:
    """The calling device as push and pull need it, read without the ORM."""

    id: str
    organizer_id: str
    name: str
    role: str
    dates: list[str]
    last_seq: int
    revoked: bool
    # When it first enrolled (kept when it pairs again): no scan of a door or desk is older.
    enrolled_at: datetime | None = None


def load_device(connection: Connection, device_id: str, lock: bool = False) -> DeviceRow | None:
    """The device row; `lock` holds it until commit (two pushes of one device never interleave;
    SQLite has no FOR UPDATE: its writers take turns at BEGIN IMMEDIATE)."""
    found = _run(connection, sql.DEVICE_LOCKED if lock else sql.DEVICE, (device_id,)).first()
    if found is None:
        return None
    row_id, organizer_id, name, role, dates, last_seq, revoked_at, created_at = found
    dates = orjson.loads(dates) if isinstance(dates, str | bytes) else dates
    return DeviceRow(row_id, organizer_id, name, role, list(dates or []), int(last_seq or 0), revoked_at is not None,
                     _utc(created_at))


def _utc(stored: datetime | str | None) -> datetime | None:
    """A stored UTC time as the driver gives it (naive datetime from psycopg, text from sqlite3), aware."""
    if stored is None:
        return None
    moment = stored if isinstance(stored, datetime) else datetime.fromisoformat(stored)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def push(session: Session, device: DeviceRow, batch: list[Mutation]) -> list[MutationResult]:
    """Apply each new mutation under its own savepoint; replay stored answers for old ones.

    A refusal is stored and still advances the device's counter, so a poison mutation never
    blocks the ones behind it. The caller commits once for the whole batch.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        # One organizer's mutations run one push at a time on every server process: capacity, leases
        # and seats are read before they are written, so two pushes must not both read the old count.
        _run(connection, sql.COUNTER_LOCKED, (device.organizer_id,))
    results, answered = [], []
    numbering = _Numbering(device.organizer_id)
    first_seq, now = device.last_seq, _now(connection)
    for mutation in batch:
        if mutation.seq <= first_seq:
            stored = session.get(AppliedMutation, (device.id, mutation.seq))
            if stored is None:
                # Never received, yet numbered below one that was: dropping it as a "duplicate"
                # would lose a check-in. Refused whole, without a seq, so the device keeps it queued.
                raise OutOfOrder(f"mutation {mutation.seq} was never received, but mutation {first_seq} "
                                 "already was: this device's queue is out of order; it keeps the change "
                                 "and support must look at it")
            results.append(MutationResult(seq=mutation.seq, status=stored.status,  # type: ignore[arg-type]
                                          reason=stored.reason, result=stored.result, replayed=True))
            continue
        status, reason, result = _apply(session, device, mutation, numbering)
        answered.append((device.id, mutation.seq, mutation.name, status, reason, orjson.dumps(result).decode(), now))
        device.last_seq = mutation.seq
        results.append(MutationResult(seq=mutation.seq, status=status, reason=reason, result=result))
    _number_all(connection, numbering)
    if answered:
        _run(connection, sql.RECORD_ANSWERS, answered)
        _run(connection, sql.ADVANCE_DEVICE, (device.last_seq, device.id))
    return results


def _now(connection: Connection) -> datetime | str:
    """Now as the time columns store it (UTCDateTime: naive UTC; on SQLite its text form)."""
    now = datetime.now(UTC)
    return sqlite_datetime(now) if connection.dialect.name == "sqlite" else now.replace(tzinfo=None)


def refusal(device: DeviceRow, batch: list[Mutation]) -> tuple[str, int] | None:
    """Why the whole batch is refused before anything runs: an unknown name or a role breach
    is a bug or an attack, not a business rule, so it must not be recorded as applied."""
    known = mutations.known()
    for mutation in batch:
        if mutation.name not in known:
            return f"mutation {mutation.seq}: unknown mutation {mutation.name!r}", mutation.seq
        if device.role not in mutations.lookup(mutation.name).roles:
            return f"mutation {mutation.seq}: {ROLE_NAMES[device.role]} may not push {mutation.name}", mutation.seq
    return None


Status = Literal["applied", "rejected"]


MAX_CLOCK_AHEAD_MS = 24 * 3600 * 1000


def clock_problem(batch: list[Mutation]) -> tuple[str, int] | None:
    """A stamp far in the future would win every later edit for good: refuse it by name."""
    limit = time.time_ns() // 1_000_000 + MAX_CLOCK_AHEAD_MS
    for mutation in batch:
        if int(mutation.hlc[:15]) > limit:
            return (f"mutation {mutation.seq}: its clock is more than a day ahead of the server's: "
                    "set this device's date and time"), mutation.seq
    return None


def _apply(session: Session, device: DeviceRow, mutation: Mutation, numbering: _Numbering
           ) -> tuple[Status, str, dict[str, Any]]:
    spec = mutations.lookup(mutation.name)
    ctx = MutationContext(session, mutation.hlc, device.id, device.name, on_server=True, role=device.role,
                          owner_check=lambda entity, row_id: owned_by(session, device.organizer_id, entity, row_id),
                          organizer_id=device.organizer_id, dates=frozenset(device.dates) or None)
    savepoint = session.begin_nested()
    try:
        authorise(device, mutation)
        result = spec.run(ctx, mutation.args)
        session.flush()
        numbering.check(session.connection(), ctx.touched)
        savepoint.commit()
        numbering.add(ctx.touched)
    except MutationRejected as exc:
        savepoint.rollback()
        # The English text for logs and older devices; the rest lets the device say it in its language.
        return "rejected", exc.in_english(), {"refusal": exc.refusal()}
    except OperationalError:
        raise  # transient (locked, connection lost): 503, the client sends the batch again
    except (KeyError, TypeError, ValueError, IndexError, ArithmeticError, DBAPIError) as exc:
        savepoint.rollback()
        return "rejected", f"{mutation.name} has malformed arguments: {exc!s}"[:500], {}
    return "applied", "", result


def owned_by(session: Session, organizer_id: str, entity: str, row_id: str) -> bool:
    owner = _run(session.connection(), sql.OWNER, (entity, row_id)).scalar()
    return owner is None or owner == organizer_id


@dataclass
class _Numbering:
    """The rows a push's applied mutations touched, numbered together when the push ends: one
    counter bump, one upsert and one checkpoint update per push instead of per mutation. The
    counter stays locked until commit, so numbers still follow commit order."""

    organizer_id: str
    latest: dict[tuple[str, str], str] = field(default_factory=dict)  # in the order to number them
    before: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)

    def check(self, connection: Connection, touched: list[tuple[str, str, str]]) -> None:
        """Refuse rows another organizer owns; note the current scope and number of the others."""
        by_entity: dict[str, list[str]] = defaultdict(list)
        for entity, row_id, _scope in touched:
            if (entity, row_id) not in self.before and (entity, row_id) not in self.latest:
                by_entity[entity].append(row_id)
        for entity, ids in by_entity.items():
            for start in range(0, len(ids), 5000):
                chunk = list(dict.fromkeys(ids[start:start + 5000]))
                for row_id, organizer_id, scope, seq in _run(connection, sql.numbered_rows(len(chunk)),
                                                             (entity, *chunk)):
                    if organizer_id != self.organizer_id:
                        raise MutationRejected(N_("{entity} {row_id} belongs to another organizer"),
                                               entity=entity, row_id=row_id)
                    self.before[(entity, row_id)] = (scope, int(seq))

    def add(self, touched: list[tuple[str, str, str]]) -> None:
        for entity, row_id, scope in touched:
            self.latest.pop((entity, row_id), None)  # touched again: numbered after the others
            self.latest[(entity, row_id)] = scope


def number_changes(session: Session, organizer_id: str, touched: list[tuple[str, str, str]]) -> None:
    """Number the rows `touched` now, refusing another organizer's (the server's own writes:
    RSVP answers, mail, the pass area)."""
    numbering = _Numbering(organizer_id)
    connection = session.connection()
    numbering.check(connection, touched)
    numbering.add(touched)
    _number_all(connection, numbering)


def _number_all(connection: Connection, numbering: _Numbering) -> None:
    latest, organizer_id = numbering.latest, numbering.organizer_id
    if not latest:
        return
    top = _run(connection, sql.BUMP_COUNTER, (len(latest), organizer_id)).scalar()
    if top is None:
        raise MutationRejected(N_("unknown organizer"))
    first = top - len(latest) + 1
    # Each row's scope decided once a push, from the row as the push leaves it: the read-back of the
    # rows a mutator cannot place (sync/server/routing.py) is one statement per entity, not per mutation.
    routed = routing.route(connection, [(e, i, s) for (e, i), s in latest.items()])
    values = [(e, i, organizer_id, s, first + n) for n, (e, i, s) in enumerate(routed)]
    # One executemany on the driver: compiling a Core multi-row upsert cost ~20 µs a row.
    _run(connection, sql.NUMBER_ROWS, values)
    before = [(e, i, *numbering.before[(e, i)]) for e, i in latest if (e, i) in numbering.before]
    checkpoints.apply_delta(connection, organizer_id, before, [(e, i, s, n) for e, i, _o, s, n in values])


def server_hlc() -> str:
    return str(Timestamp(time.time_ns() // 1_000_000, 0, "server"))


# The page of one scope, or of every date ("dates"): the index (organizer, scope, seq) serves both.
_PAGE_SQL = {"dates": (sql.PAGE_DATES, sql.PAGE_DATES_PACKED), "one": (sql.PAGE_ONE, sql.PAGE_ONE_PACKED)}


def _page(connection: Connection, kind: str, params: tuple[str, str, int, int]) -> list[Key]:
    """(entity, id, seq) of one scope's page, in seq order.

    On SQLite as ONE row of JSON: fetching rows one by one releases the GIL at every row, and the
    event loop that runs the pull then waits for the writer thread to hand it back, row after row
    (a fifth of the loop's time under 50 doors).
    """
    if connection.dialect.name != "sqlite":
        return [(entity, row_id, int(seq)) for entity, row_id, seq in _run(connection, _PAGE_SQL[kind][0], params)]
    packed: str = _run(connection, _PAGE_SQL[kind][1], params).scalar()
    # Sorted again: SQLite feeds the subquery's order to the aggregate, but does not promise it.
    return sorted(((entity, row_id, seq) for entity, row_id, seq in orjson.loads(packed)), key=lambda k: k[2])


def pull(connection: Connection, organizer_id: str, cursors: dict[str, int], fragments: Fragments,
         role: str = "organizer") -> dict[str, Any]:
    """Up to PAGE_SIZE changed rows after the given cursors, scope by scope, with checkpoints
    for every scope this answer drains. Give it a connection whose reads share one snapshot.

    The changes are JSON texts (orjson fragments) from `fragments` or read now and kept there,
    each row cut to what `role` receives (sync/projections.py).
    """
    budget, more = PAGE_SIZE, False
    changes: list[orjson.Fragment] = []
    new_cursors = dict(cursors)
    drained: dict[str, dict[str, Any]] = {}
    for scope, cursor in cursors.items():
        if budget == 0:
            more = True
            break
        kind = "dates" if scope == "dates" else "one"
        rows = _page(connection, kind, (organizer_id, "date:%" if kind == "dates" else scope, cursor, budget))
        changes.extend(_load_rows(connection, rows, fragments, role))
        budget -= len(rows)
        if rows:
            new_cursors[scope] = rows[-1][2]
        if budget == 0:
            more = True
        elif rows:
            # Only when this answer brought the scope's last rows: a scope with nothing new keeps
            # the checkpoint the device already verified, and idle pulls stay cheap.
            drained[scope] = checkpoints.read(connection, organizer_id, scope)
    # Plain dicts, not the PullResponse model: validating 2,000 rows per page cost more than the query.
    return {"changes": changes, "cursors": new_cursors, "more": more, "checkpoints": drained}


def current_rows(connection: Connection, organizer_id: str, wanted: list[tuple[str, str]], fragments: Fragments,
                 role: str = "organizer", scopes: list[str] | None = None
                 ) -> tuple[list[orjson.Fragment], list[tuple[str, str]]]:
    """The organizer's rows as they are now (JSON texts of changes, as `role` receives them), and the
    pairs it has no such row for; a row outside `scopes` (the device's) counts as missing."""
    tables = replicated_tables()
    owned = []
    for entity, row_id in dict.fromkeys((e, i) for e, i in wanted):  # each row once, however often asked
        numbered = _run(connection, sql.OWNED_SEQ, (entity, row_id, organizer_id)).first()
        if numbered is not None and entity in tables and (scopes is None or within(numbered[1], scopes)):
            owned.append((entity, row_id, int(numbered[0])))
    found: set[tuple[str, str]] = set()
    # Read outside one snapshot, a row may be newer than the number read before it: not cached.
    rows = _load_rows(connection, owned, fragments, role, found, keep=False)
    return rows, [pair for pair in wanted if tuple(pair) not in found]


@functools.cache
def _rows_by_id(table: Table) -> tuple[Select[Any], tuple[str, ...], frozenset[str], frozenset[str]]:
    query, names, json_names, binary = wire_select(table)
    return query.where(table.c.id.in_(bindparam("ids", expanding=True))), names, json_names, binary


def _load_rows(connection: Connection, numbered: list[Key], fragments: Fragments, role: str,
               found: set[tuple[str, str]] | None = None, keep: bool = True) -> list[orjson.Fragment]:
    """The changes `numbered` names, in their order, as JSON texts cut to `role`'s projection; rows
    gone from their table are left out. Cached per projection: a door's text of an order is not
    an organizer's, but a check-in's is the same for every role."""
    keys = [(projections.view(role, entity), entity, row_id, seq) for entity, row_id, seq in numbered]
    texts = fragments.found(keys)
    missing: dict[str, dict[str, int]] = defaultdict(dict)
    for key in keys:
        if key not in texts:
            missing[key[1]][key[2]] = key[3]
    if missing:
        tables = replicated_tables()
        read: dict[ViewKey, bytes] = {}
        for entity, seqs in missing.items():
            query, names, json_names, binary = _rows_by_id(tables[entity])
            shown = projections.view(role, entity)
            for row in connection.execute(query, {"ids": list(seqs)}):
                values = projections.project(role, entity, to_wire(names, json_names, binary, row))
                key = (shown, entity, values["id"], seqs[values["id"]])
                read[key] = orjson.dumps({"entity": entity, "seq": key[3], "row": values})
        if keep:
            fragments.keep(read)
        texts.update(read)
    if found is not None:
        found.update((entity, row_id) for _view, entity, row_id, _seq in texts)
    return [orjson.Fragment(texts[key]) for key in keys if key in texts]
