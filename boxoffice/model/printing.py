"""The print log: every badge, pass and ticket sent to a printer, with how it ended (PR3, P4)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from boxoffice.model.base import Base

WHATS = ("badge", "pass", "ticket")
OUTCOMES = ("queued", "completed", "failed", "cancelled")
# A card counts as printed once its job is queued: a crash between queuing and the printer's
# answer must not make the next automatic run print the same badge again.
PRINTED_OUTCOMES = ("queued", "completed")


class PrintJob(Base):
    """One card or page sent to a printer. Written as `queued` before the job leaves, then
    finished with its outcome; never deleted, so a reprint is always a visible, explicit choice."""

    __tablename__ = "print_jobs"
    __table_args__ = (
        Index("ix_print_jobs_ticket", "ticket_id", "what"),
        Index("ix_print_jobs_pass", "pass_id", "what"),
        Index("ix_print_jobs_contact", "contact_id", "what"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    what: Mapped[str] = mapped_column(String(10))
    order_id: Mapped[str | None] = mapped_column(String(36), index=True)
    ticket_id: Mapped[str | None] = mapped_column(String(36))
    pass_id: Mapped[str | None] = mapped_column(String(36))
    contact_id: Mapped[str | None] = mapped_column(String(36))
    label: Mapped[str] = mapped_column(server_default="")
    printer: Mapped[str] = mapped_column(String(200))
    profile: Mapped[str] = mapped_column(String(200), server_default="")
    outcome: Mapped[str] = mapped_column(String(12), server_default="queued")
    message: Mapped[str] = mapped_column(server_default="")
    cups_job_id: Mapped[int | None] = mapped_column(Integer)
    reprint: Mapped[bool] = mapped_column(server_default=false())
    device_id: Mapped[str] = mapped_column(String(36), server_default="")
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    hlc: Mapped[str] = mapped_column(String(80), server_default="")
