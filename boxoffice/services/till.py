"""Closing the till (T5): this desk's cash of the day, counted against what the drawer should hold.

Expected cash = opening float + cash sales − cash refunds of the day at this desk; the difference is
counted − expected (negative: cash missing). The close is one record (mutation `till.close`) that
syncs and cannot be changed afterwards; a second close of the same desk and day is refused.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from boxoffice.i18n import _, ngettext
from boxoffice.model.devices import LocalDevice
from boxoffice.model.events import BoxOffice
from boxoffice.model.sales import Order, Refund
from boxoffice.model.till import TillClose
from boxoffice.money import format_money
from boxoffice.mutations.till import CloseTill, TillRecord
from boxoffice.mutations.unit_of_work import UnitOfWork
from boxoffice.services import takings
from boxoffice.services.takings import TakingsLine, day_bounds, method_label
from boxoffice.store.ids import uuid7

# Notes and coins, in minor units, largest first (what a cash drawer holds).
DENOMINATIONS = {
    "CHF": (100000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5),
    "EUR": (50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1),
    "GBP": (5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1),
    "USD": (10000, 5000, 2000, 1000, 500, 100, 25, 10, 5, 1),
}


class TillError(ValueError):
    """The till cannot be closed as asked; the message says why."""


@dataclass(frozen=True)
class RefundLine:
    order_number: str
    amount_minor: int
    method: str
    currency: str
    at: datetime

    def to_json(self) -> dict[str, Any]:
        return {"order": self.order_number, "amount_minor": self.amount_minor, "method": self.method,
                "currency": self.currency, "at": self.at.isoformat()}


@dataclass(frozen=True)
class ClosedTill:
    """A close as recorded: every figure the closing sheet shows."""

    id: str
    desk: str
    day: str
    timezone: str
    currency: str
    opening_float_minor: int
    counted_minor: int
    counts: dict[int, int]
    cash_sold_minor: int
    cash_refunded_minor: int
    expected_minor: int
    difference_minor: int
    takings: list[dict[str, Any]]
    refunds: list[dict[str, Any]]
    closed_by: str
    closed_at: datetime
    note: str = ""

    @classmethod
    def of(cls, row: TillClose) -> ClosedTill:
        return cls(row.id, row.desk, row.day, row.timezone, row.currency, row.opening_float_minor, row.counted_minor,
                   {int(k): int(v) for k, v in (row.counts or {}).items()}, row.cash_sold_minor,
                   row.cash_refunded_minor, row.expected_minor, row.difference_minor, list(row.takings or []),
                   list(row.refunds or []), row.closed_by, row.closed_at, row.note)


@dataclass(frozen=True)
class TillDay:
    """What this desk took on a day, before or after its till was closed."""

    day: date
    timezone: str
    desk_id: str
    desk: str
    currency: str
    lines: list[TakingsLine]
    refunds: list[RefundLine]
    closed: ClosedTill | None = None
    other_currencies: list[str] = field(default_factory=list)

    def _cash(self) -> list[TakingsLine]:
        return [ln for ln in self.lines if ln.method == "cash" and ln.currency == self.currency]

    @property
    def cash_sold_minor(self) -> int:
        return sum(ln.sold_minor for ln in self._cash())

    @property
    def cash_refunded_minor(self) -> int:
        return sum(ln.refunded_minor for ln in self._cash())

    def expected_minor(self, opening_float_minor: int) -> int:
        return opening_float_minor + self.cash_sold_minor - self.cash_refunded_minor


def denominations(currency: str) -> tuple[int, ...]:
    return DENOMINATIONS.get(currency.upper(), ())


def counted_from(counts: Mapping[int, int]) -> int:
    """The cash counted note by note and coin by coin."""
    return sum(value * pieces for value, pieces in counts.items())


def _venue_currency(session: Session) -> str:
    return session.scalars(select(BoxOffice.currency).order_by(BoxOffice.created_at)).first() or "CHF"


def refunds_at_desk(session: Session, day: date, timezone: str, desk_id: str) -> list[RefundLine]:
    """Each refund this desk made on the day (by its HLC stamp, as the takings count them)."""
    start, end = day_bounds(day, timezone)
    wall = func.substr(Refund.hlc, 1, takings.WALL_DIGITS)
    rows = session.execute(select(Order.number, Refund.amount_minor, Refund.method, Order.currency, Refund.hlc)
                           .join(Order, Order.id == Refund.order_id)
                           .where(wall >= takings.wall_stamp(start), wall < takings.wall_stamp(end),
                                  func.substr(Refund.hlc, takings.NODE_START) == desk_id, Refund.deleted.is_(False))
                           .order_by(Refund.hlc))
    return [RefundLine(number, amount, method, currency,
                       datetime.fromtimestamp(int(stamp[:takings.WALL_DIGITS]) / 1000, UTC))
            for number, amount, method, currency, stamp in rows]


def till_day(session: Session, day: date, timezone: str) -> TillDay:
    """This desk's figures for the day, and its close when already done."""
    device = session.scalars(select(LocalDevice)).first()
    desk_id = device.id if device is not None else ""
    lines = [ln for ln in takings.day_takings(session, day, timezone).lines if ln.desk_id == desk_id]
    cash = [ln.currency for ln in lines if ln.method == "cash"]
    currency = cash[0] if cash else (lines[0].currency if lines else _venue_currency(session))
    closed = session.scalars(select(TillClose).where(TillClose.device_id == desk_id,
                                                     TillClose.day == day.isoformat())).first()
    others = sorted({ln.currency for ln in lines if ln.method == "cash"} - {currency})
    return TillDay(day, timezone, desk_id, device.name if device is not None else "", currency, lines,
                   refunds_at_desk(session, day, timezone, desk_id),
                   ClosedTill.of(closed) if closed is not None else None, others)


