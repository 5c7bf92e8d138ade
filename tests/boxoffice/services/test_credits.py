"""Credits (G10): free start once, cost per guest and companion, refusal with the numbers, idempotent debit."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy import select

from boxoffice import mutations
from boxoffice.model.credits import CreditEntry
from boxoffice.model.devices import LocalDevice, OutboxEntry
from boxoffice.mutations import MutationContext, MutationRejected
from boxoffice.mutations.credits import FREE_GRANT_KEY, id_for_key
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import credits


class TestCost:
    def test_hundred_guests_with_one_companion_cost_two_hundred(self):
        assert credits.invitation_cost(100, 1) == 200

    def test_companions_beyond_twenty_are_refused(self):
        with pytest.raises(credits.CreditsError, match="between 0 and 20"):
            credits.invitation_cost(10, 21)


class TestLedger:
    def test_free_credits_are_granted_once(self, writer: Writer):
        for _ in range(3):
            with writer.transaction() as work:
                credits.ensure_free_credits(work)
        with writer.store.session() as session:
            assert credits.balance(session) == 200
            assert [(line.amount, line.kind) for line in credits.history(session)] == [(200, "grant")]

    def test_added_credits_need_a_note_and_show_in_history(self, writer: Writer):
        with writer.transaction() as work:
            credits.ensure_free_credits(work)
            credits.add_credits(work, 300, "Invoice 2026-117")
            with pytest.raises(credits.CreditsError, match="come from"):
                credits.add_credits(work, 10, " ")
        with writer.store.session() as session:
            assert credits.balance(session) == 500
            assert credits.history(session)[0].note == "Invoice 2026-117"

    def test_send_below_zero_is_refused_with_the_numbers(self, writer: Writer):
        with writer.transaction() as work:
            credits.ensure_free_credits(work)
        with writer.store.session() as session:
            credits.check_can_send(session, 200)
            with pytest.raises(credits.CreditsError, match="needs 230 credits, 200 left"):
                credits.check_can_send(session, 230)


class TestDebitMutator:
    def test_debit_applied_twice_gives_one_entry(self, writer: Writer):
        args = {"key": "send:inv-1", "amount": 150, "note": "sent"}
        with writer.transaction() as work:
            credits.ensure_free_credits(work)
            first = work.run("credits.debit", args)
            second = work.run("credits.debit", args)
        assert first["recorded"] and not second["recorded"] and first["id"] == second["id"]
        with writer.store.session() as session:
            debits = session.scalars(select(CreditEntry).where(CreditEntry.kind == "debit")).all()
            assert [d.amount for d in debits] == [-150]
            assert credits.balance(session) == 50

    def test_debit_beyond_the_balance_is_rejected_with_the_numbers(self, writer: Writer):
        with writer.transaction() as work:
            credits.ensure_free_credits(work)
            with pytest.raises(MutationRejected, match="needs 230 credits, 200 left"):
                work.run("credits.debit", {"key": "send:inv-2", "amount": 230})

    def test_no_device_may_push_it(self):
        assert mutations.lookup("credits.debit").roles == frozenset()


def _enrolled(writer: Writer, organizer_id: str) -> None:
    with writer.store.session() as session:
        device = session.get(LocalDevice, writer.device_id)
        assert device is not None
        device.organizer_id = organizer_id
        session.commit()


class TestOnePerOrganizer:
    def test_an_enrolled_device_grants_under_its_organizers_key(self, writer: Writer):
        _enrolled(writer, "org-léman")
        with writer.transaction() as work:
            credits.ensure_free_credits(work)
        with writer.store.session() as session:
            [grant] = session.scalars(select(CreditEntry))
        assert (grant.key, grant.id) == ("grant:free-at-start:org-léman", id_for_key("grant:free-at-start:org-léman"))

    def test_a_copy_not_enrolled_grants_under_its_own_device_key(self, writer: Writer):
        with writer.transaction() as work:
            credits.ensure_free_credits(work)
        with writer.store.session() as session:
            [grant] = session.scalars(select(CreditEntry))
        assert grant.key == f"grant:free-at-start:device:{writer.device_id}"

    def test_a_copy_with_the_bare_key_of_older_versions_gets_no_second_grant(self, writer: Writer):
        with writer.transaction() as work:
            work.run("credits.grant", {"key": FREE_GRANT_KEY, "amount": 200})
        _enrolled(writer, "org-léman")
        with writer.transaction() as work:
            credits.ensure_free_credits(work)
        with writer.store.session() as session:
            assert credits.balance(session) == 200

    def test_the_same_key_gives_each_organizer_its_own_id(self):
        assert id_for_key("send:gala", "org-a") != id_for_key("send:gala", "org-b") != id_for_key("send:gala")

    def test_a_debit_made_on_a_device_carries_its_id_to_the_server(self, writer: Writer):
        _enrolled(writer, "org-léman")
        with writer.transaction() as work:
            credits.ensure_free_credits(work)
            result = work.run("credits.debit", {"key": "send:gala", "amount": 20})
        with writer.store.session() as session:
            queued = [orjson.loads(e.args) for e in session.scalars(
                select(OutboxEntry).where(OutboxEntry.mutation == "credits.debit"))]
        assert result["id"] == id_for_key("send:gala", "org-léman")
        assert queued == [{"key": "send:gala", "amount": 20, "id": result["id"]}]

    def test_the_server_refuses_credits_without_knowing_the_organizer(self, writer: Writer):
        with writer.store.session() as session:
            ctx = MutationContext(session, "0", "sender", "mail sender", on_server=True)
            with pytest.raises(MutationRejected, match="kept per organizer"):
                mutations.lookup("credits.debit").run(ctx, {"key": "send:gala", "amount": 20})
