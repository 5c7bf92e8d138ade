"""Mutations of the credits ledger (G10): append-only entries, each keyed so a replay adds nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import func, select

from boxoffice.model.credits import CreditEntry
from boxoffice.store.ids import uuid7
from sync.mutators import Args, MutationContext, MutationRejected, Result, mutator

FREE_GRANT_KEY = "grant:free-at-start"
# Entries made alike on several devices (the free grant) get an id derived from their key,
# so two offline devices create the same row and the replica merges it instead of clashing on `key`.
_KEYED_IDS = uuid.UUID("6f1c1e52-1b39-4ad4-9a43-3c0b1f0a7c10")


def id_for_key(key: str) -> str:
    return str(uuid.uuid5(_KEYED_IDS, key))


def balance(ctx: MutationContext) -> int:
    return int(ctx.session.scalar(select(func.coalesce(func.sum(CreditEntry.amount), 0))) or 0)


def _stored(ctx: MutationContext, key: str) -> CreditEntry | None:
    return ctx.session.scalars(select(CreditEntry).where(CreditEntry.key == key)).first()


def _as_result(entry: CreditEntry, recorded: bool) -> Result:
    return {"id": entry.id, "key": entry.key, "amount": entry.amount, "kind": entry.kind, "recorded": recorded}


def _insert(ctx: MutationContext, args: Args, kind: str, amount: int, entry_id: str) -> Result:
    entry = CreditEntry(id=entry_id, key=args["key"], amount=amount, kind=kind, note=str(args.get("note", ""))[:500],
                        invitation_id=args.get("invitation_id"), created_at=datetime.now(UTC), hlc=ctx.hlc)
    ctx.session.add(entry)
    ctx.session.flush()
    ctx.touch("credit_entries", entry.id, "organizer")
    return _as_result(entry, True)


@mutator("credits.grant", summary=lambda a: f"grant {a['amount']} credits ({a['key']})")
def grant(ctx: MutationContext, args: Args) -> Result:
    """A keyed gift such as the free credits at start: recorded once however often it is asked."""
    stored = _stored(ctx, args["key"])
    if stored is not None:
        return _as_result(stored, False)
    if int(args["amount"]) <= 0:
        raise MutationRejected("a grant must be positive")
    return _insert(ctx, args, "grant", int(args["amount"]), id_for_key(args["key"]))


@mutator("credits.add", summary=lambda a: f"add {a['amount']} credits: {a.get('note', '')}")
def add(ctx: MutationContext, args: Args) -> Result:
    """Credits bought (recorded by hand, no payment here); `id` and `key` come from the caller."""
    stored = _stored(ctx, args["key"])
    if stored is not None:
        return _as_result(stored, False)
    amount = int(args["amount"])
    if amount <= 0:
        raise MutationRejected("credits added must be a positive number")
    return _insert(ctx, args, "purchase", amount, args.get("id") or uuid7())


@mutator("credits.debit", summary=lambda a: f"debit {a['amount']} credits ({a['key']})")
def debit(ctx: MutationContext, args: Args) -> Result:
    """Only the server debits, when it sends (DESIGN: credits), keyed e.g. `send:<invitation id>`.

    Inserted once: a replay of the same key returns the stored entry. A debit that would take
    the balance below zero is refused with the numbers.
    """
    stored = _stored(ctx, args["key"])
    if stored is not None:
        return _as_result(stored, False)
    amount = int(args["amount"])
    if amount <= 0:
        raise MutationRejected("a debit must be a positive number of credits")
    left = balance(ctx)
    if amount > left:
        raise MutationRejected(f"needs {amount} credits, {left} left")
    return _insert(ctx, args, "debit", -amount, args.get("id") or id_for_key(args["key"]))
