"""Every mutation declares its arguments' model: the unit of work refuses bad ones by field, before
the mutator runs and before anything is queued for the server; the model's dict is what is queued."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
import pytest
from pydantic import ValidationError
from sqlalchemy import func, select

from boxoffice import mutations
from boxoffice.model.devices import OutboxEntry
from boxoffice.mutations import BadArguments, MutationRejected
from boxoffice.mutations.allotments import AllotmentRequest
from boxoffice.mutations.catalogue import CatalogueCreate
from boxoffice.mutations.conflicts import ConflictsResolve
from boxoffice.mutations.unit_of_work import Writer

NOW = datetime.now(UTC).isoformat()


def _outbox(writer: Writer) -> list[tuple[str, dict[str, object]]]:
    with writer.store.session() as session:
        entries = session.scalars(select(OutboxEntry).order_by(OutboxEntry.seq))
        return [(e.mutation, orjson.loads(e.args)) for e in entries]


def _refusal(writer: Writer, name: str, args: dict[str, object]) -> str:
    with pytest.raises(BadArguments) as refused, writer.transaction() as work:
        work.run(name, args)
    assert _outbox(writer) == []
    return str(refused.value)


class TestTheDeviceRefusesBadArguments:
    @pytest.mark.parametrize(("name", "args", "field", "words"), [
        ("conflicts.resolve", {"ids": "c1", "at": NOW}, "ids", "valid list"),
        ("conflicts.resolve", {"ids": ["c1"]}, "at", "Field required"),
        ("conflicts.resolve", {"ids": ["c1"], "at": "yesterday"}, "at", "ISO 8601"),
        ("conflicts.resolve", {"ids": ["c1"], "at": NOW, "also": 1}, "also", "Extra inputs"),
        ("conflicts.resolve", {"ids": ["c 1"], "at": NOW}, "ids.0", "pattern"),
        ("conflicts.resolve", {"ids": ["١٢"], "at": NOW}, "ids.0", "pattern"),
        ("allotments.request", {"id": "a1", "date_id": "d", "zone_id": "z", "wanted": "2"}, "wanted", "integer"),
        ("allotments.request", {"id": "a1", "date_id": "d", "zone_id": "z", "wanted": True}, "wanted", "integer"),
        ("allotments.request", {"id": "a1", "date_id": "d", "zone_id": "z", "wanted": 2**63}, "wanted", "less than"),
        ("catalogue.remove", {"entity": "zones", "id": 7}, "id", "valid string"),
        ("till.close", {"close": {"id": "t1"}}, "close.device_id", "Field required"),
        ("checkins.record", {"id": "s1", "code": "X", "door": "Main", "direction": "sideways", "verdict": "admitted",
                             "reason": "ok", "scanned_at": NOW}, "direction", "pattern"),
        ("sales.sell", {"order": {"id": "o1"}, "tickets": [{"id": "t1", "date_id": "d1"}]}, "tickets.0.zone_id",
         "Field required"),
        ("passes.sell", {"order": {"id": "o1"}, "pass": {"id": "p1"}, "tickets": []}, "pass.definition_id",
         "Field required"),
        ("resale.offer", {"id": "r1", "pass_id": "p1", "date_id": "d1", "payout_kind": "cash"}, "payout_kind",
         "pattern"),
        ("orders.create_many", {"orders": [["o1", "N-1"]], "tickets": []}, "orders.0.2", "Field required"),
    ])
    def test_the_unit_of_work_names_the_field_and_queues_nothing(self, writer, name, args, field, words):
        reason = _refusal(writer, name, args)
        assert reason.startswith(f"{name}: {field}: ") and words in reason

    def test_a_refusal_is_a_mutation_rejected_so_callers_show_it_like_any_other(self, writer):
        with pytest.raises(MutationRejected), writer.transaction() as work:
            work.run("allotments.release", {})

    def test_a_model_built_by_hand_with_a_bad_field_is_refused_when_made(self):
        with pytest.raises(ValidationError, match="wanted"):
            AllotmentRequest(id="a1", date_id="d", zone_id="z", wanted="2")  # type: ignore[arg-type]

    def test_arguments_of_another_mutation_are_refused(self, writer):
        with pytest.raises(BadArguments, match=r"does not take the arguments of conflicts\.resolve"):
            mutations.lookup("catalogue.remove").run(None, ConflictsResolve(ids=[], at=NOW))  # type: ignore[arg-type]


class TestTheModelIsTheWireFormat:
    def test_the_outbox_keeps_what_the_caller_gave_not_the_defaults(self, writer):
        with writer.transaction() as work:
            work.run(CatalogueCreate(entity="box_offices", id="b1", values={"name": "Hall", "currency": "CHF"}))
            work.run(ConflictsResolve(ids=[], at=NOW))
        assert _outbox(writer) == [
            ("catalogue.create", {"entity": "box_offices", "id": "b1", "values": {"name": "Hall", "currency": "CHF"}}),
            ("conflicts.resolve", {"ids": [], "at": NOW})]

    def test_a_typed_run_and_the_same_dict_by_name_make_the_same_queued_row(self, writer):
        with writer.transaction() as work:
            work.run(ConflictsResolve(ids=["x"], at=NOW))
            work.run("conflicts.resolve", {"ids": ["x"], "at": NOW})
        first, second = _outbox(writer)
        assert first == second

    def test_what_was_queued_validates_again_as_the_server_will(self, writer):
        with writer.transaction() as work:
            work.run(CatalogueCreate(entity="box_offices", id="b1", values={"name": "Hall", "currency": "CHF"}))
        [(name, args)] = _outbox(writer)
        assert mutations.lookup(name).parse(args) == CatalogueCreate(
            entity="box_offices", id="b1", values={"name": "Hall", "currency": "CHF"})

    def test_every_registered_mutation_has_a_frozen_model_that_forbids_extras(self):
        for name in mutations.names():
            model = mutations.lookup(name).model
            assert model.mutation == name
            assert model.model_config.get("frozen") and model.model_config.get("extra") == "forbid"


def test_nothing_ran_when_refused(writer):
    _refusal(writer, "catalogue.create", {"entity": "box_offices", "id": "b1", "values": {"name": 3, "Bad Key": 1}})
    with writer.store.session() as session:
        assert session.scalar(select(func.count()).select_from(OutboxEntry)) == 0
