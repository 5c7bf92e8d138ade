"""Credits (G10): free start once, cost per guest and companion, refusal with the numbers, idempotent debit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from boxoffice.model.credits import CreditEntry
from boxoffice.services import credits
from boxoffice.store.unit_of_work import Writer
from sync.mutators import MutationRejected


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

    def test_only_organizer_devices_may_push_it(self):
        from sync import mutators

        assert mutators.lookup("credits.debit").roles == frozenset({"organizer"})
