"""CUPS backend against a real private cupsd with cups-pdf virtual card printers."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from printing.cups import CupsPrinters, _status
from printing.errors import (
    JobFailedError,
    OutOfCardsError,
    PrinterMissingError,
    PrintError,
    PrinterStoppedError,
    PrintSystemUnavailableError,
)
from printing.profiles import idp_smart51_cr80
from printing.render import Record, render_pdf
from printing.status import PrinterState
from printing.templates import cr80_badge
from tests.printing import pdftools
from tests.printing.conftest import CupsServer, _free_port

PAYLOAD = "CUPS-E2E-0001"


@pytest.fixture(scope="module")
def badge_pdf() -> bytes:
    return render_pdf(cr80_badge(), [Record({"first_name": "Zoë", "last_name": "Müller"}, PAYLOAD)])


def _printed_file(output: Path, job_id: int) -> Path:
    # cups-pdf names its file <title>-job_<id>.pdf once the backend has finished.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = list(output.glob(f"*job_{job_id}.pdf"))
        if found:
            return found[0]
        time.sleep(0.1)
    raise AssertionError(f"cups-pdf wrote no file for job {job_id} in {output}: {list(output.iterdir())}")


class TestCupsPrinting:
    def test_cr80_job_prints_end_to_end_at_card_size(self, cups_server: CupsServer, badge_pdf: bytes) -> None:
        printers = CupsPrinters(cups_server.address)
        outcome = printers.print_pdf(cups_server.printer, badge_pdf, idp_smart51_cr80(), "badge", timeout=60)
        assert outcome.state == "completed"
        printed = _printed_file(cups_server.output, outcome.job_id)
        ((width, height),) = pdftools.page_sizes(printed)
        assert width == pytest.approx(153.0, abs=1)
        assert height == pytest.approx(243.8, abs=1)
        assert pdftools.codes(printed)["QRCode"] == PAYLOAD

    def test_printers_are_listed_with_their_state(self, cups_server: CupsServer) -> None:
        listed = {p.name: p for p in CupsPrinters(cups_server.address).printers()}
        assert listed[cups_server.printer].state is PrinterState.IDLE
        assert listed[cups_server.printer].queued_jobs == 0
        stopped = listed[cups_server.stopped_printer]
        assert stopped.state is PrinterState.STOPPED
        assert stopped.message == "Ribbon being changed"

    def test_cancelled_job_is_reported_as_cancelled(self, cups_server: CupsServer, badge_pdf: bytes) -> None:
        printers = CupsPrinters(cups_server.address)
        profile = idp_smart51_cr80()
        held = type(profile)(**{**profile.to_dict(), "driver_options": {"job-hold-until": "indefinite"}})
        job_id = printers.submit(cups_server.printer, badge_pdf, held)
        printers.cancel(job_id)
        with pytest.raises(JobFailedError, match="cancelled"):
            printers.follow(job_id, timeout=10)
        printers.cancel(job_id)  # a second cancel of a finished job is harmless


class TestCupsErrors:
    def test_stopped_printer_is_refused_in_plain_words(self, cups_server: CupsServer, badge_pdf: bytes) -> None:
        with pytest.raises(PrinterStoppedError) as caught:
            CupsPrinters(cups_server.address).submit(cups_server.stopped_printer, badge_pdf, idp_smart51_cr80())
        assert str(caught.value).startswith("The printer CR80-stopped is stopped.")
        assert "Ribbon being changed" in str(caught.value)

    def test_missing_printer_is_named(self, cups_server: CupsServer, badge_pdf: bytes) -> None:
        with pytest.raises(PrinterMissingError, match="There is no printer named Smart51-nowhere"):
            CupsPrinters(cups_server.address).submit("Smart51-nowhere", badge_pdf)

    def test_unreachable_cups_is_a_print_system_error(self, cups_server: CupsServer, badge_pdf: bytes) -> None:
        with pytest.raises(PrintSystemUnavailableError, match="cannot be reached"):
            CupsPrinters(f"127.0.0.1:{_free_port()}").printers()
        CupsPrinters(cups_server.address).printers()  # point pycups back at the test server

    def test_unknown_job_is_a_print_error(self, cups_server: CupsServer) -> None:
        with pytest.raises(PrintError):
            CupsPrinters(cups_server.address).follow(987654, timeout=1)


class TestPrinterStateReasons:
    def test_media_empty_reason_means_out_of_cards(self) -> None:
        status = _status(
            "Smart51",
            {
                "printer-state": 5,
                "printer-state-reasons": ["media-empty-error"],
                "printer-state-message": "Card hopper empty",
            },
        )
        assert status.out_of_cards
        assert status.state is PrinterState.STOPPED

    def test_out_of_cards_is_raised_before_queuing(self, cups_server: CupsServer, badge_pdf: bytes) -> None:
        from printing.cups import _raise_if_unusable

        status = _status("Smart51", {"printer-state": 3, "printer-state-reasons": ["media-needed-warning"]})
        with pytest.raises(OutOfCardsError, match="out of cards"):
            _raise_if_unusable(status)
