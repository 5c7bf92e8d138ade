"""`boxoffice enroll` and `boxoffice sync`: pair this copy with a server and replicate."""

from __future__ import annotations

import argparse
import socket
import time
from typing import Any

from boxoffice.cli import CommandError, data_dir_of, emit, open_writer
from boxoffice.i18n import _
from boxoffice.password_input import add_password_options, read_password
from boxoffice.store.engine import wipe_store

PASSWORD_ENV = "BOXOFFICE_PASSWORD"


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    enroll = commands.add_parser("enroll", parents=[common], help=_("pair this copy with a sync server"))
    enroll.add_argument("--server", required=True, metavar="URL")
    enroll.add_argument("--code", help=_("organizer code, profile code, or the pairing QR's text"))
    enroll.add_argument("--email", help=_("log in with an account instead of a code"))
    add_password_options(enroll, PASSWORD_ENV)
    enroll.add_argument("--role", choices=["door", "desk", "organizer"])
    enroll.add_argument("--name", default=socket.gethostname(), help=_("this device's name"))
    enroll.add_argument("--dates", default="", metavar="ID,...", help=_("dates a door or desk replicates"))
    enroll.add_argument("--json", action="store_true")
    enroll.set_defaults(handler=enroll_device)
    sync = commands.add_parser("sync", parents=[common], help=_("push local changes and pull the server's"))
    sync.add_argument("--once", action="store_true", help=_("one round, then exit (default: keep syncing)"))
    sync.add_argument("--interval", type=float, default=5.0, help=_("seconds between rounds"))
    sync.add_argument("--json", action="store_true")
    sync.set_defaults(handler=sync_now)


def enroll_device(args: argparse.Namespace) -> int:
    from sync.client import SyncClient, SyncError

    if not args.code and not args.email:
        raise CommandError(_("give --code, or --email with the account's password"))
    password = None
    if args.email:
        password = read_password(args.password_file, PASSWORD_ENV, _("Password for {email}: ").format(email=args.email))
    client = SyncClient(open_writer(args))
    dates = [d for d in args.dates.split(",") if d] or None
    try:
        answer = client.enroll(args.server, args.code, args.name, args.role, dates, args.email, password)
    except SyncError as exc:
        raise CommandError(_("enrollment failed: {reason}").format(reason=exc)) from exc
    emit(args, {"device_id": answer["device_id"], "role": answer["role"], "organizer": answer["organizer_name"],
                "scopes": answer["scopes"]},
         _("Paired with {organizer} as a {role} device.").format(organizer=answer["organizer_name"],
                                                                 role=answer["role"]))
    return 0


def sync_now(args: argparse.Namespace) -> int:
    from sync.client import Offline, Revoked, SyncClient, SyncError

    writer = open_writer(args)
    client = SyncClient(writer)
    while True:
        try:
            report = client.sync_once()
            payload = {"pushed": report.pushed, "pulled": report.pulled, "pending": report.pending, "online": True}
        except Offline:
            payload = {"pushed": 0, "pulled": 0, "pending": client.pending(), "online": False}
        except Revoked as exc:
            writer.store.close()
            wipe_store(data_dir_of(args))
            raise CommandError(_("this device was revoked by the organizer; its local copy was wiped ({reason})")
                               .format(reason=exc)) from exc
        except SyncError as exc:
            raise CommandError(str(exc)) from exc
        emit(args, payload, _("pushed {pushed}, pulled {pulled}, {pending} waiting, {state}").format(
            **payload, state=_("online") if payload["online"] else _("offline")))
        if args.once:
            return 0
        time.sleep(args.interval)
