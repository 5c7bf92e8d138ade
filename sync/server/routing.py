"""The scope each row a mutation touched replicates in, as sync/protocol.scope_of decides it.

Mutators name a scope when they touch a row, but which devices may hold it is the sync layer's
decision (docs/roles.md): an order goes with its date, a guest list with its event, credits only to
organizer devices, refunds and till closes to desks too. Deciding it here, from the row as written
(read back with the same SQL a device uses on its copy, sync/protocol.SCOPE_KEYS), keeps the
server's scopes equal to the ones a device computes for its checkpoints.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection

from sync.protocol import ROW_SCOPED, SCOPE_KEYS, scope_of
from sync.server import driver_sql, statements

Touched = list[tuple[str, str, str]]
_CHUNK = 500  # ids per statement: under every driver's limit on parameters

# Scoped by what the row belongs to, read back from the database (the mutator cannot know it): a
# pass by its definition, an order by its date or its passes.
_READ_BACK = frozenset({"orders", "passes", "resales", "invitations", "guests", "companions", "conflicts"})


def route(connection: Connection, touched: Touched) -> Touched:
    """`touched` with each row's scope as it must replicate."""
    wanted: dict[str, list[str]] = defaultdict(list)
    for entity, row_id, scope in touched:
        # A check-in without a date (a guest's) is the only one the mutator's scope may not place.
        if entity in _READ_BACK or (entity == "checkins" and scope == "organizer"):
            wanted[entity].append(row_id)
    read = {entity: _scopes(connection, entity, ids) for entity, ids in wanted.items()}
    routed = []
    for entity, row_id, scope in touched:
        if row_id in read.get(entity, {}):
            scope = read[entity][row_id]
        elif entity not in ROW_SCOPED:
            scope = scope_of(entity, {})
        routed.append((entity, row_id, scope))
    # An invitation's guest rows need not move with it: its event cannot change once it has guests
    # (boxoffice/mutations/invitations.update_invitation).
    return routed


def _scopes(connection: Connection, entity: str, ids: list[str]) -> dict[str, str]:
    keys = [key for key, _expression in SCOPE_KEYS[entity]]
    unique = sorted(set(ids))
    found: dict[str, str] = {}
    for start in range(0, len(unique), _CHUNK):
        chunk = unique[start:start + _CHUNK]
        # Straight to the driver (driver_sql.py): this runs in every push that touched such a row.
        rows = driver_sql.run(connection, statements.scope_keys_of(entity, len(chunk)), tuple(chunk))
        found.update((row[0], scope_of(entity, dict(zip(keys, row[1:], strict=True)))) for row in rows)
    return found
