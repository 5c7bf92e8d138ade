"""`boxoffice events`, `events duplicate`, `sell`, `orders` and `cancel` run as real processes on a demo venue."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.boxoffice.test_cli import run


@pytest.fixture(scope="module")
def venue(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    data = tmp_path_factory.mktemp("desk") / "d"
    assert run(data, "demo", "--tickets", "20").returncode == 0
    listing = run(data, "events", "--json")
    assert listing.returncode == 0, listing.stderr
    office = json.loads(listing.stdout)["box_offices"][0]
    return data, next(e for e in office["events"] if e["name"] == "Le Misanthrope")


class TestDeskCommands:
    def test_sell_find_and_cancel(self, venue):
        data, event = venue
        date = event["dates"][0]["id"]
        sold = run(data, "sell", "--date", date, "--zone", "Parterre", "--rate", "Plein tarif", "--quantity", "3",
                   "--customer", "Zoé Rochat", "--email", "zoe@example.ch", "--payment", "card", "--json")
        assert sold.returncode == 0, sold.stderr
        order = json.loads(sold.stdout)
        assert order["total_minor"] == 3 * 4500 and len(order["tickets"]) == 3 and order["payment_method"] == "card"
        found = json.loads(run(data, "orders", "--find", "Rochat", "--json").stdout)["orders"]
        assert [o["number"] for o in found] == [order["number"]]
        one = run(data, "cancel", order["number"], "--ticket", order["tickets"][0], "--json")
        assert one.returncode == 0, one.stderr
        assert json.loads(one.stdout)["status"] == "paid"
        rest = json.loads(run(data, "cancel", order["number"], "--json").stdout)
        assert rest["status"] == "cancelled" and {t["state"] for t in rest["tickets"]} == {"cancelled"}

    def test_refusals_are_plain_words_on_stderr(self, venue):
        data, event = venue
        date = event["dates"][0]["id"]
        result = run(data, "sell", "--date", date, "--zone", "Parterre", "--rate", "Plein tarif", "--quantity", "450")
        assert result.returncode == 1 and "places are left in Parterre" in result.stderr
        result = run(data, "sell", "--date", date, "--zone", "Balcon", "--rate", "Plein tarif", "--seat", "Z-99")
        assert result.returncode == 1 and "There is no seat Z-99 in Balcon" in result.stderr


class TestDuplicateCommand:
    def test_dry_run_then_copy(self, venue):
        data, event = venue
        args = ["events", "duplicate", event["id"], "--name", "Le Misanthrope (reprise)",
                "--dates", "2027-03-01T20:00+01:00,2027-03-02T20:00+01:00", "--json"]
        preview = json.loads(run(data, *args, "--dry-run").stdout)
        assert preview["id"] is None and preview["zones"] == ["Balcon (150)", "Parterre (400)"]
        assert preview["rates"] == ["Plein tarif", "AVS / Étudiant", "Enfant"]
        assert "reprise" not in run(data, "events").stdout
        copied = json.loads(run(data, *args).stdout)
        assert copied["id"]
        events = json.loads(run(data, "events", "--json").stdout)["box_offices"][0]["events"]
        copy = next(e for e in events if e["id"] == copied["id"])
        assert copy["status"] == "draft" and len(copy["dates"]) == 2 and copy["dates"][0]["starts_at"].startswith(
            "2027-03-01T20:00")
