"""Credits for sending invitations (G10): balance, history, free start, credits added by hand, send checks.

Only the server debits, when it sends (DESIGN: credits); the device checks and shows the balance.
A device's store holds its own organizer's entries only, so its sums need no filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from boxoffice.i18n import _
from boxoffice.model.credits import FREE_CREDITS_AT_START, CreditEntry
from boxoffice.model.devices import LocalDevice
from boxoffice.model.invitations import Guest, Invitation
from boxoffice.mutations.credits import CreditsAdd, CreditsGrant, free_grant_key, id_for_key, is_free_grant
from boxoffice.mutations.unit_of_work import UnitOfWork
from boxoffice.store.ids import uuid7

MAX_COMPANIONS = 20


class CreditsError(ValueError):
    """Not enough credits, or a wrong amount; the message gives the numbers."""


@dataclass(frozen=True)
class CreditLine:
    """One line of the history, newest first."""

    at: datetime
    amount: int
    kind: str
    note: str
    invitation_id: str | None


def invitation_cost(guests: int, companions: int) -> int:
    """1 credit per invited guest and per allowed companion: 100 guests × (1 + 1) = 200 credits."""
    if guests < 0 or not 0 <= companions <= MAX_COMPANIONS:
        raise CreditsError(_("Companions must be between 0 and {max}.").format(max=MAX_COMPANIONS))
    return guests * (1 + companions)


def balance(session: Session) -> int:
    return int(session.scalar(select(func.coalesce(func.sum(CreditEntry.amount), 0))) or 0)


def history(session: Session) -> list[CreditLine]:
    rows = session.scalars(select(CreditEntry).order_by(CreditEntry.created_at.desc(), CreditEntry.id.desc()))
    return [CreditLine(r.created_at, r.amount, r.kind, r.note, r.invitation_id) for r in rows]


def debit_key(invitation_id: str) -> str:
    """The key the server's sender debits an invitation under: one debit per invitation, ever."""
    return f"send:{invitation_id}"


def refund_key(message_id: str) -> str:
    """The key the server gives back one message's credits under, when it could never be sent."""
    return f"refund:{message_id}"


def reserved(session: Session) -> int:
    """Credits promised to scheduled invitations the server has not debited yet."""
    debited = set(session.scalars(select(CreditEntry.key).where(CreditEntry.kind == "debit")))
    counts: dict[str, int] = {inv: n for inv, n in session.execute(
        select(Guest.invitation_id, func.count()).where(Guest.deleted.is_(False)).group_by(Guest.invitation_id))}
    total = 0
    for inv in session.scalars(select(Invitation).where(Invitation.status == "scheduled",
                                                         Invitation.deleted.is_(False))):
        if debit_key(inv.id) not in debited:
            total += invitation_cost(counts.get(inv.id, 0), inv.companions)
    return total


def available(session: Session) -> int:
    """What a new send may still use: the balance less what scheduled sends will take."""
    return balance(session) - reserved(session)


def check_can_send(session: Session, cost: int) -> None:
    """Refuse, before anything is written, a send that would take the credits below zero."""
    left = available(session)
    if cost > left:
        raise CreditsError(_("This invitation needs {cost} credits, {left} left. Add credits first.").format(
            cost=cost, left=left))


def ensure_free_credits(work: UnitOfWork) -> None:
    """The 200 free credits at start, recorded once per organizer.

    Every device of an organizer derives the same key and id, so grants made offline on two of
    them are one row; a copy not enrolled yet uses its own key, and the server keeps whichever
    grant of the organizer came first (sync then drops the other copy).
    """
    if work.session.scalar(select(CreditEntry.id).where(is_free_grant()).limit(1)) is not None:
        return
    device = work.session.get(LocalDevice, work.device_id)
    key = free_grant_key(device.organizer_id if device is not None else "", work.device_id)
    work.run(CreditsGrant(id=id_for_key(key), key=key, amount=FREE_CREDITS_AT_START, note=_("Free credits to start")))


def add_credits(work: UnitOfWork, amount: int, note: str) -> str:
    """Record credits bought (no payment is processed here); returns the entry's id."""
    if amount <= 0:
        raise CreditsError(_("The number of credits to add must be positive."))
    if not note.strip():
        raise CreditsError(_("Say where these credits come from (e.g. the invoice number)."))
    entry_id = uuid7()
    work.run(CreditsAdd(id=entry_id, key=f"purchase:{entry_id}", amount=amount, note=note.strip()))
    return entry_id
