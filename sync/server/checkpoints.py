"""Per-scope checkpoints (count and hash of the rows a scope holds), kept up to date as rows change.

A pull that drains a scope sends its checkpoint. Computing it from `row_changes` read every row
of the scope for each such pull: ~15 ms for 10,000 check-ins, paid by every door after every
scan. The hash is a sum of per-row hashes (sync/rows.py), so each write adds the new rows' share
and takes out the old one, inside the same transaction as the change numbers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Connection

from sync.rows import hash_text, row_hash
from sync.server import driver_sql, statements
from sync.server.tables import ScopeCheckpoint

__all__ = ["ScopeCheckpoint", "apply_delta", "read", "rebuild"]

# (entity, id, scope, seq)
Numbered = tuple[str, str, str, int]


def _mark(connection: Connection) -> str:
    return "%s" if connection.dialect.name == "postgresql" else "?"


def _insert(mark: str) -> str:
    return f"INSERT INTO scope_checkpoints (organizer_id, scope, row_count, digest) VALUES ({', '.join([mark] * 4)})"


def apply_delta(connection: Connection, organizer_id: str, before: Iterable[Numbered], after: Iterable[Numbered]
                ) -> None:
    """Take the rows' old (scope, seq) out of their scopes' checkpoints and add the new ones.

    The caller holds the organizer's change counter, so no other transaction updates these rows.
    """
    delta: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for sign, rows in ((-1, before), (1, after)):
        for entity, row_id, scope, seq in rows:
            delta[scope][0] += sign
            delta[scope][1] += sign * row_hash(entity, row_id, seq)
    if not delta:
        return
    scopes = sorted(delta)
    current = {scope: (count, int(digest, 16)) for scope, count, digest in driver_sql.run(
        connection, statements.checkpoints_of(len(scopes)), (organizer_id, *scopes))}
    values = []
    for scope in scopes:
        count, total = current.get(scope, (0, 0))
        values.append((organizer_id, scope, count + delta[scope][0], hash_text(total + delta[scope][1])))
    driver_sql.run(connection, statements.SAVE_CHECKPOINTS, values)


def read(connection: Connection, organizer_id: str, scope: str) -> dict[str, int | str]:
    """The checkpoint of `scope` ("dates" adds up every date's) as a pull sends it."""
    found = driver_sql.run(connection, statements.CHECKPOINT_DATES if scope == "dates" else statements.CHECKPOINT_ONE,
                           (organizer_id, "date:%" if scope == "dates" else scope))
    return {"count": sum(int(count) for count, _ in found),
            "hash": hash_text(sum(int(digest, 16) for _, digest in found))}


def rebuild(connection: Connection) -> None:
    """Compute every checkpoint from `row_changes` (the migration that adds the table)."""
    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for entity, row_id, organizer_id, scope, seq in connection.exec_driver_sql(
            "SELECT entity, entity_id, organizer_id, scope, seq FROM row_changes"):
        total = sums[(organizer_id, scope)]
        total[0] += 1
        total[1] += row_hash(entity, row_id, int(seq))
    connection.exec_driver_sql("DELETE FROM scope_checkpoints")
    if sums:
        connection.exec_driver_sql(_insert(_mark(connection)), [
            (organizer, scope, count, hash_text(total)) for (organizer, scope), (count, total) in sums.items()])
