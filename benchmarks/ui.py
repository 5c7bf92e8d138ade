# SPDX-License-Identifier: AGPL-3.0-or-later
"""Large-data benchmark: the queries behind the pages and searches at 1,000,000 tickets and 500,000 contacts.

Each service query is timed next to a bare SQL query over the same rows in the same run, and the
peak memory of `boxoffice tickets --json` and `boxoffice contacts export` is read from the child
processes. The store is built once into bench-out/ (benchmarks/ui_store.py). Not measured here yet:
the time from a page switch to its data painted in the window.

Run: python -m benchmarks.ui   (the last line is one JSON object)
"""

from __future__ import annotations

import json
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from benchmarks.ui_store import CONTACTS, TICKETS, fresh_copy
from boxoffice.services import contact_windows, contacts, orders
from boxoffice.services.door_lists import default_ids, door_counts, make_setup, search_holders
from boxoffice.store.engine import DATABASE_FILE, open_store

ROUNDS = 3
TYPED = ["M", "Mü", "Mül", "Müll", "Mülle", "Müller"]


def timed(fn: Callable[[], Any]) -> list[float]:
    out = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def figure(service: list[float], bare: list[float]) -> dict[str, float]:
    return {"median_ms": round(statistics.median(service), 1), "worst_ms": round(max(service), 1),
            "bare_median_ms": round(statistics.median(bare), 1), "bare_worst_ms": round(max(bare), 1)}


def keystrokes(service: Callable[[str], Any], bare: Callable[[str], Any]) -> dict[str, float]:
    mine: list[float] = []
    base: list[float] = []
    for text in TYPED:
        mine += timed(lambda text=text: service(text))
        base += timed(lambda text=text: bare(text))
    return figure(mine, base)


def peak_memory_mb(args: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run([sys.executable, "-m", "boxoffice", *args], check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(after, before) / 1024, 1)


def main() -> None:
    folder = fresh_copy()
    store = open_store(folder)
    bare = sqlite3.connect(folder / DATABASE_FILE)
    figures: dict[str, Any] = {"tickets": TICKETS, "contacts": CONTACTS}
    with store.session() as session:
        [summary] = [s for s in contacts.list_summaries(session) if s.contacts == CONTACTS]
        list_id = summary.id
        figures["contacts_page"] = figure(
            timed(lambda: (contacts.list_summaries(session), contact_windows.window(session, list_id))),
            timed(lambda: bare.execute("SELECT * FROM contacts WHERE list_id = ? ORDER BY rowid LIMIT 200",
                                       (list_id,)).fetchall()))
        figures["contacts_search"] = keystrokes(
            lambda t: contact_windows.window(session, list_id, t),
            lambda t: bare.execute("SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ? LIMIT 200",
                                   (f'"{t}"*',)).fetchall())
        figures["desk_search"] = keystrokes(
            lambda t: orders.find_orders(session, t),
            lambda t: bare.execute("SELECT rowid FROM orders_fts WHERE orders_fts MATCH ? LIMIT 50",
                                   (f'"{t}"*',)).fetchall())
        figures["desk_page"] = figure(timed(lambda: (orders.dates_on_sale(session), orders.find_orders(session))),
                                      timed(lambda: bare.execute("SELECT * FROM orders ORDER BY id DESC LIMIT 50")
                                            .fetchall()))
        setup = make_setup(session, default_ids(session, "Europe/Zurich"), door="Bench")
        figures["door_start_scanning"] = figure(
            timed(lambda: door_counts(session, setup)),
            timed(lambda: bare.execute("SELECT verdict, count(*) FROM checkins GROUP BY verdict").fetchall()))
        figures["door_search"] = keystrokes(
            lambda t: search_holders(session, setup, t),
            lambda t: bare.execute("SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH ? LIMIT 50",
                                   (f'"{t}"*',)).fetchall())
    store.close()
    bare.close()
    out = folder / "export.csv"
    figures["tickets_json_peak_mb"] = peak_memory_mb(["--data-dir", str(folder), "tickets", "--json"])
    figures["contacts_export_peak_mb"] = peak_memory_mb(
        ["--data-dir", str(folder), "contacts", "export", "--list", summary.name, "-o", str(out)])
    for name, value in figures.items():
        print(f"{name}: {value}", file=sys.stderr)
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
