# SPDX-License-Identifier: AGPL-3.0-or-later
"""The Passes page offscreen: the pass editor, a sale with a webcam photo and a PDF, the payout tracking."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from boxoffice.model.passes import Pass
from boxoffice.services import catalogue, passes, print_setup, resale, sales
from boxoffice.services.pass_sales import PassSale, sell_pass
from boxoffice.services.sales import Sale, SaleLine
from boxoffice.ui.passes.page import PassesPage
from boxoffice.ui.printers.page import PrintersPage
from printing.cups import CupsPrinters
from tests.boxoffice.services.pass_venue import build_pass_venue, sell_seated
from tests.printing import pdftools


@pytest.fixture
def page(window, qtbot) -> PassesPage:
    found = next(window.pages.widget(i) for i in range(window.pages.count())
                 if isinstance(window.pages.widget(i), PassesPage))
    window.show()
    with qtbot.waitSignal(found.definitions_loaded, timeout=10_000):
        window.show_page("Passes")
    return found


def webcam_video(path: Path) -> Path:
    """A short clip standing in for the webcam: a face-coloured oval on a grey wall."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (640, 480))
    for _i in range(5):
        frame = np.full((480, 640, 3), 180, np.uint8)
        cv2.ellipse(frame, (320, 220), (90, 120), 0, 0, 360, (120, 160, 220), -1)
        writer.write(frame)
    writer.release()
    return path


def _check_event(page: PassesPage, name: str) -> None:
    events = page.editor.events
    item = next(events.item(i) for i in range(events.count()) if events.item(i).text() == name)
    item.setCheckState(Qt.CheckState.Checked)


