"""Invitations sent again after a refusal: their refused messages go back to waiting for the credits."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from boxoffice.model.invitations import Guest, Invitation
from sync.server.database import Database
from sync.server.mail.tables import MailMessage
from sync.server.mail.writes import finish, server_context, write_fields

log = logging.getLogger(__name__)


def resume_refused(db: Database, now: datetime) -> int:
    """Every invitation scheduled again (`invitations.retry`) whose messages were refused: its invitations are
    held again, due now, for `release_due` to debit and send; returns how many invitations."""
    with db.session() as session:
        waiting = session.execute(select(MailMessage.invitation_id, MailMessage.organizer_id).join(
            Invitation, Invitation.id == MailMessage.invitation_id).where(
            MailMessage.status == "refused", Invitation.status == "scheduled").distinct()).all()
    resumed = 0
    for invitation_id, organizer_id in waiting:
        try:
            with db.writing(), db.session() as session:
                _resume(session, organizer_id, invitation_id, now)
                session.commit()
            resumed += 1
        except Exception:  # one invitation that fails here must not hold back every organizer's mail
            log.exception("invitation %s could not be sent again", invitation_id)
    return resumed


def _resume(session: Session, organizer_id: str, invitation_id: str, now: datetime) -> None:
    refused = (MailMessage.invitation_id == invitation_id, MailMessage.status == "refused")
    session.execute(update(MailMessage).where(*refused, MailMessage.kind == "invitation").values(
        status="held", next_attempt_at=now, attempts=0, last_error=""))
    # A reminder whose day went by while the send was refused would come before, or with, the invitation.
    session.execute(update(MailMessage).where(*refused, MailMessage.kind == "reminder",
                                              MailMessage.next_attempt_at > now).values(status="queued",
                                                                                        last_error=""))
    session.execute(update(MailMessage).where(*refused, MailMessage.kind == "reminder").values(status="skipped"))
    ctx = server_context(session, organizer_id)
    for guest in session.scalars(select(Guest).where(Guest.invitation_id == invitation_id,
                                                     Guest.delivery == "refused", Guest.deleted.is_(False))):
        write_fields(ctx, guest, "guests", {"delivery": "queued", "delivery_error": ""})
    finish(ctx, organizer_id)
