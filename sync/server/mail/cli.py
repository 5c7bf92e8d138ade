"""`boxoffice-server smtp` (mail settings) and `boxoffice-server send-mail` (a sender-only worker)."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import OperationalError

from boxoffice.password_input import add_password_options, read_password
from sync.server.database import Database, upgrade
from sync.server.mail import bounces
from sync.server.mail import settings as mail_settings
from sync.server.mail.dkim import SECRETS_ENV, DkimKeys
from sync.server.mail.sender import MailSender
from sync.server.mail.smtp_password import PASSWORD_ENV as SMTP_PASSWORD_ENV

COMMANDS = ("smtp", "send-mail", "dkim", "bounce")
# sysexits.h: what a mail server's pipe transport understands (75: keep the message and try again later).
EX_TEMPFAIL, EX_CONFIG = 75, 78


def add_commands(commands: Any, default_db: str) -> None:
    """Add the mail commands to the `boxoffice-server` sub-parsers."""
    smtp = commands.add_parser("smtp", help="show or set the SMTP relay and the public URL of the RSVP links")
    smtp.add_argument("--db", default=default_db)
    smtp.add_argument("--host")
    smtp.add_argument("--port", type=int)
    smtp.add_argument("--tls", choices=mail_settings.TLS_MODES)
    smtp.add_argument("--user")
    add_password_options(smtp, SMTP_PASSWORD_ENV)  # read when --user or --password-file is given
    smtp.add_argument("--public-url", help="where guests reach this server, e.g. https://rsvp.example.org")
    smtp.add_argument("--no-reply", help="the From of organizers whose domain does not allow us (G4)")
    smtp.add_argument("--spf-include", help="the SPF include organizers add to send as themselves")
    smtp.add_argument("--bounce-address", help="the mailbox bounces come back to, read by `bounce` (each message "
                                               "goes out from address+<message id>); '' sends them to the From")
    send = commands.add_parser("send-mail", help="run only the mail sender (serve runs one too, unless --no-mail)")
    send.add_argument("--db", default=default_db)
    send.add_argument("--once", action="store_true", help="send what is due now, print what happened, stop")
    send.add_argument("--interval", type=float, default=5.0, help="seconds between passes")
    dkim = commands.add_parser("dkim", help="make a sending domain's DKIM key if missing, print its record")
    dkim.add_argument("domain", help="the domain of the From address, e.g. boxoffice.app")
    dkim.add_argument("--secrets", type=Path, help=f"the server's secrets folder (default: ${SECRETS_ENV} or the "
                                                   "server's configuration folder)")


    bounce = commands.add_parser("bounce", help="read returned messages (a mail server's pipe, or files) and mark "
                                                "their guests bounced; prints one JSON line per message")
    bounce.add_argument("--db", default=default_db)
    bounce.add_argument("files", nargs="*", type=Path, help="messages as files (default: one message on stdin)")


def run(args: argparse.Namespace) -> int:
    if args.command == "dkim":
        return _dkim(args)
    db = Database(args.db)
    upgrade(db.engine)
    if args.command == "bounce":
        return _bounce(db, args)
    return _smtp(db, args) if args.command == "smtp" else _send(db, args)


def _smtp(db: Database, args: argparse.Namespace) -> int:
    with db.session() as session:
        current = mail_settings.load_smtp(session)
        if args.host or args.port or args.tls or args.user is not None or args.password_file:
            password = None
            if args.user or args.password_file:
                password = read_password(args.password_file, SMTP_PASSWORD_ENV,
                                         f"SMTP password for {args.user or current.user}: ")
            mail_settings.save_smtp(session, mail_settings.SmtpSettings(
                host=args.host or current.host, port=args.port or current.port, tls=args.tls or current.tls,
                user=current.user if args.user is None else args.user,
                password=current.password if password is None else password, timeout=current.timeout))
        if args.public_url:
            mail_settings.save_public_url(session, args.public_url)
        mail_settings.save_sender(session, args.no_reply, args.spf_include, args.bounce_address)
        session.commit()
        shown = mail_settings.load(session)
    smtp = asdict(shown.smtp) | {"password": "***" if shown.smtp.password else ""}
    print(json.dumps({"smtp": smtp, "public_url": shown.public_url, "no_reply": shown.no_reply,
                      "spf_include": shown.spf_include, "bounce_address": shown.bounce_address}, indent=2))
    return 0


def _send(db: Database, args: argparse.Namespace) -> int:
    sender = MailSender(db, interval=args.interval)
    if args.once:
        report = sender.run_once()
        print(json.dumps({"released": report.released, "refused": report.refused, **report.counts}))
        return 0
    stopped = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda _sig, _frame: stopped.set())
    sender.start()
    stopped.wait()
    sender.stop()
    return 0


def _bounce(db: Database, args: argparse.Namespace) -> int:
    with db.session() as session:
        address = mail_settings.load(session).bounce_address
    if not address:
        print("no bounce address is set: boxoffice-server smtp --bounce-address bounces@your.domain", file=sys.stderr)
        return EX_CONFIG
    messages = [(str(path), path.read_bytes()) for path in args.files] or [("stdin", sys.stdin.buffer.read())]
    try:
        for source, data in messages:
            report = bounces.apply(db, bounces.parse(data, address), datetime.now(UTC))
            print(json.dumps({"source": source, "result": report.verdict, "message": report.message_id,
                              "reason": report.reason}), flush=True)
    except OperationalError as exc:  # the database is down: the mail server keeps the message for later
        print(f"the database cannot be reached, try again later: {exc}", file=sys.stderr)
        return EX_TEMPFAIL
    return 0


def _dkim(args: argparse.Namespace) -> int:
    """Print the TXT record to publish: its name on the first line, its value on the second."""
    record = DkimKeys(args.secrets).ensure(args.domain)
    print(record.name)
    print(record.value)
    return 0
