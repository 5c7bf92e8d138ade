"""A relay that speaks STARTTLS or implicit TLS and wants a login: a self-signed certificate for 127.0.0.1."""

from __future__ import annotations

import datetime
import ipaddress
import ssl
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.live_server import free_port
from tests.sync.mail.smtp_inbox import Inbox

USER, PASSWORD = "boxoffice", "s3cret"


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for the IP 127.0.0.1 and its key, as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "relay.pem", folder / "relay.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def _authenticator(_server: Any, _session: Any, _envelope: Any, _mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (USER.encode(), PASSWORD.encode())
    return AuthResult(success=ok)


class TlsRelay:
    """`implicit` wraps the connection in TLS from the first byte (port 465 style); else STARTTLS is required."""

    def __init__(self, folder: Path, implicit: bool) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self.cert, key = self_signed(folder)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, key)
        options: dict[str, Any] = {"authenticator": _authenticator, "auth_required": True}
        if implicit:
            # aiosmtpd 1.4 does not count a wrapped socket as TLS for AUTH: it is encrypted all the same.
            self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, ssl_context=context,
                                         auth_require_tls=False, **options)
        else:
            self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, tls_context=context,
                                         require_starttls=True, **options)

    def __enter__(self) -> TlsRelay:
        self.controller.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.controller.stop()
