"""The server's HTTP contract: enrollment, tokens, roles, and clear 4xx answers that change nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select, text

from boxoffice.model.contacts import ContactList
from boxoffice.model.devices import Conflict, OutboxEntry
from boxoffice.model.sales import Order
from boxoffice.services import contacts
from sync.client import Revoked, SyncError
from sync.protocol import SCHEMA_HEADER, SCHEMA_VERSION
from sync.server.database import Database

HEADERS = {SCHEMA_HEADER: str(SCHEMA_VERSION), "Content-Type": "application/json"}


def _server_lists(server) -> int:
    db = Database(server.database_url)
    with db.session() as session:
        count = session.scalar(select(func.count()).select_from(ContactList))
    db.engine.dispose()
    return int(count or 0)


def _token(client) -> str:
    return client._token()


class TestEnrollment:
    def test_enrolling_with_the_organizer_code_gives_the_organizer_scopes(self, make_device):
        _writer, client = make_device("laptop")
        assert set(client.credentials().scopes) >= {"organizer", "contacts", "dates"}

    def test_the_pairing_qr_text_and_a_profile_code_enroll_a_door(self, make_device, server):
        code = server.profile("door", ["date-1"])
        qr = json.dumps({"v": 1, "url": server.url, "token": code})
        _writer, client = make_device("door-1", role=None, code=qr)
        answer_scopes = client.credentials().scopes
        assert "date:date-1" in answer_scopes and "contacts" not in answer_scopes

    def test_an_unknown_code_is_refused_plainly(self, make_device):
        with pytest.raises(SyncError, match="404: this code is unknown"):
            make_device("stranger", code="WRONGCODE123")


class TestBadInput:
    def test_malformed_json_is_a_4xx(self, make_device, server):
        _writer, client = make_device("laptop")
        answer = requests.post(f"{server.url}/v1/push", data=b"{nope", timeout=10,
                               headers={**HEADERS, "Authorization": f"Bearer {_token(client)}"})
        assert answer.status_code == 422

    def test_a_wrong_schema_version_is_refused_with_the_version_spoken(self, server):
        answer = requests.post(f"{server.url}/v1/pull", json={"cursors": {}}, timeout=10,
                               headers={SCHEMA_HEADER: "99"})
        assert answer.status_code == 426 and f"this server speaks {SCHEMA_VERSION}" in answer.json()["detail"]

    @pytest.mark.parametrize("token", ["garbage", "eyJkIjoieCJ9.c2lnbmF0dXJl"])
    def test_forged_tokens_are_refused(self, server, token):
        answer = requests.post(f"{server.url}/v1/pull", json={"cursors": {}}, timeout=10,
                               headers={**HEADERS, "Authorization": f"Bearer {token}"})
        assert answer.status_code == 401

    def test_an_expired_token_is_refused(self, make_device, server):
        from sync.server.auth import Claims, issue_token, signing_key

        writer, _client = make_device("laptop")
        db = Database(server.database_url)
        with db.session() as session:
            old = issue_token(signing_key(session), Claims(writer.device_id, "x", "organizer"), now=0)
        db.engine.dispose()
        answer = requests.post(f"{server.url}/v1/pull", json={"cursors": {}}, timeout=10,
                               headers={**HEADERS, "Authorization": f"Bearer {old}"})
        assert answer.status_code == 401 and "expired" in answer.json()["detail"]

    def test_unknown_mutations_are_refused_and_nothing_is_applied(self, make_device, server):
        _writer, client = make_device("laptop")
        body = {"mutations": [
            {"seq": 1, "name": "lists.create", "args": {"id": "0" * 36, "name": "X"}, "hlc": "000000000000001-00000-a"},
            {"seq": 2, "name": "tickets.print_money", "args": {}, "hlc": "000000000000001-00001-a"}]}
        answer = requests.post(f"{server.url}/v1/push", json=body, timeout=10,
                               headers={**HEADERS, "Authorization": f"Bearer {_token(client)}"})
        assert answer.status_code == 400 and "unknown mutation 'tickets.print_money'" in answer.json()["detail"]
        assert _server_lists(server) == 0

    def test_a_door_pushing_a_sale_is_refused_and_nothing_is_applied(self, make_device, server):
        _door, door_client = make_device("door-1", role="door")
        sale = {"seq": 1, "name": "orders.create_many", "hlc": "000000000000001-00000-d", "args": {
            "orders": [["o1", "D-1", "", "", "cash", 0, "CHF", "paid", "", None]], "tickets": []}}
        answer = requests.post(f"{server.url}/v1/push", json={"mutations": [sale]}, timeout=10,
                               headers={**HEADERS, "Authorization": f"Bearer {_token(door_client)}"})
        assert answer.status_code == 403
        assert answer.json() == {"detail": "mutation 1: a door may not push orders.create_many", "revoked": False,
                                 "seq": 1}
        db = Database(server.database_url)
        with db.session() as session:
            assert session.scalar(select(func.count()).select_from(Order)) == 0
        db.engine.dispose()

    def test_the_client_sets_a_refused_change_aside_and_the_queue_goes_on(self, make_device, server):
        door, door_client = make_device("door-1", role="door")
        with door.transaction() as work:
            work.run("orders.create_many", {"orders": [], "tickets": []})
        with door.transaction() as work:
            work.run("checkins.record", {"id": "0" * 35 + "1", "code": "X", "door": "Main", "direction": "in",
                                         "verdict": "refused", "reason": "unknown_code",
                                         "scanned_at": datetime.now(UTC).isoformat()})
        assert door_client.push() == (2, 1)
        assert door_client.pending() == 0
        with door.store.session() as session:
            [conflict] = session.scalars(select(Conflict))
        assert "a door may not push orders.create_many" in conflict.details["reason"]

    def test_a_business_refusal_is_recorded_and_does_not_block_later_changes(self, make_device, server):
        laptop, client = make_device("laptop")
        with laptop.transaction() as work:
            contacts.create_list(work, "Gala")
        with laptop.store.session() as session:  # a change another device's edit made impossible
            session.add(OutboxEntry(seq=100, mutation="contacts.update", args='{"id": "gone", "changes": {}}',
                                    hlc="000000000000009-00000-x", created_at=datetime.now(UTC)))
            session.commit()
        with laptop.transaction() as work:
            contacts.create_list(work, "After")
        pushed, rejected = client.push()
        assert (pushed, rejected) == (3, 1)
        assert _server_lists(server) == 2
        with laptop.store.session() as session:
            [conflict] = session.scalars(select(Conflict))
        assert conflict.kind == "rejected_change" and "does not exist" in conflict.details["reason"]


class TestRevocation:
    def test_a_revoked_device_is_told_so_and_the_cli_wipes_its_copy(self, make_device, server):
        _laptop, laptop_client = make_device("laptop")
        door, door_client = make_device("door-1", role="door")
        answer = requests.post(f"{server.url}/v1/devices/{door.device_id}/revoke", timeout=10,
                               headers={**HEADERS, "Authorization": f"Bearer {_token(laptop_client)}"})
        assert answer.status_code == 204
        door_client._credentials.token = ""
        with pytest.raises(Revoked):
            door_client.sync_once()
        database = Path(str(door.store.engine.url.database))
        door.store.close()
        result = subprocess.run([sys.executable, "-m", "boxoffice", "--data-dir", str(database.parent), "sync",
                                 "--once"], capture_output=True, text=True, timeout=60)
        assert result.returncode == 1 and "revoked" in result.stderr
        assert not database.exists()


class TestAccounts:
    def test_a_door_logs_in_with_an_account_and_a_wrong_password_is_refused(self, make_device, server):
        from sync.server import organizers

        db = Database(server.database_url)
        with db.session() as session:
            organizers.create_account(session, server.organizer_code, "Chef@Example.ch", "correct horse")
            session.commit()
        db.engine.dispose()
        _writer, client = make_device("door-1", role="door", enroll=False)
        with pytest.raises(SyncError, match="401: wrong email or password"):
            client.enroll(server.url, None, "door-1", "door", email="chef@example.ch", password="wrong one")
        answer = client.enroll(server.url, None, "door-1", "door", email="chef@example.ch", password="correct horse")
        assert answer["role"] == "door" and answer["organizer_name"] == "Théâtre du Léman"

    def test_enrolling_with_neither_code_nor_login_is_a_clear_4xx(self, server):
        answer = requests.post(f"{server.url}/v1/devices/enroll", timeout=10, headers=HEADERS,
                               json={"device_id": "0" * 36, "name": "x"})
        assert answer.status_code == 400 and answer.json()["detail"] == "give a code, or an email and a password"


class TestClocks:
    def test_a_mutation_stamped_far_in_the_future_is_refused_by_name(self, make_device, server):
        _writer, client = make_device("laptop")
        body = {"mutations": [{"seq": 1, "name": "lists.create", "args": {"id": "1" * 36, "name": "Late"},
                               "hlc": "999999999999999-00000-x"}]}
        answer = requests.post(f"{server.url}/v1/push", json=body, timeout=10,
                               headers={**HEADERS, "Authorization": f"Bearer {_token(client)}"})
        assert answer.status_code == 400 and "more than a day ahead" in answer.json()["detail"]

    def test_a_malformed_clock_stamp_is_refused(self, make_device, server):
        _writer, client = make_device("laptop")
        body = {"mutations": [{"seq": 1, "name": "lists.create", "args": {}, "hlc": "zzz"}]}
        answer = requests.post(f"{server.url}/v1/push", json=body, timeout=10,
                               headers={**HEADERS, "Authorization": f"Bearer {_token(client)}"})
        assert answer.status_code == 422


class TestOwnership:
    def test_a_device_cannot_lease_or_add_to_another_organizers_rows(self, make_device, server):
        from tests.boxoffice.services.box_office_venue import build_venue

        owner, owner_sync = make_device("owner")
        venue = build_venue(owner, floor_capacity=10)
        with owner.transaction() as work:
            list_id = contacts.create_list(work, "Private")
        owner_sync.sync_once()
        other_code = server.new_organizer("Someone else")
        intruder, intruder_sync = make_device("intruder", code=other_code)
        with intruder.transaction() as work:  # ids read off a ticket and a leaked export
            work.session.execute(text("INSERT INTO contact_lists (id, name, created_at) "
                                      "VALUES (:id, 'x', '2026-01-01')"), {"id": list_id})
            contacts.add_contact(work, list_id, "spam@example.ch")
        assert intruder_sync.sync_once().rejected == 1
        owner_sync.sync_once()
        with owner.store.session() as session:
            assert contacts.find_contact(session, list_id, "spam@example.ch") is None
        assert venue.first
