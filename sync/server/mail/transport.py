"""One SMTP connection for a batch of messages, with the server's TLS mode and login; failures sorted."""

from __future__ import annotations

import smtplib
import ssl
from types import TracebackType
from typing import Literal

from sync.server.mail.settings import SmtpSettings

Outcome = Literal["temporary", "failed", "bounced"]


class DeliveryError(Exception):
    """A message did not go: `outcome` says whether to retry (temporary) or give up."""

    def __init__(self, outcome: Outcome, detail: str) -> None:
        super().__init__(detail)
        self.outcome, self.detail = outcome, detail


def _reply(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return f"{code} {text}".strip()[:500]


class Transport:
    """Use as a context manager; `send` raises DeliveryError. Connects lazily and again after a drop."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if s.tls == "ssl":
            smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            if s.tls == "starttls":
                smtp.starttls(context=context)
        if s.user:
            smtp.login(s.user, s.password)
        return smtp

    def send(self, message: bytes, envelope_from: str, to: str) -> None:
        """Send `message` (CRLF line ends, already signed) from `envelope_from` (the return path) to `to`."""
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            self._smtp.sendmail(envelope_from, [to], message, mail_options=self._options(envelope_from, to))
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()))
            raise DeliveryError("bounced" if code >= 500 else "temporary", _reply(code, reply)) from exc
        except smtplib.SMTPResponseException as exc:
            self._reset_after(exc)
            # A refused login or greeting is the relay's setup, not this message: retry, never fail a guest for it.
            setup = isinstance(exc, smtplib.SMTPAuthenticationError | smtplib.SMTPConnectError | smtplib.SMTPHeloError)
            permanent = 500 <= exc.smtp_code < 600 and not setup
            raise DeliveryError("failed" if permanent else "temporary", _reply(exc.smtp_code, exc.smtp_error)) from exc
        except smtplib.SMTPNotSupportedError as exc:
            detail = str(exc)[:500] or type(exc).__name__
            if self._smtp is None:  # STARTTLS not offered: the relay's setup, not this message
                raise DeliveryError("temporary", detail) from exc
            # This message needs what the relay lacks (SMTPUTF8 for a non-ASCII address), checked
            # before MAIL: only it fails, the connection is fine for the rest of the batch.
            raise DeliveryError("failed", detail) from exc
        except (smtplib.SMTPException, OSError) as exc:
            # Dropped connection, refused connection, timeout, TLS trouble: the relay may be back later.
            self.close()
            raise DeliveryError("temporary", str(exc)[:500] or type(exc).__name__) from exc

    def _options(self, envelope_from: str, to: str) -> list[str]:
        # As smtplib's send_message does: a non-ASCII address needs the relay's SMTPUTF8.
        if envelope_from.isascii() and to.isascii():
            return []
        assert self._smtp is not None
        self._smtp.ehlo_or_helo_if_needed()
        if not self._smtp.has_extn("smtputf8"):
            raise smtplib.SMTPNotSupportedError("One or more source or delivery addresses require"
                                                " internationalized email support, but the server does not advertise"
                                                " the required SMTPUTF8 capability")
        return ["SMTPUTF8", "BODY=8BITMIME"]

    def _reset_after(self, exc: smtplib.SMTPResponseException) -> None:
        # After a refused MAIL or DATA the session must be reset before the next message; a refused
        # login or greeting means the connection is of no more use.
        if self._smtp is None or isinstance(exc, smtplib.SMTPAuthenticationError | smtplib.SMTPConnectError):
            self.close()
            return
        try:
            self._smtp.rset()
        except (smtplib.SMTPException, OSError):
            self.close()

    @property
    def connected(self) -> bool:
        return self._smtp is not None

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None
