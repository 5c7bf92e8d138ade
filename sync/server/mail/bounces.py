"""What comes back by e-mail: bounces (by the message's tagged return path) and unsubscribe requests (RFC 2369)."""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass
from datetime import datetime
from email.message import Message
from typing import Literal

from sqlalchemy import select

from boxoffice import mutations
from boxoffice.model.contacts import OptOut
from boxoffice.model.invitations import Guest
from boxoffice.mutations.contacts import opt_out_id
from sync.server.database import Database
from sync.server.mail.delivery import record_bounce
from sync.server.mail.tables import MailMessage
from sync.server.mail.writes import finish, server_context
from sync.server.rsvp.answers import lock_changes

Verdict = Literal["bounced", "unsubscribed", "ignored"]
# Where mail servers write the envelope recipient of what they deliver; To last (some relays rewrite it).
RECIPIENT_HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "X-Rcpt-To", "To", "Cc")
MESSAGE_ID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
UNSUBSCRIBE_TAG = "unsubscribe-"
MAILER_DAEMONS = ("mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon")


@dataclass(frozen=True)
class BounceReport:
    """What one returned message said: which of ours it is about, and whether it is a permanent failure."""

    verdict: Verdict
    message_id: str | None
    reason: str


def tagged_message(raw: Message, bounce_address: str, tag: str = "") -> str | None:
    """The id in `local+<tag><id>@domain` among the returned message's recipients, if any."""
    local, _at, domain = bounce_address.rpartition("@")
    pattern = re.compile(rf"{re.escape(local)}\+{re.escape(tag)}({MESSAGE_ID})@{re.escape(domain)}", re.IGNORECASE)
    for header in RECIPIENT_HEADERS:
        for value in raw.get_all(header, []):
            found = pattern.search(str(value))
            if found:
                return found.group(1).lower()
    return None


def _status_fields(raw: Message) -> list[Message]:
    """The per-recipient field groups of an RFC 3464 delivery-status part (the first is per-message)."""
    for part in raw.walk():
        if part.get_content_type() == "message/delivery-status":
            groups = part.get_payload()
            return [g for g in groups[1:] if isinstance(g, Message)] if isinstance(groups, list) else []
    return []


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def read_report(raw: Message, message_id: str | None) -> BounceReport:
    """Sort a returned message: a permanent failure is a bounce; a delay, a success or an auto-reply is not."""
    if message_id is None:
        return BounceReport("ignored", None, "no message of ours is named in its recipients")
    recipients = _status_fields(raw)
    if recipients:
        failed = [r for r in recipients if str(r.get("Action", "")).strip().lower() == "failed"]
        if not failed:
            actions = ", ".join(sorted({str(r.get("Action", "")).strip().lower() or "none" for r in recipients}))
            return BounceReport("ignored", message_id, f"a delivery report that is not a failure ({actions})")
        first = failed[0]
        status, diagnostic = _one_line(first.get("Status", "")), _one_line(first.get("Diagnostic-Code", ""))
        # "smtp; 550 5.1.1 ..." — the remote server's own words are what the organizer can act on.
        diagnostic = diagnostic.partition(";")[2].strip() if ";" in diagnostic else diagnostic
        return BounceReport("bounced", message_id, diagnostic or status or "failed")
    if str(raw.get("Auto-Submitted", "no")).strip().lower() not in ("", "no"):
        return BounceReport("ignored", message_id, f"an automatic reply ({_one_line(raw['Auto-Submitted'])})")
    sender = str(raw.get("From", "")).lower()
    if any(daemon in sender for daemon in MAILER_DAEMONS):
        # A bounce without a delivery report (older servers write only prose): the subject says what happened.
        return BounceReport("bounced", message_id, _one_line(raw.get("Subject", "")) or "returned")
    return BounceReport("ignored", message_id, "neither a delivery report nor from a mail server")


def parse(data: bytes, bounce_address: str) -> BounceReport:
    raw = email.message_from_bytes(data, policy=email.policy.compat32)
    asked = tagged_message(raw, bounce_address, UNSUBSCRIBE_TAG)
    if asked is not None:  # a guest's mail client wrote to List-Unsubscribe's mailto
        return BounceReport("unsubscribed", asked, "asked by e-mail")
    return read_report(raw, tagged_message(raw, bounce_address))


def apply(db: Database, report: BounceReport, now: datetime) -> BounceReport:
    """Record a bounce on its message and guest, or the guest's opt-out (both synced to the organizer);
    anything else changes nothing."""
    if report.verdict == "unsubscribed" and report.message_id is not None:
        return _opt_out(db, report)
    if report.verdict != "bounced" or report.message_id is None:
        return report
    with db.session() as session:
        status = session.scalar(select(MailMessage.status).where(MailMessage.id == report.message_id))
    if status is None:
        return BounceReport("ignored", report.message_id, "no such message on this server")
    if status == "bounced":
        return BounceReport("ignored", report.message_id, "already recorded as bounced")
    if status != "sent":
        return BounceReport("ignored", report.message_id, f"the message is {status}, not sent")
    record_bounce(db, report.message_id, report.reason, now)
    return report


def _opt_out(db: Database, report: BounceReport) -> BounceReport:
    """The same opt-out as the one-click link (contacts.opt_out), for the guest the message went to."""
    with db.writing(), db.session() as session:
        row = session.get(MailMessage, report.message_id)
        guest = session.get(Guest, row.guest_id) if row is not None and row.guest_id else None
        if row is None or guest is None or row.kind not in ("invitation", "reminder"):
            return BounceReport("ignored", report.message_id, "no invitation of this server's has that id")
        lock_changes(session, row.organizer_id)
        row_id = opt_out_id(row.organizer_id, guest.email)
        found = session.get(OptOut, row_id)
        if found is not None and not found.deleted:
            return BounceReport("ignored", report.message_id, "already unsubscribed")
        ctx = server_context(session, row.organizer_id)
        # "link": the guest's own request through the message's List-Unsubscribe, as the one-click POST.
        mutations.lookup("contacts.opt_out").run(ctx, {"id": row_id, "email": guest.email, "source": "link",
                                                       "guest_id": guest.id})
        finish(ctx, row.organizer_id)
        session.commit()
    return report
