"""`serve --certfile/--keyfile`: the certificate and key checked before uvicorn is started with them.

uvicorn loads them only once it is starting and answers a missing or wrong file with a traceback;
this says which file is wrong and why, and the server does not start.
"""

from __future__ import annotations

import ssl
from pathlib import Path

from boxoffice.i18n import _


class TlsFilesError(ValueError):
    """A certificate or key that cannot be used; the message names the file."""


def check_tls_files(certfile: Path | None, keyfile: Path | None) -> None:
    """Raise TlsFilesError unless `certfile` (and `keyfile`, when the key is not in `certfile`) can serve TLS."""
    if certfile is None:
        if keyfile is not None:
            raise TlsFilesError(_("--keyfile {file} needs --certfile: the certificate that goes with the key").format(
                file=keyfile))
        return
    for path in (certfile, keyfile):
        if path is None:
            continue
        try:
            with path.open("rb") as file:
                file.read(1)
        except OSError as exc:
            raise TlsFilesError(_("{file} cannot be read: {error}").format(file=path, error=exc.strerror)) from exc
    try:
        # An empty passphrase: a key that has one fails here instead of OpenSSL asking on the terminal.
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(certfile, keyfile, password=lambda: b"")
    except ssl.SSLError as exc:
        raise TlsFilesError(_("{certfile} and {keyfile} are not a PEM certificate and its private key: {error}").format(
            certfile=certfile, keyfile=keyfile or certfile, error=exc.reason or exc)) from exc
