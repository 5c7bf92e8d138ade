"""The scope each row a mutation touched replicates in, as sync/protocol.scope_of decides it.

Mutators name a scope when they touch a row, but which devices may hold it is the sync layer's
decision (docs/roles.md): an order goes with its date, credits only to organizer devices, refunds
and till closes to desks too. Deciding it here, from the row as written, keeps the server's scopes
equal to the ones a device computes from its own copy for its checkpoints.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from sync.protocol import ROW_SCOPED, scope_of
from sync.rows import replicated_tables

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
    orders = replicated_tables()["orders"]
    query = select(orders.c.id, orders.c.date_id).where(orders.c.id.in_(set(ids)))
    return {row_id: date_id for row_id, date_id in connection.execute(query)}
