"""Where a paired device keeps the secret it gets its access tokens with: the OS keyring, else a 0600 file.

Never in the store's database: a copy of the SQLite file (a backup, a lost laptop's disk, a file
sent for support) must not let anyone sync as the device. The keyring (the `keyring` library:
macOS Keychain, Windows Credential Locker, the Secret Service of a Linux desktop) keeps it under
the service "boxoffice" and the device's id. A kiosk or a headless machine has no usable keyring
(keyring's "fail" backend, or a chainer with no backend in it): there the secret is the file
`device-secret` beside the database, readable by its owner only.
`PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring` chooses the file on a machine that has a keyring.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import keyring
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.errors import KeyringError, PasswordDeleteError

from boxoffice.store.private_files import FILE_MODE, private_folder

SERVICE = "boxoffice"
SECRET_FILE = "device-secret"
log = logging.getLogger(__name__)


def usable_keyring() -> KeyringBackend | None:
    """The keyring this user has, or None where there is none to keep a secret in."""
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring | null.Keyring):
        return None
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return None
    return backend


def secret_path(folder: Path) -> Path:
    return folder / SECRET_FILE


def load_secret(folder: Path, device_id: str) -> str:
    """The device's secret from the keyring, else from the file beside the store; "" when not paired."""
    backend = usable_keyring()
    if backend is not None:
        try:
            found = backend.get_password(SERVICE, device_id)
        except KeyringError as exc:  # a locked or broken keyring: the file may still have it
            log.warning("the keyring could not be read (%s); trying %s", exc, secret_path(folder))
            found = None
        if found:
            return found
    try:
        kept = json.loads(secret_path(folder).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ""
    # A store copied with its file keeps its device id: a file for another id is not this device's.
    return str(kept["secret"]) if kept.get("device_id") == device_id else ""


def store_secret(folder: Path, device_id: str, secret: str) -> str:
    """Keep `secret` in the keyring, else in the 0600 file; say where (for the log and the tests)."""
    backend = usable_keyring()
    if backend is not None:
        try:
            backend.set_password(SERVICE, device_id, secret)
        except KeyringError as exc:
            log.warning("the keyring refused the device secret (%s): kept in %s instead", exc, secret_path(folder))
        else:
            secret_path(folder).unlink(missing_ok=True)  # one place only: an older file would be stale
            return f"keyring {type(backend).__name__}"
    _write_file(secret_path(folder), json.dumps({"device_id": device_id, "secret": secret}))
    return str(secret_path(folder))


def forget_secret(folder: Path, device_id: str) -> None:
    """Remove the secret from the keyring and the file (a store that is wiped or paired no more)."""
    backend = usable_keyring()
    if backend is not None:
        try:
            backend.delete_password(SERVICE, device_id)
        except PasswordDeleteError:
            pass  # it was not there
        except KeyringError as exc:
            log.warning("the keyring could not forget the device secret: %s", exc)
    secret_path(folder).unlink(missing_ok=True)


def _write_file(path: Path, text: str) -> None:
    """Write it whole under another name, then put it in place: a crash never leaves half a secret."""
    private_folder(path.parent, tighten=False)
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
    partial.chmod(FILE_MODE)  # O_CREAT's mode does not apply to a leftover file made before
    partial.replace(path)
