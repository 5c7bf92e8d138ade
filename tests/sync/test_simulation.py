"""Seeded simulation: 3–6 devices edit, remove, sell and scan offline over a faulty network, then heal.

Each seed drives random offline work and syncs through a transport that drops requests, drops
replies after the server applied them, and sends requests twice; clients crash between pages and
run with skewed clocks. After healing, every device must equal the server on its scopes, every
check-in must exist exactly once, no mutation may have been applied twice, the venue must
never be sold beyond its capacity (desks sell from leases, organizers are checked by the server),
and credits must equal the ledger: organizer devices grant the free credits and add credits
offline, the server's sender debits keyed sends (retried, sometimes past the balance), and every
device ends with its organizer's entries and balance, one free grant, no debit twice.
"""

from __future__ import annotations

import contextlib
import random
import shutil
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from boxoffice.model.checkins import CheckIn
from boxoffice.model.contacts import Contact, ContactList
from boxoffice.model.sales import Ticket
from boxoffice.mutations import MutationRejected
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import contacts, credits, sales
from boxoffice.services.sales import Sale, SaleError, SaleLine
from boxoffice.store.engine import DATABASE_FILE, open_store
from boxoffice.store.hlc import HybridClock
from boxoffice.store.ids import uuid7
from sync.client import Offline, SyncClient, SyncError
from sync.server.codes import hash_code
from sync.server.database import Database
from sync.server.tables import AppliedMutation, Organizer, RowChange
from tests.boxoffice.services.box_office_venue import Venue, build_venue
from tests.live_server import LiveServer, running_server
from tests.sync.server_credits import device_entries, server_balance, server_debit, server_entries

SEEDS = range(100)
STEPS = 24


class FaultyNetwork(requests.Session):
    """Loses or duplicates what a bad venue Wi-Fi loses or duplicates, decided by the seed."""

    def __init__(self, rng: random.Random) -> None:
        super().__init__()
        self.rng = rng
        self.healed = False

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        roll = 1.0 if self.healed else self.rng.random()
        if roll < 0.08:
            raise requests.ConnectionError("dropped before reaching the server")
        response = super().request(method, url, *args, **kwargs)
        if roll < 0.16:
            raise requests.ConnectionError("reply lost after the server applied the request")
        if roll < 0.24:
            response = super().request(method, url, *args, **kwargs)  # sent twice
        return response


class CrashingClient(SyncClient):
    """A client whose process may die after a page's rows are written but before its commit."""

    def __init__(self, writer: Writer, network: FaultyNetwork, rng: random.Random) -> None:
        super().__init__(writer, http=network)
        self.rng = rng

    def _apply_page(self, page: dict[str, Any]) -> None:
        if not self.http.healed and page["changes"] and self.rng.random() < 0.1:  # type: ignore[attr-defined]
            raise Offline("killed mid-page")
        super()._apply_page(page)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("simulation-server")
    with running_server(f"sqlite:///{folder / 'server.sqlite3'}") as server:
        yield server


