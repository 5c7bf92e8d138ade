"""Contact import speed: 1,000 and 100,000 rows through the whole import vs csv-module parsing alone.

Run: python -m benchmarks.contacts_import   (the last line is one JSON object)
"""

from __future__ import annotations

import csv
import json
import platform
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services.contact_import import Consent, apply_import, plan_import
from boxoffice.services.csv_files import read_csv_file
from boxoffice.store.engine import open_store

REPEATS = 3
FIRST = ["Léa", "Noah", "Chloé", "Luca", "Zoé", "Jürg", "Inès", "Björn"]
LAST = ["Müller", "Favre", "Rossi", "Dubois", "Zürcher", "Perret", "Bianchi", "García"]


def write_file(path: Path, rows: int) -> None:
    """An Excel (French Windows) export: Windows-1252, semicolons, six columns."""
    rng = random.Random(rows)
    with path.open("w", encoding="windows-1252", newline="") as handle:
        out = csv.writer(handle, delimiter=";")
        out.writerow(["Nom", "Prénom", "E-mail", "Société", "Téléphone", "Ville"])
        for i in range(rows):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            out.writerow([last, first, f"guest{i}@example.ch", "Société Générale SA", f"+41 79 {i:07d}",
                          rng.choice(["Genève", "Zürich", "Lausanne"])])


def parse_only(path: Path) -> float:
    start = time.perf_counter()
    with path.open(encoding="windows-1252", newline="") as handle:
        for _row in csv.reader(handle, delimiter=";"):
            pass
    return time.perf_counter() - start


def bare_insert(path: Path, work_dir: Path, email_index: bool = True) -> float:
    """Reference floor: the same rows parsed and inserted by bare sqlite3 into the real contacts
    schema (migrated store, same indexes), with no validation, ids, outbox or consent.
    Without `email_index`, the table keeps only its primary key: the floor of any schema."""
    data_dir = Path(tempfile.mkdtemp(dir=work_dir))
    open_store(data_dir).close()
    connection = sqlite3.connect(data_dir / "boxoffice.sqlite3")
    if not email_index:
        connection.execute("DROP INDEX ix_contacts_list_email")
    connection.execute("INSERT INTO contact_lists (id, name, created_at) VALUES ('L', 'Bare', '2026-01-01')")
    connection.commit()
    start = time.perf_counter()
    with path.open(encoding="windows-1252", newline="") as handle:
        rows = csv.reader(handle, delimiter=";")
        next(rows)
        connection.executemany(
            "INSERT INTO contacts (id, list_id, email, first_name, last_name, fields, hlc, created_at) "
            "VALUES (?, 'L', ?, ?, ?, '{}', '', '2026-01-01 00:00:00.000000')",
            ((f"{n:036d}", r[2], r[1], r[0]) for n, r in enumerate(rows)))
    connection.commit()
    elapsed = time.perf_counter() - start
    connection.close()
    shutil.rmtree(data_dir)
    return elapsed


def full_import(path: Path, work_dir: Path) -> tuple[float, dict[str, float]]:
    """From the file on disk to committed contacts, outbox rows and consent record, in a new store.
    Returns the seconds in all and per step: read (decode, detect, parse), plan (map, validate,
    find duplicates: the preview), write (ids, contacts, outbox, consent, commit)."""
    data_dir = Path(tempfile.mkdtemp(dir=work_dir))
    writer = Writer(open_store(data_dir))
    start = time.perf_counter()
    csv_file = read_csv_file(path)
    read = time.perf_counter()
    with writer.transaction() as work:
        plan = plan_import(work.session, csv_file, None)
        planned = time.perf_counter()
        apply_import(work, plan, None, "Benchmark", Consent("benchmark", True))
    end = time.perf_counter()
    writer.store.close()
    shutil.rmtree(data_dir)
    return end - start, {"read": read - start, "plan": planned - read, "write": end - planned}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        work_dir = Path(folder)
        figures: dict[str, float] = {}
        for rows, key in ((1_000, "1k"), (100_000, "100k")):
            path = work_dir / f"contacts-{key}.csv"
            write_file(path, rows)
            runs = sorted(full_import(path, work_dir) for _ in range(REPEATS))
            figures[f"rows_{key}_s"], steps = runs[len(runs) // 2]
            figures[f"parse_only_{key}_s"] = statistics.median(parse_only(path) for _ in range(REPEATS))
            if rows == 100_000:
                figures.update({f"{step}_100k_s": seconds for step, seconds in steps.items()})
                figures["bare_parse_insert_100k_s"] = statistics.median(
                    bare_insert(path, work_dir) for _ in range(REPEATS))
                figures["bare_parse_insert_pk_only_100k_s"] = statistics.median(
                    bare_insert(path, work_dir, email_index=False) for _ in range(REPEATS))
                print(f"{rows:>7} rows: bare sqlite3 parse + insert into the same schema "
                      f"{figures['bare_parse_insert_100k_s']:.3f} s (the floor any import stands on); "
                      f"with the primary key as the only index {figures['bare_parse_insert_pk_only_100k_s']:.3f} s")
                print(f"{rows:>7} rows: import steps (median run): " + ", ".join(
                    f"{step} {seconds:.3f} s" for step, seconds in steps.items()))
            print(f"{rows:>7} rows: import {figures[f'rows_{key}_s']:.3f} s, "
                  f"csv parse only {figures[f'parse_only_{key}_s']:.3f} s (median of {REPEATS})")
    ratio = figures["rows_100k_s"] / figures["parse_only_100k_s"]
    print(f"100,000 rows: import / parse-only = {ratio:.1f}x (target <= 5x); "
          f"machine: {platform.machine()}, Python {platform.python_version()}")
    print(json.dumps({k: round(v, 4) for k, v in {**figures, "ratio_100k": ratio}.items()}))


if __name__ == "__main__":
    main()
