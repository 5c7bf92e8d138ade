"""Mutations of the credits ledger (G10): append-only entries, each keyed so a replay adds nothing.

Credits belong to an organizer. A device holds only its own organizer's entries; the server holds
everyone's, so there every sum and every key lookup keeps to the organizer the mutation runs for:
the rows the change log, `row_changes`, gives no other organizer.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, column, exists, func, or_, select, table, true

from boxoffice.i18n import N_
from boxoffice.model.credits import CreditEntry
from boxoffice.model.devices import LocalDevice
from boxoffice.mutations import MutationContext, MutationRejected, Result, mutator
from boxoffice.mutations.args import Id, Int64, MutationArgs, Name, Note

FREE_GRANT_KEY = "grant:free-at-start"
# Entries made alike in several places (the free grant, a debit) get an id derived from their
# organizer and key, so two offline devices of one organizer create the same row and the replica
# merges it instead of clashing on `key`. The free grant's key names its organizer.
_KEYED_IDS = uuid.UUID("6f1c1e52-1b39-4ad4-9a43-3c0b1f0a7c10")
# The server's change log, named rather than imported: the mutators sit below the server.
_ROW_CHANGES = table("row_changes", column("entity"), column("entity_id"), column("organizer_id"))


def id_for_key(key: str, organizer_id: str = "") -> str:
    """The id of an entry made alike in several places: the same key of two organizers gives two ids."""
    return str(uuid.uuid5(_KEYED_IDS, f"{organizer_id}/{key}" if organizer_id else key))


def free_grant_key(organizer_id: str, device_id: str) -> str:
    """The free credits' key: one per organizer; a copy not enrolled yet uses its own device's."""
    return f"{FREE_GRANT_KEY}:{organizer_id}" if organizer_id else f"{FREE_GRANT_KEY}:device:{device_id}"


def is_free_grant() -> ColumnElement[bool]:
    """The free credits' entry, whatever key its first device gave it (or the bare key of older copies)."""
    return or_(CreditEntry.key == FREE_GRANT_KEY, CreditEntry.key.startswith(f"{FREE_GRANT_KEY}:", autoescape=True))


def mine(ctx: MutationContext) -> ColumnElement[bool]:
    """The entries of the organizer the mutation runs for."""
    if not ctx.on_server:
        return true()
    if not ctx.organizer_id:
        raise MutationRejected(N_("credits are kept per organizer, and the server ran this change without one"))
    # "Not another organizer's" rather than "numbered as ours": a push numbers its rows when it ends,
    # so entries written earlier in the same push are not in the log yet, and they are ours (other
    # organizers' committed rows are always numbered, their uncommitted ones are not visible).
    return ~exists().where(_ROW_CHANGES.c.entity == CreditEntry.__tablename__,
                           _ROW_CHANGES.c.entity_id == CreditEntry.id,
                           _ROW_CHANGES.c.organizer_id != ctx.organizer_id)


def _owner(ctx: MutationContext) -> str:
    """Whose entries these are: the server is told; a device is its enrolled organizer's ("" before)."""
    if ctx.on_server or ctx.organizer_id:
        return ctx.organizer_id or ""
    device = ctx.session.get(LocalDevice, ctx.device_id)
    return device.organizer_id if device is not None else ""


def balance(ctx: MutationContext) -> int:
    return int(ctx.session.scalar(select(func.coalesce(func.sum(CreditEntry.amount), 0)).where(mine(ctx))) or 0)


def _stored(ctx: MutationContext, key: str) -> CreditEntry | None:
    return ctx.session.scalars(select(CreditEntry).where(CreditEntry.key == key, mine(ctx))).first()


def _free_grant(ctx: MutationContext) -> CreditEntry | None:
    return ctx.session.scalars(select(CreditEntry).where(is_free_grant(), mine(ctx))
                               .order_by(CreditEntry.created_at, CreditEntry.id)).first()


class CreditsEntry(MutationArgs):
    """One ledger entry asked for: its `key` makes it once-only; `id` is derived when not given."""

    id: Id | None = None
    key: Name
    amount: Int64
    note: Note = ""
    invitation_id: Id | None = None


class CreditsGrant(CreditsEntry):
    mutation = "credits.grant"


class CreditsAdd(CreditsEntry):
    mutation = "credits.add"


class CreditsDebit(CreditsEntry):
    mutation = "credits.debit"


class CreditsRefund(CreditsEntry):
    mutation = "credits.refund"


def _key(args: CreditsEntry) -> str:
    key = args.key
    if not key.strip() or len(key) > 120:
        raise MutationRejected(N_("a credits entry needs a key of 1 to 120 characters"))
    return key


def _entry_id(ctx: MutationContext, args: CreditsEntry, derived: str | None) -> str:
    entry_id = args.id or derived
    if not isinstance(entry_id, str) or len(entry_id) > 36:
        raise MutationRejected(N_("a credits entry needs an id of up to 36 characters"))
    if not ctx.on_server and args.id is None:
        # The outbox keeps the id derived here: the server makes this same row.
        ctx.filled["id"] = entry_id
    return entry_id


