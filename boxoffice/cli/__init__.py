"""The `boxoffice` command: no arguments opens the window; subcommands work headless."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

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


def build_parser() -> argparse.ArgumentParser:
    from boxoffice.cli import contacts, decode, demo, door, events, passes, printing, reports, sync

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS,
                        help=_("data directory (default: the one chosen in Settings)"))
    parser = argparse.ArgumentParser(prog="boxoffice", parents=[common],
                                     description=_("Offline-first box office. Without a command, opens the app."))
    parser.add_argument("--version", action="version", version=f"boxoffice {__version__}")
    parser.add_argument("--language", choices=sorted(i18n.LANGUAGES), help=_("interface language"))
    parser.add_argument("--log-level", choices=logs.LEVELS, type=str.upper, default=argparse.SUPPRESS,
                        help=_("what the log file records (default: INFO, or BOXOFFICE_LOG_LEVEL)"))
    parser.add_argument("--smoke-test", action="store_true",
                        help=_("open the window, say when it is painted, and quit"))
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
    parser = build_parser()
    args = parser.parse_args(argv)
    _set_language(args)
    try:
        logs.start_logging("boxoffice", getattr(args, "log_level", None))
    except OSError as exc:
        print(_("warning: no log file: {message}").format(message=exc), file=sys.stderr)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        if args.command:
            parser.parse_args([*(argv or sys.argv[1:]), "--help"])
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
