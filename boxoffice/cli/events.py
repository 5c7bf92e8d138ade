"""`boxoffice events`, `events duplicate`, `sell`, `orders` and `cancel`: the box office without the window."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from boxoffice.cli import CommandError, emit, open_writer
from boxoffice.i18n import _, ngettext
from boxoffice.money import format_money
from boxoffice.services import catalogue, event_copy, orders, sales


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    events = commands.add_parser("events", parents=[common], help=_("list box offices, events and their dates"))
    events.add_argument("--json", action="store_true")
    events.set_defaults(handler=show_events)
    actions = events.add_subparsers(dest="events_action", metavar="ACTION")
    copy = actions.add_parser("duplicate", parents=[common], help=_("copy an event with new dates"))
    copy.add_argument("event", metavar="EVENT", help=_("event id or name"))
    copy.add_argument("--name", required=True, help=_("the copy's name"))
    copy.add_argument("--dates", required=True, metavar="ISO,…", help=_("start times, e.g. 2027-03-01T20:00+01:00"))
    copy.add_argument("--box-office", metavar="NAME", help=_("copy into this box office (default: the same)"))
    copy.add_argument("--dry-run", action="store_true", help=_("show what would be copied, write nothing"))
    copy.add_argument("--json", action="store_true")
    copy.set_defaults(handler=duplicate)
    _register_desk(commands, common)


def _register_desk(commands: Any, common: argparse.ArgumentParser) -> None:
    sell = commands.add_parser("sell", parents=[common], help=_("sell tickets at the desk"))
    sell.add_argument("--date", required=True, metavar="ID")
    sell.add_argument("--zone", required=True, metavar="NAME")
    sell.add_argument("--rate", required=True, metavar="NAME")
    sell.add_argument("--quantity", type=int, default=1, metavar="N")
    sell.add_argument("--seat", action="append", default=[], metavar="ROW-NUM", help=_("repeat for several seats"))
    sell.add_argument("--customer", default="", metavar="NAME")
    sell.add_argument("--email", default="", metavar="E")
    sell.add_argument("--payment", choices=sorted(sales.PAYMENT_METHODS), default="cash")
    sell.add_argument("--json", action="store_true")
    sell.set_defaults(handler=sell_tickets)
    found = commands.add_parser("orders", parents=[common], help=_("find orders by name, email or number"))
    found.add_argument("--find", default="", metavar="TEXT")
    found.add_argument("--json", action="store_true")
    found.set_defaults(handler=show_orders)
    cancel = commands.add_parser("cancel", parents=[common], help=_("cancel and refund an order or some tickets"))
    cancel.add_argument("order", metavar="ORDER", help=_("order number"))
    cancel.add_argument("--ticket", action="append", default=None, metavar="ID", help=_("only this ticket"))
    cancel.add_argument("--json", action="store_true")
    cancel.set_defaults(handler=cancel_order)


def show_events(args: argparse.Namespace) -> int:
    writer = open_writer(args)
    with writer.store.session() as session:
        offices = [_office_json(session, office.id, office.name, office.timezone)
                   for office in catalogue.box_offices(session)]
    lines = []
    for office in offices:
        lines.append(office["name"])
        for event in office["events"]:
            lines.append(f"  {event['name']}  [{event['id']}]  {event['status']}")
            lines += [f"    {d['starts_at']}  [{d['id']}]" for d in event["dates"]]
    emit(args, {"box_offices": offices}, "\n".join(lines) or _("No box offices yet."))
    return 0


def _office_json(session: Session, office_id: str, name: str, timezone: str) -> dict[str, Any]:
    events = []
    for event in catalogue.events_of(session, office_id):
        details = catalogue.event_details(session, event.id)
        events.append({"id": event.id, "name": event.name, "status": event.status, "visibility": event.visibility,
                       "dates": [{"id": d.id, "starts_at": d.starts_at.astimezone(ZoneInfo(timezone)).isoformat()}
                                 for d in details.dates],
                       "zones": [{"name": z.name, "capacity": z.capacity, "seated": z.seated} for z in details.zones],
                       "rates": [{"name": r.name, "kind": r.kind, "price_minor": r.price_minor}
                                 for r in details.rates]})
    return {"id": office_id, "name": name, "events": events}


def _find_event(session: Session, wanted: str) -> str:
    matches = [e.id for e in catalogue.events_of(session) if wanted in (e.id, e.name)]
    if len(matches) != 1:
        raise CommandError(_("There is no single event “{event}”.").format(event=wanted))
    return matches[0]


def _parse_dates(text: str) -> list[datetime]:
    try:
        starts = [datetime.fromisoformat(part.strip()) for part in text.split(",") if part.strip()]
    except ValueError as error:
        message = _("Dates are ISO times, e.g. 2027-03-01T20:00+01:00 ({error}).").format(error=error)
        raise CommandError(message) from None
    if any(s.tzinfo is None for s in starts):
        raise CommandError(_("Each date needs its time zone, e.g. 2027-03-01T20:00+01:00."))
    return starts


def duplicate(args: argparse.Namespace) -> int:
    writer = open_writer(args)
    starts = _parse_dates(args.dates)
    with writer.transaction() as work:
        event_id = _find_event(work.session, args.event)
        office_id = None
        if args.box_office:
            office = catalogue.find_box_office(work.session, args.box_office)
            if office is None:
                raise CommandError(_("There is no box office “{name}”.").format(name=args.box_office))
            office_id = office.id
        preview = event_copy.preview_duplicate(work.session, event_id, args.name, starts, office_id)
        new_id = None if args.dry_run else event_copy.duplicate_event(work, event_id, args.name, starts, office_id)
    emit(args, {**preview.to_json(), "id": new_id, "dry_run": args.dry_run}, "\n".join(preview.lines()))
    return 0


def _sale_of(session: Session, args: argparse.Namespace) -> sales.Sale:
    zone = next((z for z in orders.zones_for(session, args.date) if z.name.casefold() == args.zone.casefold()), None)
    if zone is None:
        raise CommandError(_("There is no zone “{zone}” for this date.").format(zone=args.zone))
    rate = next((r for r in orders.rates_for(session, args.date, zone.id)
                 if r.name.casefold() == args.rate.casefold()), None)
    if rate is None:
        raise CommandError(_("The rate “{rate}” is not sold for this date and zone.").format(rate=args.rate))
    seats = {s.label: s.id for s in orders.seats_for(session, args.date, zone.id)}
    unknown = [s for s in args.seat if s not in seats]
    if unknown:
        raise CommandError(_("There is no seat {seat} in {zone}.").format(seat=unknown[0], zone=zone.name))
    return sales.Sale(args.date, zone.id, (sales.SaleLine(rate.id, args.quantity),),
                      tuple(seats[s] for s in args.seat), args.customer, args.email, payment_method=args.payment)


def sell_tickets(args: argparse.Namespace) -> int:
    writer = open_writer(args)
    with writer.transaction() as work:
        sold = sales.sell(work, _sale_of(work.session, args))
    emit(args, sold.to_json(), ngettext("Order {number}: {n} ticket, {total} ({method}).",
                                        "Order {number}: {n} tickets, {total} ({method}).",
                                        len(sold.ticket_ids)).format(
        number=sold.number, n=len(sold.ticket_ids), total=format_money(sold.total_minor, sold.currency),
        method=_(sales.PAYMENT_METHODS[sold.payment_method])))
    return 0


def show_orders(args: argparse.Namespace) -> int:
    writer = open_writer(args)
    with writer.store.session() as session:
        found = orders.find_orders(session, args.find)
    lines = [f"{o.number}\t{o.customer_name}\t{format_money(o.total_minor, o.currency)}\t{o.status}\t{o.tickets}"
             for o in found]
    emit(args, {"orders": [o.to_json() for o in found]}, "\n".join(lines) or _("No orders found."))
    return 0


def cancel_order(args: argparse.Namespace) -> int:
    writer = open_writer(args)
    with writer.transaction() as work:
        order = orders.order_by_number(work.session, args.order)
        if order is None:
            raise CommandError(_("There is no order number {number}.").format(number=args.order))
        cancelled = sales.cancel(work, order.id, args.ticket)
        status = order.status
    with writer.store.session() as session:
        tickets = [t.to_json() for t in orders.tickets_of(session, order.id)]
        status = next((o.status for o in orders.find_orders(session, args.order) if o.id == order.id), status)
    emit(args, {"order": args.order, "cancelled": cancelled, "status": status, "tickets": tickets},
         ngettext("{n} ticket of order {number} cancelled; its place is back on sale.",
                  "{n} tickets of order {number} cancelled; their places are back on sale.", len(cancelled)).format(
             n=len(cancelled), number=args.order))
    return 0
