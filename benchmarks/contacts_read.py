"""Reading and checking a contacts CSV: decode, code page, parse, then the plan's checks, beside another checkout.

Run: python -m benchmarks.contacts_read [--before DIR] [--rounds 3]
     Each round measures this checkout, then DIR (its own process), best of 9 each, on the same Windows-1252
     files of 1,000 and 100,000 rows; the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPEATS = 9
ROOT = Path(__file__).resolve().parents[1]


def measure(folder: Path) -> dict[str, float]:
    """Best of REPEATS for reading and for planning each file in `folder`, in ms."""
    from boxoffice.mutations.unit_of_work import Writer
    from boxoffice.services.contact_import import plan_import
    from boxoffice.services.csv_files import read_csv_file
    from boxoffice.store.engine import open_store

    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as store:
        writer = Writer(open_store(Path(store)))
        for key in ("1k", "100k"):
            reads, plans = [], []
            for _n in range(REPEATS):
                start = time.perf_counter()
                csv_file = read_csv_file(folder / f"{key}.csv")
                reads.append(time.perf_counter() - start)
                with writer.transaction() as work:
                    start = time.perf_counter()
                    plan_import(work.session, csv_file, None)
                    plans.append(time.perf_counter() - start)
            figures[f"read_{key}_ms"], figures[f"plan_{key}_ms"] = min(reads) * 1000, min(plans) * 1000
        writer.store.close()
    return {name: round(value, 1) for name, value in figures.items()}


def _in_process(checkout: Path, folder: Path) -> dict[str, float]:
    """`measure` in a process of its own that imports the app from `checkout` (this file runs as a script)."""
    out = subprocess.run([sys.executable, __file__, "--measure", str(folder)], cwd=checkout,
                         env={**os.environ, "PYTHONPATH": str(checkout)}, capture_output=True, text=True, check=True)
    return dict(json.loads(out.stdout.splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", type=Path, help="another checkout, measured after this one in each round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        print(json.dumps(measure(options.measure)))
        return
    from benchmarks.contacts_import import write_file

    rounds: list[dict[str, dict[str, float]]] = []
    with tempfile.TemporaryDirectory() as folder:
        for rows, key in ((1_000, "1k"), (100_000, "100k")):
            write_file(Path(folder) / f"{key}.csv", rows)
        for _round in range(options.rounds):
            figures = {"this": _in_process(ROOT, Path(folder))}
            if options.before:
                figures["before"] = _in_process(options.before.resolve(), Path(folder))
            rounds.append(figures)
            print("  ".join(f"{side}: " + ", ".join(f"{k} {v}" for k, v in values.items())
                            for side, values in figures.items()))
    print(json.dumps(rounds))


if __name__ == "__main__":
    main()
