"""The mail sender: claims due messages, builds and sends them over SMTP, records what happened.

Several server processes may run it on one database: a message is claimed by one of them only
(FOR UPDATE SKIP LOCKED on PostgreSQL; on SQLite the claim is a single UPDATE, under its write
lock). A claim is a lease: a process that dies mid-batch leaves messages that are claimed again
once the lease runs out. `start()` runs it on its own thread, never on a request's.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import Message
from email.utils import parseaddr

import dns.exception
import dns.resolver
from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from boxoffice.model.contacts import OptOut
from boxoffice.model.invitations import Companion, Guest, Invitation
from boxoffice.mutations.contacts import opt_out_id
from boxoffice.services.guest_events import load_guest_event
from boxoffice.services.sender_policy import Resolver, decide_sender
from sync.server.database import Database
from sync.server.mail import settings as mail_settings
from sync.server.mail.compose import translator
from sync.server.mail.delivery import Outcome, record
from sync.server.mail.dkim import DkimKeys
from sync.server.mail.images import InlineImage, load_image
from sync.server.mail.mime import EntryCode, Extras, Sender, build, cid, wire_bytes
from sync.server.mail.queue import queue_scheduled
from sync.server.mail.release import PAID_KINDS, release_due
from sync.server.mail.resend import resume_refused
from sync.server.mail.tables import MailMessage
from sync.server.mail.transport import DeliveryError, Transport

log = logging.getLogger(__name__)
SENDER_CHECK_EVERY = 3600.0


def dns_txt(domain: str) -> list[str]:
    """The domain's TXT strings; no record is an empty list, a failed lookup a LookupError."""
    try:
        answer = dns.resolver.resolve(domain, "TXT", lifetime=5.0)
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return []
    except dns.exception.DNSException as exc:
        raise LookupError(str(exc)) from exc
    return [b"".join(record.strings).decode("utf-8", "replace") for record in answer]


@dataclass
class SendReport:
    """What one pass did, for logs, the `send-mail` command and tests."""

    released: int = 0
    refused: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, result: str) -> None:
        self.counts[result] = self.counts.get(result, 0) + 1


@dataclass(frozen=True)
class _Look:
    """What every message of one invitation shares when it is sent."""

    sender: Sender
    banner: InlineImage | None
    logo: InlineImage | None
    access_control: bool


