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
        editor.zone_box.list.setCurrentRow(-1)
        editor.zone_box.name.setText("Loge")
        editor.zone_box.rows_text.setText("A,B")
        editor.zone_box.per_row.setValue(4)
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


def _rates(page: EventsPage) -> list[str]:
    return [page.editor.rates.item(i).text() for i in range(page.editor.rates.count())]


class TestEditingInTheEditor:
    def test_a_rate_price_is_typed_as_people_write_it(self, page: EventsPage, qtbot):
        box = page.editor.rate_box
        box.list.setCurrentRow(-1)
        box.name.setText("Étudiant")
        box.price.setText("25,50")
        with qtbot.waitSignal(page.event_shown, timeout=10_000):
            _click(box, "Add rate")
        assert any(text.startswith("Étudiant · CHF\xa025.50 · public") for text in _rates(page))

    def test_a_rate_is_edited_in_place(self, page: EventsPage, qtbot):
        box = page.editor.rate_box
        box.list.setCurrentRow(0)
        assert box.price.text() and box.save_button.isEnabled()
        box.name.setText("Plein tarif 2027")
        box.price.setText("CHF 80.–")
        with qtbot.waitSignal(page.event_shown, timeout=10_000):
            box.save_button.click()
        assert _rates(page)[0].startswith("Plein tarif 2027 · CHF\xa080.00")

    def test_a_wrong_price_is_refused_with_the_reason(self, page: EventsPage, qtbot):
        box = page.editor.rate_box
        box.list.setCurrentRow(-1)
        box.name.setText("VIP")
        box.price.setText("twenty")
        with qtbot.waitSignal(page.change_failed, timeout=10_000) as failed:
            _click(box, "Add rate")
        assert failed.args == ["“twenty” is not an amount in CHF: type digits, e.g. 25 or 25.50."]
        assert page.problem.text() == failed.args[0]

    def test_deleting_asks_first_and_what_was_sold_is_refused(self, page: EventsPage, qtbot):
        from PySide6.QtWidgets import QMessageBox

        box = page.editor.rate_box
        box.list.setCurrentRow(0)
        with qtbot.waitSignal(page.confirm_opened, timeout=5_000):
            box.delete_button.click()
        assert page.confirmation is not None and "Delete “Plein tarif" in page.confirmation.text()
        with qtbot.waitSignal(page.change_failed, timeout=10_000) as failed:
            page.confirmation.button(QMessageBox.StandardButton.Yes).click()
        assert failed.args[0].startswith("This cannot be deleted: ")
        assert "were sold for it. Hide the rate instead." in failed.args[0]

    def test_an_unsold_question_is_deleted_after_yes(self, page: EventsPage, qtbot):
        from PySide6.QtWidgets import QMessageBox

        box = page.editor.question_box
        box.list.setCurrentRow(-1)
        box.label.setText("Allergies?")
        with qtbot.waitSignal(page.event_shown, timeout=10_000):
            _click(box, "Add question")
        before = box.list.count()
        box.list.setCurrentRow(before - 1)
        with qtbot.waitSignal(page.confirm_opened, timeout=5_000):
            box.delete_button.click()
        with qtbot.waitSignal(page.event_shown, timeout=10_000):
            page.confirmation.button(QMessageBox.StandardButton.Yes).click()
        assert box.list.count() == before - 1


class TestFirstBoxOffice:
    def test_an_empty_catalogue_says_what_to_do_and_creates_a_box_office_and_an_event(self, qtbot, store, writer,
                                                                                     data_dir):
        from boxoffice import settings
        from boxoffice.app import build_window
        from boxoffice.ui import ops

        window = build_window(store, writer, data_dir, settings.Settings())
        qtbot.addWidget(window)
        page = next(window.pages.widget(i) for i in range(window.pages.count())
                    if isinstance(window.pages.widget(i), EventsPage))
        window.show()
        with qtbot.waitSignal(page.tree_loaded, timeout=10_000):
            window.show_page("Events")
        assert page.empty.isVisible() and page.empty_button.text() == "New box office…"
        page.empty_button.click()
        dialog = page.dialog
        dialog.name.setText("Festival 2027")
        dialog.currency.setCurrentText("eur")
        with qtbot.waitSignal(page.tree_loaded, timeout=10_000):
            dialog._submit()
        assert page.tree.topLevelItem(0).text(0) == "Festival 2027" and page.empty_button.text() == "New event…"
        page.empty_button.click()
        page.dialog.name.setText("Opening night")
        with qtbot.waitSignal(page.event_shown, timeout=10_000):
            page.dialog.submitted.emit({"name": "Opening night", "box_office_id": page.dialog.office.currentData()})
        assert page.editor.heading.text() == "Opening night" and page.editor_scroll.isVisible()
        ops.wait_for_idle()
