"""The event overview opened from the Events page: status, door code, the per-rate chart, dates, customers."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtGui import QImage
from sqlalchemy import func, select

from boxoffice.model.events import Event, Rate
from boxoffice.model.sales import Ticket
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.ui.changes import ChangeSet, changes
from boxoffice.ui.event_overview.page import EventOverviewDialog, EventOverviewPage
from boxoffice.ui.events.page import EventsPage
from tests.boxoffice.ui.conftest import screenshot

EVENT = "Le Misanthrope"


@pytest.fixture
def overview(window, qtbot) -> EventOverviewPage:
    events = next(window.pages.widget(i) for i in range(window.pages.count())
                  if isinstance(window.pages.widget(i), EventsPage))
    window.show()
    with qtbot.waitSignal(events.event_shown, timeout=10_000):
        window.show_page("Events")
    office = events.tree.topLevelItem(0)
    item = next(office.child(i) for i in range(office.childCount()) if office.child(i).text(0).startswith(EVENT))
    with qtbot.waitSignal(events.event_shown, timeout=10_000):
        events.tree.setCurrentItem(item)
    assert events.overview_button.isVisible()
    events.overview_button.click()
    dialog = events.overview
    assert isinstance(dialog, EventOverviewDialog)
    if dialog.page.overview is None:
        with qtbot.waitSignal(dialog.page.overview_loaded, timeout=10_000):
            pass
    return dialog.page


def sold_per_rate(writer: Writer) -> tuple[str, list[tuple[str, int, int]]]:
    """What the store says, counted here independently of the service."""
    with writer.store.session() as session:
        event = session.scalars(select(Event).where(Event.name == EVENT)).one()
        rows = session.execute(select(Rate.name, func.count(Ticket.id), func.coalesce(func.sum(Ticket.price_minor), 0))
                               .outerjoin(Ticket, (Ticket.rate_id == Rate.id) & (Ticket.state == "valid"))
                               .where(Rate.event_id == event.id).group_by(Rate.id)
                               .order_by(Rate.position)).all()
        return event.door_access_code, [(name, int(n), int(total)) for name, n, total in rows]


class TestEventOverview:
    def test_the_chart_shows_tickets_sold_and_revenue_per_rate(self, overview: EventOverviewPage, demo_writer):
        _code, expected = sold_per_rate(demo_writer)
        assert sum(n for _name, n, _total in expected) > 0
        assert overview.charts.tickets.values() == [float(n) for _name, n, _total in expected]
        assert overview.charts.revenue.values() == [total / 100 for _name, _n, total in expected]
        named = overview.charts.tickets.labels()[:len(expected)]
        assert named == [f"{name} · {n:,}" for name, n, _total in expected]
        assert overview.charts.revenue.chart().title() == "Revenue per rate (CHF)"
        path = screenshot(overview.window(), "event-overview")
        assert QImage(str(path)).width() >= 1000

    def test_status_door_code_and_dates_are_shown(self, overview: EventOverviewPage, demo_writer):
        code, expected = sold_per_rate(demo_writer)
        assert overview.name.text() == EVENT
        assert overview.info["status"].text() == "published"
        assert overview.info["visibility"].text() == "public"
        assert overview.info["door_code"].text() == code and len(code) == 6
        sold = sum(n for _name, n, _total in expected)
        assert overview.info["sold"].text().startswith(f"{sold} tickets in ")
        assert overview.dates.rowCount() == 3
        per_date = [int(overview.dates.item(r, 3).text().split(" / ")[0]) for r in range(3)]
        assert sum(per_date) == sold
        assert overview.dates.item(0, 3).text().endswith("/ 550")  # Parterre 400 + Balcon 150

    def test_customers_are_listed_and_their_answers_export_as_csv(self, overview: EventOverviewPage, qtbot,
                                                                   tmp_path: Path):
        panel = overview.customers
        assert panel.model.rowCount() == len(panel.customers) > 0
        assert panel.count.text() == f"{len(panel.customers)} customers"
        assert "@example.ch" in panel.email_addresses()
        out = tmp_path / "answers.csv"
        with qtbot.waitSignal(overview.answers_exported, timeout=10_000):
            overview.export_answers(out)
        rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
        assert rows[0] == ["Order", "Sold", "Name", "Email", "Phone", "Tickets"]
        assert len(rows) - 1 == int(overview.info["sold"].text().split(" in ")[1].split(" ")[0])
        assert "orders written to" in panel.message.text()


def _events_page(window: object) -> EventsPage:
    pages = window.pages  # type: ignore[attr-defined]
    return next(pages.widget(i) for i in range(pages.count()) if isinstance(pages.widget(i), EventsPage))


class TestLifetime:
    def test_a_second_click_shows_the_open_overview_instead_of_another(self, overview: EventOverviewPage, window):
        events = _events_page(window)
        dialog = events.overview
        events.overview_button.click()
        assert events.overview is dialog and len(window.findChildren(EventOverviewDialog)) == 1

    def test_a_closed_overview_is_deleted_so_it_stops_listening(self, overview: EventOverviewPage, qtbot):
        dialog = overview.window()
        with qtbot.waitSignal(dialog.destroyed, timeout=10_000):
            dialog.close()
        changes.applied.emit(ChangeSet.of("checkins"), None)
        assert not shiboken6.isValid(overview)

    def test_a_hidden_overview_reloads_only_when_shown_again(self, overview: EventOverviewPage, qtbot):
        dialog = overview.window()
        dialog.hide()
        changes.applied.emit(ChangeSet.of("checkins"), None)
        assert overview.overview is not None and not overview._loading
        with qtbot.waitSignal(overview.overview_loaded, timeout=10_000):
            dialog.show()
