"""`boxoffice print …` and `boxoffice printers`: badges, passes and tickets to a printer or a PDF file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from boxoffice.cli import CommandError, data_dir_of, emit, open_writer
from boxoffice.i18n import _
from boxoffice.services import print_setup
from boxoffice.services.print_jobs import PrinterBackend, print_items, render_items
from boxoffice.services.print_records import items_for_order
from printing.errors import PrintError
from printing.status import PrinterStatus
from printing.system import system_printers

WHATS = ("badge", "pass", "ticket")


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    cmd = commands.add_parser("print", parents=[common], help=_("print the badges, passes or tickets of an order"),
                              description=_("Prints to a printer (CUPS or the Windows spooler) or writes a PDF. "
                                            "A card printed before is skipped unless --reprint is given. "
                                            "The CUPS server can be chosen with the CUPS_SERVER variable."))
    cmd.add_argument("what", choices=WHATS)
    cmd.add_argument("--order", required=True, metavar="NUMBER", help=_("order number, e.g. D-100001"))
    target = cmd.add_mutually_exclusive_group()
    target.add_argument("--printer", metavar="NAME", help=_("printer (default: the one assigned to this kind)"))
    target.add_argument("-o", "--output", type=Path, metavar="FILE.pdf", help=_("write a PDF file instead"))
    cmd.add_argument("--profile", metavar="NAME", help=_("printer profile (default: the printer's own)"))
    cmd.add_argument("--layout", metavar="NAME", help=_("layout (default: the profile's or the built-in one)"))
    cmd.add_argument("--reprint", action="store_true", help=_("print again what was printed before"))
    cmd.add_argument("--json", action="store_true")
    cmd.set_defaults(handler=print_order)
    printers = commands.add_parser("printers", parents=[common],
                                   help=_("list printers with their state, queue and profile"))
    printers.add_argument("--json", action="store_true")
    printers.set_defaults(handler=show_printers)


def backend() -> PrinterBackend:
    """The platform's spooler; tests point CUPS elsewhere with the CUPS_SERVER variable."""
    return system_printers()


def print_order(args: argparse.Namespace) -> int:
    data_dir = data_dir_of(args)
    writer = open_writer(args)
    with writer.store.session() as session:
        items = items_for_order(session, args.order, args.what)
    if args.output is not None:
        profile = print_setup.find_profile(data_dir, args.profile) if args.profile else None
        layout = print_setup.layout_for(data_dir, args.what, profile, args.layout)
        args.output.write_bytes(_safely(lambda: render_items(layout, items, args.order)))
        emit(args, {"order": args.order, "what": args.what, "file": str(args.output), "pages": len(items)},
             _("{pages} pages written to {file}").format(pages=len(items), file=args.output))
        return 0
    printer = args.printer or print_setup.printer_for(data_dir, args.what)
    if not printer:
        raise CommandError(_("No printer is assigned to print {what}: give --printer NAME or -o FILE.pdf.").format(
            what=args.what))
    profile = print_setup.profile_for(data_dir, args.what, printer, args.profile)
    layout = print_setup.layout_for(data_dir, args.what, profile, args.layout)
    report = print_items(writer, backend(), items, printer, profile, layout, reprint=args.reprint)
    emit(args, {"order": args.order, "what": args.what, "printer": printer, "profile": profile.name,
                **report.to_dict()}, report.summary())
    if report.error:
        raise CommandError(report.error)
    return 0


def _safely(make: Any) -> Any:
    """Run a printing call, turning its failure into a plain-words command error."""
    try:
        return make()
    except PrintError as error:
        raise CommandError(str(error)) from None


def _printer_row(status: PrinterStatus, data_dir: Path) -> dict[str, Any]:
    profile = print_setup.profile_for_printer(data_dir, status.name)
    return {"name": status.name, "state": status.state.value, "message": status.message,
            "reasons": list(status.reasons), "queued_jobs": status.queued_jobs,
            "accepting_jobs": status.accepting_jobs, "out_of_cards": status.out_of_cards,
            "make_and_model": status.make_and_model, "profile": profile.name if profile else None}


def show_printers(args: argparse.Namespace) -> int:
    data_dir = data_dir_of(args)
    statuses = _safely(lambda: backend().printers())
    rows = [_printer_row(status, data_dir) for status in statuses]
    lines = [_("{name}\t{state}\t{queued} waiting\t{profile}").format(
        name=r["name"], state=r["state"] + (f" ({r['message']})" if r["message"] else ""), queued=r["queued_jobs"],
        profile=r["profile"] or _("no profile")) for r in rows]
    emit(args, {"printers": rows}, "\n".join(lines) or _("No printers found."))
    return 0
