"""Rate limits with back-off on the real server: guessing codes, secrets and passwords, flooding forms,
and an RSVP link that cannot be used to mail strangers."""

from __future__ import annotations

import requests

from boxoffice.store.ids import uuid7
from sync.protocol import SCHEMA_HEADER, SCHEMA_VERSION
from sync.server.mail.queue import CHANGED_ADDRESSES_PER_DAY
from sync.server.throttle import Throttle, Throttled
from tests.sync.rsvp.invitations import send_invitation
from tests.sync.rsvp.test_rsvp_pages import ANN, confirmations, open_form

SCHEMA = {SCHEMA_HEADER: str(SCHEMA_VERSION)}


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class TestThrottle:
    def test_past_the_free_tries_each_one_waits_twice_as_long(self):
        clock = _Clock()
        limit = Throttle(free=3, window=60, base=1, cap=8, clock=clock)
        waits = []
        for _ in range(8):
            try:
                limit.check("a")
                limit.count("a")
                waits.append(0)
            except Throttled as exc:
                waits.append(exc.retry_after)
                clock.now += exc.retry_after
        assert waits == [0, 0, 0, 0, 1, 0, 2, 0]

    def test_a_success_forgets_the_key_and_other_keys_are_not_slowed(self):
        clock = _Clock()
        limit = Throttle(free=1, window=60, clock=clock)
        limit.count("a")
        limit.count("a")
        limit.check("b")
        limit.forget("a")
        limit.check("a")


class TestEnrollment:
    def test_a_thousand_enrollment_tries_get_throttled(self, server):
        answers = [requests.post(f"{server.url}/v1/devices/enroll", headers=SCHEMA, timeout=10, json={
            "code": f"WRONG{n:07d}", "device_id": uuid7(), "name": "guess"}) for n in range(1000)]
        statuses = [a.status_code for a in answers]
        # Ten free tries, then each one waits twice as long as the last: a handful more get through.
        assert statuses[:10] == [404] * 10
        assert statuses.count(404) < 25 and statuses.count(429) > 975
        slowed = next(a for a in answers if a.status_code == 429)
        assert int(slowed.headers["Retry-After"]) >= 1 and "too many tries" in slowed.json()["detail"]

    def test_the_right_code_is_throttled_too_once_an_address_has_guessed(self, server):
        for n in range(11):
            requests.post(f"{server.url}/v1/devices/enroll", headers=SCHEMA, timeout=10,
                          json={"code": f"WRONG{n:07d}", "device_id": uuid7(), "name": "guess"})
        answer = requests.post(f"{server.url}/v1/devices/enroll", headers=SCHEMA, timeout=10, json={
            "code": server.organizer_code, "device_id": uuid7(), "name": "door"})
        assert answer.status_code == 429

    def test_guessing_a_devices_secret_gets_throttled(self, server):
        statuses = [requests.post(f"{server.url}/v1/devices/token", headers=SCHEMA, timeout=10, json={
            "device_id": "0" * 36, "secret": f"guess-{n:010d}"}).status_code for n in range(40)]
        assert statuses[:10] == [401] * 10 and 429 in statuses


class TestRsvp:
    def _accept_as(self, url: str, token: str, email: str) -> int:
        http, secret = open_form(url, token)
        form = {"csrf": secret, "choice": "accept", "f0": "Favre", "f1": "Ann", "f2": email, "f3": "Végétarien",
                "f4": "", "companion": []}
        return http.post(f"{url}/rsvp/{token}", data=form, timeout=10, allow_redirects=False).status_code

    def test_an_rsvp_link_cannot_mail_strangers(self, server, make_device):
        laptop, laptop_sync = make_device("laptop")
        sent = send_invitation(laptop, laptop_sync)
        token = sent.tokens[ANN]
        for n in range(15):
            assert self._accept_as(server.url, token, f"stranger{n}@example.org") == 303
        mailed = confirmations(server.database_url)
        strangers = [a for a in mailed if a.startswith("stranger")]
        assert len(strangers) == CHANGED_ADDRESSES_PER_DAY
        assert ANN in mailed  # past the limit, the invited address is told instead

    def test_a_flood_of_submissions_from_one_link_is_slowed(self, server, make_device):
        laptop, laptop_sync = make_device("laptop")
        sent = send_invitation(laptop, laptop_sync)
        statuses = [self._accept_as(server.url, sent.tokens[ANN], ANN) for _ in range(25)]
        assert statuses[:20] == [303] * 20 and 429 in statuses
