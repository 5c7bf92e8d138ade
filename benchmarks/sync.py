"""Sync speed: initial sync of 100,000 tickets vs a bare sqlite3 bulk insert, bytes per ticket on the wire,
a push of 1,000 check-ins, and one server process under 50 simulated devices.

The server runs as deployed: `boxoffice-server serve`, one uvicorn process on SQLite. The 50 doors
run in one process of their own with a lean HTTP client (benchmarks/sync_load.py): each pushes one
check-in (one mutation per push) then pulls, back to back, for 10 s; mutations/s counts pushes.
Then the same with 2 and 4 check-ins per push (a busy door scans a few people between two syncs).
p99 is over every push and pull; the pushes' and the pulls' own p99 are printed too. The CPU both
processes used is printed, so a load generator that starves the server would show.

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
import time
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import select

# Throwaway devices keep their secret in a file beside their temporary store, not in the user's keyring.
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

from benchmarks.sync_load import run_load
from boxoffice.model.sales import Ticket
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import door
from boxoffice.services.demo import create_demo
from boxoffice.services.door_lists import make_setup
from boxoffice.store.engine import DATABASE_FILE, open_store
from boxoffice.store.ids import uuid7
from sync.client import SyncClient
from sync.protocol import SCHEMA_HEADER, SCHEMA_VERSION

TICKETS = 100_000
DEVICES, LOAD_SECONDS = 50, 10.0
# Check-ins in each push of the later load runs: up to a door admitting ~2 people a second, syncing every 2 s.
BATCHED = (2, 4)


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
    # The table, its indexes, its search index and the triggers that keep that index in step.
    ddl = [row[0] for row in source.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name IN ('tickets', 'tickets_fts') AND sql IS NOT NULL "
        "ORDER BY type = 'trigger', tbl_name = 'tickets_fts'")]
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


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far (Linux), to show where the load's time goes."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def device_load(base: str, database_url: str, server_pid: int, per_push: int = 1) -> dict[str, float]:
    """Fifty doors of one event in steady state: each pushes `per_push` check-ins and pulls the others' ones.

    The doors run in one process of their own (benchmarks/sync_load.py) with a lean HTTP client,
    so what is measured is the server: one uvicorn process, as deployed.
    """
    code = subprocess.run([sys.executable, "-m", "sync.server.cli", "init", "--db", database_url, "--organizer",
                           "Load"], capture_output=True, text=True, check=True).stdout.strip()
    devices = []
    for n in range(DEVICES):
        enrollment = {"code": code, "device_id": uuid7(), "name": f"load-{n}", "role": "door", "dates": ["none"]}
        answer = requests.post(f"{base}/v1/devices/enroll", headers={SCHEMA_HEADER: str(SCHEMA_VERSION)}, timeout=30,
                               json=enrollment)
        answer.raise_for_status()
        devices.append((answer.json()["token"], answer.json()["scopes"]))
    context = multiprocessing.get_context("spawn")
    results: Any = context.Queue()
    worker = context.Process(target=run_load, args=(base, devices, LOAD_SECONDS, results, per_push))
    worker.start()
    server_cpu = _cpu_seconds(server_pid)
    outcome = results.get(timeout=LOAD_SECONDS + 120)
    server_cpu = _cpu_seconds(server_pid) - server_cpu
    worker.join()
    samples: list[tuple[str, float]] = outcome["samples"]
    elapsed: float = outcome["elapsed_s"]
    latencies = sorted(s for _kind, s in samples)
    by_kind = {kind: sorted(s for k, s in samples if k == kind) for kind in ("push", "pull")}
    return {**{f"{kind}_p99_ms": values[int(len(values) * 0.99)] * 1000 for kind, values in by_kind.items()},
            "pulls_per_s": sum(1 for k, _ in samples if k == "pull") / elapsed,
            "mutations_per_s": sum(per_push for k, _ in samples if k == "push") / elapsed,
            "p99_ms": latencies[int(len(latencies) * 0.99)] * 1000,
            "p50_ms": statistics.median(latencies) * 1000,
            "server_cpu_share": server_cpu / elapsed, "client_cpu_share": outcome["client_cpu_s"] / elapsed}


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
            load = device_load(base, database_url(folder), server.pid)
            print(f"{DEVICES} devices on one server process for {LOAD_SECONDS:.0f} s: "
                  f"{load['pulls_per_s']:.0f} pulls/s, {load['mutations_per_s']:.0f} mutations/s, "
                  f"p50 {load['p50_ms']:.1f} ms, p99 {load['p99_ms']:.1f} ms; CPU: server "
                  f"{load['server_cpu_share']:.0%} of a core, load generator {load['client_cpu_share']:.0%}"
                  " (targets >= 250 pulls/s, >= 500 mutations/s, p99 <= 250 ms)")
            print(f"  p99 of pushes {load['push_p99_ms']:.1f} ms, of pulls {load['pull_p99_ms']:.1f} ms")
            batched = {}
            for per_push in BATCHED:
                batched[per_push] = device_load(base, database_url(folder), server.pid, per_push=per_push)
                print(f"the same with {per_push} check-ins per push: {batched[per_push]['pulls_per_s']:.0f} pulls/s, "
                      f"{batched[per_push]['mutations_per_s']:.0f} mutations/s, "
                      f"p50 {batched[per_push]['p50_ms']:.1f} ms, p99 {batched[per_push]['p99_ms']:.1f} ms")
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
        "p50_ms": round(load["p50_ms"], 1), "push_p99_ms": round(load["push_p99_ms"], 1),
        "pull_p99_ms": round(load["pull_p99_ms"], 1), "server_cpu_cores": round(load["server_cpu_share"], 2),
        "load_generator_cpu_cores": round(load["client_cpu_share"], 2),
        **{f"batched_{n}": {key: round(figures[key], 1) for key in ("pulls_per_s", "mutations_per_s", "p99_ms")}
           for n, figures in batched.items()},
        "machine": f"{os.cpu_count()} cores"}))


if __name__ == "__main__":
    main()
