"""axe-core (bundled by axe-playwright-python) in Debian's Chromium on the RSVP pages and e-mails, five languages."""

from __future__ import annotations

import base64

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.e2e.conftest import World
from tests.sync.mail.received import Parts, parts_of
from tests.sync.rsvp.invitations import send_invitation

ANN = "ann@example.ch"
LANGUAGES = ("en", "fr", "de", "it", "es")


def violations(page: Page, what: str) -> list[str]:
    """Every axe rule the page breaks, whatever its impact, with the elements that break it."""
    found = Axe().run(page).response["violations"]
    return [f"{what}: {v['id']} ({v['impact']}) at {[n['target'] for n in v['nodes']][:3]}" for v in found]


def show_mail(page: Page, parts: Parts) -> None:
    """The message's HTML as a mail client shows it: its cid: images inline."""
    html = parts.html
    for name, data in parts.images.items():
        html = html.replace(f"cid:{name}", "data:image/png;base64," + base64.b64encode(data).decode())
    page.set_content(html)


def test_the_mails_and_the_rsvp_pages_break_no_axe_rule_in_any_language(world: World, browser: Page):
    found: list[str] = []
    for language in LANGUAGES:
        sent = send_invitation(world.laptop, world.laptop_sync, language=language, companions=1)
        world.sender.run_once()
        show_mail(browser, parts_of(world.smtp.inbox.to(ANN)[-1]))
        found += violations(browser, f"{language} invitation")

        browser.goto(f"{world.server.url}/rsvp/{sent.tokens[ANN]}")
        assert browser.locator("html").get_attribute("lang") == language
        found += violations(browser, f"{language} form")
        browser.get_by_label("Végétarien").check()
        browser.locator('button[value="accept"]').click()
        browser.wait_for_url("**saved=1**")
        found += violations(browser, f"{language} answer saved")

        world.sender.run_once()
        show_mail(browser, parts_of(world.smtp.inbox.to(ANN)[-1]))
        assert browser.locator("html").get_attribute("lang") == language
        found += violations(browser, f"{language} confirmation")

    assert found == [], "\n".join(found)
