# SPDX-License-Identifier: AGPL-3.0-or-later
"""Resale of pass seats (P5): a holder puts one date's seat back on sale, the holder is paid out when it sells.

Only passes with fixed numbered seats and an active resale campaign, and only before the date's
sales close. Payout = the campaign's percentage of the price the seat was resold at, rounded to the
nearest minor unit (halves up, so 12.5 centimes give 13). Writes go through the `resale.*`
mutators in the caller's unit of work; nothing here commits.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Connection, Table, select
from sqlalchemy.orm import Session, aliased

from boxoffice.i18n import N_, _
from boxoffice.model.events import Event, EventDate, Seat, Zone
from boxoffice.model.passes import Pass, PassDefinition, Resale
from boxoffice.model.sales import Ticket
from boxoffice.money import plain_amount
from boxoffice.mutations.passes import ResaleOffer, ResalePaid, ResaleSettle
from boxoffice.mutations.unit_of_work import UnitOfWork
from boxoffice.services.catalogue import sales_close_at
from boxoffice.services.contact_export import neutralise
from boxoffice.services.iban import format_iban, mask_iban, validate_iban
from boxoffice.services.passes import PAYOUT_KINDS, PassError, holder_name, resale_campaign
from boxoffice.store.ids import uuid7

STATUSES = {"offered": N_("on resale"), "resold": N_("resold"), "paid": N_("paid")}
_RESALES = cast(Table, Resale.__table__)


class ResaleRefused(PassError):
    """A resale was refused. `msgid` and `params` let the pass area say it in the holder's language."""

    def __init__(self, msgid: str, **params: Any) -> None:
        self.msgid, self.params = msgid, params
        super().__init__(self.message(_))

    def message(self, translate: Callable[[str], str]) -> str:
        return translate(self.msgid).format(**self.params)


def payout_for(price_minor: int, percentage: int) -> int:
    """The holder's share of a resale price: `percentage` % rounded to the nearest minor unit, halves up."""
    if price_minor < 0 or not 0 <= percentage <= 100:
        raise PassError(_("A payout needs a price of at least 0 and a percentage from 0 to 100."))
    return (price_minor * percentage + 50) // 100


@dataclass(frozen=True)
class ResaleDate:
    """A date a pass holds a seat on, as the pass area and the Passes page show it."""

    date_id: str
    event: str
    starts_at: datetime
    seat: str
    status: str | None
    open: bool


def _pass_and_campaign(session: Session, pass_id: str) -> tuple[Pass, PassDefinition, dict[str, Any]]:
    held = session.get(Pass, pass_id)
    definition = session.get(PassDefinition, held.definition_id) if held is not None else None
    if held is None or held.deleted or definition is None:
        raise ResaleRefused(N_("This pass no longer exists."))
    if held.state != "valid":
        raise ResaleRefused(N_("This pass is no longer valid."))
    if not definition.fixed_seats:
        raise ResaleRefused(N_("Only passes with fixed numbered seats can put a seat on resale."))
    campaign = resale_campaign(definition)
    if campaign is None:
        raise ResaleRefused(N_("The organizer has not opened resales for this pass."))
    return held, definition, campaign


def resale_dates(session: Session, pass_id: str, now: datetime | None = None) -> list[ResaleDate]:
    """Every date the pass holds a seat on, soonest first, with its resale status and whether it can still go."""
    now = now or datetime.now(UTC)
    statuses = {r.date_id: r.status for r in session.scalars(select(Resale).where(
        Resale.pass_id == pass_id, Resale.deleted.is_(False)))}
    query = (select(Ticket, EventDate, Event, Zone, Seat).join(EventDate, EventDate.id == Ticket.date_id)
             .join(Event, Event.id == Ticket.event_id).outerjoin(Zone, Zone.id == Ticket.zone_id)
             .outerjoin(Seat, Seat.id == Ticket.seat_id)
             .where(Ticket.pass_id == pass_id, Ticket.deleted.is_(False)).order_by(EventDate.starts_at))
    out = []
    for ticket, date, event, zone, seat in session.execute(query):
        closes = sales_close_at(event, date) or date.starts_at
        seat_text = (_("{zone}, row {row}, seat {number}").format(zone=zone.name, row=seat.row, number=seat.number)
                     if zone is not None and seat is not None else "")
        status = statuses.get(date.id)
        out.append(ResaleDate(date.id, event.name, date.starts_at, seat_text, status,
                              status is None and ticket.state == "valid" and now < closes))
    return out


