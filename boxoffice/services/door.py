# SPDX-License-Identifier: AGPL-3.0-or-later
"""The door's verdict engine (D4–D10, G13): a scanned code to admitted or refused, with the reason in plain words.

Fully offline: the verdict comes from the local copy. Every scan is recorded as an append-only
check-in through the `checkins.record` mutation, in the caller's transaction with its outbox row,
so the door state of a ticket is always derived from its check-ins in HLC order.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from boxoffice.i18n import _
from boxoffice.mutations.checkins import CheckInRecord, TicketReturn, clean_door_name, sold_in_order
from boxoffice.mutations.unit_of_work import UnitOfWork
from boxoffice.services import resale, ticket_codes
from boxoffice.services.door_holders import (
    Admission,
    Holder,
    admissions,
    date_and_event,
    date_starts_at,
    find_by_code,
    find_holder,
    zone_name,
)
from boxoffice.services.ticket_codes import TicketCodeError
from boxoffice.store.ids import uuid7

MODES = ("normal", "entry", "exit", "multi")
ADMITTED, REFUSED, RETURNED = "admitted", "refused", "returned"


@dataclass(frozen=True)
class DoorDate:
    """A date the door admits: its event and when it starts (UTC)."""

    id: str
    event_id: str
    event_name: str
    starts_at: datetime


@dataclass(frozen=True)
class DoorSetup:
    """What this door admits and how (D1, D3, D5, D6, D9). Guest-manager events have no dates.

    mode: normal (admitted once), entry / exit (a holder goes out and back in), multi (never refused
    for having been in before). quick_cancel: scans put printed unsold tickets back on sale instead.
    """

    dates: tuple[DoorDate, ...] = ()
    guest_event_ids: frozenset[str] = frozenset()
    mode: str = "normal"
    zone_ids: frozenset[str] = frozenset()
    door: str = ""
    quick_cancel: bool = False
    show_photo: bool = False
    timezone: str = "Europe/Zurich"
    # The dates this device is enrolled for (door_lists.enrolled_dates), None when it is not narrowed:
    # the server refuses check-ins for any other date, so the door refuses them at once.
    enrolled_date_ids: frozenset[str] | None = None

    def __post_init__(self) -> None:
        # The name goes into every check-in: the server refuses an empty one or control characters.
        object.__setattr__(self, "door", clean_door_name(self.door, _("Door")))
        if self.mode not in MODES:
            raise ValueError(_("Unknown door mode “{mode}”: choose normal, entry, exit or multi.").format(
                mode=self.mode))

    @cached_property
    def date_ids(self) -> frozenset[str]:
        return frozenset(d.id for d in self.dates)

    @cached_property
    def event_ids(self) -> frozenset[str]:
        return frozenset(d.event_id for d in self.dates) | self.guest_event_ids

    def holds(self, date_id: str | None) -> bool:
        """Whether this device may record check-ins for `date_id` (None: guest events, unknown codes)."""
        return date_id is None or self.enrolled_date_ids is None or date_id in self.enrolled_date_ids

    @property
    def direction(self) -> str:
        return "out" if self.mode == "exit" else "in"


@dataclass(frozen=True)
class Verdict:
    """What the door shows for one scan. `reason` is a stable key, `message` the translated plain words."""

    code: str
    verdict: str
    reason: str
    message: str
    scanned_at: datetime
    door: str
    scan_id: str
    holder: Holder | None = None
    previous_at: datetime | None = None
    previous_door: str | None = None
    photo: bytes | None = field(default=None, repr=False)

    @property
    def admitted(self) -> bool:
        return self.verdict == ADMITTED

    def to_json(self) -> dict[str, Any]:
        result: dict[str, Any] = {"code": self.code, "verdict": self.verdict, "reason": self.reason,
                                  "message": self.message, "scanned_at": self.scanned_at.isoformat(),
                                  "door": self.door, "ticket": self.holder.to_json() if self.holder else None}
        if self.previous_at is not None:
            result["previous"] = {"scanned_at": self.previous_at.isoformat(), "door": self.previous_door}
        return result


@dataclass(frozen=True)
class _Decision:
    verdict: str
    reason: str
    message: str
    previous: Admission | None = None


def check(work: UnitOfWork, setup: DoorSetup, code: str) -> Verdict:
    """Decide on one scanned code and record the scan, inside the caller's transaction (writer thread)."""
    code = code.strip()
    conn = work.session.connection()
    try:
        holder = _holder_of_code(conn, code)
    except TicketCodeError as refused:
        return _record(work, setup, code, None, _Decision(REFUSED, refused.reason, str(refused)))
    return _judge(work, setup, code, holder)


