# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the door reads besides verdicts: setup choices, search by name or order number (D8), counters,
the ticket listing and the printed fallback list (D1)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, literal_column, or_, select
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from boxoffice.i18n import _
from boxoffice.model.devices import LocalDevice
from boxoffice.services.door import DoorDate, DoorSetup
from boxoffice.services.door_holders import CK, INV, ORD, C, D, E, G, R, T, Z
from boxoffice.services.text_search import match_expression, matching_rowids
from sync.protocol import PASS_SCOPE


@dataclass(frozen=True)
class DoorChoices:
    """Everything a door can be set up for: ticketed dates, guest-manager events, zones."""

    dates: list[DoorDate]
    guest_events: list[tuple[str, str, datetime | None]]
    zones: list[tuple[str, str, str]]


@dataclass(frozen=True)
class ListedHolder:
    """One line of a search result, the ticket listing or the printed list."""

    kind: str
    id: str
    name: str
    event: str
    starts_at: datetime | None
    zone: str
    rate: str
    order_number: str
    state: str
    code: str

    def to_json(self, timezone: str) -> dict[str, Any]:
        when = self.starts_at.astimezone(ZoneInfo(timezone)).isoformat() if self.starts_at else None
        return {"kind": self.kind, "id": self.id, "holder": self.name, "event": self.event, "date": when,
                "zone": self.zone, "rate": self.rate, "order": self.order_number, "state": self.state,
                "code": self.code}


@dataclass(frozen=True)
class DoorCounts:
    inside: int
    admitted: int
    refused: int


def enrolled_dates(session: Session) -> frozenset[str] | None:
    """The dates a door or desk was enrolled for (its `date:` scopes), None when it holds every date.

    The device learns them at enrollment (sync.client stores the scopes the server answered); a door
    narrowed to some dates still knows the other dates of its events, but may check in only for these.
    """
    device = session.scalars(select(LocalDevice)).first()
    if device is None or device.role == "organizer" or "dates" in device.scopes:
        return None
    # The scopes of the pass definitions its dates' events have (date:pass:<id>) name no date.
    narrowed = frozenset(scope.removeprefix("date:") for scope in device.scopes
                         if scope.startswith("date:") and not scope.startswith(PASS_SCOPE))
    return narrowed or None


def door_choices(session: Session) -> DoorChoices:
    """What the setup offers: only the dates this device is enrolled for, when it is narrowed."""
    enrolled = enrolled_dates(session)
    dates = [DoorDate(r.id, r.event_id, r.name, r.starts_at) for r in session.execute(
        select(D.c.id, D.c.event_id, E.c.name, D.c.starts_at).join(E, E.c.id == D.c.event_id)
        .where(D.c.deleted.is_(False), E.c.deleted.is_(False)).order_by(D.c.starts_at, E.c.name))
        if enrolled is None or r.id in enrolled]
    guests = [(r.id, r.name, r.starts_at) for r in session.execute(
        select(E.c.id, E.c.name, E.c.starts_at).where(E.c.kind == "guests", E.c.deleted.is_(False))
        .order_by(E.c.starts_at, E.c.name))]
    zones = [(r.id, r.event_id, r.name) for r in session.execute(
        select(Z.c.id, Z.c.event_id, Z.c.name).where(Z.c.deleted.is_(False)).order_by(Z.c.name))]
    return DoorChoices(dates, guests, zones)


def make_setup(session: Session, date_ids: Iterable[str] = (), event_ids: Iterable[str] = (),
                **options: Any) -> DoorSetup:
    """A DoorSetup from date and event ids (either list may hold either kind: they are told apart here).

    A chosen event brings all its dates unless some of its dates were chosen too.
    """
    choices = door_choices(session)
    wanted = set(date_ids) | set(event_ids)
    date_by_id = {d.id: d for d in choices.dates}
    guest_events = {g[0] for g in choices.guest_events}
    ticketed = {d.event_id for d in choices.dates}
    unknown = wanted - set(date_by_id) - guest_events - ticketed
    if unknown:
        raise ValueError(_("No date or event with the id {ids}.").format(ids=", ".join(sorted(unknown))))
    dated_events = {date_by_id[i].event_id for i in wanted if i in date_by_id}
    dates = tuple(d for d in choices.dates
                  if d.id in wanted or (d.event_id in wanted and d.event_id not in dated_events))
    return DoorSetup(dates, frozenset(wanted & guest_events), **{"enrolled_date_ids": enrolled_dates(session),
                                                                  **options})


