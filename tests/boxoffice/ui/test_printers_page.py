"""The Printers page driven like a technician against the private cupsd: printers, profile, test card,
batch badges with the print log, the layout editor's live preview, and the guides; with screenshots."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtGui import QImage

from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import contacts
from boxoffice.ui.printers.page import PrintersPage
from printing.cups import CupsPrinters
from tests.boxoffice.ui.conftest import screenshot
from tests.printing import pdftools
from tests.printing.conftest import CupsServer

WAIT_MS = 30_000


def _colours(image: QImage) -> int:
    return len({image.pixel(x, y) for x in range(0, image.width(), 5) for y in range(0, image.height(), 5)})


def _printers_page(window, qtbot, cups_server: CupsServer) -> PrintersPage:
    page = next(window.pages.widget(i) for i in range(window.pages.count())
                if isinstance(window.pages.widget(i), PrintersPage))
    page.backend = CupsPrinters(cups_server.address)
    window.show()
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        window.show_page("Printers")
    return page


class TestPrintersPage:
    def test_technician_sees_printers_assigns_a_profile_and_prints_a_test_card(self, window, qtbot,
                                                                              cups_server: CupsServer) -> None:
        page = _printers_page(window, qtbot, cups_server)
        rows = {row.status.name: row for row in page.printers.rows}
        assert set(rows) >= {"CR80", "CR80-stopped"}
        stopped = page.printers.index([r.status.name for r in page.printers.rows].index("CR80-stopped"), 1)
        assert page.printers.data(stopped) == "stopped — Ribbon being changed"
        page.printer_table.selectRow([r.status.name for r in page.printers.rows].index("CR80"))
        page.profile_choice.setCurrentText("IDP Smart-51 CR80")
        with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
            page.buttons["assign"].click()
        assert {r.status.name: r.profile for r in page.printers.rows}["CR80"] == "IDP Smart-51 CR80"
        with qtbot.waitSignal(page.test_card_printed, timeout=WAIT_MS) as printed:
            page.buttons["test"].click()
        assert printed.args[0].startswith("Test card printed on CR80 (job ")
        assert page.status.text() == printed.args[0]

    def test_batch_badges_print_with_the_outcome_in_recent_jobs(self, window, qtbot, demo_writer: Writer,
                                                                cups_server: CupsServer) -> None:
        with demo_writer.transaction() as work:
            forum = contacts.create_list(work, "Forum 2026")
            for index, name in enumerate(("Ada Lovelace", "Grace Hopper", "Zoë Müller")):
                first, last = name.split()
                contacts.add_contact(work, forum, f"guest{index}@example.ch", first, last, {"company": "ETH"})
        page = _printers_page(window, qtbot, cups_server)
        page.printer_table.selectRow([r.status.name for r in page.printers.rows].index("CR80"))
        with qtbot.waitSignal(page.jobs.loaded, timeout=WAIT_MS):
            page.buttons["batch"].click()  # the dialog loads its choices on open; the page's jobs table refreshes
        dialog = page.batch_dialog
        qtbot.waitUntil(dialog.print_button.isEnabled, timeout=WAIT_MS)
        dialog.lists.setCurrentIndex(dialog.lists.findText("Forum 2026 (3)"))
        with qtbot.waitSignal(dialog.printed, timeout=60_000) as done, \
                qtbot.waitSignal(page.jobs.loaded, timeout=60_000):
            dialog.print_button.click()
        report = done.args[0]
        assert (len(report.printed), report.error) == (3, "")
        assert dialog.outcome_label.text() == "3 of 3 printed, 0 already printed before."
        dialog.close()
        assert [page.jobs.data(page.jobs.index(r, 4)).split(" ")[0] for r in range(3)] == ["printed"] * 3
        assert {page.jobs.data(page.jobs.index(r, 2)) for r in range(3)} == {"Ada Lovelace", "Grace Hopper",
                                                                             "Zoë Müller"}
        image = QImage(str(screenshot(window, "printers-page")))
        assert image.width() >= 1000 and _colours(image) > 20


class TestLayoutEditor:
    def test_editing_a_text_updates_the_preview_and_saves_a_named_layout(self, window, qtbot, data_dir: Path,
                                                                         cups_server: CupsServer) -> None:
        page = _printers_page(window, qtbot, cups_server)
        editor = page.editor
        with qtbot.waitSignal(editor.preview_rendered, timeout=WAIT_MS) as first:
            page.tabs.setCurrentWidget(editor)
            # Chosen even when it is already the current one (the first template listed): it renders again.
            editor.template.setCurrentIndex(editor.template.findText("cr80-badge"))
            editor.on_template_chosen(editor.template.currentIndex())
        image = first.args[0]
        assert abs(image.width() / image.height() - 54 / 86) < 0.01
        editor.elements.setCurrentRow(1)
        assert editor.form.text.text() == "{first_name} {last_name}"
        editor.form.text.setText("{first_name}")
        editor.form.font_size.setValue(20)
        with qtbot.waitSignal(editor.preview_rendered, timeout=WAIT_MS) as edited:
            editor.form.color.setText("#c0392b")
            editor.form.on_field_changed()
        assert edited.args[0] != image, "the preview follows the edit"
        assert editor.elements.item(1).text() == "Text: {first_name}"
        editor.name.setText("Forum badge")
        with qtbot.waitSignal(editor.saved, timeout=WAIT_MS):
            editor.save()
        saved = json.loads((data_dir / "layouts" / "forum-badge.json").read_text("utf-8"))
        assert saved["kind"] == "badge" and saved["elements"][1]["text"] == "{first_name}"
        assert saved["elements"][1]["color"] == "#c0392b" and saved["elements"][1]["size"] == 20
        assert editor.template.currentText() == "Forum badge (saved)"
        shot = QImage(str(screenshot(editor, "layout-editor")))
        assert _colours(shot) > 20

    def test_guides_show_the_steps_for_loading_cards_and_the_ribbon(self, window, qtbot,
                                                                    cups_server: CupsServer) -> None:
        page = _printers_page(window, qtbot, cups_server)
        page.tabs.setCurrentWidget(page.guides)
        assert "Open the card hopper cover" in page.guides.steps.text()
        page.guides.choice.setCurrentRow(1)
        assert "Lift the ribbon cartridge out" in page.guides.steps.text()
        assert page.guides.drawing.kind == "ribbon"
        assert _colours(QImage(str(screenshot(page, "printer-guides")))) > 10


def _page_without_cups(window, qtbot) -> PrintersPage:
    """The Printers page with no print system to talk to (nothing listens on the discard port)."""
    page = next(window.pages.widget(i) for i in range(window.pages.count())
                if isinstance(window.pages.widget(i), PrintersPage))
    page.backend = CupsPrinters("127.0.0.1:9")
    window.show()
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        window.show_page("Printers")
    return page


class TestWithoutAPrinter:
    def test_printer_only_buttons_say_why_they_are_disabled_and_the_rest_works(self, window, qtbot) -> None:
        page = _page_without_cups(window, qtbot)
        assert page.status.text() == ("The print system (CUPS) cannot be reached. "
                                      "Check that it is installed and running.")
        assert not page.buttons["assign"].isEnabled() and not page.buttons["test"].isEnabled()
        assert page.buttons["edit"].isEnabled() and page.buttons["pdf"].isEnabled()
        assert page.buttons["batch"].isEnabled()
        assert page.reason.isVisible()
        assert page.reason.text().startswith("“Assign profile” and “Print test card” need a printer. "
                                             "The print system (CUPS) cannot be reached.")
        assert page.buttons["test"].toolTip() == page.reason.text()
        screenshot(window, "printers-without-cups")

    def test_the_smart_51_profile_is_read_and_edited_without_cups(self, window, qtbot, data_dir: Path) -> None:
        page = _page_without_cups(window, qtbot)
        page.profile_choice.setCurrentText("IDP Smart-51 CR80")
        page.buttons["edit"].click()
        dialog = page.profile_dialog
        assert dialog.isVisible() and dialog.name.text() == "IDP Smart-51 CR80" and dialog.media.text()
        dialog.copies.setValue(2)
        dialog.check_and_accept()
        assert page.status.text() == "Profile “IDP Smart-51 CR80” saved."
        saved = [json.loads(p.read_text()) for p in (data_dir / "printer-profiles").glob("*.json")]
        assert [s["copies"] for s in saved if s["name"] == "IDP Smart-51 CR80"] == [2]

    def test_the_test_card_is_saved_as_a_pdf_without_cups(self, window, qtbot, tmp_path: Path) -> None:
        page = _page_without_cups(window, qtbot)
        page.profile_choice.setCurrentText("IDP Smart-51 CR80")
        with qtbot.waitSignal(page.test_card_saved, timeout=WAIT_MS):
            page.save_test_card_pdf(tmp_path / "test-card.pdf")
        assert "IDP Smart-51 CR80" in pdftools.text(tmp_path / "test-card.pdf")
        assert page.status.text().startswith(f"Test card saved as {tmp_path / 'test-card.pdf'}.")

    def test_badges_are_previewed_as_a_pdf_without_cups(self, window, qtbot, demo_writer: Writer,
                                                        tmp_path: Path) -> None:
        with demo_writer.transaction() as work:
            forum = contacts.create_list(work, "Forum 2026")
            contacts.add_contact(work, forum, "ada@example.ch", "Ada", "Lovelace", {"company": "ETH"})
        page = _page_without_cups(window, qtbot)
        page.print_badges()
        dialog = page.batch_dialog
        qtbot.waitUntil(lambda: dialog.lists.count() > 0, timeout=WAIT_MS)
        assert not dialog.print_button.isEnabled() and dialog.no_printer.isVisible()
        dialog.lists.setCurrentIndex(dialog.lists.findText("Forum 2026 (1)"))
        with qtbot.waitSignal(dialog.pdf_saved, timeout=WAIT_MS):
            dialog.save_pdf(tmp_path / "badges.pdf")
        assert "Lovelace" in pdftools.text(tmp_path / "badges.pdf")
