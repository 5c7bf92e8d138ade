"""A guest answers in a real browser from the invitation email the server sent (G11), end to end."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page

from boxoffice.services.invitation_tracking import tracking
from tests.e2e.conftest import World
from tests.sync.rsvp.invitations import guest_on, send_invitation

ANN, BOB = "ann@example.ch", "bob@example.ch"


def link_in_email(world: World, address: str) -> str:
    """The RSVP link as the guest gets it: from the plain-text part of the mail the SMTP server received."""
    [message] = world.smtp.inbox.to(address)
    text = message.get_body(preferencelist=("plain",)).get_content()
    found = re.search(r"https?://\S+/rsvp/[A-Za-z0-9_-]+", text)
    assert found, text
    return found.group(0)


def invite(world: World, **options: object) -> None:
    send_invitation(world.laptop, world.laptop_sync, **options)  # type: ignore[arg-type]
    report = world.sender.run_once()
    assert len(world.smtp.inbox.received) == 3, report


class TestGuestInBrowser:
    def test_a_guest_accepts_with_two_companions_and_the_organizer_sees_it_after_one_sync(
            self, world: World, browser: Page):
        invite(world)
        link = link_in_email(world, ANN)
        assert link.startswith(world.server.url)
        opened = browser.goto(link)
        assert opened is not None and opened.status == 200
        assert browser.locator("h1").first.inner_text() == "Vernissage Hodler"
        browser.get_by_label("Végétarien").check()
        browser.get_by_label("Accompagnant 1").fill("Marc Favre")
        browser.get_by_label("Accompagnant 2").fill("Léa Favre")
        browser.get_by_role("button", name="J'accepte").click()
        browser.wait_for_url(re.compile(r"saved=1"))
        assert browser.locator("#verdict").inner_text() == "Vous avez accepté l'invitation."
        assert browser.locator("#companions li").all_inner_texts() == ["Marc Favre", "Léa Favre"]
        world.laptop_sync.sync_once()
        guest, names = guest_on(world.laptop, ANN)
        assert (guest.status, guest.answers["Menu"], names) == ("accepted", "Végétarien", ["Marc Favre", "Léa Favre"])
        with world.laptop.store.session() as session:
            counts = tracking(session, guest.invitation_id)
        assert (counts.accepted, counts.companions) == (1, 2)
        world.sender.run_once()
        assert len(world.smtp.inbox.to(ANN)) == 2  # the invitation, then the confirmation

    def test_a_guest_declines(self, world: World, browser: Page):
        invite(world)
        browser.goto(link_in_email(world, BOB))
        browser.get_by_role("button", name="Je décline").click()
        browser.wait_for_url(re.compile(r"saved=1"))
        assert browser.locator("#verdict").inner_text() == "Vous avez décliné l'invitation."
        world.laptop_sync.sync_once()
        guest, names = guest_on(world.laptop, BOB)
        assert (guest.status, names) == ("declined", [])

    def test_an_expired_link_says_registration_is_closed(self, world: World, browser: Page):
        invite(world, deadline=datetime.now(UTC) - timedelta(hours=1))
        opened = browser.goto(link_in_email(world, ANN))
        assert opened is not None and opened.status == 410
        assert browser.locator("#error").inner_text() == "Les inscriptions sont closes"
        assert browser.locator("form").count() == 0

    def test_a_modified_link_to_reach_another_guest_gets_the_error_page(self, world: World, browser: Page):
        invite(world)
        link = link_in_email(world, ANN)
        guessed = link[:-1] + ("A" if link[-1] != "A" else "B")
        opened = browser.goto(guessed)
        assert opened is not None and opened.status == 404
        assert browser.locator("#error").inner_text() == "Ce lien ne fonctionne pas"
        assert "Favre" not in browser.content() and "Meier" not in browser.content()
