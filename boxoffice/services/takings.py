"""A day's takings per desk and payment method, for closing the till (T2, T5).

A sale counts on the day and at the desk that recorded the order; a refund on the day and at the
desk that made it. Both come from the refund's hybrid-clock stamp, written by the refunding
device and kept as is by the server, so a refund synced the next morning still lands on the right
day and desk. Read-only, SQL aggregates only.
"""

from __future__ import annotations

import csv
import html
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from boxoffice.i18n import _
from boxoffice.model.devices import LocalDevice
from boxoffice.model.sales import Order, Refund
from boxoffice.money import format_money, plain_amount
from boxoffice.services.contact_export import neutralise
from boxoffice.services.sales import PAYMENT_METHODS

# A stamp is "<15 digits of unix ms>-<5 digits>-<device id>" (boxoffice/store/hlc.py).
WALL_DIGITS, NODE_START = 15, 23
_WALL_DIGITS, _NODE_START = WALL_DIGITS, NODE_START


@dataclass(frozen=True)
class TakingsLine:
    """One desk, one payment method, one currency."""

    desk_id: str
    desk: str
    method: str
    currency: str
    orders: int
    sold_minor: int
    refunds: int
    refunded_minor: int

    @property
    def net_minor(self) -> int:
        return self.sold_minor - self.refunded_minor

    def to_json(self) -> dict[str, Any]:
        return {"desk_id": self.desk_id, "desk": self.desk, "method": self.method, "currency": self.currency,
                "orders": self.orders, "sold_minor": self.sold_minor, "refunds": self.refunds,
                "refunded_minor": self.refunded_minor, "net_minor": self.net_minor}


@dataclass(frozen=True)
class Takings:
    day: date
    timezone: str
    lines: list[TakingsLine]

    def totals(self) -> list[tuple[str, str, int]]:
        """(method, currency, net) over every desk, in the order of PAYMENT_METHODS."""
        sums: dict[tuple[str, str], int] = {}
        for line in self.lines:
            sums[(line.method, line.currency)] = sums.get((line.method, line.currency), 0) + line.net_minor
        return [(m, c, sums[(m, c)]) for m, c in sorted(sums, key=_method_order)]

    def to_json(self) -> dict[str, Any]:
        return {"date": self.day.isoformat(), "timezone": self.timezone, "lines": [ln.to_json() for ln in self.lines],
                "totals": [{"method": m, "currency": c, "net_minor": n} for m, c, n in self.totals()]}


def _method_order(key: tuple[str, str]) -> tuple[int, str, str]:
    methods = list(PAYMENT_METHODS)
    return (methods.index(key[0]) if key[0] in methods else len(methods), key[0], key[1])


def method_label(method: str) -> str:
    return _(PAYMENT_METHODS[method]) if method in PAYMENT_METHODS else method


def day_bounds(day: date, timezone: str) -> tuple[datetime, datetime]:
    """The day from midnight to midnight where the venue is, in UTC."""
    zone = ZoneInfo(timezone)
    start = datetime.combine(day, time(0), zone)
    return start.astimezone(UTC), datetime.combine(day + timedelta(days=1), time(0), zone).astimezone(UTC)


def wall_stamp(moment: datetime) -> str:
    """The wall-clock part of an HLC stamp at `moment`, to compare stamps with a time."""
    return f"{int(moment.timestamp() * 1000):0{_WALL_DIGITS}d}"


_stamp = wall_stamp


def _sales(session: Session, start: datetime, end: datetime) -> dict[tuple[str, str, str], tuple[int, int]]:
    rows = session.execute(select(Order.device_id, Order.payment_method, Order.currency, func.count(),
                                  func.sum(Order.total_minor))
                           .where(Order.sold_at >= start, Order.sold_at < end, Order.deleted.is_(False))
                           .group_by(Order.device_id, Order.payment_method, Order.currency))
    return {(desk, method, currency): (int(n), int(total or 0)) for desk, method, currency, n, total in rows}


def _refunds(session: Session, start: datetime, end: datetime) -> dict[tuple[str, str, str], tuple[int, int]]:
    wall = func.substr(Refund.hlc, 1, _WALL_DIGITS)
    desk = func.substr(Refund.hlc, _NODE_START)
    rows = session.execute(select(desk, Refund.method, Order.currency, func.count(), func.sum(Refund.amount_minor))
                           .join(Order, Order.id == Refund.order_id)
                           .where(wall >= _stamp(start), wall < _stamp(end), Refund.deleted.is_(False))
                           .group_by(desk, Refund.method, Order.currency))
    return {(d, method, currency): (int(n), int(total or 0)) for d, method, currency, n, total in rows}


