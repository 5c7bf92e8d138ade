"""Benchmark: 1,000 personalised invitations rendered, queued, DKIM-signed and delivered by the server's mail
queue to a local SMTP server (aiosmtpd), against the same messages built with bare `email` and sent with
`smtplib` (unsigned: the baseline is what a hand-written sender does at the least)."""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import secrets
import smtplib
import socket
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.header import Header
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from PIL import Image

from boxoffice import mutations
from boxoffice.services.invitations import InvitationDraft
from boxoffice.services.sender_policy import NO_REPLY_ADDRESS
from boxoffice.store.hlc import Timestamp
from boxoffice.store.ids import new_secret, uuid7, uuid7_batch
from sync.server import organizers
from sync.server.database import Database, upgrade
from sync.server.mail import queue as mail_queue
from sync.server.mail import settings as mail_settings
from sync.server.mail.dkim import DkimKeys
from sync.server.mail.sender import MailSender
from sync.server.mail.writes import finish, server_context
from tests.live_server import free_port

GUESTS = 1000
FIRST = ["Zoë", "Anaïs", "Jürgen", "François", "Ægir", "Łucja", "Maximiliane-Éléonore", "Ben"]
LAST = ["Müller", "Groß", "Dupont-Aignan", "von Hohenzollern-Sigmaringen", "Nuñez", "Li"]
PUBLIC_URL = "https://rsvp.example.org"


def wait_for(port: int) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError("the SMTP server did not start")


def guests() -> list[list[Any]]:
    ids = uuid7_batch(GUESTS)
    return [[ids[i], None, f"guest{i}@example.org", FIRST[i % len(FIRST)], LAST[i % len(LAST)],
             {"Ville": "Vevey"}, secrets.token_urlsafe(24), new_secret()] for i in range(GUESTS)]


def scheduled_invitation(db: Database, folder: Path, rows: list[list[Any]]) -> InvitationDraft:
    """An organizer's event and 1,000-guest invitation, scheduled, as the device's pushes leave them."""
    draft = InvitationDraft()
    event = draft.event
    event.name, event.location, event.starts_at = "Gala 2026", "Casino, Montreux", datetime.now(UTC) + timedelta(30)
    event.sending.organizer, event.sending.sender_email, event.sending.language = "Casino", "gala@gmail.com", "fr"
    event.appearance.banner, event.appearance.logo = str(folder / "banner.png"), str(folder / "logo.png")
    Image.new("RGB", (600, 120), "#7a1f3d").save(folder / "banner.png")
    Image.new("RGB", (80, 80), "#1f4e79").save(folder / "logo.png")
    draft.subject = "Invitation : {event_name}"
    draft.body = "Bonjour {first_name} {last_name} ({field:Ville}),\n\nRépondez ici : {rsvp_link}\n\n{organizer}"
    draft.companions = 1
    with db.session() as session:
        organizer = organizers.create_organizer(session, "Casino")[0].id
        ctx = server_context(session, organizer)
        run = mutations.lookup
        run("catalogue.create").run(ctx, {"entity": "events", "id": event.id, "values": event.columns()})
        run("invitations.create").run(ctx, {"id": draft.id, "values": draft.columns()})
        run("guests.add_many").run(ctx, {"invitation_id": draft.id, "rows": rows})
        run("credits.add").run(ctx, {"id": uuid7(), "key": "purchase:bench", "amount": 5000, "note": "bench"})
        # Scheduling is a later change than the draft's creation: it needs a later stamp to win.
        later = Timestamp.parse(ctx.hlc)
        run("invitations.schedule").run(dataclasses.replace(ctx, hlc=str(Timestamp(later.wall_ms, 1, "server"))),
                                        {"id": draft.id, "scheduled_at": None})
        finish(ctx, organizer)
        session.commit()
    return draft