class MailSender:
    """Send what is due. `run_once` works in the caller's thread; `start`/`stop` run it every `interval` s."""

    def __init__(self, db: Database, resolver: Resolver = dns_txt, batch_size: int = 100, interval: float = 5.0,
                 lease: timedelta = timedelta(minutes=10), dkim_keys: DkimKeys | None = None) -> None:
        self.db, self.resolver, self.batch_size, self.interval, self.lease = db, resolver, batch_size, interval, lease
        self.dkim_keys = dkim_keys or DkimKeys()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._senders: dict[str, tuple[str, float]] = {}

    def run_once(self, now: datetime | None = None) -> SendReport:
        """Release due invitations (credits), then send every due message in batches.

        `now` pins the clock (tests); otherwise each claim and record reads it afresh, so a later
        batch of a long pass gets a full lease (not one already run out) and its own send time.
        """
        def clock() -> datetime:
            return now or datetime.now(UTC)

        report = SendReport()
        queue_scheduled(self.db, clock())
        resume_refused(self.db, clock())
        released = release_due(self.db, clock())
        report.released, report.refused = len(released.sent), len(released.refused)
        with self.db.session() as session:
            smtp = mail_settings.load_smtp(session)
        with Transport(smtp) as transport:  # one connection for every batch of this pass
            while True:
                claimed = self._claim(clock())
                if not claimed:
                    return report
                outcomes = self._send(transport, claimed, clock)
                for outcome in outcomes:
                    report.add(outcome.result)
                relay_gone = not transport.connected and any(o.result == "temporary" for o in outcomes)
                if len(claimed) < self.batch_size or relay_gone:
                    return report

    def _claim(self, now: datetime) -> list[str]:
        due = (select(MailMessage.id).where(or_(
            and_(MailMessage.status == "queued", MailMessage.next_attempt_at <= now),
            and_(MailMessage.status == "sending", MailMessage.claimed_until < now)))
            .order_by(MailMessage.next_attempt_at).limit(self.batch_size).with_for_update(skip_locked=True))
        with self.db.writing(), self.db.session() as session:
            claimed = session.scalars(update(MailMessage).where(MailMessage.id.in_(due)).values(
                status="sending", claimed_until=now + self.lease, attempts=MailMessage.attempts + 1)
                .returning(MailMessage.id).execution_options(synchronize_session=False)).all()
            session.commit()
        return list(claimed)

    def _send(self, transport: Transport, claimed: list[str], clock: Callable[[], datetime]) -> list[Outcome]:
        with self.db.session() as session:
            prepared = self._prepare(session, claimed)
            settings = mail_settings.load(session)
        outcomes = [Outcome(message_id, "skipped") for message_id, message in prepared if message is None]
        outcomes += [Outcome(message_id, "failed", message, unsendable=True) for message_id, message in prepared
                     if isinstance(message, str)]
        lost: DeliveryError | None = None
        try:
            for message_id, message in prepared:
                if not isinstance(message, Message):
                    continue
                if lost is not None:  # the relay is gone: the rest of the batch waits for the next try
                    outcomes.append(Outcome(message_id, "temporary", lost.detail))
                    continue
                try:
                    sender = _address_of(message["From"])
                    signed = self.dkim_keys.sign(wire_bytes(message), sender.rpartition("@")[2])
                    transport.send(signed, envelope_from=settings.return_path(message_id, sender),
                                   to=_address_of(message["To"]))
                    outcomes.append(Outcome(message_id, "sent"))
                except DeliveryError as exc:
                    outcomes.append(Outcome(message_id, exc.outcome, exc.detail))
                    lost = exc if exc.outcome == "temporary" and not transport.connected else None
                except Exception as exc:  # a message that cannot be sent (a bad header): that one fails, not the batch
                    log.exception("message %s could not be sent", message_id)
                    outcomes.append(Outcome(message_id, "failed", (str(exc) or type(exc).__name__)[:500],
                                            unsendable=True))
        finally:
            # Whatever happens, what was sent is recorded: else it stays "sending" and goes again.
            record(self.db, outcomes, clock())
        return outcomes

    def _prepare(self, session: Session, claimed: list[str]) -> list[tuple[str, Message | str | None]]:
        """Each claimed message built, None when it is to be skipped, or why it cannot be built."""
        rows = session.scalars(select(MailMessage).where(MailMessage.id.in_(claimed))
                               .order_by(MailMessage.next_attempt_at, MailMessage.id)).all()
        guest_ids = [r.guest_id for r in rows if r.guest_id]
        guests = {g.id: g for g in session.scalars(select(Guest).where(Guest.id.in_(guest_ids)))}
        settings = mail_settings.load(session)
        opted_out = _opted_out(session, rows)
        looks: dict[str, _Look | None] = {}
        out: list[tuple[str, Message | str | None]] = []
        for row in rows:
            try:
                guest = guests.get(row.guest_id or "")
                built = None if row.id in opted_out else self._build(session, row, guest, looks, settings)
                out.append((row.id, built))
            except Exception as exc:  # one message that cannot be built must not hold back every other one
                log.exception("message %s could not be prepared", row.id)
                out.append((row.id, (str(exc) or type(exc).__name__)[:500]))
        return out

    def _build(self, session: Session, row: MailMessage, guest: Guest | None, looks: dict[str, _Look | None],
               settings: mail_settings.MailSettings) -> Message | None:
        if row.invitation_id not in looks:
            looks[row.invitation_id] = self._look(session, row.invitation_id, settings)
        look = looks[row.invitation_id]
        if look is None or _skip(row, guest):
            return None
        codes = _entry_codes(session, guest) if row.kind == "confirmation" and look.access_control else []
        unsubscribe = settings.unsubscribe_link(guest.token) if guest is not None and row.kind in PAID_KINDS else ""
        name = f"{guest.first_name} {guest.last_name}".strip() if guest is not None else ""
        list_id = f"{row.invitation_id}.{settings.public_host()}" if unsubscribe else ""
        extras = Extras(look.banner, look.logo, codes, row.kind, unsubscribe, name,
                        settings.unsubscribe_address(row.id) if unsubscribe else "", list_id)
        return build(row.subject, row.text, row.html, row.recipient, look.sender, extras, translator(row.language))

    def _look(self, session: Session, invitation_id: str, settings: mail_settings.MailSettings) -> _Look | None:
        invitation = session.get(Invitation, invitation_id)
        if invitation is None or invitation.event_id is None:
            return None
        event = load_guest_event(session, invitation.event_id)
        sender = Sender(self._from_address(event.sending.sender_email, settings), event.sending.organizer,
                        event.sending.sender_email)
        return _Look(sender, load_image(event.appearance.banner, cid("banner")),
                     load_image(event.appearance.logo, cid("logo")), event.access_control)

    def _from_address(self, email: str, settings: mail_settings.MailSettings) -> str:
        """The organizer's address where its SPF allows us (G4), else no-reply; looked up at most every hour."""
        known = self._senders.get(email)
        if known is None or known[1] < time.monotonic():
            decided = decide_sender(email, self.resolver, settings.spf_include, settings.no_reply)
            # Unchecked (DNS down) is not allowed: a From that fails SPF lands in spam or bounces.
            known = (decided.from_address if decided.decision == "own" else settings.no_reply,
                     time.monotonic() + SENDER_CHECK_EVERY)
            self._senders[email] = known
        return known[0]

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="mail-sender", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:  # a loop that dies stops every mail for good: log it and try again later
                log.exception("the mail sender's pass failed")
            self._stop.wait(self.interval)


