"""Push and pull answered by the ASGI lane are what the documented FastAPI routes answer, errors included."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from fastapi import FastAPI

from boxoffice.store.ids import uuid7
from sync.protocol import SCHEMA_HEADER, SCHEMA_VERSION
from sync.server.app import create_app
from sync.server.lane import SyncLane
from tests.live_server import LiveServer, running_server, serving

SCHEMA = {SCHEMA_HEADER: str(SCHEMA_VERSION)}


def _checkin(seq: int) -> dict[str, Any]:
    return {"seq": seq, "name": "checkins.record", "hlc": f"{1_790_000_000_000 + seq:015d}-00000-door",
            "args": {"id": uuid7(), "code": "UNKNOWN", "door": "North", "direction": "in", "verdict": "refused",
                     "reason": "unknown_code", "scanned_at": "2026-11-23T20:00:00+00:00"}}


@pytest.fixture
def apps(server: LiveServer) -> Iterator[tuple[str, str, str]]:
    """The server as served, a second one on its database with push and pull left to FastAPI, and a door's token."""
    routes_only: FastAPI = create_app(server.database_url, migrate=False)
    routes_only.user_middleware = [m for m in routes_only.user_middleware if m.cls is not SyncLane]
    enrolled = requests.post(f"{server.url}/v1/devices/enroll", headers=SCHEMA, timeout=10, json={
        "code": server.organizer_code, "device_id": uuid7(), "name": "North door", "role": "door",
        "dates": ["none"]})
    assert enrolled.status_code == 200, enrolled.text
    with serving(routes_only) as routes_url:
        yield server.url, routes_url, enrolled.json()["token"]


def _post(base: str, path: str, token: str, body: Any = None, content: bytes | None = None,
          headers: dict[str, str] | None = None) -> requests.Response:
    sent = {"Authorization": f"Bearer {token}", **SCHEMA, **(headers or {})}
    return requests.post(base + path, json=body, data=content, timeout=10,
                         headers={k: v for k, v in sent.items() if v})


def _both(apps: tuple[str, str, str], path: str, body: Any = None, content: bytes | None = None,
          headers: dict[str, str] | None = None) -> list[tuple[int, Any]]:
    lane, routes, token = apps
    answers = [_post(base, path, token, body, content, headers) for base in (lane, routes)]
    return [(a.status_code, a.json()) for a in answers]


def _shape(answer: tuple[int, Any]) -> tuple[int, Any]:
    """A 422's errors by type and place, another refusal by its reason, a success whole."""
    status, body = answer
    if status == 422:
        return status, [(e["type"], e["loc"][:2]) for e in body["detail"]]
    return (status, body["detail"]) if status >= 400 else answer