class Device:
    def __init__(self, name: str, folder: Path, template: Path, live: LiveServer, code: str, rng: random.Random,
                 role: str, grant_alone: bool = False) -> None:
        folder.mkdir(parents=True)
        shutil.copy(template, folder / DATABASE_FILE)
        self.writer = Writer(open_store(folder))
        skew = rng.randint(-120_000, 120_000)  # up to two minutes wrong
        self.writer.clock = HybridClock(self.writer.device_id, wall=lambda: time.time_ns() // 1_000_000 + skew)
        self.network = FaultyNetwork(rng)
        self.client = CrashingClient(self.writer, self.network, rng)
        self.grant_alone = grant_alone
        if grant_alone:  # used alone before pairing: its own free credits, which its organizer may have already
            with self.writer.transaction() as work:
                credits.ensure_free_credits(work)
        self.network.healed = True
        self.client.enroll(live.url, code, name, role)
        self.network.healed = False
        self.scans: list[str] = []
        self.role = role

    def sync(self) -> None:
        with contextlib.suppress(SyncError):  # offline this time; everything waits in the outbox
            self.client.sync_once()


CAPACITY = 8  # small, so that desks and organizers really compete for the last places


def _trade(device: Device, rng: random.Random, venue: Venue) -> None:
    """A desk leases or sells from its lease; an organizer sells what it believes is free."""
    if device.role == "desk" and rng.random() < 0.4:
        with device.writer.transaction() as work:
            work.run("allotments.request", {"id": uuid7(), "date_id": venue.first, "zone_id": venue.floor,
                                            "wanted": rng.randint(1, 10)})
        return
    sale = Sale(venue.first, venue.floor, (SaleLine(venue.full, rng.randint(1, 3)),),
                answers={venue.question: "no"})
    with contextlib.suppress(SaleError), device.writer.transaction() as work:
        sales.sell(work, sale)


class Ledger:
    """What the organizer asked of its credits, to check the server's ledger against."""

    def __init__(self) -> None:
        self.granted = False
        self.added: dict[str, int] = {}
        self.recorded_debits: list[str] = []


def _credits(device: Device, rng: random.Random, ledger: Ledger) -> None:
    """An organizer, offline or not, opens the Invitations page or adds credits."""
    roll = rng.random()
    with contextlib.suppress(MutationRejected), device.writer.transaction() as work:
        if roll < 0.35:
            credits.ensure_free_credits(work)
            ledger.granted = True
        else:  # only the server debits (credits.debit has no device role)
            amount = rng.randint(1, 60)
            ledger.added[credits.add_credits(work, amount, f"Invoice {rng.randrange(10**6)}")] = amount


def _sender_debits(server: Database, organizer: str, rng: random.Random, ledger: Ledger) -> None:
    """The server's sender debits a send or retries one after a crash (the same key)."""
    result = server_debit(server, organizer, f"send:sim-{rng.randrange(4)}", rng.randint(10, 120))
    if result.status == "applied" and result.result.get("recorded"):
        ledger.recorded_debits.append(result.result["key"])


def _check_credits(server: Database, organizer: str, devices: list[Device], ledger: Ledger) -> None:
    entries = server_entries(server, organizer)
    balance = server_balance(server, organizer)
    assert balance == sum(e[2] for e in entries) >= 0
    assert len([e for e in entries if e[3] == "grant"]) == (1 if ledger.granted else 0), "not one free grant"
    assert {e[0]: e[2] for e in entries if e[3] == "purchase"} == ledger.added, "credits added by hand lost"
    debits = [e[1] for e in entries if e[3] == "debit"]
    assert len(debits) == len(set(debits)), "a debit was applied twice"
    assert len(ledger.recorded_debits) == len(set(ledger.recorded_debits)), "the sender debited a key twice"
    assert set(ledger.recorded_debits) <= set(debits)
    for device in devices:
        with device.writer.store.session() as session:
            if device.role != "organizer":  # credits are the organizer's business (docs/roles.md)
                assert all(amount == 0 for _id, _key, amount, _kind in device_entries(session))
                continue
            assert device_entries(session) == entries
            assert credits.balance(session) == balance == sum(line.amount for line in credits.history(session))


def _act(device: Device, rng: random.Random, venue: Venue, ledger: Ledger) -> None:
    if device.role == "organizer" and rng.random() < 0.3:
        _credits(device, rng, ledger)
        return
    if rng.random() < 0.4:
        _trade(device, rng, venue)
        return
    with device.writer.store.session() as session:
        lists = [x.id for x in session.scalars(select(ContactList))]
        people = [c.id for c in session.scalars(select(Contact).where(Contact.cl % 2 == 1))]
    with device.writer.transaction() as work:
        # Each role does what its screens allow: desks scan here, organizers edit lists.
        choice = 0.9 if device.role != "organizer" else rng.random()
        if choice < 0.15 or (not lists and device.role == "organizer"):
            contacts.create_list(work, f"List {uuid7()[-6:]}")
        elif choice < 0.45:
            contacts.add_contact(work, rng.choice(lists), f"p{rng.randrange(10**9)}@example.ch", "First", "Last")
        elif choice < 0.65 and people:
            target = rng.choice(people)
            work.run("contacts.update", {"id": target, "changes": {"first_name": f"N{rng.randrange(1000)}"}})
        elif choice < 0.75 and people:
            contacts.remove_contacts(work, [rng.choice(people)])
        else:
            scan = uuid7()
            device.scans.append(scan)
            work.run("checkins.record", {"id": scan, "code": f"CODE{rng.randrange(50)}", "door": "sim",
                                         "direction": "in", "verdict": "refused", "reason": "unknown_code",
                                         "scanned_at": datetime.now(UTC).isoformat()})


def _organizer_id(session: Any, code: str) -> str:
    return str(session.scalars(select(Organizer.id).where(Organizer.code_hash == hash_code(code))).one())


def _rows(session: Any, model: Any, columns: tuple[str, ...]) -> set[tuple[Any, ...]]:
    return {tuple(getattr(row, c) for c in columns) for row in session.scalars(select(model))}


@pytest.mark.parametrize("seed", SEEDS)
def test_devices_converge_with_the_server_after_faults(seed: int, live: LiveServer, tmp_path: Path,
                                                       store_template: Path) -> None:
    rng = random.Random(seed)
    code = live.new_organizer(f"Simulation {seed}")
    devices = [Device(f"d{i}", tmp_path / f"d{i}", store_template, live, code, rng,
                      "organizer" if i < 2 else "desk", grant_alone=i == 1 and rng.random() < 0.3)
               for i in range(rng.randint(3, 6))]
    venue = build_venue(devices[0].writer, floor_capacity=CAPACITY)
    for device in devices:  # the catalogue reaches everyone before the trouble starts
        device.network.healed = True
        device.client.sync_once()
        device.network.healed = False
    server = Database(live.database_url)
    with server.session() as session:
        organizer = _organizer_id(session, code)
    ledger = Ledger()
    ledger.granted = any(device.grant_alone for device in devices)
    for _ in range(STEPS):
        device = rng.choice(devices)
        roll = rng.random()
        if roll < 0.1:
            _sender_debits(server, organizer, rng, ledger)
        elif roll < 0.7:
            _act(device, rng, venue, ledger)
        else:
            device.sync()
    for device in devices:  # heal: the network is good again and everyone syncs until quiet
        device.network.healed = True
    for _round in range(3):
        for device in devices:
            device.client.sync_once()
    try:
        _check_credits(server, organizer, devices, ledger)
        with server.session() as session:
            expected_contacts = _rows(session, Contact, ("id", "email", "first_name", "cl"))
            expected_lists = _rows(session, ContactList, ("id", "name"))
            scans = [c.id for c in session.scalars(select(CheckIn).where(CheckIn.door == "sim"))]
            applied = session.execute(select(AppliedMutation.device_id, AppliedMutation.seq)).all()
            sold = session.scalar(select(func.count()).select_from(Ticket).where(
                Ticket.date_id == venue.first, Ticket.zone_id == venue.floor, Ticket.state == "valid"))
            expected_tickets = _rows(session, Ticket, ("id", "state"))
        with server.session() as session:
            organizer_lists = {x for x in session.scalars(select(RowChange.entity_id).where(
                RowChange.entity == "contact_lists", RowChange.organizer_id == _organizer_id(session, code)))}
            organizer_contacts = {x for x in session.scalars(select(RowChange.entity_id).where(
                RowChange.entity == "contacts", RowChange.organizer_id == _organizer_id(session, code)))}
            organizer_tickets = {x for x in session.scalars(select(RowChange.entity_id).where(
                RowChange.entity == "tickets", RowChange.organizer_id == _organizer_id(session, code)))}
        all_scans = [scan for device in devices for scan in device.scans]
        assert sorted(set(scans) & set(all_scans)) == sorted(all_scans), "a check-in was lost or doubled"
        assert len(applied) == len(set(applied))
        assert sold <= CAPACITY, "the venue was oversold"
        for device in devices:
            assert device.client.pending() == 0
            with device.writer.store.session() as session:
                held_tickets = _rows(session, Ticket, ("id", "state"))
                held_lists = _rows(session, ContactList, ("id", "name"))
                held_contacts = _rows(session, Contact, ("id", "email", "first_name", "cl"))
            # The device holds exactly the server's rows of its organizer, with the same values.
            assert held_tickets == {row for row in expected_tickets if row[0] in organizer_tickets}
            if device.role == "desk":  # a desk holds no contacts (docs/roles.md)
                assert held_lists == held_contacts == set()
                continue
            assert held_lists == {row for row in expected_lists if row[0] in organizer_lists}
            assert held_contacts == {row for row in expected_contacts if row[0] in organizer_contacts}
    finally:
        server.engine.dispose()
        for device in devices:
            device.writer.store.close()
