"""Mutations that record orders with their tickets."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from boxoffice.model.sales import Order, Ticket
from boxoffice.mutations import Args, MutationContext, Result, mutator
from boxoffice.mutations.sales import require_parents, single_date
from boxoffice.store.bulk import insert_rows

ORDER_COLUMNS = ("id", "number", "customer_name", "customer_email", "payment_method", "total_minor",
                 "currency", "status", "device_id", "sold_at")
TICKET_COLUMNS = ("id", "order_id", "event_id", "date_id", "zone_id", "rate_id", "secret", "holder_name",
                  "price_minor", "currency", "state")


@mutator("orders.create_many", roles=("organizer",),
         summary=lambda a: f"record {len(a['orders'])} orders with {len(a['tickets'])} tickets")
def create_orders(ctx: MutationContext, args: Args) -> Result:
    """Record finished orders as given (rows in ORDER_COLUMNS / TICKET_COLUMNS order).

    Used to load orders sold elsewhere (and the demo venue); desk sales within allotments are
    the sales mutations' job.
    """
    # Orders loaded from elsewhere bypass the desk's capacity checks: organizers only, and only
    # into the organizer's own dates, zones and rates.
    require_parents(ctx, [dict(zip(TICKET_COLUMNS, row, strict=False)) for row in args["tickets"]])
    now = datetime.now(UTC)
    dates: dict[str, list[str]] = defaultdict(list)
    for row in args["tickets"]:
        dates[row[1]].append(row[3])
    orders = [(*row[:9], datetime.fromisoformat(row[9]) if row[9] else None, single_date(dates[row[0]]), ctx.hlc,
               now) for row in args["orders"]]
    tickets = [(*row, ctx.hlc, now) for row in args["tickets"]]
    insert_rows(ctx.session, Order, (*ORDER_COLUMNS, "date_id", "hlc", "created_at"), orders)
    insert_rows(ctx.session, Ticket, (*TICKET_COLUMNS, "hlc", "created_at"), tickets)
    for row in args["orders"]:
        ctx.touch("orders", row[0], "organizer")
    for row in args["tickets"]:
        ctx.touch("tickets", row[0], f"date:{row[3]}")
    return {"orders": len(orders), "tickets": len(tickets)}
