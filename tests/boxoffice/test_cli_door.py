# SPDX-License-Identifier: AGPL-3.0-or-later
"""`boxoffice scan`, `tickets`, `door-list` and `decode` run as real processes on a demo venue."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import pytest

from tests.boxoffice.test_cli import run
from tests.printing.pdftools import text
from tests.scanning.images import qr_image


@pytest.fixture(scope="module")
def venue(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, str]]]:
    data = tmp_path_factory.mktemp("door") / "d"
    assert run(data, "demo", "--tickets", "120").returncode == 0
    listing = run(data, "tickets", "--json")
    assert listing.returncode == 0, listing.stderr
    return data, [json.loads(line) for line in listing.stdout.splitlines()]


def json_lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


class TestScanCommand:
    def test_default_door_admits_todays_or_next_dates_once(self, venue):
        data, tickets = venue
        first_date = min(t["date"] for t in tickets if t["kind"] == "ticket")
        code = next(t["code"] for t in tickets if t["date"] == first_date)
        result = run(data, "scan", code, code, "UNKNOWN", "--json", "--door", "South")
        assert result.returncode == 0, result.stderr
        verdicts = json_lines(result.stdout)
        assert [(v["code"], v["verdict"], v["reason"]) for v in verdicts] == [
            (code, "admitted", "welcome"), (code, "refused", "already_inside"), ("UNKNOWN", "refused", "unknown_code")]
        assert verdicts[0]["ticket"]["order"].startswith("D-") and verdicts[1]["previous"]["door"] == "South"
        listed = {t["code"]: t for t in json_lines(run(data, "tickets", "--json").stdout)}
        assert listed[code]["state"] == "inside"

    def test_a_date_not_chosen_is_a_wrong_date_and_multi_mode_admits_again(self, venue):
        data, tickets = venue
        dates = sorted({t["date"] for t in tickets if t["kind"] == "ticket"})
        late = next(t for t in tickets if t["date"] == dates[-1])
        refused = json_lines(run(data, "scan", late["code"], "--json").stdout)[0]
        assert refused["reason"] in ("wrong_date", "wrong_event")
        again = json_lines(run(data, "scan", late["code"], late["code"], "--mode", "multi", "--json",
                               "--event", _event_id(data, late)).stdout)
        assert [v["verdict"] for v in again] == ["admitted", "admitted"]

    def test_an_unknown_zone_is_named_in_the_error(self, venue):
        result = run(venue[0], "scan", "X", "--zone", "Nowhere")
        assert result.returncode == 1 and "There is no zone “Nowhere”" in result.stderr


def _event_id(data: Path, ticket: dict) -> str:
    verdict = json_lines(run(data, "scan", ticket["code"], "--json", "--mode", "exit").stdout)[0]
    return verdict["ticket"]["event_id"]


class TestListsAndDecode:
    def test_tickets_lists_holder_event_date_zone_state_and_code(self, venue):
        _data, tickets = venue
        assert len(tickets) == 120
        assert set(tickets[0]) >= {"holder", "event", "date", "zone", "state", "code"}

    def test_door_list_prints_the_names_of_a_date(self, venue, tmp_path: Path):
        data, tickets = venue
        date_id = json_lines(run(data, "scan", tickets[0]["code"], "--json", "--mode", "exit").stdout)[0]
        pdf = tmp_path / "list.pdf"
        result = run(data, "door-list", "--date", date_id["ticket"]["date_id"], "-o", str(pdf))
        assert result.returncode == 0, result.stderr
        assert tickets[0]["holder"] in text(pdf)

    def test_decode_prints_one_line_per_image(self, tmp_path: Path):
        image = tmp_path / "ticket.png"
        cv2.imwrite(str(image), qr_image("7KQ2MXRT00042"))
        blank = tmp_path / "blank.png"
        cv2.imwrite(str(blank), qr_image("x")[:8, :8])
        result = run(tmp_path / "d", "decode", str(image), str(blank), "--json")
        assert result.returncode == 0, result.stderr
        assert json_lines(result.stdout) == [
            {"file": str(image), "codes": [{"format": "QR_CODE", "text": "7KQ2MXRT00042"}]},
            {"file": str(blank), "codes": []}]

    def test_decode_reports_a_missing_file_and_goes_on(self, tmp_path: Path):
        result = run(tmp_path / "d", "decode", str(tmp_path / "nope.png"), "--json")
        assert result.returncode == 1 and "File not found" in result.stderr