def desk_names(session: Session, desk_ids: set[str]) -> dict[str, str]:
    """This device by its name; another desk by the prefix its order numbers carry (what staff see)."""
    names = {}
    local = session.scalars(select(LocalDevice)).first()
    prefixes = dict(session.execute(select(Order.device_id, func.min(Order.number))
                                    .where(Order.device_id.in_(desk_ids)).group_by(Order.device_id)).all())
    for desk in desk_ids:
        if local is not None and desk == local.id:
            names[desk] = _("{name} (this desk)").format(name=local.name)
        elif prefixes.get(desk):
            names[desk] = prefixes[desk].rsplit("-", 1)[0] or desk[:8]
        else:
            names[desk] = desk[:8] or _("unknown desk")
    return names


def day_takings(session: Session, day: date, timezone: str = "Europe/Zurich") -> Takings:
    """Sales minus refunds of one day, per desk, payment method and currency."""
    start, end = day_bounds(day, timezone)
    sold, refunded = _sales(session, start, end), _refunds(session, start, end)
    keys = set(sold) | set(refunded)
    names = desk_names(session, {k[0] for k in keys})
    lines = [TakingsLine(desk, names[desk], method, currency, *sold.get((desk, method, currency), (0, 0)),
                         *refunded.get((desk, method, currency), (0, 0))) for desk, method, currency in keys]
    lines.sort(key=lambda ln: (ln.desk, *_method_order((ln.method, ln.currency))))
    return Takings(day, timezone, lines)


def header() -> list[str]:
    return [_("Desk"), _("Payment method"), _("Currency"), _("Orders"), _("Sold"), _("Refunds"), _("Refunded"),
            _("Net")]


def cells(line: TakingsLine) -> list[str]:
    amount = [plain_amount(m, line.currency) for m in (line.sold_minor, line.refunded_minor, line.net_minor)]
    return [line.desk, method_label(line.method), line.currency, str(line.orders), amount[0], str(line.refunds),
            amount[1], amount[2]]


def write_csv(takings: Takings, path: Path) -> int:
    """The lines and the totals per method as CSV (UTF-8 with BOM, formulas neutralised); returns lines."""
    partial = path.with_name(path.name + ".part")
    try:
        with partial.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header())
            for line in takings.lines:
                # Only the desk's name is free text; amounts stay numbers, a net refund's minus included.
                desk, *rest = cells(line)
                writer.writerow([neutralise(desk), *rest])
            for method, currency, net in takings.totals():
                writer.writerow([_("Total"), method_label(method), currency, "", "", "", "",
                                 plain_amount(net, currency)])
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ValueError(_("Cannot write {file}: {error}").format(file=path, error=exc.strerror)) from exc
    return len(takings.lines)


def _total_lines(takings: Takings) -> list[str]:
    return [_("Total {method}: {amount}").format(method=method_label(m), amount=format_money(n, c))
            for m, c, n in takings.totals()]


def as_text(takings: Takings) -> str:
    """The takings as aligned plain text (the CLI and the till's printout)."""
    title = _("Takings of {day}").format(day=takings.day.strftime("%d.%m.%Y"))
    if not takings.lines:
        return title + "\n" + _("No sales and no refunds on this day.")
    rows = [header(), *(cells(line) for line in takings.lines)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    text = [title, *("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows)]
    text += _total_lines(takings)
    return "\n".join(text)


def as_html(takings: Takings) -> str:
    """The takings as a small HTML table, for printing."""
    esc = html.escape
    head = "".join(f"<th>{esc(h)}</th>" for h in header())
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in cells(line)) + "</tr>" for line in takings.lines)
    totals = "".join(f"<p><b>{esc(line)}</b></p>" for line in _total_lines(takings))
    title = esc(_("Takings of {day}").format(day=takings.day.strftime("%d.%m.%Y")))
    return (f"<h2>{title}</h2><table border='1' cellspacing='0' cellpadding='4'><tr>{head}</tr>{body}</table>"
            f"{totals}")
