"""The single writer: every change is a named mutation committed with its outbox row."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from boxoffice import mutations
from boxoffice.model.devices import AuditEntry, LocalDevice, OutboxEntry
from boxoffice.mutations import Args, MutationContext, Result
from boxoffice.mutations.args import MutationArgs
from boxoffice.store.bulk import sqlite_datetime
from boxoffice.store.engine import Store
from boxoffice.store.hlc import HybridClock, Timestamp
from boxoffice.store.ids import uuid7

_OUTBOX_SQL = (f"INSERT INTO {OutboxEntry.__tablename__} (mutation, args, hlc, created_at, result) "
               "VALUES (?, ?, ?, ?, ?)")
# Up to this many rows a change remembers which rows it wrote, so a refusal can restore them
# from the server; a bulk import beyond it is only reported.
TOUCHED_KEPT = 2000
_AUDIT_SQL = f"INSERT INTO {AuditEntry.__tablename__} (at, actor, action, summary) VALUES (?, ?, ?, ?)"
_CLOCK_SQL = f"UPDATE {LocalDevice.__tablename__} SET last_hlc = ? WHERE id = ?"


class UnitOfWork:
    """One write transaction. `run()` applies a mutation and queues it for the server.

    Not thread-safe: it lives inside `Writer.transaction()` on the writer's thread.
    """

    def __init__(self, session: Session, writer: Writer) -> None:
        self.session = session
        self._writer = writer
        self.mutations: list[str] = []

    @property
    def device_id(self) -> str:
        return self._writer.device_id

    def run(self, mutation: MutationArgs | str, raw: Args | None = None) -> Result:
        """Apply `mutation` (its typed arguments; or a name and its wire dict, as a replay has them)
        and queue it. Arguments that do not fit the model raise `BadArguments` naming the field."""
        name = mutation if isinstance(mutation, str) else mutation.mutation
        spec = mutations.lookup(name)
        args = spec.parse(mutation if raw is None and not isinstance(mutation, str) else (raw or {}))
        stamp = str(self._writer.clock.now())
        ctx = MutationContext(self.session, stamp, self._writer.device_id, self._writer.actor,
                              role=self._writer.role)
        result = spec.fn(ctx, args)
        wire = args.wire() if isinstance(args, MutationArgs) else args
        if ctx.filled:
            wire = {**wire, **ctx.filled}
        now = datetime.now(UTC)
        # Plain SQL on the driver: a device store is always SQLite, and the door's hot path pays
        # ~0.3 ms for each ORM flush or Core compilation (measured in benchmarks/door.py).
        when = sqlite_datetime(now)
        connection = self.session.connection()
        touched = ({"touched": [[entity, row_id] for entity, row_id, _scope in ctx.touched]}
                   if len(ctx.touched) <= TOUCHED_KEPT else {"touched_many": len(ctx.touched)})
        connection.exec_driver_sql(_OUTBOX_SQL, (name, orjson.dumps(wire).decode(), stamp, when,
                                                 orjson.dumps(touched).decode()))
        connection.exec_driver_sql(_AUDIT_SQL, (when, self._writer.actor, name, spec.summary(args)))
        self.mutations.append(name)
        return result


class Writer:
    """The device's one writer (DESIGN: Threads): transactions are serialized by a lock, so
    callers on any thread never meet SQLITE_BUSY from each other."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.RLock()
        device = ensure_local_device(store)
        self.device_id = device.id
        self.actor = device.name
        self.role = device.role
        last = Timestamp.parse(device.last_hlc) if device.last_hlc else None
        self.clock = HybridClock(device.id, last)

    @contextmanager
    def transaction(self) -> Iterator[UnitOfWork]:
        with self._lock, self.store.session() as session:
            work = UnitOfWork(session, self)
            try:
                yield work
                if work.mutations:
                    # Persist the clock so a restart on a machine whose clock went back stays ordered.
                    session.connection().exec_driver_sql(_CLOCK_SQL, (str(self.clock.now()), self.device_id))
                session.commit()
            except BaseException:
                session.rollback()
                raise


def ensure_local_device(store: Store) -> LocalDevice:
    """This copy's identity; created on first open as a standalone organizer device."""
    with store.session() as session:
        device = session.scalars(select(LocalDevice)).first()
        if device is None:
            device = LocalDevice(id=uuid7(), name=socket.gethostname() or "boxoffice", role="organizer")
            session.add(device)
            session.commit()
        session.expunge(device)
        return device
