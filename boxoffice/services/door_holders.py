# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who a scanned code belongs to (ticket, guest, companion or pass) and its past scans, in Core statements.

These run once per scan on the door's hot path: prepared SQLAlchemy Core selects on the session's
connection (~20 µs each) rather than ORM queries (~10x more, DESIGN: Scanning facts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, select

from boxoffice.model.checkins import CheckIn
from boxoffice.model.events import Event, EventDate, Rate, Seat, Zone
from boxoffice.model.invitations import Companion, Guest, Invitation
from boxoffice.model.passes import Pass, PassDefinition
from boxoffice.model.sales import Order, Ticket


def _table(model: Any) -> Table:
    return cast(Table, model.__table__)


T, ORD, R, Z, E = (_table(m) for m in (Ticket, Order, Rate, Zone, Event))
D, G, INV, C = (_table(m) for m in (EventDate, Guest, Invitation, Companion))
P, PD, S, CK = (_table(m) for m in (Pass, PassDefinition, Seat, CheckIn))

KINDS = ("ticket", "guest", "companion", "pass")


@dataclass(frozen=True)
class Holder:
    """The person a code admits, as the door shows them. `state` is the ticket state ('valid',
    'cancelled', 'unsold'), the guest's answer ('pending', 'accepted', 'declined'), 'removed' for a
    companion taken off the list, or the pass state."""

    kind: str
    id: str
    name: str
    event_id: str | None
    event_name: str
    date_id: str | None = None
    zone_id: str | None = None
    zone_name: str = ""
    rate_name: str = ""
    order_number: str = ""
    state: str = "valid"
    pass_event_ids: tuple[str, ...] = ()
    photo: bytes | None = None

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "name": self.name, "event": self.event_name,
                "event_id": self.event_id, "date_id": self.date_id, "zone": self.zone_name,
                "rate": self.rate_name, "order": self.order_number, "state": self.state}


@dataclass(frozen=True)
class Admission:
    """One admitted scan in a holder's history: which way, when, at which door."""

    direction: str
    scanned_at: datetime
    door: str


_TICKET = (select(T.c.id, T.c.event_id, T.c.date_id, T.c.zone_id, T.c.state, T.c.holder_name,
                  ORD.c.number, ORD.c.customer_name, R.c.name.label("rate"), Z.c.name.label("zone"),
                  E.c.name.label("event"))
           .select_from(T.join(E, E.c.id == T.c.event_id).outerjoin(ORD, ORD.c.id == T.c.order_id)
                        .outerjoin(R, R.c.id == T.c.rate_id).outerjoin(Z, Z.c.id == T.c.zone_id)))
_GUEST = (select(G.c.id, G.c.first_name, G.c.last_name, G.c.email, G.c.status, INV.c.event_id,
                 E.c.name.label("event"))
          .select_from(G.join(INV, INV.c.id == G.c.invitation_id).outerjoin(E, E.c.id == INV.c.event_id)))
_COMPANION = (select(C.c.id, C.c.name, C.c.cl, G.c.status, INV.c.event_id, E.c.name.label("event"))
              .select_from(C.join(G, G.c.id == C.c.guest_id).join(INV, INV.c.id == G.c.invitation_id)
                           .outerjoin(E, E.c.id == INV.c.event_id)))
_PASS = (select(P.c.id, P.c.state, P.c.holder, P.c.photo, PD.c.name.label("definition"), PD.c.event_ids,
                S.c.zone_id, Z.c.name.label("zone"), ORD.c.number, ORD.c.customer_name)
         .select_from(P.join(PD, PD.c.id == P.c.definition_id).outerjoin(S, S.c.id == P.c.seat_id)
                      .outerjoin(Z, Z.c.id == S.c.zone_id).outerjoin(ORD, ORD.c.id == P.c.order_id)))

BY_CODE = {
    "ticket": _TICKET.where(T.c.secret == bindparam("key")),
    "guest": _GUEST.where(G.c.code == bindparam("key")),
    "companion": _COMPANION.where(C.c.code == bindparam("key")),
    "pass": _PASS.where(P.c.secret == bindparam("key")),
}
BY_ID = {
    "ticket": _TICKET.where(T.c.id == bindparam("key")),
    "guest": _GUEST.where(G.c.id == bindparam("key")),
    "companion": _COMPANION.where(C.c.id == bindparam("key")),
    "pass": _PASS.where(P.c.id == bindparam("key")),
}
_DATE_EVENT = (select(D.c.id, D.c.event_id, D.c.settings, E.c.name, E.c.signing_keys)
               .select_from(D.join(E, E.c.id == D.c.event_id)).where(D.c.id == bindparam("key")))
