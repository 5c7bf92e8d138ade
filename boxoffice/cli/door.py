# SPDX-License-Identifier: AGPL-3.0-or-later
"""`boxoffice scan`, `boxoffice tickets` and `boxoffice door-list`: door control without the window."""

from __future__ import annotations

import argparse
import json
import socket
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from boxoffice import settings
from boxoffice.cli import CommandError, data_dir_of, open_writer
from boxoffice.i18n import _, ngettext
from boxoffice.services import door
from boxoffice.services.door import MODES, DoorSetup, Verdict
from boxoffice.services.door_listing import each_holder
from boxoffice.services.door_lists import ListedHolder, default_ids, door_choices, list_holders, make_setup


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    scan = commands.add_parser(
        "scan", parents=[common], help=_("check ticket or invitation codes as the door would"),
        description=_("Decide on each CODE as a door does, offline, and record the check-in. Without --date "
                      "and --event the door admits the dates and guest events of today (venue time), or of "
                      "the next day that has any, as a door set up the evening before expects."))
    scan.add_argument("codes", nargs="+", metavar="CODE")
    scan.add_argument("--mode", choices=MODES, default="normal",
                      help=_("normal: admitted once; entry/exit: holders go out and back in; multi: never "
                             "refused for having come in before (default normal)"))
    scan.add_argument("--zone", action="append", default=[], metavar="Z",
                      help=_("admit only this zone (id or name); repeat for several"))
    scan.add_argument("--door", default=None, help=_("this door's name (default: Settings, else the computer name)"))
    scan.add_argument("--date", action="append", default=[], metavar="ID", help=_("a date to admit; repeatable"))
    scan.add_argument("--event", action="append", default=[], metavar="ID",
                      help=_("an event to admit (all its dates unless --date names some); repeatable"))
    scan.add_argument("--quick-cancel", action="store_true",
                      help=_("put printed unsold tickets back on sale instead of admitting"))
    scan.add_argument("--json", action="store_true", help=_("one JSON object per code"))
    scan.set_defaults(handler=scan_codes)
    _register_lists(commands, common)


def _register_lists(commands: Any, common: argparse.ArgumentParser) -> None:
    tickets = commands.add_parser("tickets", parents=[common], help=_("list tickets and guests with their codes"))
    tickets.add_argument("--event", default=None, metavar="E", help=_("only this event"))
    tickets.add_argument("--date", default=None, metavar="D", help=_("only this date"))
    tickets.add_argument("--json", action="store_true", help=_("one JSON object per ticket or guest"))
    tickets.set_defaults(handler=show_tickets)
    printed = commands.add_parser("door-list", parents=[common],
                                  help=_("print the door's fallback list of names as a PDF"))
    printed.add_argument("--date", action="append", default=[], metavar="D", required=True,
                         help=_("the date (or guest event) to list; repeatable"))
    printed.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.pdf")
    printed.set_defaults(handler=print_door_list)


def _timezone(args: argparse.Namespace) -> str:
    try:
        return settings.load(data_dir_of(args)).venue_timezone
    except settings.SettingsError:
        return settings.Settings().venue_timezone


def _door_name(args: argparse.Namespace) -> str:
    if args.door:
        return str(args.door)
    try:
        chosen = settings.load(data_dir_of(args)).door_name
    except settings.SettingsError:
        chosen = ""
    return chosen or socket.gethostname() or _("Door")


def _setup(session: Session, args: argparse.Namespace) -> DoorSetup:
    timezone = _timezone(args)
    ids = list(args.date) + list(args.event)
    if not ids:
        ids = default_ids(session, timezone)
        if not ids:
            raise CommandError(_("No date today or later: choose one with --date or --event."))
    zones = _zone_ids(session, args.zone)
    return make_setup(session, ids, mode=args.mode, zone_ids=zones, door=_door_name(args),
                      quick_cancel=args.quick_cancel, timezone=timezone)


