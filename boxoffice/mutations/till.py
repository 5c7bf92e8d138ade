"""The till close (T5): a desk's closing record, written once and refused any change afterwards.

The device's till service computes the figures; this mutator checks them again where it runs (the
same sums on the device and on the server) and refuses a second close of the same desk and day, or
a record whose difference is not counted minus expected.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import StringConstraints
from sqlalchemy import select

from boxoffice.i18n import N_
from boxoffice.model.till import TillClose as TillCloseRow
from boxoffice.mutations import MutationContext, MutationRejected, Result, mutator
from boxoffice.mutations.args import Id, Int64, MutationArgs, Name, Note, Row, Time
from boxoffice.store.bulk import insert_rows

DESK_ROLES = ("organizer", "desk")
FIELDS = ("id", "device_id", "desk", "day", "timezone", "currency", "opening_float_minor", "counted_minor", "counts",
          "cash_sold_minor", "cash_refunded_minor", "expected_minor", "difference_minor", "takings", "refunds",
          "closed_by", "note")
AMOUNTS = ("opening_float_minor", "counted_minor", "cash_sold_minor", "cash_refunded_minor")


def check_figures(close: dict[str, Any]) -> None:
    """Refuse a record whose sums do not add up, naming the field."""
    for name in (*AMOUNTS, "expected_minor", "difference_minor"):
        if not isinstance(close.get(name), int) or isinstance(close.get(name), bool):
            raise MutationRejected(N_("till close: {name} must be a whole number of minor units"), name=name)
    for name in AMOUNTS:
        if close[name] < 0:
            raise MutationRejected(N_("till close: {name} cannot be negative"), name=name)
    counts = close.get("counts") or {}
    if counts:
        total = sum(int(value) * int(pieces) for value, pieces in counts.items())
        if total != close["counted_minor"]:
            raise MutationRejected(N_("till close: the notes and coins counted make {total}, not counted_minor "
                                      "{counted_minor}"),
                                   total=total, counted_minor=close['counted_minor'])
    expected = close["opening_float_minor"] + close["cash_sold_minor"] - close["cash_refunded_minor"]
    if close["expected_minor"] != expected:
        raise MutationRejected(N_("till close: expected_minor must be float + cash sold - cash refunded = {expected}"),
                               expected=expected)
    if close["difference_minor"] != close["counted_minor"] - expected:
        raise MutationRejected(N_("till close: difference_minor must be counted_minor - expected_minor"))
    if not str(close.get("closed_by") or "").strip():
        raise MutationRejected(N_("till close: closed_by must name who closed the till"))


class TillRecord(Row):
    """A desk's closing figures as the till service computed them (FIELDS and closed_at)."""

    id: Id
    device_id: Id
    desk: Name
    day: Annotated[str, StringConstraints(strict=True, pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    timezone: Name
    currency: Annotated[str, StringConstraints(strict=True, pattern=r"^[A-Z]{3}$")]
    opening_float_minor: Int64
    counted_minor: Int64
    counts: dict[Annotated[str, StringConstraints(pattern=r"^[0-9]{1,18}$")], Int64] = {}
    cash_sold_minor: Int64
    cash_refunded_minor: Int64
    expected_minor: Int64
    difference_minor: Int64
    takings: list[dict[str, Any]] = []
    refunds: list[dict[str, Any]] = []
    closed_by: Name
    note: Note = ""
    closed_at: Time


class CloseTill(MutationArgs):
    mutation = "till.close"
    close: TillRecord


@mutator(CloseTill, roles=DESK_ROLES, summary=lambda a: f"close the till of {a.close.desk} for {a.close.day}")
def close(ctx: MutationContext, args: CloseTill) -> Result:
    """Record one till close; a replay of the same close is a no-op, any other second close is refused."""
    record = args.close.model_dump()
    existing = ctx.session.get(TillCloseRow, record["id"])
    if existing is not None:
        if ctx.on_server and existing.device_id == record["device_id"] and existing.day == record["day"]:
            return {"id": record["id"], "recorded": False}  # the same push again
        raise MutationRejected(N_("the till close {id} already exists and cannot be changed"), id=record['id'])
    if ctx.role == "desk" and record["device_id"] != ctx.device_id:
        raise MutationRejected(N_("a desk closes only its own till"))
    check_figures(record)
    earlier = ctx.session.scalars(select(TillCloseRow).where(TillCloseRow.device_id == record["device_id"],
                                                             TillCloseRow.day == record["day"])).first()
    if earlier is not None:
        raise MutationRejected(N_("the till of {desk} for {day} was already closed by {closed_by} at {closed_at} UTC"),
                               desk=record['desk'], day=record['day'], closed_by=earlier.closed_by,
                               closed_at=format(earlier.closed_at, '%H:%M'))
    closed_at = datetime.fromisoformat(record["closed_at"]).astimezone(UTC)
    now = datetime.now(UTC)
    insert_rows(ctx.session, TillCloseRow, (*FIELDS, "closed_at", "hlc", "created_at"),
                [(*(record.get(name) for name in FIELDS), closed_at, ctx.hlc, now)])
    ctx.touch("till_closes", record["id"], "organizer")
    return {"id": record["id"], "recorded": True}