def default_ids(session: Session, timezone: str, today: date | None = None) -> list[str]:
    """What a door opening today expects: the dates and guest events of today (venue time), else of the
    next day that has any, so a door set up the evening before works too."""
    zone = ZoneInfo(timezone)
    today = today or datetime.now(zone).date()
    choices = door_choices(session)
    days: dict[date, list[str]] = {}
    for d in choices.dates:
        days.setdefault(d.starts_at.astimezone(zone).date(), []).append(d.id)
    for event_id, _name, starts in choices.guest_events:
        if starts is not None:
            days.setdefault(starts.astimezone(zone).date(), []).append(event_id)
    upcoming = sorted(day for day in days if day >= today)
    return days[upcoming[0]] if upcoming else []


def tickets_query(setup_dates: Iterable[str] | None, event_id: str | None = None) -> Any:
    query = (select(T.c.id, T.c.holder_name, ORD.c.customer_name, ORD.c.number, E.c.name.label("event"),
                    D.c.starts_at, Z.c.name.label("zone"), R.c.name.label("rate"), T.c.state, T.c.secret)
             .select_from(T.join(E, E.c.id == T.c.event_id).join(D, D.c.id == T.c.date_id)
                          .outerjoin(ORD, ORD.c.id == T.c.order_id).outerjoin(Z, Z.c.id == T.c.zone_id)
                          .outerjoin(R, R.c.id == T.c.rate_id)).where(T.c.deleted.is_(False)))
    if setup_dates is not None:
        query = query.where(T.c.date_id.in_(list(setup_dates)))
    if event_id is not None:
        query = query.where(T.c.event_id == event_id)
    return query


def _guest_query(event_ids: Iterable[str] | None) -> Any:
    query = (select(G.c.id, G.c.first_name, G.c.last_name, G.c.email, G.c.status, G.c.code,
                    E.c.name.label("event"), E.c.starts_at)
             .select_from(G.join(INV, INV.c.id == G.c.invitation_id).join(E, E.c.id == INV.c.event_id))
             .where(G.c.deleted.is_(False)))
    return query if event_ids is None else query.where(INV.c.event_id.in_(list(event_ids)))


def _companion_query(event_ids: Iterable[str] | None) -> Any:
    query = (select(C.c.id, C.c.name, C.c.cl, C.c.code, G.c.status, E.c.name.label("event"), E.c.starts_at)
             .select_from(C.join(G, G.c.id == C.c.guest_id).join(INV, INV.c.id == G.c.invitation_id)
                          .join(E, E.c.id == INV.c.event_id)))
    return query if event_ids is None else query.where(INV.c.event_id.in_(list(event_ids)))


def holders_inside(session: Session, ids: list[str] | None = None) -> set[str]:
    """Ids (ticket, guest or pass) whose last admitted check-in, in HLC order, was an entry.

    With `ids`, only those are looked at (a search result: a few rows, through the check-ins' indexes).
    """
    query = select(func.coalesce(CK.c.ticket_id, CK.c.guest_id, CK.c.pass_id), CK.c.direction).where(
        CK.c.verdict == "admitted")
    if ids is not None:
        query = query.where(or_(CK.c.ticket_id.in_(ids), CK.c.guest_id.in_(ids), CK.c.pass_id.in_(ids)))
    last: dict[str, str] = {}
    for row in session.execute(query.order_by(CK.c.hlc)):
        last[row[0]] = row[1]
    return {key for key, direction in last.items() if direction == "in"}


def door_state(state: str, holder_id: str, inside: set[str]) -> str:
    if state in ("cancelled", "unsold", "declined", "removed"):
        return state
    return "inside" if holder_id in inside else "valid"


def list_holders(session: Session, date_ids: Iterable[str] | None = None, event_ids: Iterable[str] | None = None,
                 search: str = "", limit: int | None = None) -> list[ListedHolder]:
    """Tickets of the dates (or events) and guests of the guest events, sorted by name.

    `search` keeps those whose holder or customer name, order number or email has words starting
    with each word typed (D8); tickets are found through the search indexes (migration 0012).
    """
    inside: set[str] = set()  # the states are settled below, once the rows are known
    like = f"%{search.strip().lower()}%" if search.strip() else None
    ticket_query = tickets_query(date_ids)
    if event_ids is not None and date_ids is None:
        ticket_query = ticket_query.where(T.c.event_id.in_(list(event_ids)))
    queries = [ticket_query]
    if like:
        match = match_expression(search)
        queries = [] if match is None else _matching_tickets(ticket_query, match)
    found: dict[str, ListedHolder] = {}
    for query in queries:
        for r in session.execute(query.limit(limit)):
            found[r.id] = ListedHolder("ticket", r.id, r.holder_name or r.customer_name or "", r.event, r.starts_at,
                                       r.zone or "", r.rate or "", r.number or "", door_state(r.state, r.id, inside),
                                       r.secret)
    rows = list(found.values()) + guest_holders(session, event_ids, like, inside, limit)
    inside = holders_inside(session, [r.id for r in rows] if like else None)
    rows = [replace(r, state="inside") if r.state == "valid" and r.id in inside else r for r in rows]
    rows.sort(key=lambda h: (sort_name_parts(h.name), h.order_number, h.id))
    return rows[:limit] if limit else rows


