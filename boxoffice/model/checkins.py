"""Check-ins: the append-only record of every scan at every door (D4–D10)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from boxoffice.model.base import Base


class CheckIn(Base):
    """One scan, keyed by its own UUID and never changed: a ticket's door state is derived
    from its check-ins in HLC order, so check-ins from several offline doors simply merge."""

    __tablename__ = "checkins"
    __table_args__ = (Index("ix_checkins_ticket", "ticket_id", "hlc"), Index("ix_checkins_guest", "guest_id", "hlc"),
                      Index("ix_checkins_pass", "pass_id", "date_id", "hlc"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    ticket_id: Mapped[str | None] = mapped_column(String(36))
    guest_id: Mapped[str | None] = mapped_column(String(36))
    pass_id: Mapped[str | None] = mapped_column(String(36))
    code: Mapped[str] = mapped_column(String(512))
    date_id: Mapped[str | None] = mapped_column(String(36))
    zone_id: Mapped[str | None] = mapped_column(String(36))
    door: Mapped[str] = mapped_column(String(120))
    device_id: Mapped[str] = mapped_column(String(36))
    direction: Mapped[str] = mapped_column(String(8))
    verdict: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(String(40))
    scanned_at: Mapped[datetime]
    hlc: Mapped[str] = mapped_column(String(80))
    server_seq: Mapped[int | None] = mapped_column(BigInteger)