MAX_ACCOUNT_HOLDER = 320  # what the mutation's model takes (boxoffice/mutations/args.Name)


def check_offer(session: Session, pass_id: str, date_id: str, payout_kind: str, iban: str = "",
                account_holder: str = "", now: datetime | None = None) -> ResaleOffer:
    """Every rule of putting a seat on resale; returns the `resale.offer` arguments (server and device share it)."""
    held, _definition, campaign = _pass_and_campaign(session, pass_id)
    if payout_kind not in campaign["payout_kinds"]:
        raise ResaleRefused(N_("This payout is not offered for this pass."))
    dates = {d.date_id: d for d in resale_dates(session, held.id, now)}
    chosen = dates.get(date_id)
    if chosen is None:
        raise ResaleRefused(N_("This pass holds no seat on this date."))
    if chosen.status is not None:
        raise ResaleRefused(N_("This seat is already on resale for this date."))
    if not chosen.open:
        raise ResaleRefused(N_("Too late: sales for this date are closed."))
    if payout_kind != "transfer":
        return ResaleOffer(id=uuid7(), pass_id=held.id, date_id=date_id, payout_kind=payout_kind)
    if not account_holder.strip():
        raise ResaleRefused(N_("Please give the account holder's name."))
    if len(account_holder.strip()) > MAX_ACCOUNT_HOLDER:
        raise ResaleRefused(N_("The account holder's name is too long (at most 320 characters)."))
    return ResaleOffer(id=uuid7(), pass_id=held.id, date_id=date_id, payout_kind=payout_kind,
                       iban=validate_iban(iban), account_holder=account_holder.strip())


def offer_resale(work: UnitOfWork, pass_id: str, date_id: str, payout_kind: str, iban: str = "",
                 account_holder: str = "", now: datetime | None = None) -> str:
    """Put the pass's seat for one date back on sale; the desk can then sell it like any seat."""
    args = check_offer(work.session, pass_id, date_id, payout_kind, iban, account_holder, now)
    work.run(args)
    return args.id


def _resold_seats(session: Session, date_id: str | None = None, seat_ids: Sequence[str] = ()) -> list[Any]:
    """Offered resales whose seat has a valid ticket again on that date (sold at a desk), with its price.

    One resale per ticket and only tickets no resale took yet: settling must never be refused, since it
    runs inside the desk sale that resold the seat.
    """
    settled = aliased(Resale)
    query = (select(Resale.id, Resale.percentage, Ticket.id.label("ticket"), Ticket.price_minor)
             .join(Ticket, (Ticket.date_id == Resale.date_id) & (Ticket.seat_id == Resale.seat_id))
             .where(Resale.status == "offered", Resale.deleted.is_(False), Ticket.state == "valid",
                    Ticket.pass_id.is_(None), Ticket.deleted.is_(False),
                    ~select(settled.id).where(settled.sold_ticket_id == Ticket.id).exists())
             .order_by(Resale.id))
    if date_id is not None:
        query = query.where(Resale.date_id == date_id, Resale.seat_id.in_(seat_ids))
    rows, tickets = [], set()
    for row in session.execute(query):
        if row.ticket not in tickets:
            tickets.add(row.ticket)
            rows.append(row)
    return rows


def seat_on_resale(session: Session, date_id: str, seat_id: str) -> bool:
    """The seat of a pass put on resale for this date and not resold yet."""
    return session.scalar(select(Resale.id).where(Resale.date_id == date_id, Resale.seat_id == seat_id,
                                                  Resale.status == "offered", Resale.deleted.is_(False))) is not None


def resold_waiting(session: Session) -> int:
    """How many offered seats were sold again and wait for `settle_resales`."""
    return len(_resold_seats(session))


def settle_resales(work: UnitOfWork, date_id: str | None = None, seat_ids: Sequence[str] = ()) -> int:
    """Link offered seats sold again to their ticket and compute the payout; returns how many.

    With `date_id`, only the given seats of that date (what a desk sale just sold); else every one waiting.
    """
    pending = _resold_seats(work.session, date_id, seat_ids)
    for row in pending:
        work.run(ResaleSettle(id=row.id, ticket_id=row.ticket, at=datetime.now(UTC).isoformat(),
                              payout_minor=payout_for(row.price_minor, row.percentage)))
    return len(pending)