def _address_of(header: object) -> str:
    return parseaddr(str(header))[1]


def _opted_out(session: Session, rows: Sequence[MailMessage]) -> set[str]:
    """The messages among `rows` that are invitations or reminders to an address that unsubscribed after
    they were scheduled: they are not sent. One query for the batch (one a message cost 0.5 ms each)."""
    # A confirmation answers the guest's own request; a test goes to the organizer: never held back.
    paid: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if row.kind in PAID_KINDS:
            paid[opt_out_id(row.organizer_id, row.recipient)].append(row.id)
    if not paid:
        return set()
    found = session.scalars(select(OptOut.id).where(OptOut.id.in_(list(paid)), OptOut.deleted.is_(False)))
    return {message_id for opt_out in found for message_id in paid[opt_out]}


def _skip(row: MailMessage, guest: Guest | None) -> bool:
    """A reminder goes only to a guest still to answer; a confirmation only to one still coming."""
    if row.kind == "reminder":
        return guest is None or guest.deleted or guest.status != "pending" or guest.delivery in (
            "failed", "bounced", "refused")
    if row.kind == "confirmation":
        return guest is None or guest.deleted or guest.status != "accepted"
    return False


def _entry_codes(session: Session, guest: Guest | None) -> list[EntryCode]:
    if guest is None:
        return []
    companions = session.scalars(select(Companion).where(Companion.guest_id == guest.id, Companion.deleted.is_(False))
                                 .order_by(Companion.created_at, Companion.id))
    name = f"{guest.first_name} {guest.last_name}".strip() or guest.email
    return [EntryCode(name, guest.code)] + [EntryCode(c.name, c.code) for c in companions if c.cl % 2 == 1]


def lifespan(db: Database) -> Callable[[object], AbstractAsyncContextManager[None]]:
    """A FastAPI lifespan that runs a MailSender beside the app, on its own thread, and stops it on shutdown."""

    @asynccontextmanager
    async def running(_app: object) -> AsyncIterator[None]:
        sender = MailSender(db)
        sender.start()
        try:
            yield
        finally:
            await asyncio.to_thread(sender.stop)

    return running
