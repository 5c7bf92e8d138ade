"""The SMTP relay's password: $BOXOFFICE_SMTP_PASSWORD, else a 0600 file in the server's secrets folder.

Never in the database (server_settings keeps the relay's host, port, TLS mode and user): a copy of
the database (a backup, a dump) must not give away the relay's login. The variable wins over the
file, so a deployment that hands secrets through the environment never needs the file; every
server process on one database reads the same file, as for the token keys (sync/server/token_keys.py).
"""

from __future__ import annotations

import os
from pathlib import Path

from boxoffice.i18n import _
from boxoffice.store.private_files import FILE_MODE, private_folder
from sync.server.mail.dkim import secrets_folder

PASSWORD_ENV = "BOXOFFICE_SMTP_PASSWORD"
PASSWORD_FILE = "smtp-password"


class SmtpPasswordError(ValueError):
    """The password file cannot be read or written; the message names it."""


def password_path(folder: Path | None = None) -> Path:
    return (folder or secrets_folder()) / PASSWORD_FILE


def load_password(folder: Path | None = None) -> str:
    """The password from $BOXOFFICE_SMTP_PASSWORD, else from the secrets file; "" when there is none."""
    given = os.environ.get(PASSWORD_ENV)
    if given:
        return given
    path = password_path(folder)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as exc:
        raise SmtpPasswordError(_("{file} cannot be read as the SMTP password: {error}").format(
            file=path, error=exc)) from exc


def store_password(password: str, folder: Path | None = None) -> None:
    """Write the file whole under another name, then put it in place; an empty password removes it."""
    path = password_path(folder)
    try:
        if not password:
            path.unlink(missing_ok=True)
            return
        private_folder(path.parent)
        partial = path.with_name(f"{path.name}.{os.getpid()}.part")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(password)
        partial.chmod(FILE_MODE)  # a leftover .part made by someone else keeps its mode through O_CREAT
        partial.replace(path)
    except OSError as exc:
        raise SmtpPasswordError(_("{file} cannot be written with the SMTP password: {error}").format(
            file=path, error=exc)) from exc