def mark_paid(work: UnitOfWork, resale_id: str) -> None:
    resale = work.session.get(Resale, resale_id)
    if resale is None or resale.deleted:
        raise PassError(_("This resale no longer exists."))
    if resale.status != "resold":
        raise PassError(_("Only a resold seat paid by bank transfer waits for its payout."))
    work.run(ResalePaid(id=resale_id, at=datetime.now(UTC).isoformat()))


def seat_released(conn: Connection, pass_id: str, date_id: str | None) -> bool:
    """True when the pass's seat for this date was put on resale: the pass no longer admits that date (door)."""
    if date_id is None:
        return False
    return conn.execute(select(_RESALES.c.id).where(
        _RESALES.c.pass_id == pass_id, _RESALES.c.date_id == date_id, _RESALES.c.deleted.is_(False)).limit(1)
    ).first() is not None


@dataclass(frozen=True)
class ResaleRow:
    """One resale in the organizer's payout tracking (the IBAN masked)."""

    id: str
    holder: str
    pass_name: str
    event: str
    starts_at: datetime
    seat: str
    payout_kind: str
    iban: str
    account_holder: str
    percentage: int
    sold_minor: int | None
    payout_minor: int
    currency: str
    status: str


def resales(session: Session) -> list[ResaleRow]:
    """Every resale, soonest date first, for the Passes page and the CSV export."""
    query = (select(Resale, Pass, PassDefinition, EventDate, Event, Seat, Zone, Ticket)
             .join(Pass, Pass.id == Resale.pass_id).join(PassDefinition, PassDefinition.id == Pass.definition_id)
             .join(EventDate, EventDate.id == Resale.date_id).join(Event, Event.id == EventDate.event_id)
             .outerjoin(Seat, Seat.id == Resale.seat_id).outerjoin(Zone, Zone.id == Seat.zone_id)
             .outerjoin(Ticket, Ticket.id == Resale.sold_ticket_id)
             .where(Resale.deleted.is_(False)).order_by(EventDate.starts_at, Resale.id))
    rows = []
    for resale, held, definition, date, event, seat, zone, ticket in session.execute(query):
        seat_text = (_("{zone}, row {row}, seat {number}").format(zone=zone.name, row=seat.row, number=seat.number)
                     if seat is not None and zone is not None else "")
        rows.append(ResaleRow(resale.id, holder_name(held.holder), definition.name, event.name, date.starts_at,
                              seat_text, resale.payout_kind, mask_iban(resale.iban) if resale.iban else "",
                              resale.account_holder, resale.percentage,
                              ticket.price_minor if ticket is not None else None, resale.payout_minor,
                              definition.currency, resale.status))
    return rows


def export_resales(session: Session, path: Path) -> int:
    """The payout tracking as CSV (UTF-8 with BOM for spreadsheets), IBANs in full for the bank transfer."""
    full = {r.id: r.iban for r in session.scalars(select(Resale).where(Resale.deleted.is_(False)))}
    header = [_("Holder"), _("Pass"), _("Event"), _("Date"), _("Seat"), _("Payout"), _("Account holder"), _("IBAN"),
              _("Percentage"), _("Resold for"), _("Amount"), _("Currency"), _("Status")]
    rows = resales(session)
    partial = path.with_name(path.name + ".part")
    try:
        with partial.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for r in rows:
                cells = [r.holder, r.pass_name, r.event, r.starts_at.astimezone().isoformat(timespec="minutes"),
                         r.seat, _(PAYOUT_KINDS[r.payout_kind]), r.account_holder, format_iban(full.get(r.id, "")),
                         str(r.percentage), _money(r.sold_minor, r.currency),
                         _money(r.payout_minor, r.currency), r.currency,
                         _(STATUSES[r.status])]
                writer.writerow([neutralise(cell) for cell in cells])
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise PassError(_("Cannot write {file}: {error}").format(file=path, error=exc.strerror)) from exc
    return len(rows)


def _money(minor: int | None, currency: str) -> str:
    return "" if minor is None else plain_amount(minor, currency)