class TestPassEditor:
    def test_a_new_pass_with_its_fields_and_events_is_saved_and_shown(self, page: PassesPage, qtbot, tmp_path):
        editor = page.editor
        editor.show_definition(None)
        editor.name.setText("Abonnement Saison")
        editor.support.setCurrentIndex(editor.support.findData("card"))
        editor.price.setText("240,50")
        _check_event(page, "Concert du Nouvel An")
        editor.fields.asked["photo"].setChecked(True)
        editor.fields.required["photo"].setChecked(True)
        editor.fields.asked["email"].setChecked(True)
        with qtbot.waitSignal(page.definitions_loaded, timeout=10_000):
            editor.save_button.click()
        assert [page.definition_list.item(i).text() for i in range(page.definition_list.count())] == [
            "Abonnement Saison"]
        assert editor.heading.text() == "Abonnement Saison" and editor.support.currentText() == "PVC card (CR80)"
        assert editor.fields.required["photo"].isChecked() and editor.fields.asked["email"].isChecked()
        assert not editor.fields.required["email"].isChecked() and not editor.fields.asked["company"].isChecked()
        assert not editor.campaign.isEnabled()  # resale needs fixed seats
        assert editor.price.text() == "240.50" and editor.price_label.text() == "Price (CHF)"
        shot = tmp_path / "pass-editor.png"
        assert page.window().grab().save(str(shot))
        image = QImage(str(shot))
        assert image.width() >= 1000 and page.tabs.tabText(page.tabs.currentIndex()) == "Pass definitions"

    def test_a_price_that_is_not_money_is_refused_with_what_was_typed(self, page: PassesPage, qtbot):
        page.editor.show_definition(None)
        page.editor.name.setText("Carte 10 entrées")
        page.editor.price.setText("deux cents")
        _check_event(page, "Concert du Nouvel An")
        with qtbot.waitSignal(page.change_failed, timeout=10_000) as failed:
            page.editor.save_button.click()
        assert failed.args[0].startswith("“deux cents” is not an amount in CHF")
        assert page.definition_list.count() == 0

    def test_a_pass_nobody_bought_is_deleted_after_asking(self, page: PassesPage, qtbot, demo_writer):
        with demo_writer.transaction() as work:
            event = next(e for e in catalogue.events_of(work.session) if e.name == "Concert du Nouvel An")
            passes.create_definition(work, "Carte Concert", [event.id], price_minor=9000)
        with qtbot.waitSignal(page.definitions_loaded, timeout=10_000):
            page.load()
        page.definition_list.setCurrentRow(0)
        page.editor.delete_button.click()
        assert page.confirmation is not None and "Carte Concert" in page.confirmation.text()
        with qtbot.waitSignal(page.definitions_loaded, timeout=10_000):
            page.confirmation.button(QMessageBox.StandardButton.Yes).click()
        assert page.definition_list.count() == 0

    def test_a_sold_pass_cannot_be_deleted_and_the_page_says_why(self, page: PassesPage, qtbot, demo_writer):
        with demo_writer.transaction() as work:
            event = next(e for e in catalogue.events_of(work.session) if e.name == "Concert du Nouvel An")
            definition_id = passes.create_definition(work, "Carte Concert", [event.id], price_minor=9000)
            sell_pass(work, PassSale(definition_id, {"last_name": "Rossi", "first_name": "Luca"}))
        with qtbot.waitSignal(page.definitions_loaded, timeout=10_000):
            page.load()
        with qtbot.waitSignal(page.change_failed, timeout=10_000) as failed:
            page.delete_definition(definition_id)
        assert failed.args == ["This cannot be deleted: 1 ticket or pass was sold for it. "
                               "Archive the pass instead: the passes sold stay valid, and it is no longer sold."]
        assert page.definition_list.count() == 1

    def test_an_archived_pass_is_no_longer_sold_and_can_be_restored(self, page: PassesPage, qtbot, demo_writer):
        with demo_writer.transaction() as work:
            event = next(e for e in catalogue.events_of(work.session) if e.name == "Concert du Nouvel An")
            definition_id = passes.create_definition(work, "Carte Concert", [event.id], price_minor=9000)
            sell_pass(work, PassSale(definition_id, {"last_name": "Rossi", "first_name": "Luca"}))
        with qtbot.waitSignal(page.definitions_loaded, timeout=10_000):
            page.load()
        page.definition_list.setCurrentRow(0)
        assert page.editor.archive_button.text() == "Archive: stop selling"
        with qtbot.waitSignal(page.definitions_loaded, timeout=10_000):
            page.editor.archive_button.click()
        assert page.definition_list.item(0).text() == "Carte Concert  (archived)"
        assert page.sell_panel.definition.count() == 0
        with pytest.raises(passes.PassError, match="is archived: it is no longer sold"), \
                demo_writer.transaction() as work:
            sell_pass(work, PassSale(definition_id, {"last_name": "Favre", "first_name": "Léa"}))
        page.definition_list.setCurrentRow(0)
        assert page.editor.archive_button.text() == "Restore: sell it again"
        with qtbot.waitSignal(page.definitions_loaded, timeout=10_000):
            page.editor.archive_button.click()
        assert page.sell_panel.definition.findData(definition_id) >= 0

    def test_a_refused_definition_says_why(self, page: PassesPage, qtbot):
        page.editor.show_definition(None)
        page.editor.name.setText("No events")
        with qtbot.waitSignal(page.change_failed, timeout=10_000) as failed:
            page.editor.save_button.click()
        assert failed.args == ["A pass admits to at least one event."]
        assert page.problem.text() == "A pass admits to at least one event."


