"""Mutations that record orders with their tickets."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from pydantic import Field

from boxoffice.model.sales import Order, Ticket
from boxoffice.mutations import MutationContext, Result, mutator
from boxoffice.mutations.args import Id, Int64, MutationArgs, Name, Time
from boxoffice.mutations.sales import require_parents, single_date
from boxoffice.store.bulk import insert_rows

ORDER_COLUMNS = ("id", "number", "customer_name", "customer_email", "payment_method", "total_minor",
                 "currency", "status", "device_id", "sold_at")
TICKET_COLUMNS = ("id", "order_id", "event_id", "date_id", "zone_id", "rate_id", "secret", "holder_name",
                  "price_minor", "currency", "state")


# Positional rows, as ORDER_COLUMNS and TICKET_COLUMNS name them: a load of 100,000 tickets is a
# list of lists on the wire, not of objects with their keys repeated.
OrderColumns = tuple[Id, Name | None, Name | None, Name | None, Name | None, Int64 | None, Name | None, Name | None,
                     Id | None, Time | None]
TicketColumns = tuple[Id, Id, Id | None, Id, Id, Id | None, Name | None, Name | None, Int64 | None, Name | None,
                      Name | None]


class OrdersLoad(MutationArgs):
    mutation = "orders.create_many"
    orders: list[OrderColumns] = Field(max_length=1_000_000)
    tickets: list[TicketColumns] = Field(max_length=1_000_000)


@mutator(OrdersLoad, roles=("organizer",),
         summary=lambda a: f"record {len(a.orders)} orders with {len(a.tickets)} tickets")
def create_orders(ctx: MutationContext, args: OrdersLoad) -> Result:
    """Record finished orders as given (rows in ORDER_COLUMNS / TICKET_COLUMNS order).

    Used to load orders sold elsewhere (and the demo venue); desk sales within allotments are
    the sales mutations' job.
    """
    # Orders loaded from elsewhere bypass the desk's capacity checks: organizers only, and only
    # into the organizer's own dates, zones and rates.
    require_parents(ctx, [dict(zip(TICKET_COLUMNS, row, strict=False)) for row in args.tickets])
    now = datetime.now(UTC)
    dates: dict[str, list[str]] = defaultdict(list)
    for ticket in args.tickets:
        dates[ticket[1]].append(ticket[3])
    orders = [(*order[:9], datetime.fromisoformat(order[9]) if order[9] else None, single_date(dates[order[0]]),
               ctx.hlc, now) for order in args.orders]
    tickets = [(*ticket, ctx.hlc, now) for ticket in args.tickets]
    insert_rows(ctx.session, Order, (*ORDER_COLUMNS, "date_id", "hlc", "created_at"), orders)
    insert_rows(ctx.session, Ticket, (*TICKET_COLUMNS, "hlc", "created_at"), tickets)
    for order in args.orders:
        ctx.touch("orders", order[0], "organizer")
    for ticket in args.tickets:
        ctx.touch("tickets", ticket[0], f"date:{ticket[3]}")
    return {"orders": len(orders), "tickets": len(tickets)}
