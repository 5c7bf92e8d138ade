"""`boxoffice print` and `boxoffice printers` run as real processes, to a PDF file and to the private cupsd."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.printing import pdftools
from tests.printing.conftest import CupsServer, _free_port

ORDER = "D-100001"


def run(data_dir: Path, *args: str, cups: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if cups is not None:
        env["CUPS_SERVER"] = cups  # libcups reads it; the CLI needs no option of its own
    return subprocess.run([sys.executable, "-m", "boxoffice", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, timeout=120, env=env)


@pytest.fixture(scope="module")
def venue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("venue")
    assert run(data, "demo", "--tickets", "40").returncode == 0
    return data


class TestPrintToFile:
    def test_badges_are_written_as_a_cr80_pdf(self, venue: Path, tmp_path: Path) -> None:
        out = tmp_path / "badges.pdf"
        result = run(venue, "print", "badge", "--order", ORDER, "-o", str(out), "--json")
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)
        sizes = pdftools.page_sizes(out)
        assert report == {"order": ORDER, "what": "badge", "file": str(out), "pages": len(sizes)}
        assert all(w == pytest.approx(153.0, abs=1) and h == pytest.approx(243.8, abs=1) for w, h in sizes)
        assert "QRCode" in pdftools.codes(out)

    def test_tickets_are_written_on_a4(self, venue: Path, tmp_path: Path) -> None:
        out = tmp_path / "tickets.pdf"
        assert run(venue, "print", "ticket", "--order", ORDER, "-o", str(out)).returncode == 0
        width, height = pdftools.page_sizes(out)[0]
        assert (round(width), round(height)) == (595, 842)

    def test_an_order_without_passes_fails_in_plain_words(self, venue: Path, tmp_path: Path) -> None:
        result = run(venue, "print", "pass", "--order", ORDER, "-o", str(tmp_path / "p.pdf"))
        assert result.returncode == 1
        assert result.stderr.strip() == f"error: The order {ORDER} has no passes to print."
        assert "Traceback" not in result.stderr


class TestPrintToCups:
    def test_print_then_skip_then_reprint_through_the_private_cupsd(self, venue: Path,
                                                                    cups_server: CupsServer) -> None:
        first = run(venue, "print", "badge", "--order", ORDER, "--printer", cups_server.printer, "--json",
                    cups=cups_server.address)
        assert first.returncode == 0, first.stderr
        report = json.loads(first.stdout)
        assert report["printer"] == "CR80" and report["profile"] == "IDP Smart-51 CR80"
        assert len(report["printed"]) == len(report["job_ids"]) >= 1 and report["error"] == ""
        again = json.loads(run(venue, "print", "badge", "--order", ORDER, "--printer", cups_server.printer,
                               "--json", cups=cups_server.address).stdout)
        assert again["printed"] == [] and len(again["skipped"]) == len(report["printed"])
        reprint = json.loads(run(venue, "print", "badge", "--order", ORDER, "--printer", cups_server.printer,
                                 "--reprint", "--json", cups=cups_server.address).stdout)
        assert len(reprint["printed"]) == len(report["printed"])

    def test_a_stopped_printer_fails_without_a_traceback(self, venue: Path, cups_server: CupsServer) -> None:
        result = run(venue, "print", "ticket", "--order", ORDER, "--printer", cups_server.stopped_printer,
                     cups=cups_server.address)
        assert result.returncode == 1
        assert "error: The printer CR80-stopped is stopped." in result.stderr
        assert "Traceback" not in result.stderr

    def test_a_missing_printer_is_named(self, venue: Path, cups_server: CupsServer) -> None:
        # Another order: the first test printed this one's badges, and a printed badge is skipped anywhere.
        result = run(venue, "print", "badge", "--order", "D-100003", "--printer", "Smart51-nowhere",
                     cups=cups_server.address)
        assert result.returncode == 1
        assert "error: There is no printer named Smart51-nowhere." in result.stderr

    def test_printers_lists_state_queue_and_profile(self, venue: Path, cups_server: CupsServer) -> None:
        result = run(venue, "printers", "--json", cups=cups_server.address)
        assert result.returncode == 0, result.stderr
        printers = {p["name"]: p for p in json.loads(result.stdout)["printers"]}
        assert (printers["CR80"]["state"], printers["CR80"]["queued_jobs"]) == ("idle", 0)
        assert printers["CR80-stopped"]["state"] == "stopped"
        assert printers["CR80-stopped"]["message"] == "Ribbon being changed"
        assert printers["CR80"]["profile"] is None

    def test_no_cups_is_said_in_plain_words(self, venue: Path) -> None:
        result = run(venue, "printers", cups=f"127.0.0.1:{_free_port()}")
        assert result.returncode == 1
        assert result.stderr.strip() == ("error: The print system (CUPS) cannot be reached. "
                                         "Check that it is installed and running.")
