# SPDX-License-Identifier: AGPL-3.0-or-later
"""The large store the UI benchmark measures: 1,000,000 tickets and 500,000 contacts, built once and cached.

Building it takes minutes, so it is kept in bench-out/ (git-ignored): `base/` as the demo left it, and
one copy per schema head migrated from it, so a new migration only costs its own upgrade. Each run works
on a fresh copy of the migrated store, so what one run writes never skews the next.

Run alone to build the cache: python -m benchmarks.ui_store
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

from alembic.script import ScriptDirectory

from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services.demo import create_demo
from boxoffice.store import migrate
from boxoffice.store.engine import DATABASE_FILE, Checkpointer, Store, checkpoint, create_sqlite_engine, open_store

TICKETS = 1_000_000
CONTACTS = 500_000
ROOT = Path(__file__).resolve().parents[1] / "bench-out" / f"ui-{TICKETS}-{CONTACTS}"
BUILT = "built.json"


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def chain(revision: str) -> list[str]:
    """`revision` and every revision below it, newest first, as the migrations folder orders them."""
    scripts = ScriptDirectory(str(migrate.MIGRATIONS))
    return [script.revision for script in scripts.iterate_revisions(revision, "base")]


def build_base(folder: Path, revision: str) -> None:
    """The demo venue at full size in one transaction at schema `revision`, its log checkpointed."""
    partial = folder.with_name(folder.name + ".part")
    shutil.rmtree(partial, ignore_errors=True)
    started = time.perf_counter()
    path = partial / DATABASE_FILE
    engine = create_sqlite_engine(path)
    migrate.upgrade(engine, revision)
    store = Store(engine, Checkpointer(path))
    with Writer(store).transaction() as work:
        create_demo(work, tickets=TICKETS, contact_count=CONTACTS)
    checkpoint(store)
    store.close()
    seconds = time.perf_counter() - started
    (partial / BUILT).write_text(json.dumps({"tickets": TICKETS, "contacts": CONTACTS, "seconds": round(seconds),
                                             "chain": chain(revision)}))
    partial.rename(folder)
    _log(f"built {TICKETS:,} tickets and {CONTACTS:,} contacts in {seconds:.0f} s")


def _base_fits(base: Path, head: str) -> bool:
    """Whether the cached base's schema is an ancestor of `head` in today's migrations."""
    if not (base / BUILT).exists():
        return False
    built = json.loads((base / BUILT).read_text())["chain"]
    current = chain(head)
    return built[0] in current and current[current.index(built[0]):] == built


def migrated(head: str, base_revision: str | None = None) -> Path:
    """The cached store upgraded to `head`, building what is missing."""
    base = ROOT / "base"
    if not _base_fits(base, head):
        shutil.rmtree(base, ignore_errors=True)
        build_base(base, base_revision or head)
    target = ROOT / f"head-{head}"
    if not (target / BUILT).exists():
        partial = target.with_name(target.name + ".part")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        shutil.copy2(base / DATABASE_FILE, partial / DATABASE_FILE)
        started = time.perf_counter()
        store = open_store(partial)
        checkpoint(store)
        store.close()
        _log(f"migrated the cached store to {head} in {time.perf_counter() - started:.0f} s")
        shutil.copy2(base / BUILT, partial / BUILT)
        partial.rename(target)
    return target


def fresh_copy() -> Path:
    """A copy of the migrated store for one run (bench-out/.../run/), replacing the last run's."""
    source = migrated(migrate.head_revision())
    run = ROOT / "run"
    shutil.rmtree(run, ignore_errors=True)
    run.mkdir(parents=True)
    shutil.copy2(source / DATABASE_FILE, run / DATABASE_FILE)
    return run


if __name__ == "__main__":
    # An optional revision to build the base at (an older one stays valid when migrations are re-chained).
    print(migrated(migrate.head_revision(), sys.argv[1] if len(sys.argv) > 1 else None))