def check_in_by_hand(work: UnitOfWork, setup: DoorSetup, kind: str, holder_id: str) -> Verdict:
    """D8: the same rules for a holder found by name or order number; the scan is marked as manual."""
    holder = find_holder(work.session.connection(), kind, holder_id, by="id")
    return _judge(work, setup, f"manual:{kind}:{holder_id}", holder)


def _judge(work: UnitOfWork, setup: DoorSetup, code: str, holder: Holder | None) -> Verdict:
    conn = work.session.connection()
    if holder is None:
        return _record(work, setup, code, None, _Decision(
            REFUSED, "unknown_code", _("Unknown code: this is not a ticket or invitation of this venue.")))
    if holder.kind == "pass":
        holder = _pass_for_door(setup, holder)
        if resale.seat_released(conn, holder.id, holder.date_id):
            holder = replace(holder, state="unsold")  # P5: this date's seat was put back on sale
    if setup.quick_cancel:
        return _record(work, setup, code, holder, _quick_cancel(work, conn, setup, holder))
    return _record(work, setup, code, holder, decide(conn, setup, holder))


def decide(conn: Connection, setup: DoorSetup, holder: Holder) -> _Decision:
    """The rules in order: what it is for, whether it is still valid, the zone, then the door state."""
    refusal = _refusal_before_door_state(conn, setup, holder)
    if refusal is not None:
        return refusal
    history = [] if setup.mode == "multi" else admissions(conn, holder, holder.date_id)
    return _by_door_state(setup, history)


def _refusal_before_door_state(conn: Connection, setup: DoorSetup, holder: Holder) -> _Decision | None:
    if holder.event_id not in setup.event_ids:
        return _Decision(REFUSED, "wrong_event", _("Wrong event: this is for “{event}”.").format(
            event=holder.event_name or _("another event")))
    if holder.kind in ("ticket", "pass") and not setup.holds(holder.date_id):
        return _Decision(REFUSED, "not_enrolled", _("Wrong date: this ticket is for {date}, a date this device is "
                                                    "not enrolled for.").format(
            date=_date_text(conn, setup, holder.date_id)))
    if holder.kind in ("ticket", "pass") and holder.date_id not in setup.date_ids:
        return _Decision(REFUSED, "wrong_date", _("Wrong date: this ticket is for {date}.").format(
            date=_date_text(conn, setup, holder.date_id)))
    if holder.state in ("cancelled", "unsold", "removed"):
        message = (_("This ticket was put back on sale: it is not valid.") if holder.state == "unsold"
                   else _("This ticket was cancelled."))
        return _Decision(REFUSED, "cancelled", message)
    if holder.state == "declined":
        return _Decision(REFUSED, "declined", _("This guest declined the invitation."))
    if setup.zone_ids and holder.kind in ("ticket", "pass") and holder.zone_id not in setup.zone_ids:
        return _Decision(REFUSED, "wrong_zone", _("Wrong zone: this ticket is for {zone}.").format(
            zone=holder.zone_name or _("no zone")))
    return None


def _by_door_state(setup: DoorSetup, history: list[Admission]) -> _Decision:
    last = history[-1] if history else None
    if setup.mode == "exit":
        if last is None or last.direction != "in":
            return _Decision(REFUSED, "not_inside", _("Not inside: this ticket has not come in, so it cannot "
                                                     "go out."), last)
        return _Decision(ADMITTED, "left", _("Goodbye — see you later."))
    if setup.mode == "normal":
        entered = [a for a in history if a.direction == "in"]
        previous = entered[-1] if entered else None
    else:
        previous = last if last is not None and last.direction == "in" else None
    if previous is not None:
        return _Decision(REFUSED, "already_inside", _("Already inside: scanned at {time} at {door}.").format(
            time=_local_time(previous.scanned_at, setup.timezone), door=previous.door or _("another door")),
            previous)
    return _Decision(ADMITTED, "welcome", _("Welcome!"))


