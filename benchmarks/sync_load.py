"""Fifty simulated doors against one sync server, driven by one process with a lean HTTP/1.1 client.

Each door is a coroutine on its own keep-alive connection that does what a door's sync worker
does in steady state, back to back: push its check-ins (`POST /v1/push`: one, or the few a busy
door scans between two syncs), then pull
its scopes (`POST /v1/pull`, with the cursors of its last answer, gzip accepted as `requests`
does). Requests are hand-built bytes on asyncio streams, so the load generator spends ~0.1 ms of
CPU per request instead of `requests`' ~1 ms, and on a 2-core machine the server gets a core.
"""

from __future__ import annotations

import asyncio
import time
import zlib
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import orjson

from boxoffice.store.ids import uuid7
from sync.protocol import SCHEMA_HEADER, SCHEMA_VERSION

Sample = tuple[str, float]


class _Connection:
    """One keep-alive HTTP/1.1 connection that posts JSON and reads the answer."""

    def __init__(self, host: str, port: int, token: str) -> None:
        self.host, self.port = host, port
        self.head = (f"Host: {host}:{port}\r\nAuthorization: Bearer {token}\r\n{SCHEMA_HEADER}: {SCHEMA_VERSION}\r\n"
                     "Content-Type: application/json\r\nAccept-Encoding: gzip\r\n").encode()
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def post(self, path: str, body: Any) -> Any:
        assert self.reader is not None and self.writer is not None
        data = orjson.dumps(body)
        self.writer.write(b"POST " + path.encode() + b" HTTP/1.1\r\n" + self.head
                          + b"Content-Length: " + str(len(data)).encode() + b"\r\n\r\n" + data)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        if "content-length" not in headers:
            raise RuntimeError(f"{path}: the server answered without a Content-Length")
        payload = await self.reader.readexactly(int(headers["content-length"]))
        if headers.get("content-encoding") == "gzip":
            payload = zlib.decompress(payload, 16 + zlib.MAX_WBITS)
        if status != 200:
            raise RuntimeError(f"{path}: {status} {payload[:200]!r}")
        return orjson.loads(payload)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def _door(connection: _Connection, scopes: list[str], start: asyncio.Event, stop_at: list[float],
                out: list[Sample], per_push: int) -> None:
    cursors = dict.fromkeys(scopes, 0)
    seq = 0
    await start.wait()
    while time.monotonic() < stop_at[0]:
        mutations = []
        for n in range(per_push):
            seq += 1
            stamp = f"{time.time_ns() // 10**6:015d}-{n:05d}-bench"
            mutations.append({"seq": seq, "name": "checkins.record", "hlc": stamp,
                              "args": {"id": uuid7(), "code": "BENCH", "door": "load", "direction": "in",
                                       "verdict": "refused", "reason": "unknown_code",
                                       "scanned_at": datetime.now(UTC).isoformat()}})
        body = {"mutations": mutations}
        began = time.perf_counter()
        await connection.post("/v1/push", body)
        ended = time.perf_counter()
        out.append(("push", ended - began))
        answer = await connection.post("/v1/pull", {"cursors": cursors})
        out.append(("pull", time.perf_counter() - ended))
        cursors = answer["cursors"]


async def _run(base: str, devices: list[tuple[str, list[str]]], seconds: float, per_push: int) -> dict[str, Any]:
    address = urlsplit(base)
    assert address.hostname is not None and address.port is not None
    connections = [_Connection(address.hostname, address.port, token) for token, _scopes in devices]
    await asyncio.gather(*(c.open() for c in connections))
    start, stop_at, out = asyncio.Event(), [0.0], []
    tasks = [asyncio.create_task(_door(c, scopes, start, stop_at, out, per_push))
             for c, (_token, scopes) in zip(connections, devices, strict=True)]
    cpu, began = time.process_time(), time.monotonic()
    stop_at[0] = began + seconds
    start.set()
    await asyncio.gather(*tasks)
    elapsed = time.monotonic() - began
    for connection in connections:
        connection.close()
    return {"samples": out, "elapsed_s": elapsed, "client_cpu_s": time.process_time() - cpu}


def run_load(base: str, devices: list[tuple[str, list[str]]], seconds: float, results: Any, per_push: int = 1) -> None:
    """Process entry point: drive `devices` (token, scopes) for `seconds` with `per_push` check-ins in each push,
    put the samples on `results`."""
    results.put(asyncio.run(_run(base, devices, seconds, per_push)))