class TestSellPass:
    def test_a_pass_is_sold_with_a_webcam_photo_and_saved_as_a_cr80_pdf(self, page: PassesPage, qtbot, demo_writer,
                                                                         tmp_path):
        with demo_writer.transaction() as work:
            event = next(e for e in catalogue.events_of(work.session) if e.name == "Concert du Nouvel An")
            passes.create_definition(work, "Abonnement Saison", [event.id], price_minor=24000,
                                     holder_fields=[("civility", False), ("last_name", True), ("first_name", True),
                                                    ("photo", True)])
        with qtbot.waitSignal(page.definitions_loaded, timeout=10_000):
            page.load()
        page.tabs.setCurrentWidget(page.sell_tab)
        panel = page.sell_panel
        assert sorted(panel.inputs) == ["civility", "first_name", "last_name"] and panel.photo_camera.isVisible()
        panel.inputs["last_name"].setText("Bianchi")  # type: ignore[union-attr]
        panel.inputs["first_name"].setText("Giulia")  # type: ignore[union-attr]
        with qtbot.waitSignal(page.change_failed, timeout=10_000) as failed:
            panel.sell_button.click()
        assert failed.args == ["Please add the holder's photo."]
        page.camera_source = webcam_video(tmp_path / "webcam.avi")
        with qtbot.waitSignal(page.photo_ready, timeout=10_000):
            panel.photo_camera.click()
        assert panel.photo is not None and panel.photo.startswith(b"\xff\xd8\xff")
        assert not panel.photo_preview.pixmap().isNull()
        with qtbot.waitSignal(page.pass_sold, timeout=10_000) as sold:
            panel.sell_button.click()
        assert panel.message.text().startswith(f"Pass sold: order {sold.args[0].number}, CHF\xa0240.00")
        assert panel.pdf_button.isEnabled() and panel.inputs["last_name"].text() == ""  # type: ignore[union-attr]
        with qtbot.waitSignal(page.pdf_saved, timeout=20_000):
            page.save_pdf(tmp_path / "pass.pdf")
        assert (tmp_path / "pass.pdf").read_bytes().startswith(b"%PDF")
        width, height = pdftools.page_sizes(tmp_path / "pass.pdf")[0]
        assert round(width / 72 * 25.4) == 54 and round(height / 72 * 25.4) == 86  # CR80, portrait
        assert "Bianchi" in pdftools.text(tmp_path / "pass.pdf")
        assert b"/Subtype /Image" in (tmp_path / "pass.pdf").read_bytes()  # the holder's photo
        with demo_writer.store.session() as session:
            held = session.scalars(select(Pass)).one()
        assert held.holder == {"last_name": "Bianchi", "first_name": "Giulia", "language": "en"}
        assert held.photo is not None and held.photo.startswith(b"\xff\xd8\xff")
        page.window().grab().save(str(tmp_path / "pass-sale.png"))

    def test_a_photo_file_is_shrunk_to_a_portrait_jpeg_and_a_wrong_file_is_refused(self, page: PassesPage, qtbot,
                                                                                    tmp_path):
        big = tmp_path / "holder.bmp"
        assert cv2.imwrite(str(big), np.full((1200, 1600, 3), 200, np.uint8))
        with qtbot.waitSignal(page.photo_ready, timeout=10_000):
            page.use_photo_file(big)
        photo = page.sell_panel.photo
        assert photo is not None and photo.startswith(b"\xff\xd8\xff")
        height, width = cv2.imdecode(np.frombuffer(photo, np.uint8), cv2.IMREAD_COLOR).shape[:2]
        assert (width, height) == (360, 480)
        (tmp_path / "notes.txt").write_text("not a picture")
        with qtbot.waitSignal(page.change_failed, timeout=10_000) as failed:
            page.use_photo_file(tmp_path / "notes.txt")
        assert failed.args == ["notes.txt is not a picture this app can read."]


