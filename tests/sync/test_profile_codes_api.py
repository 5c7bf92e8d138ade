"""Profile codes from the organizer's app over HTTP (#13): made, listed without the code, revoked; organizers only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests

from sync.client import Revoked, SyncError
from sync.protocol import SCHEMA_HEADER, SCHEMA_VERSION

HEADERS = {SCHEMA_HEADER: str(SCHEMA_VERSION), "Content-Type": "application/json"}


def _stamp(text: str) -> datetime:
    when = datetime.fromisoformat(text)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


class TestOrganizerDevice:
    def test_a_new_code_is_answered_once_and_the_list_shows_it_without_its_secret(self, make_device, server):
        _laptop, organizer = make_device("laptop")
        made = organizer.create_profile_code("door", ["date-1"], 24, 2)
        code = made["code"]
        assert len(code) >= 8 and made["profile"]["role"] == "door" and made["profile"]["dates"] == ["date-1"]
        answer = requests.get(f"{server.url}/v1/profiles", timeout=10,
                              headers={**HEADERS, "Authorization": f"Bearer {organizer._token()}"})
        assert answer.status_code == 200
        assert code not in answer.text and code.lower() not in answer.text
        [listed] = answer.json()
        assert listed["id"] == made["profile"]["id"] and listed["status"] == "active"
        assert (listed["uses"], listed["max_uses"], listed["revoked_at"], listed["devices"]) == (0, 2, None, [])
        lifetime = _stamp(listed["expires_at"]) - _stamp(listed["created_at"])
        assert lifetime == timedelta(hours=24)

    def test_the_list_names_the_devices_a_code_enrolled_and_counts_its_uses(self, make_device):
        _laptop, organizer = make_device("laptop")
        code = organizer.create_profile_code("door", [], 1, 1)["code"]
        door, _door_client = make_device("Door A", role="door", code=code)
        [listed] = organizer.profile_codes()
        assert (listed["uses"], listed["status"]) == (1, "used_up")
        assert listed["devices"] == [{"id": door.device_id, "name": "Door A", "role": "door", "revoked": False}]

    def test_revoking_a_code_locks_out_its_devices_and_it_enrolls_no_more(self, make_device):
        _laptop, organizer = make_device("laptop")
        made = organizer.create_profile_code("door", [], 24, 5)
        _door, door_client = make_device("Door A", role="door", code=made["code"])
        revoked = organizer.revoke_profile_code(made["profile"]["id"])
        assert [device["name"] for device in revoked["locked_out"]] == ["Door A"]
        assert revoked["profile"]["status"] == "revoked" and revoked["profile"]["devices"][0]["revoked"] is True
        door_client._credentials.token = ""
        with pytest.raises(Revoked):
            door_client.sync_once()
        with pytest.raises(SyncError, match="403: this code was revoked"):
            make_device("Door B", role="door", code=made["code"])
        assert organizer.profile_codes()[0]["status"] == "revoked"

    def test_revoking_a_code_alone_keeps_its_devices_but_enrolls_no_more(self, make_device):
        _laptop, organizer = make_device("laptop")
        made = organizer.create_profile_code("door", [], 24, 5)
        _door, door_client = make_device("Door A", role="door", code=made["code"])
        revoked = organizer.revoke_profile_code(made["profile"]["id"], lock_out=False)
        assert revoked["locked_out"] == [] and revoked["profile"]["devices"][0]["revoked"] is False
        door_client._credentials.token = ""
        assert door_client.sync_once().online
        with pytest.raises(SyncError, match="403: this code was revoked"):
            make_device("Door B", role="door", code=made["code"])

    def test_a_code_of_another_organizer_or_none_at_all_cannot_be_revoked(self, make_device, server):
        _laptop, organizer = make_device("laptop")
        _other_laptop, other = make_device("other", code=server.new_organizer("Other"))
        theirs = other.create_profile_code("door", [], 24, 1)
        for key in (theirs["profile"]["id"], "no-such-code"):
            with pytest.raises(SyncError) as refused:
                organizer.revoke_profile_code(key)
            assert refused.value.status == 404
        assert organizer.profile_codes() == [] and other.profile_codes()[0]["status"] == "active"

    def test_a_validity_of_zero_hours_or_zero_uses_is_refused(self, make_device):
        _laptop, organizer = make_device("laptop")
        for hours, uses in ((0, 1), (24, 0), (24 * 400, 1)):
            with pytest.raises(SyncError) as refused:
                organizer.create_profile_code("door", [], hours, uses)
            assert refused.value.status == 422
        assert organizer.profile_codes() == []


class TestOtherRoles:
    @pytest.mark.parametrize("role", ["door", "desk"])
    def test_a_door_or_desk_may_not_list_make_or_revoke_codes(self, make_device, role):
        _laptop, organizer = make_device("laptop")
        made = organizer.create_profile_code(role, [], 24, 1)
        _device, client = make_device(role, role=role, code=made["code"])
        calls = (client.profile_codes, lambda: client.create_profile_code("organizer", [], 24, 5),
                 lambda: client.revoke_profile_code(made["profile"]["id"]))
        for call in calls:
            with pytest.raises(SyncError) as refused:
                call()
            assert refused.value.status == 403
            assert refused.value.detail.startswith("only an organizer device may see, make or revoke profile codes")
        assert [listed["status"] for listed in organizer.profile_codes()] == ["used_up"]

    def test_without_a_token_the_list_is_refused(self, server):
        answer = requests.get(f"{server.url}/v1/profiles", headers=HEADERS, timeout=10)
        assert answer.status_code == 401
