"""`boxoffice-server`: serve the sync API, create organizers and profile codes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import platformdirs
from sqlalchemy.orm import Session

from boxoffice import logs
from boxoffice.password_input import add_password_options, read_password
from boxoffice.store.private_files import private_folder
from sync.server import profile_cli
from sync.server.mail import cli as mail_cli

ACCOUNT_PASSWORD_ENV = "BOXOFFICE_ACCOUNT_PASSWORD"


def default_database() -> str:
    folder = Path(platformdirs.user_data_dir("boxoffice-server"))
    return f"sqlite:///{folder / 'server.sqlite3'}"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="boxoffice-server", description="The boxoffice sync server.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser("serve", help="run the HTTP API")
    serve.add_argument("--db", default=default_database(), help="SQLAlchemy URL (default: embedded SQLite)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--no-mail", action="store_true", help="do not run the mail sender in this process")
    serve.add_argument("--certfile", type=Path, help="serve HTTPS with this PEM certificate (its chain after it)")
    serve.add_argument("--keyfile", type=Path, help="the certificate's private key, PEM (default: in --certfile)")
    serve.add_argument("--log-level", choices=logs.LEVELS, type=str.upper, default=None,
                       help="what the log records (default: INFO, or BOXOFFICE_LOG_LEVEL)")
    serve.add_argument("--log-format", choices=logs.FORMATS, default="text",
                       help="text, or one JSON object a line for log collectors")
    serve.add_argument("--log-stderr", action="store_true", help="log to stderr as well as to the log file")
    init = commands.add_parser("init", help="create an organizer and print its organizer code")
    init.add_argument("--db", default=default_database())
    init.add_argument("--organizer", required=True, metavar="NAME")
    profile_cli.add_command(commands, default_database())
    account = commands.add_parser("account", help="create an account that logs devices in with email and password")
    account.add_argument("--db", default=default_database())
    account.add_argument("--organizer-code", required=True)
    account.add_argument("--email", required=True)
    add_password_options(account, ACCOUNT_PASSWORD_ENV)
    rotate = commands.add_parser("rotate-key", help="sign access tokens with a new key (the previous key's stay "
                                                    "valid until they expire); restart the servers after it")
    rotate.add_argument("--db", default=default_database())
    mail_cli.add_commands(commands, default_database())
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if getattr(args, "db", "").startswith("sqlite:///"):
        private_folder(Path(args.db.removeprefix("sqlite:///")).parent, tighten=False)
    if args.command == "serve":
        import uvicorn

        from sync.server.app import create_app
        from sync.server.tls import TlsFilesError, check_tls_files

        try:
            check_tls_files(args.certfile, args.keyfile)
        except TlsFilesError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        # uvicorn's own lines go through the same handlers; BOXOFFICE_LOG_DIR moves the file.
        path = logs.start_logging("boxoffice-server", args.log_level, args.log_format, console=args.log_stderr)
        print(f"logging to {path}", file=sys.stderr)
        uvicorn.run(create_app(args.db, send_mail=not args.no_mail), host=args.host, port=args.port,
                    log_config=None, access_log=False, ssl_certfile=args.certfile, ssl_keyfile=args.keyfile)
        return 0
    logs.start_logging("boxoffice-server")
    if args.command in (*mail_cli.COMMANDS, "profile"):
        try:
            return profile_cli.run(args) if args.command == "profile" else mail_cli.run(args)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    from sync.server import organizers
    from sync.server.database import Database, upgrade

    db = Database(args.db)
    upgrade(db.engine)
    try:
        with db.session() as session:
            if args.command == "init":
                _organizer, code = organizers.create_organizer(session, args.organizer)
                session.commit()
                print(code)
            elif args.command == "rotate-key":
                print(_rotate_key(session))
            elif args.command == "account":
                password = read_password(args.password_file, ACCOUNT_PASSWORD_ENV, f"Password for {args.email}: ")
                organizers.create_account(session, args.organizer_code.upper(), args.email, password)
                session.commit()
                print(args.email)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _rotate_key(session: Session) -> str:
    from sync.server import token_keys

    token_keys.load_keys(session)  # an older server's key moves out of the database first
    session.commit()
    token_keys.rotate_keys()
    return f"new token key in {token_keys.keys_path()}: restart every server process on this database"


if __name__ == "__main__":
    sys.exit(main())
