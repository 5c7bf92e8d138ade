"""A till close (T5): what one desk counted in its cash drawer at the end of a day, kept as it was closed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from boxoffice.model.base import Base, JSONDict, JSONList, Synced


class TillClose(Synced, Base):
    """Written once by the mutation `till.close` and never changed afterwards (a trigger refuses it).

    Amounts are in minor units of `currency`; `counts` is {denomination in minor units: pieces} when
    the cash was counted note by note, empty when only a total was typed. `takings` is the day's
    sales and refunds of this desk per payment method, and `refunds` each refund, as they stood
    when the till was closed."""

    __tablename__ = "till_closes"
    __table_args__ = (UniqueConstraint("device_id", "day"),)

    device_id: Mapped[str] = mapped_column(String(36))
    desk: Mapped[str] = mapped_column(server_default="")
    day: Mapped[str] = mapped_column(String(10))  # ISO date where the venue is
    timezone: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))
    opening_float_minor: Mapped[int] = mapped_column(BigInteger)
    counted_minor: Mapped[int] = mapped_column(BigInteger)
    counts: Mapped[JSONDict] = mapped_column(server_default=text("'{}'"))
    cash_sold_minor: Mapped[int] = mapped_column(BigInteger)
    cash_refunded_minor: Mapped[int] = mapped_column(BigInteger)
    expected_minor: Mapped[int] = mapped_column(BigInteger)
    difference_minor: Mapped[int] = mapped_column(BigInteger)
    takings: Mapped[JSONList] = mapped_column(server_default=text("'[]'"))
    refunds: Mapped[JSONList] = mapped_column(server_default=text("'[]'"))
    closed_by: Mapped[str] = mapped_column()
    closed_at: Mapped[datetime] = mapped_column()
    note: Mapped[str] = mapped_column(server_default="")
