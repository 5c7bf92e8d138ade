"""Pass definitions, sold passes with their holders, and seat resales (P1–P5)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, LargeBinary, String, false, text
from sqlalchemy.orm import Mapped, mapped_column

from boxoffice.model.base import Base, JSONDict, JSONList, Synced

# P2: the holder fields a pass definition can switch on one by one.
HOLDER_FIELDS = (
    "civility", "last_name", "first_name", "company", "email", "street", "city",
    "country", "postal_code", "mobile", "birth_date", "photo", "free_field",
)


class PassDefinition(Synced, Base):
    __tablename__ = "pass_definitions"

    box_office_id: Mapped[str | None] = mapped_column(ForeignKey("box_offices.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    support: Mapped[str] = mapped_column(String(20), server_default="card")
    event_ids: Mapped[JSONList] = mapped_column(server_default=text("'[]'"))
    holder_fields: Mapped[JSONList] = mapped_column(server_default=text("'[]'"))
    fixed_seats: Mapped[bool] = mapped_column(server_default=false())
    price_minor: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))
    currency: Mapped[str] = mapped_column(String(3), server_default="CHF")
    appearance: Mapped[JSONDict] = mapped_column(server_default=text("'{}'"))
    # P5 resale campaign: {"active", "percentage", "payout_kinds", "donation_to"}; empty when none.
    resale: Mapped[JSONDict] = mapped_column(server_default=text("'{}'"))
    # Archived: passes already sold stay valid, but the definition is no longer offered for sale.
    archived_at: Mapped[datetime | None]


class Pass(Synced, Base):
    __tablename__ = "passes"

    definition_id: Mapped[str] = mapped_column(ForeignKey("pass_definitions.id"), index=True)
    order_id: Mapped[str | None] = mapped_column(ForeignKey("orders.id"), index=True)
    secret: Mapped[str] = mapped_column(String(64), unique=True)
    # The pass area link's key (pass_sales.area_token), never sent to doors, unlike the QR secret.
    area_key: Mapped[str | None] = mapped_column(String(64))
    holder: Mapped[JSONDict] = mapped_column(server_default=text("'{}'"))
    photo: Mapped[bytes | None] = mapped_column(LargeBinary)
    seat_id: Mapped[str | None] = mapped_column(ForeignKey("seats.id"))
    state: Mapped[str] = mapped_column(String(20), server_default="valid")
    credit_minor: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))


class Resale(Synced, Base):
    """A pass holder's seat for one date offered for resale, and what the holder gets back."""

    __tablename__ = "resales"

    pass_id: Mapped[str] = mapped_column(ForeignKey("passes.id"), index=True)
    date_id: Mapped[str] = mapped_column(ForeignKey("event_dates.id"))
    seat_id: Mapped[str | None] = mapped_column(ForeignKey("seats.id"))
    status: Mapped[str] = mapped_column(String(20), server_default="offered")
    payout_kind: Mapped[str] = mapped_column(String(20), server_default="transfer")
    percentage: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    iban: Mapped[str] = mapped_column(String(34), server_default="")
    account_holder: Mapped[str] = mapped_column(server_default="")
    payout_minor: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))
    sold_ticket_id: Mapped[str | None] = mapped_column(ForeignKey("tickets.id"))
    paid_at: Mapped[datetime | None]
