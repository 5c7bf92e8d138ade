"""Put messages in the mail queue: invitations and reminders when scheduled, test sends, confirmations.

Every function runs in the caller's transaction and never commits. Each message has a key, so a
replayed push or a second call queues nothing twice.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from boxoffice.model.invitations import Guest, Invitation
from boxoffice.services.invitations import recipients
from boxoffice.services.message_template import RenderedMessage
from boxoffice.store.ids import uuid7
from sync.protocol import Mutation, MutationResult
from sync.server.database import Database
from sync.server.mail import compose
from sync.server.mail import settings as mail_settings
from sync.server.mail.tables import MailMessage
from sync.server.mail.writes import owner_of

log = logging.getLogger(__name__)
INSERT_BATCH = 1000


def after_push(session: Session, organizer_id: str, device_id: str, mutations: Sequence[Mutation],
               results: Sequence[MutationResult]) -> None:
    """Queue the test sends the push's newly applied mutations ask for, in the push's transaction.

    A test send leaves nothing on the server to find later, so it is queued here; a replayed
    mutation was queued the first time, and its key makes even a second call harmless. Scheduled
    invitations are queued by the sender (`queue_scheduled`), off the request, however many guests.
    """
    for mutation, result in zip(mutations, results, strict=True):
        if mutation.name != "invitations.send_test" or result.status != "applied" or result.replayed:
            continue
        savepoint = session.begin_nested()
        try:
            queue_test(session, organizer_id, mutation.args["id"], str(mutation.args["address"]),
                       f"test:{device_id}:{mutation.seq}")
            savepoint.commit()
        except (LookupError, ValueError) as exc:
            # The push itself stands: the device must not resend it forever for a message we cannot make.
            savepoint.rollback()
            log.error("test send %s of device %s could not be queued: %s", mutation.seq, device_id, exc)


def queue_scheduled(db: Database, now: datetime | None = None) -> int:
    """Queue every scheduled invitation none of whose guests' messages is queued yet; returns how many
    messages. Each invitation in its own transaction; keys make a second server process's try harmless."""
    with db.session() as session:
        waiting = session.scalars(select(Invitation.id).where(
            Invitation.status == "scheduled", Invitation.deleted.is_(False),
            ~select(MailMessage.id).where(MailMessage.invitation_id == Invitation.id,
                                          MailMessage.kind == "invitation").exists())).all()
    queued = 0
    for invitation_id in waiting:
        try:
            with db.writing(), db.session() as session:
                organizer_id = owner_of(session, "invitations", invitation_id)
                if organizer_id is not None:
                    queued += queue_invitation(session, organizer_id, invitation_id, now)
                    session.commit()
        except Exception:  # one invitation that cannot be queued must not hold back every organizer's mail
            log.exception("invitation %s could not be queued", invitation_id)
    return queued


def queue_invitation(session: Session, organizer_id: str, invitation_id: str, now: datetime | None = None) -> int:
    """Queue the invitation for each guest at its time (now if past), held until the credits are debited,
    and each reminder at its own time. Returns the number of messages queued now."""
    now = now or datetime.now(UTC)
    letter = compose.letter_for(session, invitation_id, mail_settings.load(session).rsvp_base())
    at = max(letter.draft.scheduled_at or now, now)
    guests = session.scalars(select(Guest).where(Guest.invitation_id == invitation_id, Guest.deleted.is_(False))
                             .order_by(Guest.id)).all()
    rows = [_row(organizer_id, "invitation", invitation_id, guest.id, guest.email, letter.language,
                 compose.invitation(letter, guest), "held", at, now, f"invitation:{guest.id}") for guest in guests]
    for when in sorted(letter.draft.reminders):
        due = max(when, at)
        rows += [_row(organizer_id, "reminder", invitation_id, guest.id, guest.email, letter.language,
                      compose.reminder(letter, guest), "queued", due, now,
                      f"reminder:{guest.id}:{when.isoformat()}") for guest in guests]
    return _insert(session, rows)


