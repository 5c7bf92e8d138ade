"""DKIM (RFC 6376): one RSA key per sending domain, kept as a 0600 file in the server's secrets folder.

The private keys never enter the database: `boxoffice-server dkim DOMAIN` (or an organizer's app
asking for its domain's record) creates the key when missing; the sender signs every message whose
From is on a domain that has a key, and leaves the others unsigned.
"""

from __future__ import annotations

import base64
import contextlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from sync.server.mail.dkim_signature import signature_header

SELECTOR = "boxoffice"
KEY_BITS = 2048
SECRETS_ENV = "BOXOFFICE_SERVER_SECRETS"
# The headers a signature covers: what a forger would change, and what mailbox providers expect signed.
SIGNED_HEADERS = (b"from", b"to", b"subject", b"date", b"message-id", b"reply-to", b"mime-version",
                  b"content-type", b"list-unsubscribe", b"list-unsubscribe-post", b"list-id", b"auto-submitted")
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class DkimError(ValueError):
    """A domain name that cannot have a key; the message names it."""


@dataclass(frozen=True)
class DkimRecord:
    """The TXT record a domain publishes so receivers can check our signature."""

    domain: str
    name: str
    value: str

    def as_json(self) -> dict[str, str]:
        return {"domain": self.domain, "name": self.name, "value": self.value}


def secrets_folder() -> Path:
    """$BOXOFFICE_SERVER_SECRETS, else the server's own configuration folder's `secrets`."""
    configured = os.environ.get(SECRETS_ENV)
    return Path(configured) if configured else Path(platformdirs.user_config_dir("boxoffice-server")) / "secrets"


def checked_domain(domain: str) -> str:
    cleaned = domain.strip().lower().rstrip(".")
    if not _DOMAIN.match(cleaned):
        raise DkimError(f"{domain!r} is not a domain name (e.g. example.org)")
    return cleaned


class DkimKeys:
    """The keys in `folder`/dkim, one `DOMAIN.pem` each (0600 in a 0700 folder)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = (folder or secrets_folder()) / "dkim"
        self._loaded: dict[str, bytes | None] = {}
        self._keys: dict[bytes, rsa.RSAPrivateKey] = {}

    def _path(self, domain: str) -> Path:
        return self.folder / f"{checked_domain(domain)}.pem"

    def private_key(self, domain: str) -> bytes | None:
        """The PEM of `domain`'s key, or None; read once per process (the sender signs many messages)."""
        domain = checked_domain(domain)
        if domain not in self._loaded:
            path = self._path(domain)
            self._loaded[domain] = path.read_bytes() if path.exists() else None
        return self._loaded[domain]

    def ensure(self, domain: str) -> DkimRecord:
        """`domain`'s record, its key created first when missing."""
        domain = checked_domain(domain)
        pem = self.private_key(domain)
        if pem is None:
            pem = self._create(domain)
        return record_of(domain, pem)

    def _create(self, domain: str) -> bytes:
        key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption())
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.folder, 0o700)
        path = self._path(domain)
        partial = path.with_suffix(".tmp")
        # Created 0600 from the start, and renamed into place: a second process sees a whole key or none.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
        with contextlib.suppress(FileExistsError):  # another process made the key meanwhile: keep theirs
            os.link(partial, path)
        partial.unlink()
        self._loaded.pop(domain, None)
        stored = self.private_key(domain)
        assert stored is not None
        return stored

    def sign(self, message: bytes, domain: str) -> bytes:
        """`message` with a DKIM-Signature header in front when `domain` has a key, else as it is."""
        pem = self.private_key(domain)
        if pem is None:
            return message
        present = {line.split(b":", 1)[0].strip().lower() for line in message.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
                   if line[:1] not in (b" ", b"\t") and b":" in line}
        headers = [h for h in SIGNED_HEADERS if h in present]
        return signature_header(message, checked_domain(domain).encode(), SELECTOR.encode(), self._key(pem),
                                headers) + message

    def _key(self, pem: bytes) -> rsa.RSAPrivateKey:
        """`pem` loaded once: parsing a PEM costs more than the signature."""
        if pem not in self._keys:
            key = serialization.load_pem_private_key(pem, password=None)
            if not isinstance(key, rsa.RSAPrivateKey):
                raise DkimError("the DKIM key file does not hold an RSA key")
            self._keys[pem] = key
        return self._keys[pem]


def record_of(domain: str, pem: bytes) -> DkimRecord:
    key = serialization.load_pem_private_key(pem, password=None)
    public = key.public_key().public_bytes(serialization.Encoding.DER,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    value = f"v=DKIM1; k=rsa; p={base64.b64encode(public).decode()}"
    return DkimRecord(domain, f"{SELECTOR}._domainkey.{domain}", value)
