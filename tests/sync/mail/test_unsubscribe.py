"""One-click unsubscribe (RFC 8058): the headers and footer of an invitation, the link's page and POST,
the opt-out reaching the organizer's copy, and later invitations leaving the address out."""

from __future__ import annotations

import html
from urllib.parse import urlsplit

import requests
from sqlalchemy import select

from boxoffice.model.contacts import OptOut
from boxoffice.services import opt_outs
from sync.server.mail import queue as mail_queue
from sync.server.mail.sender import MailSender
from tests.live_server import LiveServer
from tests.sync.mail.conftest import PUBLIC_URL
from tests.sync.mail.organizer import GUESTS, guests_on, schedule
from tests.sync.mail.received import parts_of
from tests.sync.mail.smtp_inbox import Inbox
from tests.sync.mail.test_confirmation import accept

ONE_CLICK = {"List-Unsubscribe": "One-Click"}


def _link_of(inbox: Inbox, address: str) -> str:
    [message] = inbox.to(address)
    header = str(message["List-Unsubscribe"]).strip()  # folded onto its own line when long (RFC 5322)
    assert header.startswith("<") and header.endswith(">")
    return header[1:-1]


def _on(server: LiveServer, link: str) -> str:
    """The link as the test reaches it: the public address stands in front of the live server."""
    assert link.startswith(f"{PUBLIC_URL}/unsubscribe/")
    return server.url + urlsplit(link).path


class TestHeaders:
    def test_an_invitation_carries_one_click_headers_and_a_footer_saying_who_sends_it(
            self, make_device, sender: MailSender, inbox: Inbox):
        writer, sync = make_device("laptop")
        sent = schedule(writer, sync, guests=GUESTS[:1])
        sender.run_once()

        [message] = inbox.to("ann@example.ch")
        assert _link_of(inbox, "ann@example.ch") == f"{PUBLIC_URL}/unsubscribe/{sent.tokens['ann@example.ch']}"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message["Auto-Submitted"] is None  # a person's invitation, not an automatic answer
        parts = parts_of(message)
        assert ("Vous recevez cette invitation parce que Musée Jenisch a mis votre adresse sur sa liste d'invités."
                in parts.text)
        assert f"{PUBLIC_URL}/unsubscribe/{sent.tokens['ann@example.ch']}" in parts.text
        assert f'href="{PUBLIC_URL}/unsubscribe/{sent.tokens["ann@example.ch"]}"' in parts.html

    def test_the_confirmation_says_it_was_sent_automatically_and_offers_no_unsubscribe(
            self, make_device, sender: MailSender, inbox: Inbox):
        writer, sync = make_device("laptop")
        sent = schedule(writer, sync, guests=GUESTS[:1])
        sender.run_once()
        accept(sender.db, sent.tokens["ann@example.ch"], [])
        sender.run_once()

        confirmation = inbox.to("ann@example.ch")[-1]
        assert confirmation["Auto-Submitted"] == "auto-generated"
        assert confirmation["List-Unsubscribe"] is None


