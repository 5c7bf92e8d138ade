"""Passwords for commands: from a file, an environment variable or a prompt, never from the command line."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from boxoffice.i18n import _


class PasswordInputError(ValueError):
    """The password file cannot be read or holds no password."""


class _RefusedOnTheCommandLine(argparse.Action):
    """`--password VALUE` stopped with an explanation (and without repeating VALUE)."""

    def __init__(self, *args: Any, environment: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.environment = environment

    def __call__(self, parser: argparse.ArgumentParser, _namespace: argparse.Namespace,
                 _values: str | Sequence[Any] | None, _option: str | None = None) -> None:
        parser.error(_("--password is not accepted: every user of this computer sees a command's arguments, and "
                       "the shell keeps them in its history. Use --password-file FILE, the environment variable "
                       "{variable}, or type it when asked.").format(variable=self.environment))


def add_password_options(parser: argparse.ArgumentParser, environment: str) -> None:
    """`--password-file FILE` ("-" for standard input); `--password` kept only to say why it is refused."""
    parser.add_argument("--password-file", type=Path, metavar="FILE",
                        help=_("read the password from the first line of FILE (\"-\": standard input); else "
                               "from ${variable}, else it is asked for").format(variable=environment))
    # Without it argparse would take `--password X` as an abbreviation of --password-file.
    parser.add_argument("--password", nargs="?", help=argparse.SUPPRESS, action=_RefusedOnTheCommandLine,
                        environment=environment)


def read_password(password_file: Path | None, environment: str, prompt: str) -> str:
    """The password from `password_file`, else from the variable `environment`, else typed at a prompt."""
    if password_file is not None:
        return _from_file(password_file)
    given = os.environ.get(environment)
    if given:
        return given
    return getpass.getpass(prompt)


def _from_file(path: Path) -> str:
    try:
        text = sys.stdin.readline() if str(path) == "-" else path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PasswordInputError(_("the password file {file} cannot be read: {error}").format(
            file=path, error=exc)) from exc
    first = text.splitlines()[0] if text.splitlines() else ""
    if not first:
        raise PasswordInputError(_("the password file {file} has no password on its first line").format(file=path))
    return first
