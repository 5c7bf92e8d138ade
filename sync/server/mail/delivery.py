"""Record what happened to each message, and to its guest, so the organizer's device pulls it (G12)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from boxoffice import mutations
from boxoffice.i18n import N_
from boxoffice.model.invitations import Guest, Invitation
from boxoffice.mutations import MutationContext
from boxoffice.services.credits import invitation_cost, refund_key
from sync.server.database import Database
from sync.server.mail.compose import plural_translator, translator
from sync.server.mail.tables import MailMessage
from sync.server.mail.writes import finish, server_context, write_fields

Result = Literal["sent", "skipped", "temporary", "failed", "bounced"]
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)
PENDING = ("held", "queued", "sending")


@dataclass(frozen=True)
class Outcome:
    message_id: str
    result: Result
    detail: str = ""
    # Failed before it reached the relay (it could not be written): it never will, so its credits go back.
    unsendable: bool = False


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after the 1st, 2nd, 3rd … attempt, at most 6 hours."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


def _guest_change(outcome: Outcome, language: str, gave_up: bool, now: datetime) -> dict[str, object]:
    tr = translator(language)
    result, detail = outcome.result, outcome.detail
    if result == "sent":
        return {"delivery": "sent", "delivery_error": "", "sent_at": now}
    if outcome.unsendable:
        reason = tr(N_("This message could not be written, so its credits were given back: {reply}"))
    elif result == "bounced":
        reason = tr(N_("The mail server refused this address: {reply}"))
    elif gave_up:
        ngettext = plural_translator(language)
        reason = ngettext("Not delivered after {n} attempt: {reply}", "Not delivered after {n} attempts: {reply}",
                          MAX_ATTEMPTS).format(n=MAX_ATTEMPTS, reply="{reply}")
    elif result == "failed":
        reason = tr(N_("The mail server refused the message: {reply}"))
    else:
        reason = tr(N_("Delivery delayed, trying again: {reply}"))
    delivery = "deferred" if result == "temporary" and not gave_up else ("bounced" if result == "bounced" else "failed")
    return {"delivery": delivery, "delivery_error": reason.format(reply=detail)}


def _apply(row: MailMessage, outcome: Outcome, now: datetime) -> bool:
    """Set the message's state; returns whether a temporary failure was the last attempt."""
    row.claimed_until = None
    row.last_error = outcome.detail
    gave_up = outcome.result == "temporary" and row.attempts >= MAX_ATTEMPTS
    if outcome.result == "temporary" and not gave_up:
        row.status, row.next_attempt_at = "queued", now + backoff(row.attempts)
    elif outcome.result == "temporary":
        row.status = "failed"
    else:
        row.status = outcome.result
        row.sent_at = now if outcome.result == "sent" else None
    return gave_up


def record(db: Database, outcomes: list[Outcome], now: datetime) -> None:
    """One transaction for a batch: messages, guests (invitations only), finished invitations."""
    with db.writing(), db.session() as session:
        rows = {r.id: r for r in session.scalars(select(MailMessage).where(
            MailMessage.id.in_([o.message_id for o in outcomes])))}
        guests = {g.id: g for g in session.scalars(select(Guest).where(
            Guest.id.in_([r.guest_id for r in rows.values() if r.kind == "invitation" and r.guest_id])))}
        contexts: dict[str, MutationContext] = {}
        invitations: dict[str, str] = {}
        for outcome in outcomes:
            row = rows[outcome.message_id]
            gave_up = _apply(row, outcome, now)
            if row.kind != "invitation" or row.guest_id is None or outcome.result == "skipped":
                continue
            if row.organizer_id not in contexts:
                contexts[row.organizer_id] = server_context(session, row.organizer_id)
            ctx = contexts[row.organizer_id]
            guest = guests.get(row.guest_id)
            if guest is not None:
                write_fields(ctx, guest, "guests", _guest_change(outcome, row.language, gave_up, now))
            if outcome.unsendable:
                _give_credits_back(ctx, row)
            invitations[row.invitation_id] = row.organizer_id
        session.flush()
        for invitation_id, organizer_id in invitations.items():
            _finish_invitation(session, contexts[organizer_id], invitation_id)
        # Sorted: two server processes take the organizers' change counters in the same order.
        for organizer_id in sorted(contexts):
            finish(contexts[organizer_id], organizer_id)
        session.commit()


def _give_credits_back(ctx: MutationContext, row: MailMessage) -> None:
    """What the debit took for this guest (1 + companions), once per message (`refund:<message id>`)."""
    invitation = ctx.session.get(Invitation, row.invitation_id)
    if invitation is None:
        return
    note = translator(row.language)(N_("Given back: the invitation {name} could not be written for {address}"))
    mutations.lookup("credits.refund").run(ctx, {
        "key": refund_key(row.id), "amount": invitation_cost(1, invitation.companions),
        "invitation_id": invitation.id, "note": note.format(name=invitation.name, address=row.recipient)})


def _finish_invitation(session: Session, ctx: MutationContext, invitation_id: str) -> None:
    left = session.scalar(select(MailMessage.id).where(
        MailMessage.invitation_id == invitation_id, MailMessage.kind == "invitation",
        MailMessage.status.in_(PENDING)).limit(1))
    invitation = session.get(Invitation, invitation_id)
    if left is None and invitation is not None and invitation.status == "sending":
        write_fields(ctx, invitation, "invitations", {"status": "sent"})


def record_bounce(db: Database, message_id: str, reply: str, now: datetime) -> None:
    """A bounce that came back later (a delivery status notification): the message and its guest say so."""
    record(db, [Outcome(message_id, "bounced", reply[:500])], now)
