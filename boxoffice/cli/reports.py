"""`boxoffice report takings|event|answers`: the day's takings, an event's overview, its answers as CSV."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from boxoffice import settings
from boxoffice.cli import CommandError, data_dir_of, emit, open_writer
from boxoffice.i18n import _, ngettext
from boxoffice.money import format_money
from boxoffice.services import customers, event_overview, takings
from boxoffice.services.catalogue import EVENT_STATUSES, VISIBILITIES


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    report = commands.add_parser("report", parents=[common], help=_("takings of a day, an event's overview, answers"))
    kinds = report.add_subparsers(dest="report_kind", metavar="REPORT", required=True)
    till = kinds.add_parser("takings", parents=[common], help=_("a day's takings per desk and payment method"))
    till.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    till.add_argument("--timezone", metavar="ZONE", help=_("the venue's time zone (default: from Settings)"))
    till.add_argument("-o", "--output", metavar="FILE.csv", help=_("also write the takings as CSV"))
    till.add_argument("--json", action="store_true")
    till.set_defaults(handler=show_takings)
    event = kinds.add_parser("event", parents=[common], help=_("an event's sales per rate and per date"))
    event.add_argument("event", metavar="EVENT", help=_("event id or name"))
    event.add_argument("--json", action="store_true")
    event.set_defaults(handler=show_event)
    answers = kinds.add_parser("answers", parents=[common], help=_("an event's customers and order-form answers"))
    answers.add_argument("event", metavar="EVENT", help=_("event id or name"))
    answers.add_argument("-o", "--output", required=True, metavar="FILE.csv")
    answers.add_argument("--json", action="store_true")
    answers.set_defaults(handler=export_answers)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("--date is a day as YYYY-MM-DD, not “{text}”.").format(text=text)) from None


def _timezone(args: argparse.Namespace) -> str:
    if args.timezone:
        try:
            ZoneInfo(args.timezone)
        except (KeyError, ValueError):
            raise CommandError(_("Unknown time zone “{zone}”.").format(zone=args.timezone)) from None
        return str(args.timezone)
    try:
        return settings.load(data_dir_of(args)).venue_timezone
    except settings.SettingsError:
        return settings.Settings().venue_timezone


def show_takings(args: argparse.Namespace) -> int:
    day, zone = _day(args.date), _timezone(args)
    with open_writer(args).store.session() as session:
        found = takings.day_takings(session, day, zone)
    text = takings.as_text(found)
    if args.output:
        takings.write_csv(found, Path(args.output))
        text += "\n" + _("Written to {file}").format(file=args.output)
    emit(args, found.to_json(), text)
    return 0


def _event_text(overview: event_overview.EventOverview) -> str:
    zone = ZoneInfo(overview.timezone)
    closes = overview.sales_close_at.astimezone(zone).strftime("%d.%m.%Y %H:%M") if overview.sales_close_at else "—"
    lines = [overview.name,
             _("Status: {status} · Visibility: {visibility} · End of sales: {time}").format(
                 status=_(EVENT_STATUSES.get(overview.status, overview.status)),
                 visibility=_(VISIBILITIES.get(overview.visibility, overview.visibility)), time=closes),
             _("Door access code: {code}").format(code=overview.door_access_code or "—"),
             _("{tickets} sold in {orders} · {total}").format(
                 tickets=ngettext("{n} ticket", "{n} tickets", overview.sold).format(n=overview.sold),
                 orders=ngettext("{n} order", "{n} orders", overview.orders).format(n=overview.orders),
                 total=format_money(overview.revenue_minor, overview.currency))]
    lines += [f"  {r.name}: {r.sold} · {format_money(r.revenue_minor, overview.currency)}" for r in overview.rates]
    lines += ["  " + _("{date}: {sold} of {capacity} sold, {admitted} admitted").format(
        date=d.starts_at.astimezone(zone).strftime("%d.%m.%Y %H:%M"), sold=d.sold, capacity=d.capacity,
        admitted=d.checked_in) for d in overview.dates]
    return "\n".join(lines)


def show_event(args: argparse.Namespace) -> int:
    with open_writer(args).store.session() as session:
        overview = event_overview.event_overview(session, event_overview.find_event(session, args.event))
    emit(args, overview.to_json(), _event_text(overview))
    return 0


def export_answers(args: argparse.Namespace) -> int:
    path = Path(args.output)
    with open_writer(args).store.session() as session:
        count = customers.export_answers(session, event_overview.find_event(session, args.event), path)
    emit(args, {"orders": count, "file": str(path)},
         ngettext("{n} order written to {file}", "{n} orders written to {file}", count).format(n=count, file=path))
    return 0