_DATE_START = select(D.c.starts_at).where(D.c.id == bindparam("key"))
_ZONE_NAME = select(Z.c.name).where(Z.c.id == bindparam("key"))
_ADMISSIONS = {
    # Ordered by HLC, the merge order of check-ins from every door (DESIGN: merge policies).
    "ticket": select(CK.c.direction, CK.c.scanned_at, CK.c.door)
    .where(CK.c.ticket_id == bindparam("key"), CK.c.verdict == "admitted").order_by(CK.c.hlc),
    "guest": select(CK.c.direction, CK.c.scanned_at, CK.c.door)
    .where(CK.c.guest_id == bindparam("key"), CK.c.verdict == "admitted").order_by(CK.c.hlc),
    "pass": select(CK.c.direction, CK.c.scanned_at, CK.c.door)
    .where(CK.c.pass_id == bindparam("key"), CK.c.date_id == bindparam("date"), CK.c.verdict == "admitted")
    .order_by(CK.c.hlc),
}


def find_holder(conn: Connection, kind: str, key: str, by: str = "code") -> Holder | None:
    """The holder of `kind` whose code (or id, with by='id') is `key`, or None."""
    row = conn.execute((BY_CODE if by == "code" else BY_ID)[kind], {"key": key}).first()
    return None if row is None else _BUILD[kind](row._mapping)


def find_by_code(conn: Connection, code: str) -> Holder | None:
    """Tickets first (the common case), then passes, guests and companions."""
    for kind in ("ticket", "pass", "guest", "companion"):
        holder = find_holder(conn, kind, code)
        if holder is not None:
            return holder
    return None


def date_and_event(conn: Connection, date_id: str) -> Any:
    """(id, event_id, settings, name, signing_keys) of a date and its event, or None."""
    return conn.execute(_DATE_EVENT, {"key": date_id}).first()


def date_starts_at(conn: Connection, date_id: str) -> datetime | None:
    value = conn.execute(_DATE_START, {"key": date_id}).scalar()
    return value if isinstance(value, datetime) else None


def zone_name(conn: Connection, zone_id: str | None) -> str:
    return "" if zone_id is None else str(conn.execute(_ZONE_NAME, {"key": zone_id}).scalar() or "")


def admissions(conn: Connection, holder: Holder, date_id: str | None) -> list[Admission]:
    """The holder's admitted scans in HLC order; a companion's are kept under guest_id."""
    kind = "guest" if holder.kind == "companion" else holder.kind
    rows = conn.execute(_ADMISSIONS[kind], {"key": holder.id, "date": date_id})
    return [Admission(r.direction, r.scanned_at, r.door) for r in rows]


def _ticket(row: Any) -> Holder:
    return Holder("ticket", row["id"], row["holder_name"] or row["customer_name"] or "", row["event_id"],
                  row["event"], row["date_id"], row["zone_id"], row["zone"] or "", row["rate"] or "",
                  row["number"] or "", row["state"])


def _guest(row: Any) -> Holder:
    name = f"{row['first_name']} {row['last_name']}".strip() or row["email"]
    return Holder("guest", row["id"], name, row["event_id"], row["event"] or "", state=row["status"])


def _companion(row: Any) -> Holder:
    state = "removed" if row["cl"] % 2 == 0 else row["status"]
    return Holder("companion", row["id"], row["name"], row["event_id"], row["event"] or "", state=state)


def _pass(row: Any) -> Holder:
    holder = row["holder"] or {}
    name = f"{holder.get('first_name', '')} {holder.get('last_name', '')}".strip() or row["customer_name"] or ""
    return Holder("pass", row["id"], name, None, row["definition"], None, row["zone_id"], row["zone"] or "",
                  row["definition"], row["number"] or "", row["state"], tuple(row["event_ids"] or ()), row["photo"])


_BUILD = {"ticket": _ticket, "guest": _guest, "companion": _companion, "pass": _pass}
