"""The server validates a pushed mutation's arguments with the mutation's model, on SQLite and
PostgreSQL: a bad one is answered rejected naming the field (not a 500), and the push goes on."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import requests
from sqlalchemy import select

from boxoffice.model.devices import Conflict
from sync.protocol import SCHEMA_HEADER, SCHEMA_VERSION
from sync.server.database import Database

NOW = datetime.now(UTC).isoformat()


def _push(server, make_device, *mutations: tuple[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """A freshly enrolled organizer's laptop pushes `mutations` straight to the server."""
    laptop, laptop_sync = make_device("laptop")
    answer = requests.post(f"{server.url}/v1/push", timeout=30, json={"mutations": [
        {"seq": seq, "name": name, "hlc": str(laptop.clock.now()), "args": args}
        for seq, (name, args) in enumerate(mutations, start=1)]},
        headers={"Authorization": f"Bearer {laptop_sync._token()}", SCHEMA_HEADER: str(SCHEMA_VERSION)})
    assert answer.status_code == 200, answer.text
    return answer.json()["results"]


class TestTheServerRefusesBadArguments:
    def test_a_wrong_type_is_answered_rejected_naming_the_field(self, make_device, server):
        [result] = _push(server, make_device, ("conflicts.resolve", {"ids": "c1", "at": NOW}))
        assert result["status"] == "rejected"
        assert result["reason"].startswith("conflicts.resolve: ids: ") and "valid list" in result["reason"]

    def test_a_missing_field_and_an_unknown_one_are_named(self, make_device, server):
        missing, extra = _push(server, make_device, ("catalogue.remove", {"entity": "zones"}),
                               ("catalogue.remove", {"entity": "zones", "id": "z1", "cascade": True}))
        assert (missing["status"], extra["status"]) == ("rejected", "rejected")
        assert missing["reason"] == "catalogue.remove: id: Field required"
        assert extra["reason"] == "catalogue.remove: cascade: Extra inputs are not permitted"

    def test_a_bad_nested_field_is_named_by_its_path(self, make_device, server):
        [result] = _push(server, make_device, ("till.close", {"close": {"id": "t1", "device_id": "x y"}}))
        assert result["status"] == "rejected" and result["reason"].startswith("till.close: close.device_id: ")

    def test_a_string_or_a_boolean_for_a_number_is_refused(self, make_device, server):
        # (A number beyond 64 bits never gets this far: the front door answers 422.)
        text, flag = _push(server, make_device,
                           ("print_jobs.finish", {"id": "j1", "outcome": "completed", "cups_job_id": "12"}),
                           ("allotments.release", {"id": True}))
        assert text["status"] == "rejected" and text["reason"].startswith("print_jobs.finish: cups_job_id: ")
        assert flag["status"] == "rejected" and flag["reason"].startswith("allotments.release: id: ")

    def test_a_scan_and_a_sale_that_do_not_fit_their_models_are_refused_by_field(self, make_device, server):
        scan = {"id": "s1", "code": "X", "door": "Main", "direction": "in", "verdict": "maybe", "reason": "ok",
                "scanned_at": NOW}
        sale = {"order": {"id": "o1", "total_minor": "12.50"}, "tickets": []}
        refused_scan, refused_sale = _push(server, make_device, ("checkins.record", scan), ("sales.sell", sale))
        assert refused_scan["status"] == "rejected" and refused_scan["reason"].startswith("checkins.record: verdict: ")
        assert refused_sale["status"] == "rejected"
        assert refused_sale["reason"].startswith("sales.sell: order.total_minor: ")

    def test_a_refused_mutation_does_not_block_the_good_one_after_it(self, make_device, server):
        bad, good = _push(server, make_device, ("conflicts.resolve", {"ids": ["c1"], "at": "not a time"}),
                          ("conflicts.resolve", {"ids": [], "at": NOW}))
        assert bad["status"] == "rejected" and "ISO 8601" in bad["reason"]
        assert good == {**good, "status": "applied", "result": {"seen": 0}}
        db = Database(server.database_url)
        with db.session() as session:
            assert session.scalars(select(Conflict)).all() == []
        db.engine.dispose()
