# SPDX-License-Identifier: AGPL-3.0-or-later
"""Desk benchmark: a 4-ticket sale committed (order, tickets, outbox) on 100,000 tickets vs bare sqlite3.

Run: python -m benchmarks.desk   (the last line is one JSON object)
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
from sqlalchemy import func, select

from benchmarks.figures import percentile
from boxoffice.model.events import Event, EventDate, Zone
from boxoffice.model.sales import Ticket
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import catalogue, sales
from boxoffice.services.demo import create_demo
from boxoffice.store.engine import DATABASE_FILE, open_store
from boxoffice.store.ids import new_secret, uuid7, uuid7_batch

TICKETS = 100_000
WARM_UP = 50
SALES = 1_000
OVERFULL_SALES = 200
CAPACITY = 5_000



def build(folder: Path) -> tuple[Writer, sales.Sale, sales.Sale]:
    """The demo venue with 100,000 tickets, and two sales to time: one for a new date of a big zone
    (5,000 places, filled by the run itself, as a real desk meets it), one for the demo's busiest
    date, which holds ~20,000 tickets (the worst case for counting places)."""
    writer = Writer(open_store(folder))
    started = time.perf_counter()
    with writer.transaction() as work:
        create_demo(work, tickets=TICKETS, contact_count=0)
    print(f"store with {TICKETS:,} tickets built in {time.perf_counter() - started:.1f} s")
    with writer.transaction() as work:
        zone, date = work.session.execute(
            select(Zone, EventDate).join(Event, Event.id == Zone.event_id)
            .join(EventDate, EventDate.event_id == Event.id)
            .where(Zone.name == "Parterre").order_by(EventDate.starts_at)).first()  # type: ignore[misc]
        busiest = work.session.scalar(select(Ticket.date_id).where(Ticket.event_id == zone.event_id)
                                      .group_by(Ticket.date_id).order_by(func.count().desc()).limit(1))
        catalogue.update_zone(work, zone.id, capacity=CAPACITY)
        new_date = catalogue.add_date(work, zone.event_id, date.starts_at + timedelta(days=60))
        rate = sales.sellable_rates(work.session, date.id, zone.id)[0]
    line = (sales.SaleLine(rate.id, 4),)
    fresh = sales.Sale(new_date, zone.id, line, (), "Léa Müller", "lea@example.ch", payment_method="card")
    overfull = sales.Sale(busiest or date.id, zone.id, line, (), "Léa Müller", "lea@example.ch",
                          payment_method="card")
    return writer, fresh, overfull


def time_sales(writer: Writer, sale: sales.Sale, count: int = SALES) -> list[float]:
    """Milliseconds per sale, each its own transaction like a real desk."""
    timings = []
    for index in range(WARM_UP + count):
        started = time.perf_counter()
        with writer.transaction() as work:
            sales.sell(work, sale)
        if index >= WARM_UP:
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def time_bare_sqlite(path: Path, sale: sales.Sale) -> list[float]:
    """The same rows (order, 4 tickets, outbox entry) with plain sqlite3, WAL and NORMAL."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    event_id = connection.execute("SELECT event_id FROM event_dates WHERE id = ?", (sale.date_id,)).fetchone()[0]
    timings = []
    for index in range(WARM_UP + SALES):
        started = time.perf_counter()
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        order_id = uuid7()
        connection.execute("BEGIN")
        connection.execute(
            "INSERT INTO orders (id, number, customer_name, customer_email, customer, answers, payment_method, "
            "total_minor, currency, status, device_id, sold_at, hlc, created_at) "
            "VALUES (?, ?, ?, ?, '{}', '{}', 'card', 18000, 'CHF', 'paid', 'bench', ?, 'h', ?)",
            (order_id, f"BARE-{index:07d}", "Léa Müller", "lea@example.ch", now, now))
        connection.executemany(
            "INSERT INTO tickets (id, order_id, event_id, date_id, zone_id, rate_id, secret, holder_name, "
            "price_minor, currency, state, hlc, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 4500, 'CHF', 'valid', 'h', ?)",
            [(tid, order_id, event_id, sale.date_id, sale.zone_id, sale.lines[0].rate_id, new_secret(), "Léa Müller",
              now) for tid in uuid7_batch(4)])
        connection.execute("INSERT INTO outbox (mutation, args, hlc, created_at) VALUES (?, ?, ?, ?)",
                           ("sales.sell", orjson.dumps({"order": order_id}).decode(), "h", now))
        connection.execute("COMMIT")
        if index >= WARM_UP:
            timings.append((time.perf_counter() - started) * 1000)
    connection.close()
    return timings


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        writer, sale, overfull = build(Path(folder))
        timings = time_sales(writer, sale)
        with writer.transaction() as work:
            catalogue.update_zone(work, overfull.zone_id, capacity=10_000_000)
        worst = time_sales(writer, overfull, OVERFULL_SALES)
        writer.store.close()
        baseline = time_bare_sqlite(Path(folder) / DATABASE_FILE, sale)
    figures = {"tickets": TICKETS, "p50_ms": round(percentile(timings, 0.5), 3),
               "p99_ms": round(percentile(timings, 0.99), 3),
               "baseline_p50_ms": round(percentile(baseline, 0.5), 3),
               "baseline_p99_ms": round(percentile(baseline, 0.99), 3)}
    print(f"4-ticket desk sale, committed ({SALES:,} sales, one transaction each): p50 {figures['p50_ms']} ms, "
          f"p99 {figures['p99_ms']} ms (target p99 <= 20 ms)")
    print(f"same sale on the demo's busiest date (~20,000 tickets to count): p50 {percentile(worst, 0.5):.3f} ms, "
          f"p99 {percentile(worst, 0.99):.3f} ms")
    print(f"bare sqlite3 inserts of the same rows + commit: p50 {figures['baseline_p50_ms']} ms, "
          f"p99 {figures['baseline_p99_ms']} ms")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
