"""Push and pull through the app's one front door, on SQLite and PostgreSQL: bodies read once, by
one rule, bounded in size and depth, refused with a short, clear 4xx that changes nothing."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson
import pytest
import requests
from sqlalchemy import func, select
from starlette.types import ASGIApp, Receive, Scope, Send

from boxoffice.model.checkins import CheckIn
from boxoffice.model.devices import OutboxEntry
from boxoffice.store.ids import uuid7
from sync.client import SyncError
from sync.protocol import SCHEMA_HEADER, SCHEMA_VERSION
from sync.server.app import create_app
from sync.server.database import Database
from sync.server.limits import PUSH_LIMIT, SMALL_LIMIT
from tests.live_server import LiveServer, running_server, serving

SCHEMA = {SCHEMA_HEADER: str(SCHEMA_VERSION)}


def _checkin(seq: int, **changed: Any) -> dict[str, Any]:
    return {"seq": seq, "name": "checkins.record", "hlc": f"{1_790_000_000_000 + seq:015d}-00000-door",
            "args": {"id": uuid7(), "code": "UNKNOWN", "door": "North", "direction": "in", "verdict": "refused",
                     "reason": "unknown_code", "scanned_at": datetime.now(UTC).isoformat()}, **changed}


@pytest.fixture
def door(server: LiveServer) -> Iterator[tuple[str, str]]:
    """The server's URL and a door's access token."""
    enrolled = requests.post(f"{server.url}/v1/devices/enroll", headers=SCHEMA, timeout=10, json={
        "code": server.organizer_code, "device_id": uuid7(), "name": "North door", "role": "door",
        "dates": ["none"]})
    assert enrolled.status_code == 200, enrolled.text
    yield server.url, enrolled.json()["token"]


def _post(door: tuple[str, str], path: str, body: Any = None, content: bytes | None = None,
          headers: dict[str, str] | None = None) -> requests.Response:
    base, token = door
    sent = {"Authorization": f"Bearer {token}", **SCHEMA, **(headers or {})}
    return requests.post(base + path, json=body, data=content, timeout=30, headers={k: v for k, v in sent.items() if v})


def _checkins(server: LiveServer) -> int:
    db = Database(server.database_url)
    with db.session() as session:
        count = session.scalar(select(func.count()).select_from(CheckIn))
    db.engine.dispose()
    return int(count or 0)


class TestFrontDoor:
    def test_pushes_are_applied_once_and_replayed_with_their_stored_answer(self, door):
        first = _post(door, "/v1/push", {"mutations": [_checkin(1)]})
        assert [r["status"] for r in first.json()["results"]] == ["applied"]
        replay = _post(door, "/v1/push", {"mutations": [_checkin(1)]}).json()["results"]
        assert replay[0]["status"] == "applied" and replay[0]["replayed"] is True
        pulled = _post(door, "/v1/pull", {"cursors": {"organizer": 0}})
        assert pulled.status_code == 200 and len(pulled.json()["changes"]) == 1

    @pytest.mark.parametrize(("path", "body", "content", "headers", "status"), [
        ("/v1/push", None, b"{nope", {"Content-Type": "application/json"}, 422),
        ("/v1/push", None, b'{"mutations": []}', None, 200),  # no content type: read as JSON
        ("/v1/pull", None, b'{"cursors": {}}', {"Content-Type": "text/plain"}, 415),
        ("/v1/pull", None, b"", {"Content-Type": "application/json"}, 422),
        ("/v1/pull", None, b"", {"Content-Type": "application/json", SCHEMA_HEADER: "99"}, 422),
        ("/v1/pull", None, b'{"cursors": {}}', {"Content-Type": "application/json", SCHEMA_HEADER: "99"}, 426),
        ("/v1/pull", None, '{"cursors": {}}'.encode("utf-16"), {"Content-Type": "application/json"}, 422),
        ("/v1/pull", None, b'{"cursors": {"\xff": 0}}', {"Content-Type": "application/json"}, 422),
        ("/v1/push", {"mutations": []}, None, {SCHEMA_HEADER: ""}, 400),
        ("/v1/push", {"mutations": []}, None, {"Authorization": ""}, 401),
        ("/v1/pull", {"cursors": {}}, None, {"Authorization": "Bearer forged.token"}, 401),
        ("/v1/push", {"mutation": []}, None, None, 422),
        ("/v1/pull", {"cursors": {"organizer": "x"}}, None, None, 422),
        ("/v1/pull", {"cursors": {"organizer": "12"}}, None, None, 422),
        ("/v1/pull", {"cursors": {"organizer": -1}}, None, None, 422),
        ("/v1/pull", {"cursors": {"contacts": 0}}, None, None, 403),
        ("/v1/push", {"mutations": [{**_checkin(1), "name": "no.such"}]}, None, None, 400),
        ("/v1/push", {"mutations": [{"seq": 1, "name": "orders.create_many", "hlc": "000000000000001-00000-d",
                                     "args": {"orders": [], "tickets": []}}]}, None, None, 403),
        ("/v1/push", {"mutations": [_checkin(2), _checkin(1)]}, None, None, 400),
    ])
    def test_bad_calls_are_refused_with_a_reason(self, door, path, body, content, headers, status):
        answer = _post(door, path, body, content, headers)
        assert answer.status_code == status, answer.text
        if status != 200:
            assert answer.json()["detail"]

    def test_a_middleware_added_to_the_app_sees_push_and_pull(self, server, door):
        seen: list[str] = []
        app = create_app(server.database_url, migrate=False)

        def recording(inner: ASGIApp) -> ASGIApp:
            async def call(scope: Scope, receive: Receive, send: Send) -> None:
                seen.append(scope.get("path", ""))
                await inner(scope, receive, send)
            return call

        app.add_middleware(recording)  # type: ignore[arg-type]
        with serving(app) as url:
            assert _post((url, door[1]), "/v1/pull", {"cursors": {"organizer": 0}}).status_code == 200
            assert _post((url, door[1]), "/v1/push", {"mutations": []}).status_code == 200
        assert seen[-2:] == ["/v1/pull", "/v1/push"]

    def test_the_openapi_schema_documents_push_and_pull_bodies(self, door):
        paths = requests.get(f"{door[0]}/openapi.json", timeout=10).json()["paths"]
        for path, model in (("/v1/push", "PushRequest"), ("/v1/pull", "PullRequest")):
            body = paths[path]["post"]["requestBody"]["content"]["application/json"]["schema"]
            assert body == {"$ref": f"#/components/schemas/{model}"}
        assert requests.get(f"{door[0]}/v1/push", timeout=10).status_code == 405


class TestInputs:
    @pytest.mark.parametrize("number", [b"NaN", b"1e999999", b"123456789012345678901234567890",
                                        b"9223372036854775808"])
    def test_a_number_beyond_64_bits_is_a_clear_422(self, door, number):
        answer = _post(door, "/v1/pull", content=b'{"cursors": {"organizer": ' + number + b"}}",
                       headers={"Content-Type": "application/json"})
        assert answer.status_code == 422, answer.text
        assert answer.json()["detail"][0]["loc"][:2] == ["body", "cursors"] or "JSON" in answer.text

    @pytest.mark.parametrize("depth", [40, 1000, 100_000])
    def test_json_nested_too_deep_is_refused_not_a_500(self, door, depth):
        args = b'{"a":' * depth + b"1" + b"}" * depth
        body = b'{"mutations": [{"seq": 1, "name": "checkins.record", "hlc": "000000000000001-00000-d", "args": ' + args
        answer = _post(door, "/v1/push", content=body + b"}]}", headers={"Content-Type": "application/json"})
        assert answer.status_code == 422 and ("deeper" in answer.text or "depth" in answer.text)

    @pytest.mark.parametrize("name", ["\\ud800", "checkins.record\\u0000", "checkins\\u001b[2J.record"])
    def test_a_lone_surrogate_or_control_character_is_a_4xx(self, door, server, name):
        body = ('{"mutations": [{"seq": 1, "name": "' + name + '", "hlc": "000000000000001-00000-d", "args": {}}]}')
        answer = _post(door, "/v1/push", content=body.encode(), headers={"Content-Type": "application/json"})
        assert answer.status_code == 422, answer.text
        assert _checkins(server) == 0

    def test_a_clock_in_arabic_indic_digits_is_refused_and_changes_nothing(self, door, server):
        stamp = "".join(chr(0x660 + int(d)) for d in "179000000000000") + "-00000-door"
        answer = _post(door, "/v1/push", {"mutations": [_checkin(1, hlc=stamp)]})
        assert answer.status_code == 422 and answer.json()["detail"][0]["loc"] == ["body", "mutations", 0, "hlc"]
        assert _checkins(server) == 0

    def test_a_seq_sent_as_text_is_refused(self, door):
        answer = _post(door, "/v1/push", {"mutations": [{**_checkin(1), "seq": "١"}]})
        assert answer.status_code == 422

    def test_an_error_echoes_only_a_short_excerpt(self, door):
        answer = _post(door, "/v1/pull", {"cursors": {"organizer": "x" * 500_000}})
        assert answer.status_code == 422 and len(answer.content) < 2000

    def test_a_lower_seq_after_a_gap_is_refused_and_kept_in_the_outbox(self, make_device, server):
        writer, client = make_device("door-1", role="door", dates=["none"])
        for n in range(3):
            with writer.transaction() as work:
                work.run("checkins.record", {"id": uuid7(), "code": f"X{n}", "door": "Main", "direction": "in",
                                             "verdict": "refused", "reason": "unknown_code",
                                             "scanned_at": datetime.now(UTC).isoformat()})
        with writer.store.session() as session:
            last = session.scalars(select(OutboxEntry).order_by(OutboxEntry.seq.desc())).first()
            assert last is not None
            mutation = {"seq": last.seq, "name": last.mutation, "args": orjson.loads(last.args),
                        "hlc": last.hlc}
        # The last one arrives first (a restored copy, a queue edited by hand): the first two are behind it.
        assert _post((server.url, client._token()), "/v1/push", {"mutations": [mutation]}).status_code == 200
        with pytest.raises(SyncError, match="409: mutation 1 was never received"):
            client.push()
        assert client.pending() == 3
        assert _checkins(server) == 1


class TestLimits:
    def test_a_100_mb_body_is_refused_with_413_before_it_is_read(self, door):
        base, token = door
        address = urlsplit(base)
        with socket.create_connection((address.hostname, address.port), timeout=10) as raw:
            raw.sendall(f"POST /v1/push HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
                        f"{SCHEMA_HEADER}: {SCHEMA_VERSION}\r\nContent-Type: application/json\r\n"
                        f"Content-Length: {100 * 1024 * 1024}\r\n\r\n".encode() + b'{"mutations": [')
            # Not one more byte is sent: the answer comes without the server waiting for the body.
            answer = b""
            while b"larger" not in answer:
                received = raw.recv(65536)
                assert received, answer
                answer += received
        assert answer.startswith(b"HTTP/1.1 413") and b"larger than this call takes" in answer

    def test_a_chunked_body_past_the_limit_is_refused_as_it_comes(self, door):
        sent = []

        def chunks() -> Iterator[bytes]:
            for _ in range(PUSH_LIMIT // (1 << 20) + 60):
                sent.append(1)
                yield b" " * (1 << 20)

        try:
            answer = _post(door, "/v1/push", content=chunks(),  # type: ignore[arg-type]
                           headers={"Content-Type": "application/json"})
            assert answer.status_code == 413
        except requests.ConnectionError:
            pass  # the server may close the connection while the rest is still being sent
        assert len(sent) < PUSH_LIMIT // (1 << 20) + 60

    def test_enrollment_takes_a_few_kilobytes(self, door):
        answer = _post(door, "/v1/devices/enroll", {"code": "A" * 40, "name": "x" * SMALL_LIMIT,
                                                    "device_id": uuid7()})
        assert answer.status_code == 413


def test_a_pull_answers_while_every_pooled_connection_is_taken(tmp_path: Path) -> None:
    # On SQLite pulls run on the event loop: waiting there for the shared pool would stop the server.
    with running_server(f"sqlite:///{tmp_path / 'server.sqlite3'}") as server:
        app = create_app(server.database_url, migrate=False)
        token = requests.post(f"{server.url}/v1/devices/enroll", headers=SCHEMA, timeout=10, json={
            "code": server.organizer_code, "device_id": uuid7(), "name": "South door", "role": "door",
            "dates": ["none"]}).json()["token"]
        with serving(app) as url:
            assert _post((url, token), "/v1/pull", {"cursors": {"organizer": 0}}).status_code == 200
            engine = app.state.database.engine
            taken = [engine.connect() for _ in range(engine.pool.size() + engine.pool._max_overflow)]
            try:
                answer = _post((url, token), "/v1/pull", {"cursors": {"organizer": 0}})
                assert answer.status_code == 200 and answer.json()["more"] is False
            finally:
                for connection in taken:
                    connection.close()
                engine.dispose()