class TestResales:
    def test_the_amount_to_pay_out_is_given_per_currency(self, page: PassesPage):
        def row(n: int, currency: str, payout: int, status: str = "resold") -> resale.ResaleRow:
            return resale.ResaleRow(id=f"r{n}", holder="Inès Rochat", pass_name="Season", event="Gala",
                                    starts_at=datetime(2026, 12, 1, 19, tzinfo=UTC), seat="", payout_kind="transfer",
                                    iban="", account_holder="", percentage=80, sold_minor=payout, payout_minor=payout,
                                    currency=currency, status=status)

        page.resales.show_rows([row(1, "EUR", 2000), row(2, "CHF", 3600), row(3, "CHF", 1000),
                                row(4, "EUR", 500, "paid")])
        assert page.resales.summary.text() == "4 resales · to pay out: CHF\xa046.00 + €20.00"
        page.resales.show_rows([row(4, "EUR", 500, "paid")])
        assert page.resales.summary.text() == "1 resale · to pay out: 0"

    def test_the_payout_tracking_lists_resales_masks_the_iban_and_marks_one_paid(self, page: PassesPage, qtbot,
                                                                                demo_writer, tmp_path):
        venue = build_pass_venue(demo_writer)
        sold = sell_seated(demo_writer, venue)
        with demo_writer.transaction() as work:
            resale.offer_resale(work, sold.pass_id, venue.gala.first, "transfer", "CH93 0076 2011 6238 5295 7",
                                "Inès Rochat")
        with demo_writer.transaction() as work:
            sales.sell(work, Sale(venue.gala.first, venue.gala.balcony, (SaleLine(venue.gala.full),),
                                  seat_ids=(venue.seat_a1,), answers={venue.gala.question: "no"}))
        page.tabs.setCurrentWidget(page.resales)
        table = page.resales.table
        page.load_resales()  # the seat was sold again at the desk: its payout is computed on the way
        qtbot.waitUntil(lambda: table.rowCount() == 1 and table.item(0, 9).text() == "resold", timeout=10_000)
        cells = [table.item(0, c).text() for c in range(table.columnCount())]
        assert cells[0] == "Inès Rochat" and cells[4] == "Balcony, row A, seat 1" and cells[5] == "bank transfer"
        assert cells[6] == "CH93 •••• •••• •••• •295 7" and cells[7:] == ["CHF\xa045.00", "CHF\xa036.00", "resold"]
        assert page.resales.summary.text() == "1 resale · to pay out: CHF\xa036.00"
        table.selectRow(0)
        assert page.resales.paid_button.isEnabled()
        page.window().grab().save(str(tmp_path / "pass-resales.png"))
        with qtbot.waitSignal(page.resales_loaded, timeout=10_000):
            page.resales.paid_button.click()
        assert page.resales.table.item(0, 9).text() == "paid" and not page.resales.paid_button.isEnabled()
        page.export(tmp_path / "payouts.csv")
        qtbot.waitUntil(lambda: (tmp_path / "payouts.csv").exists())
        assert "CH93 0076 2011 6238 5295 7" in (tmp_path / "payouts.csv").read_text(encoding="utf-8-sig")


class TestPrintPass:
    def test_a_sold_pass_prints_on_the_card_printer_of_its_profile(self, page: PassesPage, qtbot, demo_writer,
                                                                  data_dir, cups_server):
        card = replace(print_setup.find_profile(data_dir, "IDP Smart-51 CR80"), name="Passes CR80",
                       layout="cr80-pass")
        print_setup.save_profile(data_dir, card)
        print_setup.assign_profile(data_dir, cups_server.printer, "Passes CR80")
        page.backend = CupsPrinters(cups_server.address)
        with demo_writer.transaction() as work:
            event = next(e for e in catalogue.events_of(work.session) if e.name == "Le Misanthrope")
            passes.create_definition(work, "Carte Misanthrope", [event.id], price_minor=9000)
        with qtbot.waitSignal(page.definitions_loaded, timeout=10_000):
            page.load()
        panel = page.sell_panel
        panel.definition.setCurrentIndex(panel.definition.findText("Carte Misanthrope"))
        panel.inputs["last_name"].setText("Favre")  # type: ignore[union-attr]
        panel.inputs["first_name"].setText("Hugo")  # type: ignore[union-attr]
        with qtbot.waitSignal(page.pass_sold, timeout=10_000):
            panel.sell_button.click()
        log = PrintersPage(demo_writer, data_dir, page.backend)  # the technician's page, open beside it
        qtbot.addWidget(log)
        log.load_jobs()
        qtbot.waitUntil(lambda: log.jobs.rowCount() == 0)
        with qtbot.waitSignal(page.print_finished, timeout=30_000) as printed:
            panel.print_button.click()
        report = printed.args[0]
        assert report.error == "" and report.printed == ["Hugo Favre — Carte Misanthrope"]
        assert panel.message.text() == report.summary()
        qtbot.waitUntil(lambda: log.jobs.rowCount() == 1)  # the job log refreshed by itself
