"""Windows spooler backend, exercised offscreen through Qt's PDF output."""

from __future__ import annotations

from pathlib import Path

import pytest

from printing.errors import PrinterMissingError
from printing.profiles import idp_smart51_cr80
from printing.qtprint import QtPrinters
from printing.render import Record, render_pdf
from printing.templates import cr80_badge
from tests.printing import pdftools

PAYLOAD = "QT-SPOOL-0001"


class TestQtPrinters:
    def test_listing_printers_returns_a_list(self, qapp: object) -> None:
        assert isinstance(QtPrinters().printers(), list)

    def test_missing_printer_is_named(self, qapp: object) -> None:
        with pytest.raises(PrinterMissingError, match="Smart51-nowhere"):
            QtPrinters().printer("Smart51-nowhere")

    def test_pdf_output_keeps_the_card_size_and_a_readable_code(self, qapp: object, tmp_path: Path) -> None:
        pdf = render_pdf(cr80_badge(), [Record({"first_name": "Zoë"}, PAYLOAD)] * 2)
        output = tmp_path / "spooled.pdf"
        outcome = QtPrinters().submit("", pdf, idp_smart51_cr80(), output_file=output)
        assert outcome.state == "completed"
        sizes = pdftools.page_sizes(output)
        assert len(sizes) == 2
        assert sizes[0][0] == pytest.approx(153.0, abs=1)
        assert sizes[0][1] == pytest.approx(243.8, abs=1)
        assert pdftools.codes(output)["QRCode"] == PAYLOAD
