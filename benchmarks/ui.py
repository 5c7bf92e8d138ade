# SPDX-License-Identifier: AGPL-3.0-or-later
"""Large-data benchmark: the pages and searches at 1,000,000 tickets and 500,000 contacts.

Each service query is timed next to a bare SQL query over the same rows in the same run (the searches
also next to the query they ran before, interleaved); each page of the real main window, offscreen, from
its switch to its data painted (benchmarks/ui_pages.py); and the peak memory of `boxoffice tickets --json`
and `boxoffice contacts export` is read from the child processes. The store is built once into bench-out/
(benchmarks/ui_store.py).

Run: python -m benchmarks.ui   (the last line is one JSON object)
     python -m benchmarks.ui --before DIR   (also the page switches of another checkout's code, last, on the
     same store, e.g. DIR from `git archive <commit> | tar -x -C DIR`: "page_switch_before")
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks.ui_pages import page_switches
from benchmarks.ui_store import CONTACTS, TICKETS, fresh_copy
from boxoffice.services import contact_windows, contacts, orders
from boxoffice.services.door_lists import default_ids, door_counts, make_setup, search_holders
from boxoffice.store.engine import DATABASE_FILE, open_store

ROUNDS = 3
TYPED = ["M", "Mü", "Mül", "Müll", "Mülle", "Müller"]


def timed(*fns: Callable[[], Any]) -> list[list[float]]:
    """Each function's ms over ROUNDS rounds, taking turns in each round so that they share the same load."""
    out: list[list[float]] = [[] for _ in fns]
    for _ in range(ROUNDS):
        for times, fn in zip(out, fns, strict=True):
            started = time.perf_counter()
            fn()
            times.append((time.perf_counter() - started) * 1000)
    return out


def figure(service: list[float], bare: list[float], previous: list[float] | None = None) -> dict[str, float]:
    out = {"median_ms": round(statistics.median(service), 1), "worst_ms": round(max(service), 1),
           "bare_median_ms": round(statistics.median(bare), 1), "bare_worst_ms": round(max(bare), 1)}
    if previous:
        out.update(previous_median_ms=round(statistics.median(previous), 1),
                   previous_worst_ms=round(max(previous), 1))
    return out


def keystrokes(*fns: Callable[[str], Any]) -> dict[str, float]:
    """The service, the bare SQL (and the query the service ran before, if given) for each text typed."""
    times: list[list[float]] = [[] for _ in fns]
    for text in TYPED:
        for total, part in zip(times, timed(*(partial(fn, text) for fn in fns)), strict=True):
            total += part
    return figure(*times)


# The queries the contacts search and the desk's order search ran before they were served in order by
# text_search.ordered_matches (commit 2e91e1d): every match ordered by SQLite, timed beside them.
PREVIOUS_CONTACTS = ("SELECT c.id, c.email, c.first_name, c.last_name, c.fields, c.created_at, lower(c.last_name), "
                     "lower(c.first_name) FROM contacts c WHERE c.list_id = ? AND c.cl % 2 = 1 AND c.deleted = 0 "
                     "AND c.rowid IN (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?) "
                     "ORDER BY lower(c.last_name), lower(c.first_name), c.id LIMIT 200")
PREVIOUS_ORDERS = ("SELECT o.*, (SELECT count(*) FROM tickets t WHERE t.order_id = o.id AND t.state = 'valid') "
                   "FROM orders o WHERE o.deleted = 0 AND o.rowid IN (SELECT rowid FROM orders_fts WHERE orders_fts "
                   "MATCH ?) ORDER BY o.id DESC LIMIT 50")


def peak_memory_mb(args: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run([sys.executable, "-m", "boxoffice", *args], check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(after, before) / 1024, 1)


def pages_before(checkout: Path, folder: Path) -> dict[str, Any]:
    """The page switches as `checkout`'s code shows them, on the same store (benchmarks/ui_pages.py); or, if
    that process failed, its exit status and the first line of its error."""
    # Run by path through runpy, so that sys.path starts at the checkout, not at this benchmarks/ folder.
    script = Path(__file__).with_name("ui_pages.py")
    code = (f"import runpy, sys; sys.argv = ['ui_pages', {str(folder)!r}]; "
            f"runpy.run_path({str(script)!r}, run_name='__main__')")
    run = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, cwd=checkout,
                         env={**os.environ, "PYTHONPATH": str(checkout)})
    if run.returncode:
        errors = [line for line in run.stderr.splitlines() if "Error" in line] or run.stderr.splitlines()[-1:]
        return {"failed": f"exit status {run.returncode}: {errors[0] if errors else ''}"}
    switches: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    return switches


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="another checkout whose pages to time too, on the same store")
    options = parser.parse_args()
    figures, folder = measure()
    if options.before:  # last: the peak memory read from RUSAGE_CHILDREN must not include its process
        figures["page_switch_before"] = pages_before(options.before.resolve(), folder)
    for name, value in figures.items():
        print(f"{name}: {value}", file=sys.stderr)
    print(json.dumps(figures, ensure_ascii=False))


def measure() -> tuple[dict[str, Any], Path]:
    folder = fresh_copy()
    store = open_store(folder)
    bare = sqlite3.connect(folder / DATABASE_FILE)
    figures: dict[str, Any] = {"tickets": TICKETS, "contacts": CONTACTS}
    with store.session() as session:
        [summary] = [s for s in contacts.list_summaries(session) if s.contacts == CONTACTS]
        list_id = summary.id
        figures["contacts_page"] = figure(*timed(
            lambda: (contacts.list_summaries(session), contact_windows.window(session, list_id)),
            lambda: bare.execute("SELECT * FROM contacts WHERE list_id = ? ORDER BY rowid LIMIT 200",
                                 (list_id,)).fetchall()))
        figures["contacts_search"] = keystrokes(
            lambda t: contact_windows.window(session, list_id, t),
            lambda t: bare.execute("SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ? LIMIT 200",
                                   (f'"{t}"*',)).fetchall(),
            lambda t: bare.execute(PREVIOUS_CONTACTS, (list_id, f'"{t}"*')).fetchall())
        figures["desk_search"] = keystrokes(
            lambda t: orders.find_orders(session, t),
            lambda t: bare.execute("SELECT rowid FROM orders_fts WHERE orders_fts MATCH ? LIMIT 50",
                                   (f'"{t}"*',)).fetchall(),
            lambda t: bare.execute(PREVIOUS_ORDERS, (f'"{t}"*',)).fetchall())
        figures["desk_page"] = figure(*timed(
            lambda: (orders.dates_on_sale(session), orders.find_orders(session)),
            lambda: bare.execute("SELECT * FROM orders ORDER BY id DESC LIMIT 50").fetchall()))
        setup = make_setup(session, default_ids(session, "Europe/Zurich"), door="Bench")
        figures["door_start_scanning"] = figure(*timed(
            lambda: door_counts(session, setup),
            lambda: bare.execute("SELECT verdict, count(*) FROM checkins GROUP BY verdict").fetchall()))
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
    # After the exports: what the window starts (the door's device listing) would count in RUSAGE_CHILDREN.
    figures["page_switch"] = switches = page_switches(folder)
    for page, bare_figure in (("ContactsPage", "contacts_page"), ("DeskPage", "desk_page")):
        switches[page].update(bare_median_ms=figures[bare_figure]["bare_median_ms"],
                              bare_worst_ms=figures[bare_figure]["bare_worst_ms"])
    figures["page_switch_worst_ms"] = max(page["worst_ms"] for page in switches.values())
    return figures, folder


if __name__ == "__main__":
    main()