class TestOneClick:
    def test_a_one_click_post_opts_the_guest_out_and_the_organizer_sees_it_after_one_sync(
            self, make_device, sender: MailSender, inbox: Inbox, server: LiveServer):
        writer, sync = make_device("laptop")
        schedule(writer, sync)
        sender.run_once()
        link = _on(server, _link_of(inbox, "bob@example.ch"))

        answer = requests.post(link, data=ONE_CLICK, timeout=10)  # what the mail client sends, no cookie
        again = requests.post(link, data=ONE_CLICK, timeout=10)
        sync.sync_once()

        assert answer.status_code == 200 and again.status_code == 200
        assert "bob@example.ch ne recevra plus d'invitations de Musée Jenisch." in html.unescape(answer.text)
        with writer.store.session() as session:
            assert opt_outs.opted_out(session) == {"bob@example.ch"}
            [row] = session.scalars(select(OptOut))
            assert row.source == "link"

    def test_opening_the_link_asks_first_so_a_link_checker_opts_nobody_out(
            self, make_device, sender: MailSender, inbox: Inbox, server: LiveServer):
        writer, sync = make_device("laptop")
        schedule(writer, sync, guests=GUESTS[:1])
        sender.run_once()
        link = _on(server, _link_of(inbox, "ann@example.ch"))

        page = requests.get(link, timeout=10)
        sync.sync_once()

        assert page.status_code == 200
        assert "Ne plus recevoir d'invitations de Musée Jenisch à ann@example.ch ?" in html.unescape(page.text)
        assert 'id="unsubscribe"' in page.text
        with writer.store.session() as session:
            assert opt_outs.opted_out(session) == set()

    def test_a_post_without_the_one_click_body_or_an_unknown_link_changes_nothing(
            self, make_device, sender: MailSender, inbox: Inbox, server: LiveServer):
        writer, sync = make_device("laptop")
        schedule(writer, sync, guests=GUESTS[:1])
        sender.run_once()
        link = _on(server, _link_of(inbox, "ann@example.ch"))

        empty = requests.post(link, data={"List-Unsubscribe": "yes"}, timeout=10)
        unknown = requests.post(f"{server.url}/unsubscribe/{'x' * 32}", data=ONE_CLICK, timeout=10)
        sync.sync_once()

        assert (empty.status_code, unknown.status_code) == (400, 404)
        with writer.store.session() as session:
            assert opt_outs.opted_out(session) == set()

    def test_a_multipart_one_click_post_is_understood_too(
            self, make_device, sender: MailSender, inbox: Inbox, server: LiveServer):
        writer, sync = make_device("laptop")
        schedule(writer, sync, guests=GUESTS[:1])
        sender.run_once()
        link = _on(server, _link_of(inbox, "ann@example.ch"))

        answer = requests.post(link, files={"List-Unsubscribe": (None, "One-Click")}, timeout=10)
        sync.sync_once()

        assert answer.status_code == 200
        with writer.store.session() as session:
            assert opt_outs.opted_out(session) == {"ann@example.ch"}


class TestLaterInvitations:
    def test_the_next_invitation_to_the_same_list_leaves_the_opted_out_address_out(
            self, make_device, sender: MailSender, inbox: Inbox, server: LiveServer):
        writer, sync = make_device("laptop")
        first = schedule(writer, sync)
        sender.run_once()
        requests.post(_on(server, _link_of(inbox, "cleo@example.ch")), data=ONE_CLICK, timeout=10)
        sync.sync_once()

        second = schedule(writer, sync)  # the same three contacts, in a new list
        sender.run_once()

        assert set(guests_on(writer, second.id)) == {"ann@example.ch", "bob@example.ch"}
        assert len(inbox.to("cleo@example.ch")) == 1 and first.tokens["cleo@example.ch"]

    def test_an_address_that_opts_out_after_scheduling_gets_no_reminder(
            self, make_device, sender: MailSender, inbox: Inbox, server: LiveServer):
        writer, sync = make_device("laptop")
        schedule(writer, sync, guests=GUESTS[:1])
        sender.run_once()
        requests.post(_on(server, _link_of(inbox, "ann@example.ch")), data=ONE_CLICK, timeout=10)
        later = schedule(writer, sync, guests=GUESTS[1:2], push=False)
        with writer.transaction() as work:  # the organizer marks one by hand too, offline
            opt_outs.mark_opted_out(work, "BOB@example.ch")
        sync.sync_once()
        mail_queue.queue_scheduled(sender.db)

        assert sender.run_once().counts.get("sent", 0) == 0
        assert inbox.to("bob@example.ch") == [] and later.id
        with writer.store.session() as session:
            assert opt_outs.opted_out(session) == {"ann@example.ch", "bob@example.ch"}