def _quick_cancel(work: UnitOfWork, conn: Connection, setup: DoorSetup, holder: Holder) -> _Decision:
    """D6: a ticket printed as unsold stock that was neither sold on nor used goes back on sale."""
    if holder.kind != "ticket":
        return _Decision(REFUSED, "not_a_ticket", _("Only printed tickets can be put back on sale."))
    refusal = _refusal_before_door_state(conn, setup, holder)
    if refusal is not None:
        if holder.state == "unsold":
            return _Decision(REFUSED, "cancelled", _("This ticket is already back on sale."))
        return refusal
    sold = sold_in_order(conn, holder.id)
    if sold is not None:
        # Quick cancel is for printed stock only: a sold ticket is cancelled and refunded at the desk.
        message = (_("This ticket was sold (order {number}): cancel it from the desk.").format(number=sold) if sold
                   else _("This ticket was not printed as unsold stock: cancel it from the desk."))
        return _Decision(REFUSED, "sold", message)
    used = admissions(conn, holder, holder.date_id)
    if used:
        return _Decision(REFUSED, "already_inside", _("This ticket was used at the door: it cannot go back on "
                                                     "sale."), used[-1])
    work.run(TicketReturn(id=holder.id))
    return _Decision(RETURNED, "returned_to_sale", _("Put back on sale."))


def _holder_of_code(conn: Connection, code: str) -> Holder | None:
    if not ticket_codes.looks_signed(code):
        return find_by_code(conn, code)
    signed = ticket_codes.read_ticket_code(code)
    claimed = signed.ticket
    date = date_and_event(conn, claimed.date_id)
    if date is None:
        # A date this door does not hold is not one it admits; the signature cannot be checked either.
        return Holder("ticket", claimed.ticket_id, "", None, "", claimed.date_id, claimed.zone_id)
    revoked = set((date.settings or {}).get("revoked_tickets", ()))
    ticket_codes.check_signed_code(signed, date.signing_keys or (), revoked)
    local = find_holder(conn, "ticket", claimed.ticket_id, by="id")
    if local is not None:
        if local.state != "valid":
            raise TicketCodeError("revoked", _("This ticket was cancelled or replaced."))
        return local
    # Sold at a desk this door never synced with: the signature is the proof (DESIGN: Ticket codes).
    return Holder("ticket", claimed.ticket_id, "", date.event_id, date.name, claimed.date_id, claimed.zone_id,
                  zone_name(conn, claimed.zone_id))


def _pass_for_door(setup: DoorSetup, holder: Holder) -> Holder:
    """A pass admits to the events of its definition: it is checked in for this door's first such date."""
    dates = sorted((d for d in setup.dates if d.event_id in holder.pass_event_ids), key=lambda d: d.starts_at)
    if dates:
        first = dates[0]
        return replace(holder, event_id=first.event_id, event_name=first.event_name, date_id=first.id)
    return replace(holder, event_id=holder.pass_event_ids[0] if holder.pass_event_ids else None)


def _record(work: UnitOfWork, setup: DoorSetup, code: str, holder: Holder | None, decision: _Decision) -> Verdict:
    scan_id, now = uuid7(), datetime.now(UTC)
    kind, holder_id = (holder.kind, holder.id) if holder else ("", None)
    # A scan refused for a date this device does not hold is logged without that date: the server
    # takes check-ins only for the device's own dates, and this one admits nobody.
    date_id = holder.date_id if holder is not None and setup.holds(holder.date_id) else None
    if decision.verdict != RETURNED:
        work.run(CheckInRecord(
            id=scan_id, code=code, door=setup.door, direction=setup.direction,
            verdict=decision.verdict, reason=decision.reason, scanned_at=now.isoformat(), mode=setup.mode,
            ticket_id=holder_id if kind == "ticket" else None,
            guest_id=holder_id if kind in ("guest", "companion") else None,
            pass_id=holder_id if kind == "pass" else None,
            date_id=date_id, zone_id=holder.zone_id if holder else None))
    previous = decision.previous
    photo = holder.photo if holder is not None and setup.show_photo else None
    return Verdict(code, decision.verdict, decision.reason, decision.message, now, setup.door, scan_id, holder,
                   previous.scanned_at if previous else None, previous.door if previous else None, photo)


def _local_time(moment: datetime, timezone: str) -> str:
    local = moment.astimezone(ZoneInfo(timezone))
    today = datetime.now(ZoneInfo(timezone)).date()
    return local.strftime("%H:%M") if local.date() == today else local.strftime("%d.%m.%Y %H:%M")


def _date_text(conn: Connection, setup: DoorSetup, date_id: str | None) -> str:
    starts = date_starts_at(conn, date_id) if date_id else None
    if starts is None:
        return _("a date this door does not know")
    return starts.astimezone(ZoneInfo(setup.timezone)).strftime("%d.%m.%Y %H:%M")