def queue_test(session: Session, organizer_id: str, invitation_id: str, address: str, key: str,
               now: datetime | None = None) -> int:
    """A free test send, at once: the invitation as its first recipient would get it, marked as a test."""
    now = now or datetime.now(UTC)
    letter = compose.letter_for(session, invitation_id, mail_settings.load(session).rsvp_base())
    first = session.scalars(select(Guest).where(Guest.invitation_id == invitation_id, Guest.deleted.is_(False))
                            .order_by(Guest.id).limit(1)).first()
    sample = compose.recipient_of(first) if first is not None else next(
        iter(recipients(session, letter.draft.list_ids)), None)
    message = compose.test_send(letter, sample, address)
    return _insert(session, [_row(organizer_id, "test", invitation_id, None, address, letter.language, message,
                                  "queued", now, now, key)])


def queue_confirmation(session: Session, guest_id: str, now: datetime | None = None) -> str | None:
    """Queue the confirmation email of a guest who has accepted (G11); the caller commits.

    Returns the message's id — the same one when called again for the same answer and address — or None
    when the guest has not accepted. The QR codes (the guest's and the companions') are added
    when it is sent, if the event has access control on, so they are the companions of that time.
    Raises LookupError for an unknown guest.
    """
    now = now or datetime.now(UTC)
    guest = session.get(Guest, guest_id)
    organizer_id = owner_of(session, "guests", guest_id) if guest is not None else None
    if guest is None or organizer_id is None:
        raise LookupError(f"no guest {guest_id}")
    if guest.status != "accepted":
        return None
    address = _confirmation_address(session, guest, now)
    if not address:
        return None
    # One per answer and address, not per submission: sending the accept form again mails nobody
    # twice (the address is typed by the guest, so it could be anyone's); a new address gets one.
    key = f"confirmation:{guest.id}:{guest.status}:{address.strip().lower()}"
    letter = compose.letter_for(session, guest.invitation_id, mail_settings.load(session).rsvp_base())
    _insert(session, [_row(organizer_id, "confirmation", guest.invitation_id, guest.id, address, letter.language,
                           compose.confirmation(letter, guest), "queued", now, now, key)])
    return session.scalar(select(MailMessage.id).where(MailMessage.key == key))


CHANGED_ADDRESSES_PER_DAY = 3


def _confirmation_address(session: Session, guest: Guest, now: datetime) -> str:
    """The address the guest gave on the form (the RSVP page says the confirmation goes there), but a
    link mails addresses other than the invited one at most CHANGED_ADDRESSES_PER_DAY times a day:
    past that, the invited address (or nobody, when the invitation had none) gets it."""
    invited = str(guest.email or "")
    typed = str((guest.answers or {}).get("email") or invited)
    if typed.strip().lower() == invited.strip().lower():
        return invited
    others = session.scalar(select(func.count()).select_from(MailMessage).where(
        MailMessage.guest_id == guest.id, MailMessage.kind == "confirmation",
        func.lower(MailMessage.recipient) != invited.strip().lower(),
        MailMessage.created_at >= now - timedelta(days=1)))
    if (others or 0) < CHANGED_ADDRESSES_PER_DAY:
        return typed
    log.warning("guest %s changed the confirmation address too often today: sent to the invited one", guest.id)
    return invited


def _row(organizer_id: str, kind: str, invitation_id: str, guest_id: str | None, recipient: str, language: str,
         message: RenderedMessage, status: str, due: datetime, now: datetime, key: str) -> dict[str, Any]:
    return {"id": uuid7(), "key": key, "organizer_id": organizer_id, "kind": kind, "invitation_id": invitation_id,
            "guest_id": guest_id, "recipient": recipient, "language": language, "subject": message.subject,
            "text": message.text, "html": message.html, "status": status, "attempts": 0,
            "next_attempt_at": due, "claimed_until": None, "last_error": "", "sent_at": None, "created_at": now}


def _insert(session: Session, rows: list[dict[str, Any]]) -> int:
    """Insert the rows whose key is new; returns how many were new."""
    if not rows:
        return 0
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    added = 0
    for start in range(0, len(rows), INSERT_BATCH):
        statement = dialect.insert(MailMessage).on_conflict_do_nothing(index_elements=["key"])
        result = session.execute(statement.returning(MailMessage.id), rows[start:start + INSERT_BATCH])
        added += len(result.all())
    return added
