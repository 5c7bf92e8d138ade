"""Invitations whose time has come: debit their credits once, then let their messages go; or refuse them all."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from boxoffice import mutations
from boxoffice.i18n import N_
from boxoffice.model.invitations import Guest, Invitation
from boxoffice.mutations import MutationContext, MutationRejected
from boxoffice.mutations.credits import balance
from boxoffice.services.credits import debit_key, invitation_cost
from boxoffice.services.invitations import InvitationError, header_problems, load_draft
from sync.server.database import Database
from sync.server.mail.compose import translator
from sync.server.mail.tables import MailMessage
from sync.server.mail.writes import finish, server_context, write_fields
from sync.server.tables import ChangeCounter

log = logging.getLogger(__name__)
# Only these wait for the credits; a test send or a confirmation never does.
PAID_KINDS = ("invitation", "reminder")


@dataclass
class Released:
    sent: list[str]
    refused: list[str]


def release_due(db: Database, now: datetime) -> Released:
    """Every invitation whose held messages are due: debit `send:<id>` and queue them, or refuse the send."""
    with db.session() as session:
        due = session.execute(select(MailMessage.invitation_id, MailMessage.organizer_id).where(
            MailMessage.status == "held", MailMessage.next_attempt_at <= now).distinct()).all()
    done = Released([], [])
    for invitation_id, organizer_id in due:
        try:
            with db.writing(), db.session() as session:
                outcome = _release(session, organizer_id, invitation_id, now)
                session.commit()
        except Exception:  # one invitation that fails here must not hold back every organizer's mail
            log.exception("invitation %s could not be released", invitation_id)
            continue
        if outcome is not None:
            (done.sent if outcome else done.refused).append(invitation_id)
    return done


def _release(session: Session, organizer_id: str, invitation_id: str, now: datetime) -> bool | None:
    # The organizer's turn first, as a push takes it: the balance must not change between the
    # read and the debit, and a second server process finds the messages no longer held.
    # A write (not SELECT … FOR UPDATE) so SQLite takes its write lock here too.
    session.execute(update(ChangeCounter).where(ChangeCounter.organizer_id == organizer_id)
                    .values(value=ChangeCounter.value))
    held = session.scalars(select(MailMessage.id).where(MailMessage.invitation_id == invitation_id,
                                                        MailMessage.status == "held")).all()
    invitation = session.get(Invitation, invitation_id)
    if not held or invitation is None:
        return None
    guests = session.scalar(select(func.count()).select_from(Guest).where(
        Guest.invitation_id == invitation_id, Guest.deleted.is_(False))) or 0
    cost = invitation_cost(guests, invitation.companions)
    ctx = server_context(session, organizer_id)
    tr = translator(invitation.language)
    problems = _header_problems(session, invitation_id, tr)
    if problems:  # every message would fail after the debit: refuse first, so nothing is debited
        _refuse(ctx, invitation, tr(N_("Not sent, no credits used: {problems}")).format(problems=" ".join(problems)))
        finish(ctx, organizer_id)
        return False
    try:
        with session.begin_nested():
            mutations.lookup("credits.debit").run(ctx, {
                "key": debit_key(invitation_id), "amount": cost, "invitation_id": invitation_id,
                "note": tr(N_("Invitation sent: {name}")).format(name=invitation.name)})
    except MutationRejected:
        _refuse(ctx, invitation, tr(N_("Not sent: this invitation needs {cost} credits and only {left} are left."))
                .format(cost=cost, left=balance(ctx)))
        finish(ctx, organizer_id)
        return False
    session.execute(update(MailMessage).where(MailMessage.id.in_(held)).values(status="queued"))
    write_fields(ctx, invitation, "invitations", {"status": "sending", "sent_at": now})
    finish(ctx, organizer_id)
    return True


def _header_problems(session: Session, invitation_id: str, tr: Callable[[str], str]) -> list[str]:
    """The save-time check again: a copy older than it, or a changed event, can still push a line break."""
    try:
        return header_problems(load_draft(session, invitation_id), translate=tr)
    except InvitationError:  # no event any more: the sender skips its messages, as before
        return []


def _refuse(ctx: MutationContext, invitation: Invitation, reason: str) -> None:
    """Nothing of the invitation goes; each guest and the invitation say why after the next sync."""
    session = ctx.session
    session.execute(update(MailMessage).where(
        MailMessage.invitation_id == invitation.id, MailMessage.kind.in_(PAID_KINDS),
        MailMessage.status.in_(("held", "queued"))).values(status="refused", last_error=reason))
    for guest in session.scalars(select(Guest).where(Guest.invitation_id == invitation.id, Guest.deleted.is_(False))):
        write_fields(ctx, guest, "guests", {"delivery": "refused", "delivery_error": reason})
    write_fields(ctx, invitation, "invitations", {"status": "refused"})
