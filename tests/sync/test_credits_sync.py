"""Credits through the real server (G10): per organizer, one free grant, sends that fit, idempotent debits."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from boxoffice.model.credits import CreditEntry
from boxoffice.model.devices import Conflict, OutboxEntry
from boxoffice.model.invitations import Invitation
from boxoffice.services import credits, invitations
from boxoffice.store.ids import uuid7
from sync.server.database import Database
from tests.boxoffice.services.test_invitations import NOW, complete_draft, make_list
from tests.sync.server_credits import (
    device_entries,
    organizer_id,
    server_balance,
    server_debit,
    server_entries,
)


@pytest.fixture
def db(server) -> Any:
    database = Database(server.database_url)
    yield database
    database.engine.dispose()


def _organizer(db: Database, code: str) -> str:
    with db.session() as session:
        return organizer_id(session, code)


def _balance(writer) -> int:
    with writer.store.session() as session:
        return credits.balance(session)


def _entries(writer) -> set[tuple[Any, ...]]:
    with writer.store.session() as session:
        return device_entries(session)


def _free_start(writer, client) -> None:
    with writer.transaction() as work:
        credits.ensure_free_credits(work)
    client.sync_once()


def _grants(entries: set[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return [e for e in entries if e[3] == "grant"]


class SentTwice(requests.Session):
    """Every request reaches the server twice, as a retry after a lost reply does."""

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        super().request(method, url, *args, **kwargs)
        return super().request(method, url, *args, **kwargs)


class TestPerOrganizer:
    def test_two_organizers_each_start_with_two_hundred_and_hold_only_their_own(self, server, make_device, db):
        circus_code = server.new_organizer("Cirque Helvetia")
        theatre, theatre_sync = make_device("theatre")
        circus, circus_sync = make_device("circus", code=circus_code)
        _free_start(theatre, theatre_sync)
        _free_start(circus, circus_sync)
        with theatre.transaction() as work:
            credits.add_credits(work, 300, "Invoice 2026-117")
        theatre_sync.sync_once()
        circus_sync.sync_once()
        theatre_org, circus_org = _organizer(db, server.organizer_code), _organizer(db, circus_code)
        assert (_balance(theatre), server_balance(db, theatre_org)) == (500, 500)
        assert _entries(theatre) == server_entries(db, theatre_org)
        assert (_balance(circus), server_balance(db, circus_org)) == (200, 200)
        assert _entries(circus) == server_entries(db, circus_org)
        assert not {e[0] for e in _entries(theatre)} & {e[0] for e in _entries(circus)}
        assert len(_grants(_entries(theatre))) == len(_grants(_entries(circus))) == 1

    def test_an_organizer_cannot_spend_the_others_credits(self, server, make_device, db):
        theatre, theatre_sync = make_device("theatre")
        circus_code = server.new_organizer("Cirque Helvetia")
        circus, circus_sync = make_device("circus", code=circus_code)
        _free_start(theatre, theatre_sync)
        _free_start(circus, circus_sync)
        with theatre.transaction() as work:
            purchase = credits.add_credits(work, 300, "Invoice 2026-117")
        theatre_sync.sync_once()
        circus_org = _organizer(db, circus_code)
        refused = server_debit(db, circus_org, "send:circus-gala", 400)
        assert (refused.status, refused.reason) == ("rejected", "needs 400 credits, 200 left")
        # The circus is debited under the key of the theatre's purchase: its own entry, from its own credits.
        assert server_debit(db, circus_org, f"purchase:{purchase}", 10).status == "applied"
        assert circus_sync.sync_once().rejected == 0
        theatre_org = _organizer(db, server.organizer_code)
        assert (server_balance(db, theatre_org), server_balance(db, circus_org)) == (500, 190)
        assert (_balance(circus), _entries(circus)) == (190, server_entries(db, circus_org))
        theatre_sync.sync_once()
        assert (_balance(theatre), _entries(theatre)) == (500, server_entries(db, theatre_org))

    def test_the_same_key_debits_each_organizer_once(self, server, make_device, db):
        circus_code = server.new_organizer("Cirque Helvetia")
        for name, code in (("theatre", server.organizer_code), ("circus", circus_code)):
            _free_start(*make_device(name, code=code))
        theatre_org, circus_org = _organizer(db, server.organizer_code), _organizer(db, circus_code)
        answers = [server_debit(db, org, "send:gala", 50) for org in (theatre_org, circus_org, theatre_org, circus_org)]
        assert [a.result["recorded"] for a in answers] == [True, True, False, False]
        assert answers[0].result["id"] != answers[1].result["id"]
        assert (server_balance(db, theatre_org), server_balance(db, circus_org)) == (150, 150)


class TestOneFreeGrant:
    def test_two_devices_granting_offline_hold_one_grant_after_sync(self, server, make_device, db):
        laptop, laptop_sync = make_device("laptop")
        office, office_sync = make_device("office")
        for writer in (laptop, office):  # both offline when they open the Invitations page
            with writer.transaction() as work:
                credits.ensure_free_credits(work)
        for client in (laptop_sync, office_sync, laptop_sync):
            assert client.sync_once().rejected == 0
        organizer = _organizer(db, server.organizer_code)
        [grant] = _grants(server_entries(db, organizer))
        assert _entries(laptop) == _entries(office) == {grant}
        assert grant[1] == f"grant:free-at-start:{organizer}"

    def test_a_copy_granted_before_enrolling_keeps_the_organizers_one_grant(self, server, make_device, db):
        laptop, laptop_sync = make_device("laptop")
        _free_start(laptop, laptop_sync)
        standalone, standalone_sync = make_device("standalone", enroll=False)
        with standalone.transaction() as work:
            credits.ensure_free_credits(work)
        assert _balance(standalone) == 200
        standalone_sync.enroll(server.url, server.organizer_code, "standalone", "organizer")
        report = standalone_sync.sync_once()
        organizer = _organizer(db, server.organizer_code)
        assert report.rejected == 1  # its own grant, refused: the organizer had one already
        assert _entries(standalone) == _entries(laptop) == server_entries(db, organizer)
        assert (_balance(standalone), server_balance(db, organizer)) == (200, 200)
        with standalone.store.session() as session:
            [conflict] = session.scalars(select(Conflict))
            assert "free credits are already recorded" in conflict.details["reason"]

    def test_the_first_grant_pushed_wins_even_from_a_copy_enrolled_late(self, server, make_device, db):
        standalone, standalone_sync = make_device("standalone", enroll=False)
        with standalone.transaction() as work:
            credits.ensure_free_credits(work)
        standalone_sync.enroll(server.url, server.organizer_code, "standalone", "organizer")
        laptop, laptop_sync = make_device("laptop")
        with laptop.transaction() as work:  # offline, before it ever pulled the grant
            credits.ensure_free_credits(work)
        standalone_sync.sync_once()
        laptop_sync.sync_once()
        organizer = _organizer(db, server.organizer_code)
        assert len(_grants(server_entries(db, organizer))) == 1
        assert _entries(laptop) == _entries(standalone) == server_entries(db, organizer)
        assert _balance(laptop) == 200


class TestSending:
    def test_hundred_guests_with_one_companion_use_exactly_the_two_hundred_free_credits(self, server, make_device,
                                                                                       db):
        laptop, laptop_sync = make_device("laptop")
        _free_start(laptop, laptop_sync)
        draft = complete_draft([make_list(laptop, "Amis", [f"guest{i}@example.ch" for i in range(100)])])
        with laptop.transaction() as work:
            invitations.save_draft(work, draft)
            assert invitations.schedule(work, draft.id, now=NOW) == 100
        with laptop.store.session() as session:
            assert (credits.balance(session), credits.available(session)) == (200, 0)
        laptop_sync.sync_once()
        organizer = _organizer(db, server.organizer_code)
        sent = server_debit(db, organizer, credits.debit_key(draft.id), credits.invitation_cost(100, 1))
        assert sent.status == "applied"
        laptop_sync.sync_once()
        assert server_balance(db, organizer) == 0
        with laptop.store.session() as session:
            assert (credits.balance(session), credits.available(session)) == (0, 0)
            assert sorted((line.amount, line.kind) for line in credits.history(session)) == [(-200, "debit"),
                                                                                               (200, "grant")]
            with pytest.raises(credits.CreditsError, match="needs 2 credits, 0 left"):
                credits.check_can_send(session, credits.invitation_cost(1, 1))

    def test_reminders_and_test_sends_are_free(self, server, make_device, db):
        laptop, laptop_sync = make_device("laptop")
        _free_start(laptop, laptop_sync)
        draft = complete_draft([make_list(laptop, "Amis", [f"guest{i}@example.ch" for i in range(10)])])
        draft.reminders = [NOW.replace(day=15), NOW.replace(day=20), NOW.replace(day=25)]
        with laptop.transaction() as work:
            invitations.save_draft(work, draft)
            invitations.send_test(work, draft.id, "organizer@example.ch")
            invitations.schedule(work, draft.id, now=NOW)
        laptop_sync.sync_once()
        with laptop.store.session() as session:
            # Ten guests with one companion each: the three reminders and the test add nothing.
            assert (credits.balance(session), credits.available(session)) == (200, 180)
        organizer = _organizer(db, server.organizer_code)
        assert server_balance(db, organizer) == 200
        assert [e[3] for e in server_entries(db, organizer)] == ["grant"]

    def test_a_send_below_zero_is_refused_with_the_numbers_and_nothing_is_debited(self, server, make_device, db):
        laptop, laptop_sync = make_device("laptop")
        _free_start(laptop, laptop_sync)
        draft = complete_draft([make_list(laptop, "Amis", [f"guest{i}@example.ch" for i in range(115)])])
        with laptop.transaction() as work:
            invitations.save_draft(work, draft)
        with laptop.store.session() as session:
            outbox_before = session.scalar(select(func.count()).select_from(OutboxEntry))
        with pytest.raises(credits.CreditsError, match="needs 230 credits, 200 left"), \
                laptop.transaction() as work:
            invitations.schedule(work, draft.id, now=NOW)
        with laptop.store.session() as session:
            assert session.scalar(select(func.count()).select_from(OutboxEntry)) == outbox_before
            assert session.get(Invitation, draft.id).status == "draft"
        laptop_sync.sync_once()
        organizer = _organizer(db, server.organizer_code)
        refused = server_debit(db, organizer, credits.debit_key(draft.id), credits.invitation_cost(115, 1))
        assert (refused.status, refused.reason) == ("rejected", "needs 230 credits, 200 left")
        laptop_sync.sync_once()
        assert (server_balance(db, organizer), _balance(laptop)) == (200, 200)
        assert [e[3] for e in server_entries(db, organizer)] == ["grant"]

    def test_a_debit_the_sender_asks_again_debits_once(self, server, make_device, db):
        laptop, laptop_sync = make_device("laptop")
        _free_start(laptop, laptop_sync)
        organizer = _organizer(db, server.organizer_code)
        first = server_debit(db, organizer, "send:gala", 150)
        again = server_debit(db, organizer, "send:gala", 150)  # the sender retries after a crash
        assert (first.result["recorded"], again.result["recorded"], again.result["id"]) == (
            True, False, first.result["id"])
        laptop_sync.sync_once()
        debits = [e for e in server_entries(db, organizer) if e[3] == "debit"]
        assert [e[2] for e in debits] == [-150]
        assert (server_balance(db, organizer), _balance(laptop)) == (50, 50)
        assert _entries(laptop) == server_entries(db, organizer)
        with laptop.store.session() as session:
            assert session.scalar(select(func.count()).select_from(CreditEntry).where(CreditEntry.kind == "debit")) == 1

    def test_a_duplicated_push_of_a_purchase_adds_it_once(self, server, make_device, db):
        laptop, _sync = make_device("laptop")
        laptop_sync = type(_sync)(laptop, http=SentTwice())
        with laptop.transaction() as work:
            credits.ensure_free_credits(work)
            credits.add_credits(work, 300, "Invoice 2026-117")
        laptop_sync.sync_once()
        organizer = _organizer(db, server.organizer_code)
        assert (server_balance(db, organizer), _balance(laptop)) == (500, 500)
        assert _entries(laptop) == server_entries(db, organizer)

    def test_an_organizer_device_may_not_push_a_debit(self, server, make_device, db):
        laptop, laptop_sync = make_device("laptop")
        _free_start(laptop, laptop_sync)
        invitation_id = uuid7()
        # A cheap `send:<id>` pushed ahead would stand in for the invitation's real cost when the server sends.
        with laptop.transaction() as work:
            work.run("credits.debit", {"key": credits.debit_key(invitation_id), "amount": 1})
        laptop_sync.sync_once()
        with laptop.store.session() as session:
            [conflict] = session.scalars(select(Conflict))
        assert "may not push credits.debit" in conflict.details["reason"]
        organizer = _organizer(db, server.organizer_code)
        assert [e[3] for e in server_entries(db, organizer)] == ["grant"]
        assert server_debit(db, organizer, credits.debit_key(invitation_id), 30).result["recorded"]
        assert server_balance(db, organizer) == 170

    def test_an_organizer_device_may_not_give_itself_credits_back(self, server, make_device, db):
        laptop, laptop_sync = make_device("laptop")
        _free_start(laptop, laptop_sync)
        # Only the server refunds a message it could never send; a device pushing one would mint credits.
        with laptop.transaction() as work:
            work.run("credits.refund", {"key": credits.refund_key(uuid7()), "amount": 1000})
        laptop_sync.sync_once()
        with laptop.store.session() as session:
            [conflict] = session.scalars(select(Conflict))
        assert "may not push credits.refund" in conflict.details["reason"]
        organizer = _organizer(db, server.organizer_code)
        assert [e[3] for e in server_entries(db, organizer)] == ["grant"]
        assert (server_balance(db, organizer), _balance(laptop)) == (200, 200)