def _replayed(ctx: MutationContext, stored: CreditEntry, args: CreditsEntry, amount: int) -> Result:
    """The entry already recorded under this key. On the server, a device that made it offline
    otherwise (another id, another amount) is refused, so that its sync puts back the server's;
    the server's own callers (no id) just get the stored entry."""
    if ctx.on_server and args.id and (stored.id != args.id or stored.amount != amount):
        if stored.kind == "grant":
            raise MutationRejected(N_("the free credits are already recorded, with {amount} credits"),
                                   amount=stored.amount)
        raise MutationRejected(N_("the credits entry {key} is already recorded, with {amount} credits"),
                               key=stored.key, amount=stored.amount)
    return _as_result(stored, False)


def _as_result(entry: CreditEntry, recorded: bool) -> Result:
    return {"id": entry.id, "key": entry.key, "amount": entry.amount, "kind": entry.kind, "recorded": recorded}


def _insert(ctx: MutationContext, args: CreditsEntry, kind: str, amount: int, entry_id: str) -> Result:
    key = _key(args)
    ctx.require_owned("invitations", args.invitation_id)
    if ctx.on_server and ctx.session.get(CreditEntry, entry_id) is not None:
        # Ids are unique in the whole database (keys only per organizer): say so, not the constraint.
        raise MutationRejected(N_("the credits entry id {entry_id} is already used"), entry_id=entry_id)
    entry = CreditEntry(id=entry_id, key=key, amount=amount, kind=kind, note=args.note[:500],
                        invitation_id=args.invitation_id, created_at=datetime.now(UTC), hlc=ctx.hlc)
    ctx.session.add(entry)
    ctx.session.flush()
    ctx.touch("credit_entries", entry.id, "organizer")
    return _as_result(entry, True)


def _once(ctx: MutationContext, args: CreditsEntry, kind: str, entry_id: str, not_positive: str) -> Result:
    """A positive entry recorded once under its key: a replay returns the stored one."""
    key, amount = _key(args), args.amount
    stored = _stored(ctx, key)
    if stored is not None:
        return _replayed(ctx, stored, args, amount)
    if amount <= 0:
        raise MutationRejected(not_positive)
    return _insert(ctx, args, kind, amount, entry_id)


@mutator(CreditsGrant, summary=lambda a: f"grant {a.amount} credits ({a.key})")
def grant(ctx: MutationContext, args: CreditsGrant) -> Result:
    """A keyed gift such as the free credits at start: recorded once however often it is asked.

    The free credits are one grant per organizer, whichever of its devices asked first.
    """
    key, amount = _key(args), args.amount
    free = key == FREE_GRANT_KEY or key.startswith(f"{FREE_GRANT_KEY}:")
    # A free grant's key names its owner (the bare key is what older copies made, alike everywhere).
    entry_id = _entry_id(ctx, args, id_for_key(key) if free else id_for_key(key, _owner(ctx)))
    stored = _free_grant(ctx) if free else _stored(ctx, key)
    if stored is not None:
        return _replayed(ctx, stored, args, amount)
    if amount <= 0:
        raise MutationRejected(N_("a grant must be positive"))
    return _insert(ctx, args, "grant", amount, entry_id)


@mutator(CreditsAdd, summary=lambda a: f"add {a.amount} credits: {a.note}")
def add(ctx: MutationContext, args: CreditsAdd) -> Result:
    """Credits bought (recorded by hand, no payment here); `id` and `key` come from the caller."""
    return _once(ctx, args, "purchase", _entry_id(ctx, args, None), N_("credits added must be a positive number"))


# roles=(): no device may push it (an organizer's own `send:<id>` for 1 credit would stand in for
# the real cost); the server runs it itself through `mutators.lookup`, which checks no role.
@mutator(CreditsDebit, roles=(), summary=lambda a: f"debit {a.amount} credits ({a.key})")
def debit(ctx: MutationContext, args: CreditsDebit) -> Result:
    """Only the server debits, when it sends (DESIGN: credits), keyed e.g. `send:<invitation id>`.

    Inserted once per organizer and key: a replay returns the stored entry. A debit that would
    take the organizer's balance below zero is refused with the numbers, and nothing is debited.
    """
    key, amount = _key(args), args.amount
    entry_id = _entry_id(ctx, args, id_for_key(key, _owner(ctx)))
    stored = _stored(ctx, key)
    if stored is not None:
        return _replayed(ctx, stored, args, -amount)
    if amount <= 0:
        raise MutationRejected(N_("a debit must be a positive number of credits"))
    left = balance(ctx)
    if amount > left:
        raise MutationRejected(N_("needs {amount} credits, {left} left"), amount=amount, left=left)
    return _insert(ctx, args, "debit", -amount, entry_id)


# roles=(): like a debit, only the server gives credits back (a device could refund itself at will).
@mutator(CreditsRefund, roles=(), summary=lambda a: f"give back {a.amount} credits ({a.key})")
def refund(ctx: MutationContext, args: CreditsRefund) -> Result:
    """Credits of a message the server debited but could never send, keyed `refund:<message id>`: once."""
    entry_id = _entry_id(ctx, args, id_for_key(_key(args), _owner(ctx)))
    return _once(ctx, args, "refund", entry_id, N_("a refund must be a positive number of credits"))
