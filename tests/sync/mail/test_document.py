"""The e-mail as a guest's phone shows it: a whole HTML document, its date as the RSVP page writes it."""

from __future__ import annotations

import base64
import html
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import sync_playwright

from boxoffice.services.message_template import MESSAGE_END
from sync.server.mail.sender import MailSender
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.live_server import LiveServer
from tests.sync.mail.conftest import PUBLIC_URL
from tests.sync.mail.organizer import GUESTS, picture, schedule
from tests.sync.mail.received import Parts, cids_in, parts_of
from tests.sync.mail.smtp_inbox import Inbox
from tests.sync.mail.test_confirmation import accept


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


def sent_to(inbox: Inbox, address: str) -> EmailMessage:
    return inbox.to(address)[-1]


class TestDocument:
    def test_the_invitation_is_a_whole_document_in_the_guests_language_with_its_name_in_to(
            self, make_device, sender: MailSender, inbox: Inbox):
        writer, sync = make_device("laptop")
        sent = schedule(writer, sync, guests=GUESTS[2:], language="fr")
        sender.run_once()

        message = sent_to(inbox, "cleo@example.ch")
        parts = parts_of(message)
        assert parts.html.startswith("<!doctype html><html lang=\"fr\">")
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in parts.html
        assert "<title>Invitation Vernissage Hodler</title>" in parts.html
        [to] = message["To"].addresses
        assert (to.display_name, to.addr_spec) == ("Cléo Rossi", "cleo@example.ch")
        link = f"{PUBLIC_URL}/rsvp/{sent.tokens['cleo@example.ch']}"
        assert link in parts.text  # the full URL in the text part, a button in the HTML
        assert f'<a href="{link}"' in parts.html and f">{link}<" not in parts.html
        assert ">Répondre à l'invitation</a>" in parts.html.replace("&#x27;", "'")

    def test_a_name_with_a_comma_quotes_and_accents_reads_back_whole_from_to(
            self, make_device, sender: MailSender, inbox: Inbox):
        writer, sync = make_device("laptop")
        schedule(writer, sync, guests=[("ann@example.ch", 'Ann "Nanou"', "Favre, Zoë")])
        sender.run_once()

        message = sent_to(inbox, "ann@example.ch")
        assert message["To"].defects == ()
        [to] = message["To"].addresses
        assert (to.display_name, to.addr_spec) == ('Ann "Nanou" Favre, Zoë', "ann@example.ch")

    @pytest.mark.parametrize(("language", "companions", "sentence"), [
        ("en", 1, "You may bring one companion."), ("en", 2, "You may bring up to 2 companions."),
        ("fr", 1, "Vous pouvez venir avec un accompagnant."),
        ("fr", 2, "Vous pouvez venir avec jusqu'à 2 accompagnants."),
        ("de", 2, "Sie können bis zu 2 Begleitpersonen mitbringen.")])
    def test_the_companions_sentence_has_the_plural_of_its_number(
            self, make_device, sender: MailSender, inbox: Inbox, language: str, companions: int, sentence: str):
        writer, sync = make_device("laptop")
        schedule(writer, sync, guests=GUESTS[:1], language=language, companions=companions)
        sender.run_once()

        parts = parts_of(sent_to(inbox, "ann@example.ch"))
        assert sentence in parts.text and html.escape(sentence) in parts.html


class TestConfirmation:
    def test_the_confirmation_shows_the_answer_location_and_codes_and_no_answer_button(
            self, make_device, sender: MailSender, inbox: Inbox):
        writer, sync = make_device("laptop")
        sent = schedule(writer, sync, guests=GUESTS[:1], companions=1)
        sender.run_once()
        code, [companion] = accept(sender.db, sent.tokens["ann@example.ch"], ["Léa Favre"])
        sender.run_once()

        message = sent_to(inbox, "ann@example.ch")
        parts = parts_of(message)
        assert message["Subject"] == "Votre inscription à Vernissage Hodler"
        for shown in ("Votre réponse : Vous avez accepté l'invitation.", "Où : Musée Jenisch, Vevey", code,
                      companion):
            assert shown in parts.text
        page = html.unescape(parts.html)
        assert "Votre réponse : Vous avez accepté l'invitation." in page and "Musée Jenisch, Vevey" in page
        assert cids_in(parts.html) == ["qr-0@boxoffice", "qr-1@boxoffice"]
        assert "Répondre à l'invitation" not in page and ">Modifier votre réponse</a>" in page
        assert page.index("Présentez ces codes") < page.index(MESSAGE_END)


def phone_width(parts: Parts) -> tuple[int, float]:
    """The message's HTML in Chromium at 390 px, its cid: images inline as a mail client shows them:
    the document's scroll width and the first image's width."""
    page = parts.html
    for name, data in parts.images.items():
        page = page.replace(f"cid:{name}", "data:image/png;base64," + base64.b64encode(data).decode())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(viewport={"width": 390, "height": 800})
            tab.set_content(page)
            return (tab.evaluate("document.documentElement.scrollWidth"),
                    tab.evaluate("document.images[0].getBoundingClientRect().width"))
        finally:
            browser.close()


class TestPhone:
    def test_a_390_px_phone_shows_the_invitation_and_the_confirmation_without_horizontal_scroll(
            self, make_device, sender: MailSender, inbox: Inbox, tmp_path: Path):
        if not CHROMIUM.exists():
            pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
        writer, sync = make_device("laptop")
        long_url = "https://example.org/" + "a-very-long-path/" * 12
        images = (picture(tmp_path / "banner.png", "#884400", (1600, 500)), picture(tmp_path / "logo.png", "#004488",
                                                                                   (300, 300)))
        sent = schedule(writer, sync, guests=GUESTS[:1], images=images, companions=2,
                        body="Bonjour {first_name},\n\nProgramme : " + long_url + "\n\n{rsvp_link}")
        sender.run_once()
        invitation = parts_of(sent_to(inbox, "ann@example.ch"))
        accept(sender.db, sent.tokens["ann@example.ch"], ["Léa Favre-Hodler de la Tour", "Marc Favre"])
        sender.run_once()
        confirmation = parts_of(sent_to(inbox, "ann@example.ch"))
        assert "qr-2@boxoffice" in confirmation.images

        for parts in (invitation, confirmation):
            width, banner = phone_width(parts)
            assert width <= 390 and 300 < banner <= 390, (width, banner)