def bare(rows: list[list[Any]], draft: InvitationDraft, port: int) -> None:
    """The same messages by hand: format the texts, build the MIME with the two images, send on one connection."""
    banner = Path(draft.event.appearance.banner).read_bytes()
    logo = Path(draft.event.appearance.logo).read_bytes()
    subject = draft.subject.replace("{event_name}", draft.event.name)
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for _id, _contact, address, first, last, fields, token, _code in rows:
            link = f"{PUBLIC_URL}/rsvp/{token}"
            text = (f"Bonjour {first} {last} ({fields['Ville']}),\n\nRépondez ici : {link}\n\n"
                    f"{draft.event.sending.organizer}")
            page = (f'<html><body><p><img src="cid:banner@boxoffice"></p><p><img src="cid:logo@boxoffice"></p>'
                    f"<h2>{subject}</h2><p>{text}</p><p><a href=\"{link}\">Répondre</a></p></body></html>")
            message = MIMEMultipart("alternative")
            message["Subject"], message["To"] = Header(subject, "utf-8").encode(), address
            message["From"] = formataddr(("Casino", "no-reply@boxoffice.app"))
            message["Reply-To"], message["Date"] = "gala@gmail.com", formatdate()
            message["Message-ID"] = make_msgid(domain="boxoffice.app")
            message.attach(MIMEText(text, "plain", "utf-8"))
            related = MIMEMultipart("related")
            related.attach(MIMEText(page, "html", "utf-8"))
            for data, cid in ((banner, "banner@boxoffice"), (logo, "logo@boxoffice")):
                image = MIMEImage(data, "png")
                image["Content-ID"] = f"<{cid}>"
                related.attach(image)
            message.attach(related)
            smtp.send_message(message, from_addr="no-reply@boxoffice.app", to_addrs=[address])


def relay(port: int, count: Any, signed: Any, stop: Any) -> None:
    """The SMTP server in a process of its own, as a relay is: it must not share our interpreter's lock."""

    class Sink:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            with count.get_lock():
                count.value += 1
            if envelope.content.startswith(b"DKIM-Signature:"):
                with signed.get_lock():
                    signed.value += 1
            return "250 OK"

    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    stop.wait()
    controller.stop()


def main() -> int:
    port = free_port()
    count, signed, stop = multiprocessing.Value("i", 0), multiprocessing.Value("i", 0), multiprocessing.Event()
    server = multiprocessing.Process(target=relay, args=(port, count, signed, stop), daemon=True)
    server.start()
    wait_for(port)
    try:
        with tempfile.TemporaryDirectory() as folder:
            db = Database(f"sqlite:///{Path(folder) / 'server.sqlite3'}")
            upgrade(db.engine)
            with db.session() as session:
                mail_settings.save_smtp(session, mail_settings.SmtpSettings(host="127.0.0.1", port=port))
                mail_settings.save_public_url(session, PUBLIC_URL)
                session.commit()
            rows = guests()
            draft = scheduled_invitation(db, Path(folder), rows)
            keys = DkimKeys(Path(folder) / "secrets")
            keys.ensure(NO_REPLY_ADDRESS.rpartition("@")[2])  # the invitations leave from the no-reply address

            started = time.perf_counter()
            queued = mail_queue.queue_scheduled(db)  # what the sender's pass does first
            render_queue_s = time.perf_counter() - started
            started = time.perf_counter()
            report = MailSender(db, resolver=lambda _domain: [], dkim_keys=keys).run_once()
            deliver_s = time.perf_counter() - started
            assert queued == GUESTS and report.counts == {"sent": GUESTS} and count.value == GUESTS, report
            assert signed.value == GUESTS, f"{signed.value} of {GUESTS} messages DKIM-signed"

            started = time.perf_counter()
            bare(rows, draft, port)
            baseline_s = time.perf_counter() - started
            db.engine.dispose()
        assert count.value == 2 * GUESTS
    finally:
        stop.set()
        server.join(10)
    total_s = render_queue_s + deliver_s
    print(f"mail queue:        {GUESTS} invitations rendered and queued in {render_queue_s:.2f} s, "
          f"DKIM-signed and delivered in {deliver_s:.2f} s ({GUESTS / total_s:.0f} messages/s, "
          f"{total_s / GUESTS * 1000:.2f} ms/message, guests' delivery recorded for the devices)")
    print(f"bare email+smtplib: {GUESTS} messages built and sent in {baseline_s:.2f} s "
          f"({GUESTS / baseline_s:.0f} messages/s, {baseline_s / GUESTS * 1000:.2f} ms/message)")
    print(json.dumps({"messages": GUESTS, "render_queue_s": round(render_queue_s, 3), "deliver_s": round(deliver_s, 3),
                      "total_s": round(total_s, 3), "baseline_s": round(baseline_s, 3), "dkim_signed": signed.value,
                      "ratio": round(total_s / baseline_s, 3)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
