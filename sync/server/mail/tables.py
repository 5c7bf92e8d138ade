"""The mail queue: one row per message the server sends (invitation, reminder, test, confirmation)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sync.server.tables import ServerBase

KINDS = ("invitation", "reminder", "test", "confirmation")
# held: an invitation waiting for its time and its credits debit; skipped: a reminder to a guest who answered.
# refused: not sent because the credits were short (or a header could not be written); `invitations.retry`
# takes it up again (sync/server/mail/resend.py).
STATUSES = ("held", "queued", "sending", "sent", "failed", "bounced", "skipped", "refused")


class MailMessage(ServerBase):
    """One message. `key` makes queuing idempotent: a replayed push or a second call adds nothing.

    Subject and both bodies are rendered when queued (the invitation no longer changes once
    scheduled); the MIME with its inline images is built when sent.
    """

    __tablename__ = "mail_queue"
    # The sender's claim walks due rows in time order.
    __table_args__ = (Index("ix_mail_queue_due", "status", "next_attempt_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    organizer_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(20))
    invitation_id: Mapped[str] = mapped_column(String(36), index=True)
    guest_id: Mapped[str | None] = mapped_column(String(36), index=True)
    recipient: Mapped[str] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(5))
    subject: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    claimed_until: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
