"""`boxoffice demo`: fill a data directory with the demo venue."""

from __future__ import annotations

import argparse
from typing import Any

from boxoffice.cli import emit, open_writer
from boxoffice.i18n import _
from boxoffice.services.demo import create_demo, has_demo


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    cmd = commands.add_parser("demo", parents=[common], help=_("fill the data directory with a demo venue"))
    cmd.add_argument("--tickets", type=int, default=2000, help=_("number of sold tickets (default 2000)"))
    cmd.add_argument("--json", action="store_true")
    cmd.set_defaults(handler=make_demo)


def make_demo(args: argparse.Namespace) -> int:
    writer = open_writer(args)
    with writer.transaction() as work:
        if has_demo(work):
            emit(args, {"created": False}, _("The demo venue is already in this data directory."))
            return 0
        summary = create_demo(work, tickets=args.tickets)
    emit(args, {"created": True, "events": summary.events, "dates": summary.dates, "tickets": summary.tickets,
                "contacts": summary.contacts},
         _("Demo venue created: {events} events, {dates} dates, {tickets} tickets, {contacts} contacts.").format(
             events=summary.events, dates=summary.dates, tickets=summary.tickets, contacts=summary.contacts))
    return 0
