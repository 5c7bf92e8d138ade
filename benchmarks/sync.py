"""Sync speed: initial sync of 100,000 tickets vs a bare sqlite3 bulk insert, bytes per ticket on the wire,
a push of 1,000 check-ins, and one server process under 50 simulated devices.

Run: python -m benchmarks.sync   (the last line is one JSON object)
"""

from __future__ import annotations

import json
import multiprocessing
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import select

from boxoffice.model.sales import Ticket
from boxoffice.services import door
from boxoffice.services.demo import create_demo
from boxoffice.services.door_lists import make_setup
from boxoffice.store.engine import DATABASE_FILE, open_store
from boxoffice.store.ids import uuid7
from boxoffice.store.unit_of_work import Writer
from sync.client import SyncClient
from sync.protocol import SCHEMA_HEADER

TICKETS = 100_000
DEVICES, PROCESSES, LOAD_SECONDS = 50, 5, 10.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def database_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'server.sqlite3'}"


def start_server(folder: Path) -> tuple[subprocess.Popen[bytes], str, str]:
    """The real server in its own process, as deployed: one uvicorn process on SQLite."""
    url = database_url(folder)
    code = subprocess.run([sys.executable, "-m", "sync.server.cli", "init", "--db", url, "--organizer", "Bench"],
                          capture_output=True, text=True, check=True).stdout.strip()
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "sync.server.cli", "serve", "--db", url, "--port", str(port)])
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            requests.get(f"{base}/v1/health", timeout=1)
            return server, base, code
        except requests.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError("the sync server did not start")


def counting_client(writer: Writer) -> tuple[SyncClient, list[int]]:
    wire: list[int] = []
    http = requests.Session()
    http.hooks["response"].append(lambda r, *_a, **_k: wire.append(int(r.headers.get("Content-Length", 0))))
    return SyncClient(writer, http=http, timeout=120), wire


