"""Push and pull on the server: apply mutations at most once, number changes, serve pages by scope."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Row, select, update
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from boxoffice.store.hlc import Timestamp
from sync import mutators
from sync.mutators import MutationContext, MutationRejected
from sync.protocol import PAGE_SIZE, Mutation, MutationResult
from sync.rows import checkpoint, replicated_tables, to_wire, wire_select
from sync.server.tables import AppliedMutation, ChangeCounter, Device, RowChange

ROLE_NAMES = {"door": "a door", "desk": "a desk", "organizer": "an organizer"}


def push(session: Session, device: Device, batch: list[Mutation]) -> list[MutationResult]:
    """Apply each new mutation under its own savepoint; replay stored answers for old ones.

    A refusal is stored and still advances the device's counter, so a poison mutation never
    blocks the ones behind it. The caller commits once for the whole batch.
    """
    # One organizer's mutations run one push at a time on every server process: capacity, leases
    # and seats are read before they are written, so two pushes must not both read the old count.
    session.execute(select(ChangeCounter.value).where(ChangeCounter.organizer_id == device.organizer_id)
                    .with_for_update())
    results = []
    for mutation in batch:
        if mutation.seq <= device.last_seq:
            stored = session.get(AppliedMutation, (device.id, mutation.seq))
            status = stored.status if stored and stored.status in ("applied", "rejected") else "duplicate"
            results.append(MutationResult(seq=mutation.seq, status=status,  # type: ignore[arg-type]
                                          reason=stored.reason if stored else "",
                                          result=stored.result if stored else {}, replayed=True))
            continue
        status, reason, result = _apply(session, device, mutation)
        session.add(AppliedMutation(device_id=device.id, seq=mutation.seq, name=mutation.name, status=status,
                                    reason=reason, result=result, applied_at=datetime.now(UTC)))
        device.last_seq = mutation.seq
        results.append(MutationResult(seq=mutation.seq, status=status, reason=reason, result=result))
    return results


def refusal(device: Device, batch: list[Mutation]) -> tuple[str, int] | None:
    """Why the whole batch is refused before anything runs: an unknown name or a role breach
    is a bug or an attack, not a business rule, so it must not be recorded as applied."""
    known = set(mutators.names())
    for mutation in batch:
        if mutation.name not in known:
            return f"mutation {mutation.seq}: unknown mutation {mutation.name!r}", mutation.seq
        if device.role not in mutators.lookup(mutation.name).roles:
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


def _apply(session: Session, device: Device, mutation: Mutation) -> tuple[Status, str, dict[str, Any]]:
    spec = mutators.lookup(mutation.name)
    ctx = MutationContext(session, mutation.hlc, device.id, device.name, on_server=True, role=device.role,
                          owner_check=lambda entity, row_id: _owned_by(session, device.organizer_id, entity, row_id))
    savepoint = session.begin_nested()
    try:
        result = spec.run(ctx, mutation.args)
        session.flush()
        _number_changes(session, device.organizer_id, ctx.touched)
        savepoint.commit()
    except MutationRejected as exc:
        savepoint.rollback()
        return "rejected", str(exc), {}
    except OperationalError:
        raise  # transient (locked, connection lost): 503, the client sends the batch again
    except (KeyError, TypeError, ValueError, IndexError, ArithmeticError, DBAPIError) as exc:
        savepoint.rollback()
        return "rejected", f"{mutation.name} has malformed arguments: {exc!s}"[:500], {}
    return "applied", "", result


def _owned_by(session: Session, organizer_id: str, entity: str, row_id: str) -> bool:
    owner = session.scalar(select(RowChange.organizer_id).where(RowChange.entity == entity,
                                                                RowChange.entity_id == row_id))
    return owner is None or owner == organizer_id


def _number_changes(session: Session, organizer_id: str, touched: list[tuple[str, str, str]]) -> None:
    latest = {(entity, row_id): scope for entity, row_id, scope in touched}
    if not latest:
        return
    _check_owner(session, organizer_id, latest)
    # The counter row is locked until commit, so change numbers follow commit order.
    top = session.execute(update(ChangeCounter).where(ChangeCounter.organizer_id == organizer_id)
                          .values(value=ChangeCounter.value + len(latest)).returning(ChangeCounter.value)).scalar()
    if top is None:
        raise MutationRejected("unknown organizer")
    first = top - len(latest) + 1
    values = [(e, i, organizer_id, s, first + n) for n, ((e, i), s) in enumerate(latest.items())]
    # One executemany on the driver: compiling a Core multi-row upsert cost ~20 µs a row.
    mark = "%s" if session.get_bind().dialect.name == "postgresql" else "?"
    session.connection().exec_driver_sql(
        f"INSERT INTO row_changes (entity, entity_id, organizer_id, scope, seq) VALUES ({', '.join([mark] * 5)}) "
        "ON CONFLICT (entity, entity_id) DO UPDATE SET scope = excluded.scope, seq = excluded.seq", values)


def _check_owner(session: Session, organizer_id: str, latest: dict[tuple[str, str], str]) -> None:
    by_entity: dict[str, list[str]] = defaultdict(list)
    for entity, row_id in latest:
        by_entity[entity].append(row_id)
    for entity, ids in by_entity.items():
        for start in range(0, len(ids), 5000):
            foreign = session.scalar(select(RowChange.entity_id).where(
                RowChange.entity == entity, RowChange.entity_id.in_(ids[start:start + 5000]),
                RowChange.organizer_id != organizer_id).limit(1))
            if foreign is not None:
                raise MutationRejected(f"{entity} {foreign} belongs to another organizer")


def server_hlc() -> str:
    return str(Timestamp(time.time_ns() // 1_000_000, 0, "server"))


def _scope_filter(scope: str) -> Any:
    return RowChange.scope.like("date:%") if scope == "dates" else RowChange.scope == scope


def pull(session: Session, organizer_id: str, cursors: dict[str, int]) -> dict[str, Any]:
    """Up to PAGE_SIZE changed rows after the given cursors, scope by scope, with checkpoints
    for every scope this answer drains."""
    budget, more = PAGE_SIZE, False
    changes: list[dict[str, Any]] = []
    new_cursors = dict(cursors)
    checkpoints: dict[str, dict[str, Any]] = {}
    for scope, cursor in cursors.items():
        if budget == 0:
            more = True
            break
        rows = session.execute(select(RowChange.entity, RowChange.entity_id, RowChange.seq).where(
            RowChange.organizer_id == organizer_id, _scope_filter(scope), RowChange.seq > cursor)
            .order_by(RowChange.seq).limit(budget)).all()
        changes.extend(_load_rows(session, rows))
        budget -= len(rows)
        if rows:
            new_cursors[scope] = rows[-1].seq
        if budget == 0:
            more = True
        elif rows:
            # Only when this answer brought the scope's last rows: a scope with nothing new keeps
            # the checkpoint the device already verified, and idle pulls stay cheap.
            count, digest = checkpoint(session.execute(select(RowChange.entity, RowChange.entity_id, RowChange.seq)
                                       .where(RowChange.organizer_id == organizer_id, _scope_filter(scope))).all())
            checkpoints[scope] = {"count": count, "hash": digest}
    # Plain dicts, not the PullResponse model: validating 2,000 rows per page cost more than the query.
    return {"changes": changes, "cursors": new_cursors, "more": more, "checkpoints": checkpoints}


def current_rows(session: Session, organizer_id: str, wanted: list[tuple[str, str]]
                 ) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """The organizer's rows as they are now, and the pairs it has no such row for."""
    tables = replicated_tables()
    owned = []
    for entity, row_id in wanted:
        seq = session.scalar(select(RowChange.seq).where(RowChange.entity == entity, RowChange.entity_id == row_id,
                                                         RowChange.organizer_id == organizer_id))
        if seq is not None and entity in tables:
            owned.append((entity, row_id, seq))
    rows = _load_rows(session, [_Numbered(e, i, s) for e, i, s in owned])
    found = {(c["entity"], c["row"]["id"]) for c in rows}
    return rows, [pair for pair in wanted if tuple(pair) not in found]


@dataclass(frozen=True)
class _Numbered:
    entity: str
    entity_id: str
    seq: int


def _load_rows(session: Session, rows: Sequence[Row[str, str, int] | _Numbered]) -> list[dict[str, Any]]:
    tables = replicated_tables()
    seq_of: dict[tuple[str, str], int] = {(r.entity, r.entity_id): r.seq for r in rows}
    by_entity: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        by_entity[r.entity].append(r.entity_id)
    changes: list[dict[str, Any]] = []
    for entity, ids in by_entity.items():
        table = tables[entity]
        query, names, json_names, binary = wire_select(table)
        for row in session.execute(query.where(table.c.id.in_(ids))):
            values = to_wire(names, json_names, binary, row)
            changes.append({"entity": entity, "seq": seq_of[(entity, values["id"])], "row": values})
    changes.sort(key=lambda c: seq_of[(c["entity"], c["row"]["id"])])
    return changes
