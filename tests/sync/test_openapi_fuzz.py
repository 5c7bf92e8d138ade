"""Schemathesis against the server's own OpenAPI schema: generated requests never get a 500, even
with bodies just within and just beyond each route's limit."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core import NotSet

from boxoffice.mutations.unit_of_work import Writer
from boxoffice.store.engine import open_store
from sync.client import SyncClient
from sync.protocol import SCHEMA_HEADER, SCHEMA_VERSION
from sync.server.limits import body_limit
from tests.live_server import LiveServer, running_server


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("fuzz")
    with running_server(f"sqlite:///{folder / 'server.sqlite3'}") as live:
        writer = Writer(open_store(Path(folder) / "laptop"))
        client = SyncClient(writer)
        client.enroll(live.url, live.organizer_code, "laptop")
        # Real credentials, so generated bodies get past the door and reach the deeper code.
        yield live, {SCHEMA_HEADER: str(SCHEMA_VERSION), "Authorization": f"Bearer {client._token()}"}
        writer.store.close()


# schemathesis' own pytest plugin does not run on pytest 9 yet ('Function' has no '_nodeid'), so each
# operation's Hypothesis strategy is driven by hand.
def test_no_generated_request_gets_a_server_error(fuzzed: tuple[LiveServer, dict[str, str]]) -> None:
    live, headers = fuzzed
    schema = schemathesis.openapi.from_url(f"{live.url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/v1/push", "/v1/pull", "/v1/devices/enroll"}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def call(case: schemathesis.Case) -> None:
            case.call_and_validate(base_url=live.url, headers=headers, checks=[not_a_server_error])

        call()


def _padded(body: object, size: int) -> bytes:
    """`body` as JSON, padded with trailing whitespace (still the same JSON) to `size` bytes."""
    # The standard library, not orjson: generated bodies hold integers beyond 64 bits, which the server must refuse.
    data = json.dumps({} if isinstance(body, NotSet) else body).encode()  # a call without a body gets an empty object
    return data + b" " * max(0, size - len(data))


def test_generated_bodies_near_each_limit_get_no_server_error(fuzzed: tuple[LiveServer, dict[str, str]]) -> None:
    live, headers = fuzzed
    schema = schemathesis.openapi.from_url(f"{live.url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    operations = [op for op in operations if op.method.upper() == "POST"]
    http = requests.Session()
    for operation in operations:
        _probe_near_limit(operation, live.url, headers, http)()


def _probe_near_limit(
    operation: Any, base_url: str, headers: dict[str, str], http: requests.Session
) -> Callable[[], None]:
    """A hypothesis test posting `operation`'s generated bodies just under and just over its body limit."""
    limit, path = body_limit(operation.path), operation.path

    @given(case=operation.as_strategy())
    @settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def call(case: schemathesis.Case) -> None:
        url = f"{base_url}{case.formatted_path}"
        sent = {**headers, "Content-Type": "application/json"}
        within = http.post(url, data=_padded(case.body, limit - 16), headers=sent, timeout=120)
        beyond = http.post(url, data=_padded(case.body, limit + 1), headers=sent, timeout=120)
        assert within.status_code < 500, (path, within.text[:300])
        assert beyond.status_code == 413, (path, beyond.status_code)
        assert len(beyond.content) < 500

    return call