def bare_insert_baseline(synced: Path, folder: Path) -> float:
    """The same ticket rows bulk-inserted by bare sqlite3 into the same schema, in one transaction."""
    source = sqlite3.connect(synced)
    ddl = [row[0] for row in source.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'tickets' AND sql IS NOT NULL")]
    rows = source.execute("SELECT * FROM tickets").fetchall()
    source.close()
    target = sqlite3.connect(folder / "baseline.sqlite3")
    target.execute("PRAGMA journal_mode=WAL")
    target.execute("PRAGMA synchronous=NORMAL")
    for statement in ddl:
        target.execute(statement)
    target.commit()
    target.execute("PRAGMA foreign_keys=OFF")
    start = time.perf_counter()
    target.executemany(f"INSERT INTO tickets VALUES ({', '.join('?' * len(rows[0]))})", rows)
    target.commit()
    elapsed = time.perf_counter() - start
    target.close()
    return elapsed


def initial_sync(base: str, code: str, folder: Path) -> dict[str, Any]:
    laptop = Writer(open_store(folder / "laptop"))
    laptop_client = SyncClient(laptop, timeout=300)
    laptop_client.enroll(base, code, "laptop")
    with laptop.transaction() as work:
        create_demo(work, tickets=TICKETS, contact_count=200)
    start = time.perf_counter()
    laptop_client.push()
    push_s = time.perf_counter() - start
    laptop.store.close()
    gate = Writer(open_store(folder / "door"))
    client, wire = counting_client(gate)
    client.enroll(base, code, "door", "door")
    wire.clear()
    start = time.perf_counter()
    pulled = client.pull()
    sync_s = time.perf_counter() - start
    return {"gate": gate, "client": client, "push_100k_s": push_s, "initial_sync_s": sync_s, "pulled": pulled,
            "bytes_per_ticket": sum(wire) / TICKETS}


def push_checkins(gate: Writer, client: SyncClient) -> float:
    with gate.store.session() as session:
        tickets = list(session.scalars(select(Ticket).limit(1000)))
        setup = make_setup(session, sorted({t.date_id for t in tickets}), door="Bench gate")
    for ticket in tickets:
        with gate.transaction() as work:
            door.check(work, setup, ticket.secret)
    start = time.perf_counter()
    client.push()
    return (time.perf_counter() - start) * 1000


def _device_loop(base: str, device: tuple[str, list[str]], stop_at: float, out: list[tuple[str, float]]) -> None:
    token, scopes = device
    headers = {SCHEMA_HEADER: "1", "Authorization": f"Bearer {token}"}
    http, seq, cursors = requests.Session(), 0, dict.fromkeys(scopes, 0)
    while time.monotonic() < stop_at:
        seq += 1
        stamp = f"{time.time_ns() // 10**6:015d}-00000-bench"
        body = {"mutations": [{"seq": seq, "name": "checkins.record", "hlc": stamp,
                               "args": {"id": uuid7(), "code": "BENCH", "door": "load", "direction": "in",
                                        "verdict": "refused", "reason": "unknown_code",
                                        "scanned_at": "2026-11-23T20:00:00+00:00"}}]}
        start = time.perf_counter()
        http.post(f"{base}/v1/push", json=body, headers=headers, timeout=30).raise_for_status()
        out.append(("push", time.perf_counter() - start))
        start = time.perf_counter()
        answer = http.post(f"{base}/v1/pull", json={"cursors": cursors}, headers=headers, timeout=30)
        answer.raise_for_status()
        cursors = answer.json()["cursors"]
        out.append(("pull", time.perf_counter() - start))


def _load_process(base: str, tokens: list[tuple[str, list[str]]], stop_at: float, results: Any) -> None:
    out: list[tuple[str, float]] = []
    threads = [threading.Thread(target=_device_loop, args=(base, t, stop_at, out)) for t in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put(out)


def device_load(base: str, database_url: str) -> dict[str, float]:
    """Fifty doors of one event in steady state: each pushes a check-in and pulls the others' ones."""
    code = subprocess.run([sys.executable, "-m", "sync.server.cli", "init", "--db", database_url, "--organizer",
                           "Load"], capture_output=True, text=True, check=True).stdout.strip()
    tokens = []
    for n in range(DEVICES):
        answer = requests.post(f"{base}/v1/devices/enroll", headers={SCHEMA_HEADER: "1"}, timeout=30, json={
            "code": code, "device_id": uuid7(), "name": f"load-{n}", "role": "door", "dates": ["none"]})
        answer.raise_for_status()
        tokens.append((answer.json()["token"], answer.json()["scopes"]))
    results: Any = multiprocessing.get_context("spawn").Queue()
    stop_at = time.monotonic() + LOAD_SECONDS
    share = DEVICES // PROCESSES
    workers = [multiprocessing.get_context("spawn").Process(
        target=_load_process, args=(base, tokens[i * share:(i + 1) * share], stop_at, results))
        for i in range(PROCESSES)]
    for worker in workers:
        worker.start()
    samples: list[tuple[str, float]] = []
    for _ in workers:
        samples.extend(results.get(timeout=LOAD_SECONDS + 120))
    for worker in workers:
        worker.join()
    latencies = sorted(s for _kind, s in samples)
    return {"pulls_per_s": sum(1 for k, _ in samples if k == "pull") / LOAD_SECONDS,
            "mutations_per_s": sum(1 for k, _ in samples if k == "push") / LOAD_SECONDS,
            "p99_ms": latencies[int(len(latencies) * 0.99)] * 1000,
            "p50_ms": statistics.median(latencies) * 1000}


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        server, base, code = start_server(folder)
        try:
            first = initial_sync(base, code, folder)
            baseline_s = bare_insert_baseline(folder / "door" / DATABASE_FILE, folder)
            print(f"push of {TICKETS:,} tickets by the organizer: {first['push_100k_s']:.2f} s")
            print(f"initial sync of {TICKETS:,} tickets: {first['initial_sync_s']:.2f} s "
                  f"({first['pulled']:,} rows); bare sqlite3 bulk insert of the same tickets: {baseline_s:.2f} s "
                  f"({first['initial_sync_s'] / baseline_s:.1f}x, target <= 4x)")
            print(f"on the wire: {first['bytes_per_ticket']:.1f} bytes per ticket gzipped (target <= 120)")
            push_ms = push_checkins(first["gate"], first["client"])
            print(f"push of 1,000 check-ins: {push_ms:.0f} ms")
            load = device_load(base, database_url(folder))
            print(f"{DEVICES} devices on one server process for {LOAD_SECONDS:.0f} s: "
                  f"{load['pulls_per_s']:.0f} pulls/s, {load['mutations_per_s']:.0f} mutations/s, "
                  f"p50 {load['p50_ms']:.1f} ms, p99 {load['p99_ms']:.1f} ms"
                  " (targets >= 250 pulls/s, >= 500 mutations/s, p99 <= 250 ms)")
            first["gate"].store.close()
        finally:
            server.terminate()
            server.wait(10)
    print(json.dumps({
        "tickets": TICKETS, "initial_sync_s": round(first["initial_sync_s"], 3), "baseline_s": round(baseline_s, 3),
        "ratio": round(first["initial_sync_s"] / baseline_s, 2),
        "bytes_per_ticket": round(first["bytes_per_ticket"], 1), "push_1000_checkins_ms": round(push_ms, 1),
        "devices": DEVICES, "pulls_per_s": round(load["pulls_per_s"], 1),
        "mutations_per_s": round(load["mutations_per_s"], 1), "p99_ms": round(load["p99_ms"], 1),
        "machine": f"{os.cpu_count()} cores"}))


if __name__ == "__main__":
    main()