def close_till(work: UnitOfWork, day: TillDay, opening_float_minor: int, counted_minor: int | None,
               counts: Mapping[int, int] | None, closed_by: str, note: str = "",
               now: datetime | None = None) -> ClosedTill:
    """Record the close: counted either note by note (`counts`) or as a total (`counted_minor`)."""
    if day.closed is not None:
        raise TillError(_("This till was already closed by {name} at {time}; a close cannot be changed.").format(
            name=day.closed.closed_by, time=_local_time(day.closed.closed_at, day.timezone)))
    if not closed_by.strip():
        raise TillError(_("Type who closes the till."))
    if opening_float_minor < 0:
        raise TillError(_("The opening float cannot be negative."))
    pieces = {int(v): int(n) for v, n in (counts or {}).items() if n}
    allowed = set(denominations(day.currency))
    for value, number in pieces.items():
        if value not in allowed or number < 0:
            raise TillError(ngettext("{amount} cannot be counted {n} time.",
                                     "{amount} cannot be counted {n} times.", number).format(
                amount=format_money(value, day.currency), n=number))
    counted = counted_from(pieces) if pieces else counted_minor
    if counted is None or counted < 0:
        raise TillError(_("Count the cash: type the notes and coins, or the total."))
    expected = day.expected_minor(opening_float_minor)
    record = {
        "id": uuid7(), "device_id": day.desk_id, "desk": day.desk, "day": day.day.isoformat(),
        "timezone": day.timezone, "currency": day.currency, "opening_float_minor": opening_float_minor,
        "counted_minor": counted, "counts": {str(v): n for v, n in sorted(pieces.items(), reverse=True)},
        "cash_sold_minor": day.cash_sold_minor, "cash_refunded_minor": day.cash_refunded_minor,
        "expected_minor": expected, "difference_minor": counted - expected,
        "takings": [ln.to_json() for ln in day.lines], "refunds": [r.to_json() for r in day.refunds],
        "closed_by": closed_by.strip(), "note": note.strip(),
        "closed_at": (now or datetime.now(UTC)).astimezone(UTC).isoformat(),
    }
    work.run(CloseTill(close=TillRecord.model_validate(record)))
    row = work.session.get(TillClose, record["id"])
    assert row is not None
    return ClosedTill.of(row)


