"""`boxoffice report takings|event|answers` run as real processes on a demo venue."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.boxoffice.test_cli import run


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("reports") / "d"
    assert run(folder, "demo", "--tickets", "300").returncode == 0
    return folder


class TestReportCommands:
    def test_takings_of_today_add_up_to_every_order_and_a_refund_is_subtracted(self, data: Path):
        today = datetime.now(ZoneInfo("Europe/Zurich")).date().isoformat()
        before = json.loads(run(data, "report", "takings", "--date", today, "--json").stdout)
        orders = json.loads(run(data, "orders", "--find", "", "--json").stdout)["orders"]
        paid = sum(o["total_minor"] for o in orders)  # the first 50: enough to find one to refund
        assert sum(t["net_minor"] for t in before["totals"]) >= paid > 0
        refunded = run(data, "cancel", orders[0]["number"], "--json")
        assert refunded.returncode == 0, refunded.stderr
        after = json.loads(run(data, "report", "takings", "--date", today, "--json").stdout)
        assert (sum(t["net_minor"] for t in before["totals"]) - sum(t["net_minor"] for t in after["totals"])
                == orders[0]["total_minor"])
        assert {t["method"] for t in after["totals"]} <= {"cash", "card", "invoice", "free"}

    def test_event_report_counts_tickets_per_rate(self, data: Path):
        shown = run(data, "report", "event", "Le Misanthrope", "--json")
        assert shown.returncode == 0, shown.stderr
        report = json.loads(shown.stdout)
        assert [r["name"] for r in report["rates"]] == ["Plein tarif", "AVS / Étudiant", "Enfant"]
        assert sum(r["sold"] for r in report["rates"]) == report["sold"] == sum(d["sold"] for d in report["dates"])
        assert len(report["door_access_code"]) == 6
        text = run(data, "report", "event", "Le Misanthrope").stdout
        assert text.startswith("Le Misanthrope\nStatus: published")

    def test_answers_are_written_as_csv(self, data: Path, tmp_path: Path):
        out = tmp_path / "answers.csv"
        written = run(data, "report", "answers", "Le Misanthrope", "-o", str(out), "--json")
        assert written.returncode == 0, written.stderr
        rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
        assert rows[0][:6] == ["Order", "Sold", "Name", "Email", "Phone", "Tickets"]
        assert len(rows) - 1 == json.loads(written.stdout)["orders"] > 0

    def test_bad_input_is_named(self, data: Path):
        bad_day = run(data, "report", "takings", "--date", "23.11.2026")
        assert bad_day.returncode == 1 and "YYYY-MM-DD" in bad_day.stderr
        unknown = run(data, "report", "event", "Nope")
        assert unknown.returncode == 1 and "Nope" in unknown.stderr
