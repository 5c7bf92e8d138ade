"""The scope each row a mutation touched replicates in, as sync/protocol.scope_of decides it.

Mutators name a scope when they touch a row, but which devices may hold it is the sync layer's
decision (docs/roles.md): an order goes with its date, credits only to organizer devices, refunds
and till closes to desks too. Deciding it here, from the row as written, keeps the server's scopes
equal to the ones a device computes from its own copy for its checkpoints.
"""

from __future__ import annotations

from sqlalchemy import Connection

from sync.protocol import ROW_SCOPED, scope_of

Touched = list[tuple[str, str, str]]


def route(connection: Connection, touched: Touched) -> Touched:
    """`touched` with each row's scope as it must replicate."""
    orders = [row_id for entity, row_id, _scope in touched if entity == "orders"]
    dates = _order_dates(connection, orders) if orders else {}
    routed = []
    for entity, row_id, scope in touched:
        if entity == "orders":
            scope = scope_of(entity, {"date_id": dates.get(row_id)})
        elif entity not in ROW_SCOPED:
            scope = scope_of(entity, {})
        routed.append((entity, row_id, scope))
    return routed


def _order_dates(connection: Connection, ids: list[str]) -> dict[str, str | None]:
    mark = "%s" if connection.dialect.name == "postgresql" else "?"
    found: dict[str, str | None] = {}
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), 500):
        chunk = unique[start:start + 500]
        found.update(connection.exec_driver_sql(
            f"SELECT id, date_id FROM orders WHERE id IN ({', '.join([mark] * len(chunk))})", tuple(chunk)).all())
    return found
