"""The main window and the Contacts page rendered offscreen, checked for what a user sees."""

from __future__ import annotations

from PySide6.QtGui import QImage

from tests.boxoffice.ui.conftest import screenshot


class TestMainWindow:
    def test_navigation_lists_only_pages_that_exist_each_with_its_icon(self, window):
        assert window.page_titles() == ["Contacts", "Invitations", "Printers", "Conflicts", "Desk", "Events", "Passes",
                                         "Door", "Settings", "Welcome"]
        navigation = window.navigation
        assert all(not navigation.item(row).icon().isNull() for row in range(navigation.count()))

    def test_every_page_opens_with_its_title_large_then_what_it_is_for(self, window, qtbot):
        window.show()
        body = window.font().pointSizeF()
        for row in range(window.pages.count()):
            page = window.pages.widget(row)
            window.navigation.setCurrentRow(row)
            if page.title == "Welcome":  # its own first words say it: "Welcome to boxoffice"
                assert not hasattr(page, "header")
                continue
            header = page.header
            assert header.isVisible() and header.title.text() == page.title
            assert header.title.font().pointSizeF() >= 1.5 * body
            assert header.purpose.text().endswith(".") and len(header.purpose.text()) > 20
            # The header is the first thing on the page: nothing drawn above it.
            assert header.mapTo(page, header.rect().topLeft()).y() <= 12

    def test_status_bar_shows_offline_state_and_changes_waiting(self, window, qtbot):
        window.show()
        qtbot.waitUntil(lambda: "changes waiting" in window.sync_status.text())
        assert "not paired with a server" in window.sync_status.text()

    def test_main_window_screenshot_shows_the_demo_list_and_its_contacts(self, window, qtbot):
        page = window.pages.currentWidget()
        with qtbot.waitSignal(page.model.loaded, timeout=10_000) as loaded:
            window.show()
        assert loaded.args == [200]
        assert page.lists.model.lists[0].name == "Amis du théâtre"
        assert page.heading.text() == "Amis du théâtre — 200 contacts"
        assert page.model.headers() == ["Email", "First name", "Last name", "Invitations", "Ville", "Téléphone",
                                        "Created"]
        image = QImage(str(screenshot(window, "main-window")))
        assert image.width() >= 1000 and image.height() >= 700
        # Not a blank grab: the table paints many distinct colours (text, grid, selection).
        colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
        assert len(colours) > 20
