"""`boxoffice contacts …` and `boxoffice lists …`: contact lists from the command line."""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path
from typing import Any

from boxoffice.cli import CommandError, emit, open_writer
from boxoffice.i18n import _, ngettext
from boxoffice.services import contacts, list_merge
from boxoffice.services.column_mapping import CUSTOM_PREFIX, EMAIL, FIRST_NAME, IGNORE, LAST_NAME
from boxoffice.services.contact_export import export_list
from boxoffice.services.contact_import import Consent, apply_import, consent_terms, plan_import
from boxoffice.services.csv_files import DELIMITER_NAMES, read_csv_file


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    group = commands.add_parser("contacts", parents=[common], help=_("import, export and add contacts"))
    sub = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    imp = sub.add_parser("import", parents=[common], help=_("import a CSV file into a list"),
                         description=_("Running this command records that you accept the consent terms: {terms}")
                         .format(terms=consent_terms()))
    imp.add_argument("file", type=Path)
    imp.add_argument("--list", required=True, dest="list_name", help=_("target list (created if missing)"))
    imp.add_argument("--dry-run", action="store_true", help=_("show what would happen; write nothing"))
    imp.add_argument("--map", action="append", default=[], metavar="COLUMN=FIELD",
                     help=_("map a column (header or 1-based number) to email, first_name, last_name, "
                            "ignore or custom:NAME"))
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(handler=import_contacts)
    exp = sub.add_parser("export", parents=[common], help=_("export a list as CSV"))
    exp.add_argument("--list", required=True, dest="list_name")
    exp.add_argument("-o", "--output", required=True, type=Path)
    exp.add_argument("--delimiter", choices=[",", ";", "tab"], default=",")
    exp.set_defaults(handler=export_contacts)
    add = sub.add_parser("add", parents=[common], help=_("add one contact to a list"))
    add.add_argument("email")
    add.add_argument("--list", required=True, dest="list_name")
    add.add_argument("--first-name", default="")
    add.add_argument("--last-name", default="")
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=add_contact)
    _register_lists(commands, common)


def _register_lists(commands: Any, common: argparse.ArgumentParser) -> None:
    group = commands.add_parser("lists", parents=[common], help=_("show and manage contact lists"))
    group.add_argument("--json", action="store_true")
    group.set_defaults(handler=show_lists)
    sub = group.add_subparsers(dest="action", metavar="ACTION")
    merge = sub.add_parser("merge", parents=[common], help=_("merge OTHER into KEEP, then archive OTHER"))
    merge.add_argument("keep")
    merge.add_argument("other")
    merge.add_argument("--dry-run", action="store_true")
    merge.add_argument("--json", action="store_true")
    merge.set_defaults(handler=merge_lists)
    for name, helptext in (("create", _("create a list")), ("archive", _("archive a list")),
                           ("restore", _("restore an archived list"))):
        cmd = sub.add_parser(name, parents=[common], help=helptext)
        cmd.add_argument("name")
        cmd.set_defaults(handler=change_list, change=name)
    for name, helptext in (("rename", _("rename a list")), ("duplicate", _("copy a list under a new name"))):
        cmd = sub.add_parser(name, parents=[common], help=helptext)
        cmd.add_argument("name")
        cmd.add_argument("new_name")
        cmd.set_defaults(handler=change_list, change=name)


def _parse_mapping(pairs: list[str], header: list[str]) -> dict[int, str] | None:
    if not pairs:
        return None
    from boxoffice.services.column_mapping import guess_mapping

    mapping = guess_mapping(header)
    lowered = [h.lower() for h in header]
    for pair in pairs:
        column, sep, target = pair.partition("=")
        if not sep:
            raise CommandError(_("--map wants COLUMN=FIELD, got “{pair}”").format(pair=pair))
        if column.isdigit():
            index = int(column) - 1
        elif column.lower() in lowered:
            index = lowered.index(column.lower())
        else:
            raise CommandError(_("--map: the file has no column “{column}”").format(column=column))
        if target in (EMAIL, FIRST_NAME, LAST_NAME):
            for i, t in list(mapping.items()):
                if t == target:
                    mapping[i] = IGNORE
        if target not in (EMAIL, FIRST_NAME, LAST_NAME, IGNORE) and not target.startswith(CUSTOM_PREFIX):
            target = CUSTOM_PREFIX + target
        mapping[index] = target
    return mapping


