"""Pages with nothing to show yet say what to do next, and their button goes there (a fresh data directory)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from boxoffice import settings
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.store.engine import Store
from boxoffice.ui.desk.page import DeskPage
from boxoffice.ui.events.page import EventsPage
from boxoffice.ui.passes.page import PassesPage


@pytest.fixture
def fresh_window(qtbot, store: Store, writer: Writer, data_dir: Path) -> Iterator[object]:
    from boxoffice.app import build_window
    from boxoffice.ui import ops

    main = build_window(store, writer, data_dir, settings.Settings())
    qtbot.addWidget(main)
    main.show()
    yield main
    ops.wait_for_idle()


def page_of(window: object, kind: type) -> object:
    pages = window.pages  # type: ignore[attr-defined]
    return next(pages.widget(i) for i in range(pages.count()) if isinstance(pages.widget(i), kind))


class TestEmptyStates:
    def test_the_desk_with_nothing_on_sale_leads_to_the_events_page(self, fresh_window, qtbot):
        desk: DeskPage = page_of(fresh_window, DeskPage)  # type: ignore[assignment]
        with qtbot.waitSignal(desk.dates_loaded, timeout=10_000):
            fresh_window.show_page("Desk")
        assert desk.nothing_on_sale.isVisible()
        assert desk.nothing_on_sale.message.text().startswith("Nothing is on sale yet")
        desk.nothing_on_sale.button.click()
        assert fresh_window.pages.currentWidget() is page_of(fresh_window, EventsPage)

    def test_passes_without_events_say_to_create_the_events_first(self, fresh_window, qtbot):
        passes: PassesPage = page_of(fresh_window, PassesPage)  # type: ignore[assignment]
        with qtbot.waitSignal(passes.definitions_loaded, timeout=10_000):
            fresh_window.show_page("Passes")
        assert passes.no_events.isVisible()
        passes.no_events.button.click()
        assert fresh_window.pages.currentWidget() is page_of(fresh_window, EventsPage)

    def test_the_banners_are_gone_once_there_is_something(self, window, qtbot):
        desk: DeskPage = page_of(window, DeskPage)  # type: ignore[assignment]
        window.show()
        with qtbot.waitSignal(desk.dates_loaded, timeout=10_000):
            window.show_page("Desk")
        assert not desk.nothing_on_sale.isVisible()
        passes: PassesPage = page_of(window, PassesPage)  # type: ignore[assignment]
        with qtbot.waitSignal(passes.definitions_loaded, timeout=10_000):
            window.show_page("Passes")
        assert not passes.no_events.isVisible()

    def test_the_door_with_no_date_says_so_and_leads_to_the_events_page(self, fresh_window, qtbot):
        from boxoffice.ui.door.page import DoorPage

        door: DoorPage = page_of(fresh_window, DoorPage)  # type: ignore[assignment]
        fresh_window.show_page("Door")
        qtbot.waitUntil(lambda: door.nothing_to_check.isVisible(), timeout=10_000)
        door.nothing_to_check.button.click()
        assert fresh_window.pages.currentWidget() is page_of(fresh_window, EventsPage)

    def test_invitations_without_any_offer_to_start_one(self, fresh_window, qtbot):
        from boxoffice.ui.invitations.page import InvitationsPage

        page: InvitationsPage = page_of(fresh_window, InvitationsPage)  # type: ignore[assignment]
        with qtbot.waitSignal(page.loaded, timeout=10_000):
            fresh_window.show_page("Invitations")
        assert page.no_invitation.isVisible() and page.no_invitation.button.text() == "New invitation"

    def test_an_event_set_up_after_the_door_was_opened_shows_up_there(self, fresh_window, qtbot):
        from datetime import UTC, datetime, timedelta

        from boxoffice.services.venue_setup import VenuePlan, check_rate, check_zone, set_up_venue
        from boxoffice.ui.changes import ChangeSet, changes
        from boxoffice.ui.door.page import DoorPage
        from boxoffice.ui.ops import WriteOp

        door: DoorPage = page_of(fresh_window, DoorPage)  # type: ignore[assignment]
        fresh_window.show_page("Door")
        qtbot.waitUntil(lambda: door.nothing_to_check.isVisible(), timeout=10_000)
        fresh_window.show_page("Events")
        plan = VenuePlan("Salle", "Europe/Zurich", "CHF", "Gala", dates=(datetime.now(UTC) + timedelta(days=2),),
                         zones=(check_zone("Parterre", 10),), rates=(check_rate("Plein", "20", "public", "CHF"),))
        with qtbot.waitSignal(changes.applied, timeout=10_000):
            WriteOp(None, lambda work, _p: set_up_venue(work, plan), ChangeSet.of("events")).run()
        with qtbot.waitSignal(door.choices_loaded, timeout=10_000):
            fresh_window.show_page("Door")
        assert not door.nothing_to_check.isVisible()
