"""The e-mail as a guest's phone shows it: a whole HTML document, its date as the RSVP page writes it."""

from __future__ import annotations

import html
from zoneinfo import ZoneInfo

import requests

from sync.server.mail.sender import MailSender
from tests.live_server import LiveServer
from tests.sync.mail.organizer import GUESTS, schedule
from tests.sync.mail.received import parts_of
from tests.sync.mail.smtp_inbox import Inbox


class TestDates:
    def test_the_date_reads_the_same_in_the_email_and_on_the_rsvp_page_in_the_venues_zone(
            self, make_device, server: LiveServer, sender: MailSender, inbox: Inbox):
        writer, sync = make_device("laptop")
        sent = schedule(writer, sync, guests=GUESTS[:1], body="Le {event_date} à {location}.\n\n{rsvp_link}",
                        timezone="America/Toronto")
        sender.run_once()

        parts = parts_of(inbox.to("ann@example.ch")[-1])
        start = sent.draft.event.starts_at
        assert start is not None
        local = start.astimezone(ZoneInfo("America/Toronto"))
        offset = local.strftime("%z")
        written = parts.text.split("Le ", 1)[1].split(" à ", 1)[0]
        assert written.endswith(f"{local:%H:%M} (UTC{offset[:3]}:{offset[3:]})"), written
        assert str(local.year) in written and str(local.day) in written
        assert html.escape(written) in parts.html
        page = requests.get(f"{server.url}/rsvp/{sent.tokens['ann@example.ch']}", timeout=10)
        assert page.status_code == 200 and html.escape(written) in page.text