class TestSameAnswers:
    def test_pushes_and_pulls_are_applied_alike(self, apps):
        lane, routes, token = apps
        first = _post(lane, "/v1/push", token, {"mutations": [_checkin(1)]})
        second = _post(routes, "/v1/push", token, {"mutations": [_checkin(2)]})
        assert [r["status"] for r in first.json()["results"] + second.json()["results"]] == ["applied", "applied"]
        replays = [_post(base, "/v1/push", token, {"mutations": [_checkin(1)]}).json()["results"]
                   for base in (lane, routes)]
        assert replays[0] == replays[1] and replays[0][0]["replayed"] is True
        pulled = _both(apps, "/v1/pull", {"cursors": {"organizer": 0}})
        assert pulled[0] == pulled[1]
        assert pulled[0][0] == 200 and len(pulled[0][1]["changes"]) == 2

    @pytest.mark.parametrize(("path", "body", "content", "headers", "status"), [
        ("/v1/push", None, b"{nope", {"Content-Type": "application/json"}, 422),
        ("/v1/push", None, b'{"mutations": []}', None, 422),
        ("/v1/pull", None, b'{"cursors": {}}', {"Content-Type": "text/plain"}, 422),
        ("/v1/pull", None, b"", {"Content-Type": "application/json"}, 422),
        ("/v1/pull", None, b"", {"Content-Type": "application/json", SCHEMA_HEADER: "99"}, 426),
        ("/v1/pull", None, b'{"cursors": {}}', {"Content-Type": "text/plain", SCHEMA_HEADER: "99"}, 426),
        ("/v1/pull", None, '{"cursors": {}}'.encode("utf-16"), {"Content-Type": "application/json"}, 200),
        ("/v1/pull", None, b'{"cursors": {"\xff": 0}}', {"Content-Type": "application/json"}, 400),
        ("/v1/push", {"mutations": []}, None, {SCHEMA_HEADER: ""}, 400),
        ("/v1/pull", {"cursors": {}}, None, {SCHEMA_HEADER: "99"}, 426),
        ("/v1/push", {"mutations": []}, None, {"Authorization": ""}, 401),
        ("/v1/pull", {"cursors": {}}, None, {"Authorization": "Bearer forged.token"}, 401),
        ("/v1/push", {"mutation": []}, None, None, 422),
        ("/v1/pull", {"cursors": {"organizer": "x"}}, None, None, 422),
        ("/v1/pull", {"cursors": {"organizer": -1}}, None, None, 400),
        ("/v1/pull", {"cursors": {"contacts": 0}}, None, None, 403),
        ("/v1/push", {"mutations": [{**_checkin(1), "name": "no.such"}]}, None, None, 400),
        ("/v1/push", {"mutations": [{"seq": 1, "name": "orders.create_many", "hlc": "000000000000001-00000-d",
                                     "args": {"orders": [], "tickets": []}}]}, None, None, 403),
        ("/v1/push", {"mutations": [_checkin(2), _checkin(1)]}, None, None, 400),
    ])
    def test_bad_calls_get_the_same_refusal(self, apps, path, body, content, headers, status):
        lane, routes = _both(apps, path, body, content, headers)
        assert _shape(lane) == _shape(routes)
        assert lane[0] == status
        if status != 200:
            assert isinstance(lane[1]["detail"], str | list) and lane[1]["detail"]

    @pytest.mark.parametrize("number", [b"NaN", b"1e999999", b"123456789012345678901234567890"])
    def test_a_number_json_cannot_carry_is_a_clear_422(self, apps, number):
        # FastAPI's own route answers 500 here: its 422 cannot echo NaN or Infinity back as JSON.
        lane, _routes, token = apps
        answer = _post(lane, "/v1/pull", token, content=b'{"cursors": {"organizer": ' + number + b"}}",
                       headers={"Content-Type": "application/json"})
        assert answer.status_code == 422
        assert answer.json()["detail"][0]["loc"] == ["body", "cursors", "organizer"]

    def test_other_calls_are_left_to_the_app(self, apps):
        lane, _routes, _token = apps
        assert requests.get(f"{lane}/v1/health", timeout=10).json() == {"schema": SCHEMA_VERSION}
        assert requests.get(f"{lane}/v1/push", timeout=10).status_code == 405
        assert "/v1/push" in requests.get(f"{lane}/openapi.json", timeout=10).json()["paths"]


def test_a_pull_answers_while_every_pooled_connection_is_taken(tmp_path: Path) -> None:
    # On SQLite pulls run on the event loop: waiting there for the shared pool would stop the server.
    with running_server(f"sqlite:///{tmp_path / 'server.sqlite3'}") as server:
        app = create_app(server.database_url, migrate=False)
        token = requests.post(f"{server.url}/v1/devices/enroll", headers=SCHEMA, timeout=10, json={
            "code": server.organizer_code, "device_id": uuid7(), "name": "South door", "role": "door",
            "dates": ["none"]}).json()["token"]
        with serving(app) as url:
            assert _post(url, "/v1/pull", token, {"cursors": {"organizer": 0}}).status_code == 200
            engine = app.state.database.engine
            taken = [engine.connect() for _ in range(engine.pool.size() + engine.pool._max_overflow)]
            try:
                answer = _post(url, "/v1/pull", token, {"cursors": {"organizer": 0}})
                assert answer.status_code == 200 and answer.json()["more"] is False
            finally:
                for connection in taken:
                    connection.close()
                engine.dispose()