def _matching_tickets(ticket_query: Any, match: str) -> list[Any]:
    """The ticket query twice: tickets whose holder name matches, and tickets of orders that match."""
    by_holder = sql_text(matching_rowids("tickets")).bindparams(match=match)
    by_order = sql_text(matching_rowids("orders")).bindparams(match=match)
    return [ticket_query.where(literal_column("tickets.rowid").in_(by_holder)),
            ticket_query.where(literal_column("orders.rowid").in_(by_order))]


def guest_holders(session: Session, event_ids: Iterable[str] | None, like: str | None, inside: set[str],
                limit: int | None) -> list[ListedHolder]:
    guest_query, companion_query = _guest_query(event_ids), _companion_query(event_ids)
    if like:
        guest_query = guest_query.where(or_(func.lower(G.c.first_name + " " + G.c.last_name).like(like),
                                            func.lower(G.c.email).like(like)))
        companion_query = companion_query.where(func.lower(C.c.name).like(like))
    rows = [ListedHolder("guest", r.id, f"{r.first_name} {r.last_name}".strip() or r.email, r.event, r.starts_at,
                         "", "", "", door_state(r.status, r.id, inside), r.code)
            for r in session.execute(guest_query.limit(limit))]
    rows += [ListedHolder("companion", r.id, r.name, r.event, r.starts_at, "", "", "",
                          door_state("removed" if r.cl % 2 == 0 else r.status, r.id, inside), r.code)
             for r in session.execute(companion_query.limit(limit))]
    return rows


def search_holders(session: Session, setup: DoorSetup, text: str, limit: int = 50) -> list[ListedHolder]:
    """D8: holders of this door's dates and guest events by name or order number."""
    if not text.strip():
        return []
    return list_holders(session, setup.date_ids, setup.guest_event_ids, text, limit)


def door_counts(session: Session, setup: DoorSetup) -> DoorCounts:
    """Inside now (every door), and scans admitted and refused at this door, for this door's dates.

    Counted in SQL: each holder's last admitted check-in of these dates (HLC order) that was an entry,
    for holders the door lists (its dates' tickets, its guest events' guests and companions).
    """
    dates, events = list(setup.date_ids), list(setup.guest_event_ids)
    who = func.coalesce(CK.c.ticket_id, CK.c.guest_id, CK.c.pass_id)
    last = (select(who.label("who"), CK.c.direction,
                   func.row_number().over(partition_by=who, order_by=CK.c.hlc.desc()).label("n"))
            .where(CK.c.verdict == "admitted", or_(CK.c.date_id.in_(dates), CK.c.date_id.is_(None))).subquery())
    guests = select(G.c.id).join(INV, INV.c.id == G.c.invitation_id).where(
        G.c.id == last.c.who, INV.c.event_id.in_(events), G.c.deleted.is_(False))
    companions = select(C.c.id).join(G, G.c.id == C.c.guest_id).join(INV, INV.c.id == G.c.invitation_id).where(
        C.c.id == last.c.who, INV.c.event_id.in_(events))
    tickets = select(T.c.id).where(T.c.id == last.c.who, T.c.date_id.in_(dates), T.c.deleted.is_(False))
    inside = session.scalar(select(func.count()).select_from(last).where(
        last.c.n == 1, last.c.direction == "in", or_(tickets.exists(), guests.exists(), companions.exists())))
    rows: dict[str, int] = dict(session.execute(
        select(CK.c.verdict, func.count()).where(CK.c.door == setup.door, or_(
            CK.c.date_id.in_(dates), CK.c.date_id.is_(None))).group_by(CK.c.verdict)).all())
    return DoorCounts(int(inside or 0), int(rows.get("admitted", 0)), int(rows.get("refused", 0)))


def sort_name_parts(name: str) -> tuple[str, str]:
    # A door list is read by last name: "Léa Müller" sorts under M.
    parts = name.casefold().split()
    return (parts[-1], " ".join(parts[:-1])) if parts else ("", "")
