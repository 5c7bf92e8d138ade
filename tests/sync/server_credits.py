"""The server's side of the credits ledger for tests: debits as the sender makes them, balances, entries."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from boxoffice.model.credits import CreditEntry
from sync.mutators import MutationContext
from sync.mutators import credits as ledger
from sync.protocol import Mutation, MutationResult
from sync.server import replication
from sync.server.database import Database
from sync.server.tables import Device, Organizer, RowChange

_SENDERS = uuid.UUID("0b7f3f0e-51d4-4f43-9f0c-5d0c1d8e2a61")


def organizer_id(session: Session, code: str) -> str:
    return str(session.scalars(select(Organizer.id).where(Organizer.code == code)).one())


def _sender(session: Session, organizer: str) -> Device:
    """The server's own sender, recorded as a device of the organizer so its debits run like pushes."""
    sender_id = str(uuid.uuid5(_SENDERS, organizer))
    if session.get(Device, sender_id) is None:
        session.add(Device(id=sender_id, organizer_id=organizer, name="mail sender", role="organizer",
                           secret_hash="-" * 64, dates=[], last_seq=0, created_at=datetime.now(UTC)))
        session.flush()
    device = session.get(Device, sender_id, with_for_update=True)
    assert device is not None
    return device


def server_debit(db: Database, organizer: str, key: str, amount: int, replay: bool = False) -> MutationResult:
    """Debit on the server as its sender does when it sends; `replay` sends the last debit's
    number again (a retried request), otherwise the debit gets a new number."""
    with db.session() as session:
        device = _sender(session, organizer)
        seq = device.last_seq if replay and device.last_seq else device.last_seq + 1
        mutation = Mutation(seq=seq, name="credits.debit", args={"key": key, "amount": amount},
                            hlc=replication.server_hlc())
        [result] = replication.push(session, device, [mutation])
        session.commit()
    return result


def server_balance(db: Database, organizer: str) -> int:
    """The organizer's balance as the server's mutators see it."""
    with db.session() as session:
        return ledger.balance(MutationContext(session, replication.server_hlc(), "test", "test", on_server=True,
                                              organizer_id=organizer))


def server_entries(db: Database, organizer: str) -> set[tuple[Any, ...]]:
    """(id, key, amount, kind) of the organizer's entries, by the change log's owners."""
    with db.session() as session:
        owned = select(RowChange.entity_id).where(RowChange.entity == "credit_entries",
                                                  RowChange.organizer_id == organizer)
        return {(e.id, e.key, e.amount, e.kind)
                for e in session.scalars(select(CreditEntry).where(CreditEntry.id.in_(owned)))}


def device_entries(session: Session) -> set[tuple[Any, ...]]:
    return {(e.id, e.key, e.amount, e.kind) for e in session.scalars(select(CreditEntry))}