def _local_time(moment: datetime, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime("%d.%m.%Y %H:%M")


def difference_text(closed: ClosedTill) -> str:
    amount = format_money(abs(closed.difference_minor), closed.currency)
    if closed.difference_minor > 0:
        return _("{amount} more than expected").format(amount=amount)
    if closed.difference_minor < 0:
        return _("{amount} missing").format(amount=amount)
    return _("the cash is right")


def as_html(closed: ClosedTill) -> str:
    """The closing sheet, to print or save as PDF."""
    esc, money = html.escape, (lambda minor: esc(format_money(minor, closed.currency)))
    rows = [(_("Opening float"), money(closed.opening_float_minor)), (_("Cash sales"), money(closed.cash_sold_minor)),
            (_("Cash refunds"), "−" + money(closed.cash_refunded_minor)), (_("Expected in the drawer"),
                                                                         money(closed.expected_minor)),
            (_("Counted"), money(closed.counted_minor)), (_("Difference"), esc(difference_text(closed)))]
    figures = "".join(f"<tr><td>{esc(a)}</td><td align='right'><b>{b}</b></td></tr>" for a, b in rows)
    counted = "".join(f"<tr><td>{money(v)}</td><td align='right'>× {n}</td><td align='right'>{money(v * n)}</td></tr>"
                      for v, n in sorted(closed.counts.items(), reverse=True))
    methods = "".join(f"<tr><td>{esc(method_label(t['method']))}</td><td align='right'>{t['orders']}</td>"
                      f"<td align='right'>{esc(format_money(t['net_minor'], t['currency']))}</td></tr>"
                      for t in closed.takings)
    none = esc(_("No refunds"))
    refunds = "".join(f"<tr><td>{esc(r['order'])}</td><td>{esc(method_label(r['method']))}</td>"
                      f"<td align='right'>{esc(format_money(r['amount_minor'], r['currency']))}</td></tr>"
                      for r in closed.refunds) or f"<tr><td>{none}</td></tr>"
    title = esc(_("Till close of {desk}, {day}").format(desk=closed.desk, day=date.fromisoformat(closed.day)
                                                          .strftime("%d.%m.%Y")))
    who = esc(_("Closed by {name} on {time}").format(name=closed.closed_by,
                                                      time=_local_time(closed.closed_at, closed.timezone)))
    table = "<table border='1' cellspacing='0' cellpadding='4'>"
    parts = [f"<h2>{title}</h2><p>{who}</p>", f"{table}{figures}</table>"]
    headings = [esc(_("Cash counted")), esc(_("Takings per payment method")), esc(_("Refunds"))]
    if counted:
        parts.append(f"<h3>{headings[0]}</h3>{table}{counted}</table>")
    parts.append(f"<h3>{headings[1]}</h3>{table}{methods}</table>")
    parts.append(f"<h3>{headings[2]}</h3>{table}{refunds}</table>")
    if closed.note:
        parts.append(f"<p>{esc(closed.note)}</p>")
    return "".join(parts)


def closes_of_day(session: Session, day: date) -> list[ClosedTill]:
    """The closes every desk recorded for the day (synced from the other desks), in closing order."""
    rows = session.scalars(select(TillClose).where(TillClose.day == day.isoformat(), TillClose.deleted.is_(False))
                           .order_by(TillClose.closed_at))
    return [ClosedTill.of(row) for row in rows]


def close_line(closed: ClosedTill) -> str:
    """One close in a line: which desk, who, when, and the difference."""
    return _("{desk}: closed by {name} at {time}; {difference}").format(
        desk=closed.desk, name=closed.closed_by,
        time=closed.closed_at.astimezone(ZoneInfo(closed.timezone)).strftime("%H:%M"),
        difference=difference_text(closed))
