"""The server's side of the credits ledger for tests: debits as the sender makes them, balances, entries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from boxoffice import mutations
from boxoffice.model.credits import CreditEntry
from boxoffice.mutations import MutationContext, MutationRejected
from boxoffice.mutations import credits as ledger
from sync.protocol import MutationResult
from sync.server import replication
from sync.server.codes import hash_code
from sync.server.database import Database
from sync.server.mail.writes import finish, server_context
from sync.server.tables import Organizer, RowChange


def organizer_id(session: Session, code: str) -> str:
    return str(session.scalars(select(Organizer.id).where(Organizer.code_hash == hash_code(code))).one())


def server_debit(db: Database, organizer: str, key: str, amount: int) -> MutationResult:
    """Debit on the server as its sender does when it sends (mail/release.py): run by the server itself."""
    with db.writing(), db.session() as session:
        ctx = server_context(session, organizer)
        try:
            with session.begin_nested():
                result = mutations.lookup("credits.debit").run(ctx, {"key": key, "amount": amount})
        except MutationRejected as exc:
            return MutationResult(seq=0, status="rejected", reason=str(exc))
        finish(ctx, organizer)
        session.commit()
    return MutationResult(seq=0, status="applied", result=result)


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
