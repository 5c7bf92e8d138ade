"""The credits ledger for sending invitations (G10): append-only, debited only by the server."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from boxoffice.model.base import Base

FREE_CREDITS_AT_START = 200


class CreditEntry(Base):
    """One movement: +grant/+purchase/-debit. `key` makes a debit idempotent under replays."""

    __tablename__ = "credit_entries"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    amount: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(server_default="")
    invitation_id: Mapped[str | None] = mapped_column(ForeignKey("invitations.id"))
    created_at: Mapped[datetime]
    hlc: Mapped[str] = mapped_column(String(80), server_default="")
    server_seq: Mapped[int | None] = mapped_column(BigInteger)
