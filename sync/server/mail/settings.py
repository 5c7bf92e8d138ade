"""Mail settings kept in the server database (server_settings), so every server process shares them.

All but the relay's password, which lives outside the database (sync/server/mail/smtp_password.py).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal, cast
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from boxoffice.i18n import _
from boxoffice.services.email_addresses import is_valid_email
from boxoffice.services.sender_policy import NO_REPLY_ADDRESS, OUR_SPF_INCLUDE
from sync.server.mail.smtp_password import load_password, store_password
from sync.server.tables import ServerSetting

TlsMode = Literal["none", "starttls", "ssl"]
TLS_MODES: tuple[TlsMode, ...] = ("none", "starttls", "ssl")
SMTP_KEY = "mail.smtp"
PUBLIC_URL_KEY = "mail.public_url"
NO_REPLY_KEY = "mail.no_reply"
SPF_INCLUDE_KEY = "mail.spf_include"
BOUNCE_KEY = "mail.bounce_address"
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8765"


class MailSettingsError(ValueError):
    """A mail setting is wrong; the message names it."""


@dataclass(frozen=True)
class SmtpSettings:
    """How the server reaches its SMTP relay; the password is kept in the secrets folder or the environment."""

    host: str = "localhost"
    port: int = 25
    tls: TlsMode = "none"
    user: str = ""
    password: str = ""
    timeout: float = 30.0


@dataclass(frozen=True)
class MailSettings:
    smtp: SmtpSettings
    public_url: str
    no_reply: str
    spf_include: str
    # The mailbox the server reads bounces from (`boxoffice-server bounce`); empty: bounces go to the From.
    bounce_address: str = ""

    def rsvp_base(self) -> str:
        """What goes in front of a guest's token: `{public_url}/rsvp/`."""
        return self.public_url.rstrip("/") + "/rsvp/"

    def unsubscribe_link(self, token: str) -> str:
        """The guest's one-click opt-out (sync/server/rsvp/unsubscribe.py)."""
        return f"{self.public_url.rstrip('/')}/unsubscribe/{token}"

    def public_host(self) -> str:
        """The host guests reach this server at (the namespace of its List-Ids)."""
        return urlsplit(self.public_url).hostname or "localhost"

    def unsubscribe_address(self, message_id: str) -> str:
        """The mailto of List-Unsubscribe (RFC 2369) for one message, read by `bounce`; empty without a mailbox."""
        if not self.bounce_address:
            return ""
        local, _at, domain = self.bounce_address.rpartition("@")
        return f"{local}+unsubscribe-{message_id}@{domain}"

    def return_path(self, message_id: str, sender: str) -> str:
        """The envelope sender of one message: with a bounce mailbox, its address tagged with the message
        (VERP, `bounces+<message id>@domain`), so a bounce names the message whatever the remote server writes."""
        if not self.bounce_address:
            return sender
        local, _at, domain = self.bounce_address.rpartition("@")
        return f"{local}+{message_id}@{domain}"


def _get(session: Session, key: str) -> str | None:
    row = session.get(ServerSetting, key)
    return row.value if row is not None else None


def _put(session: Session, key: str, value: str) -> None:
    row = session.get(ServerSetting, key)
    if row is None:
        session.add(ServerSetting(key=key, value=value))
    else:
        row.value = value


def check_smtp(smtp: SmtpSettings) -> None:
    if not smtp.host.strip():
        raise MailSettingsError(_("The SMTP host is empty."))
    if not 0 < smtp.port < 65536:
        raise MailSettingsError(_("The SMTP port must be between 1 and 65535, not {port}.").format(port=smtp.port))
    if smtp.tls not in TLS_MODES:
        raise MailSettingsError(_("The SMTP TLS mode must be none, starttls or ssl, not {mode}.").format(
            mode=smtp.tls))
    if smtp.password and not smtp.user:
        raise MailSettingsError(_("An SMTP password needs a user name."))


def check_public_url(url: str) -> None:
    if not url.startswith(("http://", "https://")) or len(url) < 10:
        raise MailSettingsError(_("The public URL must start with http:// or https://, not {url}.").format(url=url))


def save_smtp(session: Session, smtp: SmtpSettings, secrets: Path | None = None) -> None:
    """Check and store the SMTP settings, the password in the secrets file; the caller commits."""
    check_smtp(smtp)
    stored = asdict(smtp)
    del stored["password"]
    # One given by $BOXOFFICE_SMTP_PASSWORD is not copied into the file: the variable wins anyway.
    if smtp.password != load_password(secrets):
        store_password(smtp.password, secrets)
    _put(session, SMTP_KEY, json.dumps(stored))


def save_public_url(session: Session, url: str) -> None:
    check_public_url(url)
    _put(session, PUBLIC_URL_KEY, url.rstrip("/"))


def check_bounce_address(address: str) -> None:
    local = address.rpartition("@")[0]
    if not is_valid_email(address) or "+" in local or not address.isascii():
        raise MailSettingsError(_("The bounce address {email} must be a plain ASCII address without '+', such as "
                                  "bounces@mail.example.org.").format(email=address))


def save_sender(session: Session, no_reply: str | None = None, spf_include: str | None = None,
                bounce_address: str | None = None) -> None:
    """Store the sender settings given; an empty bounce address sends bounces to the From again."""
    if bounce_address is not None:
        if bounce_address:
            check_bounce_address(bounce_address)
        _put(session, BOUNCE_KEY, bounce_address)
    if no_reply is not None:
        if not is_valid_email(no_reply):
            raise MailSettingsError(_("The no-reply address {email} is not an email address.").format(email=no_reply))
        _put(session, NO_REPLY_KEY, no_reply)
    if spf_include is not None:
        _put(session, SPF_INCLUDE_KEY, spf_include)


def load_smtp(session: Session, secrets: Path | None = None) -> SmtpSettings:
    stored = _get(session, SMTP_KEY)
    if stored is None:
        return SmtpSettings(password=load_password(secrets))
    values = json.loads(stored)
    return SmtpSettings(host=str(values["host"]), port=int(values["port"]), tls=cast(TlsMode, values["tls"]),
                        user=str(values.get("user", "")), password=load_password(secrets),
                        timeout=float(values.get("timeout", 30.0)))


def load(session: Session) -> MailSettings:
    return MailSettings(load_smtp(session), _get(session, PUBLIC_URL_KEY) or DEFAULT_PUBLIC_URL,
                        _get(session, NO_REPLY_KEY) or NO_REPLY_ADDRESS,
                        _get(session, SPF_INCLUDE_KEY) or OUR_SPF_INCLUDE, _get(session, BOUNCE_KEY) or "")