def _zone_ids(session: Session, wanted: list[str]) -> frozenset[str]:
    zones = door_choices(session).zones
    found: set[str] = set()
    for name in wanted:
        matches = {z[0] for z in zones if name in (z[0],) or z[2].casefold() == name.casefold()}
        if not matches:
            raise CommandError(_("There is no zone “{zone}”.").format(zone=name))
        found |= matches
    return frozenset(found)


def scan_codes(args: argparse.Namespace) -> int:
    writer = open_writer(args)
    with writer.store.session() as session:
        setup = _setup(session, args)
    for code in args.codes:
        with writer.transaction() as work:  # one transaction per scan, as at a real door
            verdict = door.check(work, setup, code)
        print(json.dumps(verdict.to_json(), ensure_ascii=False) if args.json else _describe(verdict))
    return 0


def _describe(verdict: Verdict) -> str:
    label = {"admitted": _("ADMITTED"), "refused": _("REFUSED"), "returned": _("BACK ON SALE")}[verdict.verdict]
    holder = verdict.holder
    details = ""
    if holder is not None:
        parts = [p for p in (holder.name, holder.rate_name, holder.zone_name, holder.order_number) if p]
        details = "  (" + ", ".join(parts) + ")" if parts else ""
    return f"{label}  {verdict.code}: {verdict.message}{details}"


def show_tickets(args: argparse.Namespace) -> int:
    timezone = _timezone(args)
    writer = open_writer(args)
    with writer.store.session() as session:
        events = [args.event] if args.event else None
        dates = [args.date] if args.date else None
        if dates is not None and events is None:
            events = []  # a date belongs to a ticketed event: no guests
        # Streamed: a million tickets are sorted by SQLite in temporary files, never held here.
        session.connection().exec_driver_sql("PRAGMA temp_store=FILE")
        listed = 0
        for row in each_holder(session, dates, events):
            print(json.dumps(row.to_json(timezone), ensure_ascii=False) if args.json else _ticket_line(row, timezone))
            listed += 1
    if not listed and not args.json:
        print(_("No tickets or guests."))
    return 0


def _ticket_line(row: ListedHolder, timezone: str) -> str:
    when = row.starts_at.astimezone(ZoneInfo(timezone)).strftime("%d.%m.%Y %H:%M") if row.starts_at else ""
    return "\t".join((row.name, row.event, when, row.zone, row.state, row.code))


def print_door_list(args: argparse.Namespace) -> int:
    from printing.lists import render_list

    timezone = _timezone(args)
    writer = open_writer(args)
    with writer.store.session() as session:
        setup = make_setup(session, args.date, timezone=timezone)
        rows = list_holders(session, setup.date_ids, setup.guest_event_ids)
    title = ", ".join(sorted({d.event_name for d in setup.dates} | _guest_event_names(writer, setup)))
    when = ", ".join(d.starts_at.astimezone(ZoneInfo(timezone)).strftime("%d.%m.%Y %H:%M") for d in setup.dates)
    columns = [_("Name"), _("Order"), _("Zone"), _("Rate"), _("State")]
    table = [[r.name, r.order_number, r.zone, r.rate, _STATE_WORDS().get(r.state, r.state)] for r in rows]
    pages = render_list(args.output, title or _("Door list"), columns, table,
                        subtitle=ngettext("{when} — {n} name", "{when} — {n} names", len(rows)).format(
                            when=when, n=len(rows)), widths=[4, 2, 2, 2, 1.5])
    print(_("{names} on {pages} written to {file}").format(
        names=ngettext("{n} name", "{n} names", len(rows)).format(n=len(rows)),
        pages=ngettext("{n} page", "{n} pages", pages).format(n=pages), file=args.output))
    return 0


def _guest_event_names(writer: Any, setup: DoorSetup) -> set[str]:
    with writer.store.session() as session:
        return {g[1] for g in door_choices(session).guest_events if g[0] in setup.guest_event_ids}


def _STATE_WORDS() -> dict[str, str]:
    return {"valid": "", "inside": _("inside"), "cancelled": _("cancelled"), "unsold": _("not sold"),
            "declined": _("declined"), "removed": _("removed"), "accepted": "", "pending": _("no answer")}
