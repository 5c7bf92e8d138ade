"""The `boxoffice` command: no arguments opens the window; subcommands work headless."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from boxoffice import __version__, i18n, logs, settings
from boxoffice.i18n import _

if TYPE_CHECKING:
    from boxoffice.mutations.unit_of_work import Writer


class CommandError(Exception):
    """A command failed for a reason the user can act on; printed without a traceback."""


Handler = Callable[[argparse.Namespace], int]


def data_dir_of(args: argparse.Namespace) -> Path:
    chosen = getattr(args, "data_dir", None)
    return Path(chosen).expanduser() if chosen else settings.default_data_dir()


def emit(args: argparse.Namespace, payload: Any, text: str) -> None:
    """Print `payload` as one JSON object with --json, else the human `text`."""
    if getattr(args, "json", False):
        print(json.dumps(payload, ensure_ascii=False))
    else:
        print(text)


def open_writer(args: argparse.Namespace) -> Writer:
    """The store of the chosen data directory, migrated, with its single writer."""
    from boxoffice.mutations.unit_of_work import Writer
    from boxoffice.store.engine import open_store

    return Writer(open_store(data_dir_of(args)))


class _NotTheWindow(Exception):
    """The arguments are not the window's alone: the full parser (with every command) reads them."""


class _WindowParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _NotTheWindow(message)


def _options(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The options of the window itself, shared by the full parser and the window's quick one."""
    parser.add_argument("--version", action="version", version=f"boxoffice {__version__}")
    parser.add_argument("--language", choices=sorted(i18n.LANGUAGES), help=_("interface language"))
    parser.add_argument("--log-level", choices=logs.LEVELS, type=str.upper, default=argparse.SUPPRESS,
                        help=_("what the log file records (default: INFO, or BOXOFFICE_LOG_LEVEL)"))
    parser.add_argument("--smoke-test", action="store_true",
                        help=_("open the window, say when it is painted, and quit"))
    return parser


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS,
                        help=_("data directory (default: the one chosen in Settings)"))
    return common


def window_args(argv: Sequence[str]) -> argparse.Namespace | None:
    """The arguments when they only open the window, else None.

    Opening the window must not import every command's services (SQLAlchemy, OpenCV, reportlab: over a
    second, measured in benchmarks/startup.py), so it is read without the commands' parsers. Anything
    this parser does not know (a command, --help, a wrong value) goes to the full parser, which says so.
    """
    try:
        args = _options(_WindowParser(prog="boxoffice", parents=[_common()], add_help=False)).parse_args(argv)
    except _NotTheWindow:
        return None
    args.command, args.handler = None, None
    return args


def build_parser() -> argparse.ArgumentParser:
    from boxoffice.cli import contacts, decode, demo, door, events, passes, printing, reports, sync

    common = _common()
    parser = argparse.ArgumentParser(prog="boxoffice", parents=[common],
                                     description=_("Offline-first box office. Without a command, opens the app."))
    _options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    contacts.register(commands, common)
    sync.register(commands, common)
    demo.register(commands, common)
    printing.register(commands, common)
    door.register(commands, common)
    decode.register(commands, common)
    events.register(commands, common)
    passes.register(commands, common)
    reports.register(commands, common)
    return parser


def _set_language(args: argparse.Namespace) -> None:
    language = getattr(args, "language", None)
    if not language:
        try:
            language = settings.load(data_dir_of(args)).effective_language()
        except settings.SettingsError:
            language = i18n.system_language()
    i18n.set_language(language)


def main(argv: Sequence[str] | None = None) -> int:
    i18n.set_language(i18n.system_language())
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = window_args(arguments)
    parser = None
    if args is None:
        parser = build_parser()
        args = parser.parse_args(arguments)
    _set_language(args)
    try:
        logs.start_logging("boxoffice", getattr(args, "log_level", None))
    except OSError as exc:
        print(_("warning: no log file: {message}").format(message=exc), file=sys.stderr)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        if args.command and parser is not None:
            parser.parse_args([*arguments, "--help"])
        from boxoffice.app import run_app

        return run_app(data_dir_of(args), getattr(args, "language", None), args.smoke_test)
    try:
        return handler(args)
    except CommandError as exc:
        print(_("error: {message}").format(message=exc), file=sys.stderr)
        return 1
    except (ValueError, OSError) as exc:
        # Services raise ValueError subclasses with plain-words messages.
        print(_("error: {message}").format(message=exc), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