def import_contacts(args: argparse.Namespace) -> int:
    csv_file = read_csv_file(args.file)
    writer = open_writer(args)
    with writer.transaction() as work:
        existing = contacts.find_list(work.session, args.list_name)
        list_id = existing.id if existing else None
        plan = plan_import(work.session, csv_file, list_id, _parse_mapping(args.map, csv_file.header))
        imported = len(plan.contacts)
        if not args.dry_run:
            consent = Consent(accepted_by=f"{getpass.getuser()}@{writer.actor}", accepted=True)
            list_id, imported = apply_import(work, plan, list_id, args.list_name, consent)
    report = plan.report(imported)
    verb = _("would import") if args.dry_run else _("imported")
    emit(args, report, _("{file}: {rows} rows, {verb} {imported}, {invalid} invalid, {dups} duplicates "
                         "({encoding}, {delimiter})").format(
        file=args.file, rows=report["rows"], verb=verb, imported=imported, invalid=len(plan.invalid),
        dups=len(plan.duplicates), encoding=report["encoding"], delimiter=DELIMITER_NAMES[csv_file.delimiter])
        + "".join("\n  " + _("row {row} (line {line}): {reason}").format(**p) for p in report["invalid"])
        + "".join("\n  " + _("row {row} (line {line}): {email}: {reason}").format(**d)
                  for d in report["duplicates"]))
    return 0


def export_contacts(args: argparse.Namespace) -> int:
    writer = open_writer(args)
    with writer.store.session() as session:
        the_list = contacts.list_by_name(session, args.list_name)
        count = export_list(session, the_list.id, args.output, "\t" if args.delimiter == "tab" else args.delimiter)
    print(ngettext("{count} contact written to {file}", "{count} contacts written to {file}", count).format(
        count=count, file=args.output))
    return 0


def add_contact(args: argparse.Namespace) -> int:
    writer = open_writer(args)
    with writer.transaction() as work:
        the_list = contacts.list_by_name(work.session, args.list_name)
        contact_id = contacts.add_contact(work, the_list.id, args.email, args.first_name, args.last_name)
    emit(args, {"id": contact_id, "email": args.email}, _("{email} added").format(email=args.email))
    return 0


def show_lists(args: argparse.Namespace) -> int:
    writer = open_writer(args)
    with writer.store.session() as session:
        rows = contacts.list_summaries(session)
    payload = [{"id": r.id, "name": r.name, "contacts": r.contacts, "archived": r.archived,
                "created_at": r.created_at.isoformat(), "custom_fields": r.custom_fields} for r in rows]
    text = "\n".join(f"{r.name}\t{r.contacts}" + ("\t" + _("archived") if r.archived else "") for r in rows)
    emit(args, {"lists": payload}, text or _("No contact lists yet."))
    return 0


def change_list(args: argparse.Namespace) -> int:
    writer = open_writer(args)
    with writer.transaction() as work:
        if args.change == "create":
            contacts.create_list(work, args.name)
        else:
            target = contacts.list_by_name(work.session, args.name).id
            if args.change == "archive":
                contacts.archive_list(work, target)
            elif args.change == "restore":
                contacts.restore_list(work, target)
            elif args.change == "rename":
                contacts.rename_list(work, target, args.new_name)
            else:
                contacts.duplicate_list(work, target, args.new_name)
    print(_("done"))
    return 0


def merge_lists(args: argparse.Namespace) -> int:
    writer = open_writer(args)
    with writer.transaction() as work:
        keep = contacts.list_by_name(work.session, args.keep)
        other = contacts.list_by_name(work.session, args.other)
        if args.dry_run:
            preview = list_merge.preview_merge(work.session, keep.id, other.id)
        else:
            preview = list_merge.merge_lists(work, keep.id, other.id)
    report = {"keep": keep.name, "other": other.name, "dry_run": args.dry_run, **preview.report()}
    emit(args, report, _("{added} added, {dups} duplicates, {conflicts} conflicting fields").format(
        added=len(preview.added), dups=len(preview.duplicates), conflicts=len(preview.conflicts))
        + "".join("\n  " + _("{email}: {field} stays “{kept}” (other list: “{other}”)").format(**c)
                  for c in report["conflicts"]))
    return 0
