"""The keys that sign access tokens: a 0600 file in the server's secrets folder, or an environment variable.

Never in the database: a copy of the database (a backup, a dump) must not let anyone forge tokens.
`rotate-key` makes a new current key and keeps the one before, so tokens it signed stay valid
until they expire (15 minutes); every server process on one database needs the same file.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from boxoffice.i18n import _
from boxoffice.store.private_files import FILE_MODE, private_folder
from sync.server.mail.dkim import secrets_folder
from sync.server.tables import ServerSetting

KEYS_ENV = "BOXOFFICE_TOKEN_KEYS"  # hex of the current key, then optionally ",hex" of the previous one
KEYS_FILE = "token-keys.json"
_OLD_SETTING = "token_key"  # where servers before this one kept the key


class TokenKeyError(ValueError):
    """The keys file or variable cannot be read; the message names it."""


@dataclass(frozen=True)
class TokenKeys:
    current: bytes
    previous: bytes | None = None

    @property
    def accepted(self) -> tuple[bytes, ...]:
        """The keys a token may be signed with: the current one, then the one before."""
        return (self.current,) if self.previous is None else (self.current, self.previous)


def keys_path(folder: Path | None = None) -> Path:
    return (folder or secrets_folder()) / KEYS_FILE


def load_keys(session: Session, folder: Path | None = None) -> TokenKeys:
    """The keys from $BOXOFFICE_TOKEN_KEYS, else the secrets file, made on first use.

    A key an older server kept in the database moves to the file (its tokens stay valid) and
    leaves the database; the caller commits.
    """
    given = os.environ.get(KEYS_ENV)
    if given:
        return _parse(given, f"${KEYS_ENV}")
    path = keys_path(folder)
    if not path.exists():
        old = session.get(ServerSetting, _OLD_SETTING)
        _create(path, TokenKeys(bytes.fromhex(old.value) if old else secrets.token_bytes(32)))
        if old is not None:
            session.delete(old)
            session.flush()
    return _read(path)


def rotate_keys(folder: Path | None = None) -> TokenKeys:
    """A new current key; the current one becomes the previous one (the one before it is dropped)."""
    if os.environ.get(KEYS_ENV):
        raise TokenKeyError(_("the token keys come from ${variable}: put a new key first in it instead").format(
            variable=KEYS_ENV))
    path = keys_path(folder)
    if not path.exists():
        raise TokenKeyError(_("{file} does not exist yet: start the server once (it makes the first key)").format(
            file=path))
    rotated = TokenKeys(secrets.token_bytes(32), _read(path).current)
    partial = path.with_name(path.name + ".part")
    _write(partial, rotated, os.O_TRUNC)
    partial.replace(path)
    return rotated


def _create(path: Path, keys: TokenKeys) -> None:
    """Write the file whole under another name, then link it in place unless another process was first."""
    private_folder(path.parent)
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    _write(partial, keys, os.O_TRUNC)
    try:
        os.link(partial, path)
    except FileExistsError:
        pass  # another server process made it at the same moment: its key is the one
    finally:
        partial.unlink()


def _write(path: Path, keys: TokenKeys, flag: int) -> None:
    text = json.dumps({"current": keys.current.hex(), "previous": keys.previous.hex() if keys.previous else None})
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | flag, FILE_MODE)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
    path.chmod(FILE_MODE)


def _read(path: Path) -> TokenKeys:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return TokenKeys(bytes.fromhex(data["current"]),
                         bytes.fromhex(data["previous"]) if data.get("previous") else None)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise TokenKeyError(_("{file} cannot be read as the server's token keys: {error}").format(
            file=path, error=exc)) from exc


def _parse(text: str, where: str) -> TokenKeys:
    try:
        parts = [bytes.fromhex(part.strip()) for part in text.split(",")]
    except ValueError as exc:
        raise TokenKeyError(_("{where} must hold one or two keys in hex, separated by a comma").format(
            where=where)) from exc
    if not 1 <= len(parts) <= 2 or any(len(part) < 16 for part in parts):
        raise TokenKeyError(_("{where} must hold one or two keys in hex, separated by a comma").format(where=where))
    return TokenKeys(parts[0], parts[1] if len(parts) == 2 else None)
