# SPDX-License-Identifier: AGPL-3.0-or-later
"""`boxoffice passes …`: pass definitions, selling a pass, the pass-area link, resales and payouts (P1–P5)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from boxoffice.cli import CommandError, emit, open_writer
from boxoffice.i18n import _, ngettext
from boxoffice.model.passes import Pass
from boxoffice.money import format_money
from boxoffice.services import catalogue, passes, resale, sales
from boxoffice.services.pass_sales import PassSale, pass_area_link, sell_pass
from boxoffice.services.passes import PAYOUT_KINDS, holder_fields_of
from boxoffice.services.resale import STATUSES


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    group = commands.add_parser("passes", parents=[common], help=_("pass definitions, pass sales and resales"))
    group.add_argument("--json", action="store_true")
    group.set_defaults(handler=show_definitions)
    actions = group.add_subparsers(dest="passes_action", metavar="ACTION")
    create = actions.add_parser("create", parents=[common], help=_("create a pass definition"))
    create.add_argument("--name", required=True)
    create.add_argument("--event", action="append", required=True, metavar="NAME",
                        help=_("an event it admits (name or id); repeat for each event"))
    create.add_argument("--support", choices=sorted(passes.SUPPORTS), default="card")
    create.add_argument("--price", type=int, default=0, metavar="MINOR", help=_("price in centimes"))
    create.add_argument("--fixed-seats", action="store_true")
    create.add_argument("--field", action="append", default=[], metavar="NAME[*]",
                        help=_("a holder field to ask, * when required, e.g. last_name*; repeat for each field"))
    create.add_argument("--json", action="store_true")
    create.set_defaults(handler=create_definition)
    sell = actions.add_parser("sell", parents=[common], help=_("sell a pass at the desk"))
    sell.add_argument("--pass", dest="definition", required=True, metavar="NAME", help=_("pass name or id"))
    sell.add_argument("--holder", action="append", default=[], metavar="FIELD=VALUE",
                      help=_("a holder field, e.g. last_name=Rochat; repeat for each field"))
    sell.add_argument("--photo", type=Path, metavar="FILE", help=_("the holder's photo (JPEG or PNG)"))
    sell.add_argument("--seat", metavar="ID", help=_("the seat of a fixed-seat pass"))
    sell.add_argument("--payment", choices=sorted(sales.PAYMENT_METHODS), default="cash")
    sell.add_argument("--json", action="store_true")
    sell.set_defaults(handler=sell_a_pass)
    link = actions.add_parser("link", parents=[common], help=_("the holder's pass-area address"))
    link.add_argument("pass_id", metavar="PASS", help=_("pass id"))
    link.add_argument("--server", default="", metavar="URL",
                      help=_("the sync server's public address (default: the one this copy syncs with)"))
    link.set_defaults(handler=show_link, json=False)
    found = actions.add_parser("resales", parents=[common], help=_("resales and payouts; settle resold seats"))
    found.add_argument("-o", "--output", type=Path, metavar="FILE.csv", help=_("export them as CSV"))
    found.add_argument("--json", action="store_true")
    found.set_defaults(handler=show_resales)
    paid = actions.add_parser("mark-paid", parents=[common], help=_("record that a payout was transferred"))
    paid.add_argument("resale_id", metavar="RESALE", help=_("resale id"))
    paid.set_defaults(handler=mark_paid, json=False)


def _definition_json(definition: Any) -> dict[str, Any]:
    return {"id": definition.id, "name": definition.name, "support": definition.support,
            "events": list(definition.event_ids), "price_minor": definition.price_minor,
            "currency": definition.currency, "fixed_seats": definition.fixed_seats,
            "fields": [f.to_json() for f in holder_fields_of(definition)], "resale": dict(definition.resale or {})}


def show_definitions(args: argparse.Namespace) -> int:
    writer = open_writer(args)
    with writer.store.session() as session:
        found = [_definition_json(d) for d in passes.definitions(session)]
    lines = [f"{d['name']}  [{d['id']}]  {format_money(d['price_minor'], d['currency'])}  "
             + ", ".join(f["name"] + ("*" if f["required"] else "") for f in d["fields"]) for d in found]
    emit(args, {"passes": found}, "\n".join(lines) or _("No passes yet."))
    return 0


def create_definition(args: argparse.Namespace) -> int:
    writer = open_writer(args)
    with writer.transaction() as work:
        events = catalogue.events_of(work.session)
        event_ids = []
        for wanted in args.event:
            matches = [e.id for e in events if wanted in (e.id, e.name)]
            if len(matches) != 1:
                raise CommandError(_("There is no single event “{event}”.").format(event=wanted))
            event_ids += matches
        fields = [(f.rstrip("*"), f.endswith("*")) for f in args.field] or list(passes.DEFAULT_FIELDS)
        definition_id = passes.create_definition(work, args.name, event_ids, args.support, args.price,
                                                 args.fixed_seats, fields)
    emit(args, {"id": definition_id}, definition_id)
    return 0


def _holder(pairs: list[str]) -> dict[str, str]:
    holder = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals:
            raise CommandError(_("Give holder fields as FIELD=VALUE, not “{pair}”.").format(pair=pair))
        holder[name.strip()] = value
    return holder


def sell_a_pass(args: argparse.Namespace) -> int:
    writer = open_writer(args)
    with writer.store.session() as session:
        matches = [d for d in passes.definitions(session) if args.definition in (d.id, d.name)]
    if len(matches) != 1:
        raise CommandError(_("There is no single pass “{name}”.").format(name=args.definition))
    photo = args.photo.read_bytes() if args.photo else None
    with writer.transaction() as work:
        sold = sell_pass(work, PassSale(matches[0].id, _holder(args.holder), photo, args.seat, args.payment))
    emit(args, sold.to_json(), _("Pass sold: order {number}, {amount}.").format(
        number=sold.number, amount=format_money(sold.total_minor, sold.currency)))
    return 0


def show_link(args: argparse.Namespace) -> int:
    writer = open_writer(args)
    with writer.store.session() as session:
        if session.get(Pass, args.pass_id) is None:
            raise CommandError(_("There is no pass {id}.").format(id=args.pass_id))
        link = pass_area_link(session, args.pass_id, args.server)
    if link is None:
        raise CommandError(_("This copy is not paired with a server: give --server URL."))
    print(link)
    return 0


def show_resales(args: argparse.Namespace) -> int:
    """Settle the seats sold again since last time, then list every resale (or export them)."""
    writer = open_writer(args)
    with writer.transaction() as work:
        settled = resale.settle_resales(work)
    with writer.store.session() as session:
        if args.output is not None:
            count = resale.export_resales(session, args.output)
            emit(args, {"file": str(args.output), "resales": count, "settled": settled},
                 ngettext("{n} resale written to {file}", "{n} resales written to {file}", count).format(
                     n=count, file=args.output))
            return 0
        rows = resale.resales(session)
    payload = [{"id": r.id, "holder": r.holder, "pass": r.pass_name, "event": r.event,
                "date": r.starts_at.isoformat(), "seat": r.seat, "payout_kind": r.payout_kind, "iban": r.iban,
                "percentage": r.percentage, "sold_minor": r.sold_minor, "payout_minor": r.payout_minor,
                "currency": r.currency, "status": r.status} for r in rows]
    lines = [f"{r.holder} — {r.event} {r.starts_at:%d.%m.%Y} — {r.seat} — {_(PAYOUT_KINDS[r.payout_kind])} "
             f"{r.iban} — {format_money(r.payout_minor, r.currency)} — {_(STATUSES[r.status])}  [{r.id}]" for r in rows]
    emit(args, {"resales": payload, "settled": settled}, "\n".join(lines) or _("No resales yet."))
    return 0


def mark_paid(args: argparse.Namespace) -> int:
    writer = open_writer(args)
    with writer.transaction() as work:
        resale.mark_paid(work, args.resale_id)
    print(_("Payout recorded as paid."))
    return 0
