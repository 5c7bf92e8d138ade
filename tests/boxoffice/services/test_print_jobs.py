"""The print service: records from an order, real CUPS jobs, and the print log that prevents double prints."""

from __future__ import annotations

import io
import time
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from boxoffice.model.devices import OutboxEntry
from boxoffice.model.passes import Pass, PassDefinition
from boxoffice.model.printing import PrintJob
from boxoffice.model.sales import Order, Ticket
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import contacts, print_setup
from boxoffice.services.demo import create_demo
from boxoffice.services.print_jobs import print_items, recent_jobs, render_items
from boxoffice.services.print_records import PrintRecordsError, badge_items_for_list, items_for_order
from boxoffice.store.ids import new_secret, uuid7
from printing.cups import CupsPrinters
from printing.profiles import idp_smart51_cr80
from printing.templates import cr80_badge, cr80_pass
from tests.printing import pdftools
from tests.printing.conftest import CupsServer

ORDER = "D-100001"


@pytest.fixture
def venue(writer: Writer) -> Writer:
    with writer.transaction() as work:
        create_demo(work, tickets=40, contact_count=6)
    return writer


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), (200, 40, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def _add_pass(writer: Writer, number: str = ORDER) -> str:
    with writer.transaction() as work:
        order = work.session.scalars(select(Order).where(Order.number == number)).one()
        definition = PassDefinition(id=uuid7(), name="Abonnement saison", created_at=order.created_at,
                                    appearance={"text_color": "#1a2b3c"})
        work.session.add(definition)
        work.session.flush()
        held = Pass(id=uuid7(), definition_id=definition.id, order_id=order.id, secret=new_secret(),
                    holder={"first_name": "Zoë", "last_name": "Favre"}, photo=_photo(), created_at=order.created_at)
        work.session.add(held)
        return held.secret


def _order_tickets(writer: Writer, number: str = ORDER) -> list[Ticket]:
    with writer.store.session() as session:
        order = session.scalars(select(Order).where(Order.number == number)).one()
        return list(session.scalars(select(Ticket).where(Ticket.order_id == order.id).order_by(Ticket.id)))


def _log(writer: Writer) -> list[PrintJob]:
    with writer.store.session() as session:
        return list(session.scalars(select(PrintJob).order_by(PrintJob.id)))


def _printed_file(output: Path, job_id: int) -> Path:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = list(output.glob(f"*job_{job_id}.pdf"))
        if found:
            return found[0]
        time.sleep(0.1)
    raise AssertionError(f"cups-pdf wrote no file for job {job_id}")


class TestRecordsFromAnOrder:
    def test_a_badge_per_ticket_holder_with_the_ticket_secret_as_qr(self, venue: Writer) -> None:
        tickets = _order_tickets(venue)
        with venue.store.session() as session:
            items = items_for_order(session, ORDER, "badge")
        assert [i.ticket_id for i in items] == [t.id for t in tickets]
        first, last = tickets[0].holder_name.split(" ", 1)
        assert (items[0].record.variables["first_name"], items[0].record.variables["last_name"]) == (first, last)
        assert items[0].record.qr == tickets[0].secret
        assert items[0].record.variables["event"] in items[0].label

    def test_a_ticket_carries_event_date_price_and_secret(self, venue: Writer) -> None:
        with venue.store.session() as session:
            [item, *_rest] = items_for_order(session, ORDER, "ticket")
        variables = item.record.variables
        assert variables["price"].startswith("CHF\xa0") and variables["date"].count(".") == 2
        assert variables["venue"] == "Lausanne" and variables["order"] == ORDER

    def test_a_pass_carries_its_holder_photo_and_prints_a_readable_code(self, venue: Writer, tmp_path: Path) -> None:
        secret = _add_pass(venue)
        with venue.store.session() as session:
            [item] = items_for_order(session, ORDER, "pass")
        assert item.record.qr == secret and item.record.photo == _photo()
        assert item.record.variables["pass_name"] == "Abonnement saison"
        pdf = tmp_path / "pass.pdf"
        pdf.write_bytes(render_items(cr80_pass(), [item]))
        assert pdftools.codes(pdf)["QRCode"] == secret
        assert "Zoë" in pdftools.text(pdf)

    def test_cards_of_different_looks_come_out_in_one_pdf_in_order(self, venue: Writer, tmp_path: Path) -> None:
        _add_pass(venue)
        with venue.store.session() as session:
            [zoe] = items_for_order(session, ORDER, "pass")
        noe = replace(zoe, record=replace(zoe.record, variables={**zoe.record.variables, "first_name": "Noé"}),
                      appearance={"text_color": "#c00000"})
        pdf = tmp_path / "passes.pdf"
        pdf.write_bytes(render_items(cr80_pass(), [zoe, noe, zoe], ORDER))
        assert len(pdftools.page_sizes(pdf)) == 3
        assert ["Zoë" in pdftools.text(pdf, n) for n in (1, 2, 3)] == [True, False, True]
        assert "Noé" in pdftools.text(pdf, 2)
        assert PdfReader(pdf).metadata.title == ORDER

    def test_an_unknown_order_and_an_order_without_passes_are_refused_in_plain_words(self, venue: Writer) -> None:
        with venue.store.session() as session:
            with pytest.raises(PrintRecordsError, match="There is no order number D-1"):
                items_for_order(session, "D-1", "badge")
            with pytest.raises(PrintRecordsError, match=f"The order {ORDER} has no passes to print"):
                items_for_order(session, ORDER, "pass")

    def test_conference_badges_for_every_contact_of_a_list(self, venue: Writer) -> None:
        with venue.store.session() as session:
            [summary] = contacts.list_summaries(session)
            items = badge_items_for_list(session, summary.id, "Forum 2026")
        assert len(items) == 6 and all(i.contact_id and i.record.qr == i.contact_id for i in items)
        assert items[0].record.variables["event"] == "Forum 2026"


class TestPrintingThroughCups:
    def test_badges_print_end_to_end_and_are_logged_as_completed(self, venue: Writer,
                                                                 cups_server: CupsServer) -> None:
        with venue.store.session() as session:
            items = items_for_order(session, ORDER, "badge")
        report = print_items(venue, CupsPrinters(cups_server.address), items, cups_server.printer,
                             idp_smart51_cr80(), cr80_badge())
        assert report.ok and len(report.printed) == len(items) == len(report.job_ids)
        printed = _printed_file(cups_server.output, report.job_ids[0])
        ((width, height),) = pdftools.page_sizes(printed)
        assert width == pytest.approx(153.0, abs=1) and height == pytest.approx(243.8, abs=1)
        assert pdftools.codes(printed)["QRCode"] == items[0].record.qr
        log = _log(venue)
        assert [(j.outcome, j.cups_job_id, j.printer) for j in log] == [
            ("completed", job, cups_server.printer) for job in report.job_ids]
        with venue.store.session() as session:
            mutations = list(session.scalars(select(OutboxEntry.mutation).where(
                OutboxEntry.mutation.like("print_jobs.%"))))
            assert recent_jobs(session)[0].outcome == "completed"
        assert mutations == ["print_jobs.record", "print_jobs.finish"] * len(items)

    def test_an_automatic_print_never_prints_the_same_badge_twice(self, venue: Writer,
                                                                  cups_server: CupsServer) -> None:
        printers = CupsPrinters(cups_server.address)
        with venue.store.session() as session:
            items = items_for_order(session, ORDER, "badge")
        print_items(venue, printers, items, cups_server.printer, idp_smart51_cr80(), cr80_badge())
        again = print_items(venue, printers, items, cups_server.printer, idp_smart51_cr80(), cr80_badge())
        assert (again.printed, len(again.skipped)) == ([], len(items))
        assert len(_log(venue)) == len(items)
        reprinted = print_items(venue, printers, items[:1], cups_server.printer, idp_smart51_cr80(), cr80_badge(),
                                reprint=True)
        assert len(reprinted.printed) == 1
        assert [j.reprint for j in _log(venue)][-1] is True

    def test_a_stopped_printer_is_a_clear_error_recorded_in_the_log(self, venue: Writer,
                                                                   cups_server: CupsServer) -> None:
        with venue.store.session() as session:
            items = items_for_order(session, ORDER, "badge")
        report = print_items(venue, CupsPrinters(cups_server.address), items, cups_server.stopped_printer,
                             idp_smart51_cr80(), cr80_badge())
        assert report.error.startswith("The printer CR80-stopped is stopped.") and not report.printed
        [entry] = _log(venue)  # the run stops at the first card: the others would fail the same way
        assert (entry.outcome, entry.printer) == ("failed", "CR80-stopped")
        assert "Ribbon being changed" in entry.message
        retry = print_items(venue, CupsPrinters(cups_server.address), items, cups_server.printer,
                            idp_smart51_cr80(), cr80_badge())
        assert len(retry.printed) == len(items), "a failed card is printed by the next automatic run"

    def test_a_missing_printer_is_named_and_logged(self, venue: Writer,
                                                   cups_server: CupsServer) -> None:
        with venue.store.session() as session:
            items = items_for_order(session, ORDER, "ticket")
        report = print_items(venue, CupsPrinters(cups_server.address), items, "Smart51-nowhere",
                             idp_smart51_cr80(), cr80_badge())
        assert report.error == "There is no printer named Smart51-nowhere."
        assert [(j.outcome, j.what, j.message) for j in _log(venue)] == [("failed", "ticket", report.error)]

    def test_a_batch_reports_progress_and_stops_between_cards_when_cancelled(
            self, venue: Writer, cups_server: CupsServer) -> None:
        with venue.store.session() as session:
            [summary] = contacts.list_summaries(session)
            items = badge_items_for_list(session, summary.id)
        seen: list[tuple[int, int]] = []
        report = print_items(venue, CupsPrinters(cups_server.address), items, cups_server.printer,
                             idp_smart51_cr80(), cr80_badge(), on_progress=lambda d, t, _l: seen.append((d, t)),
                             is_cancelled=lambda: len(seen) >= 2)
        assert report.cancelled and len(report.printed) == 2
        assert seen[:2] == [(0, 6), (1, 6)] and seen[-1] == (6, 6)
        assert "Stopped: the print run was cancelled." in report.summary()
        assert [j.contact_id for j in _log(venue)] == [i.contact_id for i in items[:2]]


class TestPrintSetup:
    def test_an_assigned_profile_picks_the_printer_and_a_saved_layout(self, tmp_path: Path) -> None:
        print_setup.assign_profile(tmp_path, "CR80", "IDP Smart-51 CR80")
        assert print_setup.printer_for(tmp_path, "badge") == "CR80"
        assert print_setup.profile_for(tmp_path, "badge", "CR80").printer == "CR80"
        print_setup.save_layout(tmp_path, replace(cr80_badge(), name="Forum"), "badge")
        assert [n.name for n in print_setup.layouts(tmp_path, "badge")] == ["cr80-badge", "Forum"]
        assert print_setup.layout_for(tmp_path, "badge", None, "Forum").name == "Forum"
