"""The Events page: the tree of box offices, the editor, adding a zone, duplicating with a preview."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage

from boxoffice.services import catalogue
from boxoffice.ui.events.duplicate_dialog import DuplicateDialog
from boxoffice.ui.events.page import EventsPage
from tests.boxoffice.ui.conftest import screenshot


@pytest.fixture
def page(window, qtbot) -> EventsPage:
    events = next(window.pages.widget(i) for i in range(window.pages.count())
                  if isinstance(window.pages.widget(i), EventsPage))
    window.show()
    with qtbot.waitSignal(events.event_shown, timeout=10_000):
        window.show_page("Events")
    return events


class TestEventsPage:
    def test_tree_and_editor_show_the_demo_season(self, page: EventsPage, qtbot):
        top = page.tree.topLevelItem(0)
        assert top.text(0) == "Théâtre du Léman — Saison 2026/27" and top.childCount() == 3
        editor = page.editor
        assert editor.heading.text() == "Concert du Nouvel An"
        assert [editor.zones.item(i).text() for i in range(editor.zones.count())] == ["Salle: 600 places"]
        assert editor.rates.count() == 2 and editor.dates.count() == 1
        image = QImage(str(screenshot(page.window(), "events-page")))
        assert image.width() >= 1000

    def test_adding_a_seated_zone_generates_its_seats(self, page: EventsPage, qtbot):
        editor = page.editor
        editor.zone_name.setText("Loge")
        editor.zone_rows.setText("A,B")
        editor.zone_seats.setValue(4)
        with qtbot.waitSignal(page.event_shown, timeout=10_000):  # the page reloads after the change
            _click(editor, "Add zone")
        assert "Loge: 8 places (8 numbered seats)" in [editor.zones.item(i).text() for i in range(editor.zones.count())]

    def test_a_refused_change_says_why(self, page: EventsPage, qtbot):
        with qtbot.waitSignal(page.change_failed, timeout=10_000) as failed:
            _click(page.editor, "Add rate")
        assert failed.args == ["A rate needs a name."]

    def test_duplicate_with_preview(self, page: EventsPage, qtbot, demo_writer):
        page.open_duplicate()
        qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible())
        dialog: DuplicateDialog = page.dialog  # type: ignore[assignment]
        dialog.name.setText("Concert du Nouvel An 2028")
        dialog.dates.setPlainText("2027-12-31 20:00+01:00")
        with qtbot.waitSignal(dialog.previewed, timeout=10_000) as previewed:
            dialog.preview_button.click()
        assert previewed.args[0].zones == ["Salle (600)"]
        assert "Rates: Plein tarif, Réduit" in dialog.preview_text.text()
        screenshot(dialog, "events-duplicate-preview")
        with qtbot.waitSignal(dialog.duplicated, timeout=10_000) as duplicated:
            dialog.buttons.accepted.emit()
        with demo_writer.store.session() as session:
            copy = catalogue.event_details(session, duplicated.args[0])
        assert copy.event.name == "Concert du Nouvel An 2028" and len(copy.dates) == 1 and copy.event.status == "draft"


def _click(editor: object, text: str) -> None:
    from PySide6.QtWidgets import QPushButton

    next(b for b in editor.findChildren(QPushButton) if b.text() == text).click()  # type: ignore[attr-defined]
