"""The wire schema both ends share: requests, responses, scopes, and how rows travel as JSON."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# 2: a scope's checkpoint hash became a sum of per-row hashes, kept by the server as rows change.
# 3: rows travel per role and scope (docs/roles.md): orders by date (orders.date_id), a pass's own
#    area_key, the "orders", "sales" and "private" scopes, guest lists in their event's scope and
#    resales in their date's (SCOPE_KEYS). An older app would refuse the new columns and keep rows
#    it may no longer hold, so the server turns it away with "update the app" (426).
# 4: passes and their orders travel in their definition's scope (PASS_SCOPE), which the server
#    adds to the scopes of a door or desk narrowed to dates of the definition's events.
SCHEMA_VERSION = 4
SCHEMA_HEADER = "Boxoffice-Schema"
PAGE_SIZE = 2000
ROLES = ("organizer", "desk", "door")
Role = Literal["organizer", "desk", "door"]
INT64_MAX = 2**63 - 1
# Numbers on the wire are JSON integers (never text, whose digits Python would read in any script).
Count = Annotated[int, Field(strict=True, ge=0, le=INT64_MAX)]
ScopeName = Annotated[str, StringConstraints(min_length=1, max_length=120)]
RowId = Annotated[str, StringConstraints(min_length=1, max_length=80)]

# Which scope a row replicates in (docs/roles.md): a door pulls "organizer", "orders", its device's
# and its own "date:<id>" scopes; desks also "sales"; organizers everything.
_CONTACT_TABLES = {"contact_lists", "contacts", "consent_records", "opt_outs"}
_DATE_TABLES = {"tickets", "checkins", "resales"}
_DEVICE_TABLES = {"allotments"}
# A guest list belongs to its guest-manager event, which has no dates: a door admits it when the
# event's id is among its "dates" (boxoffice/services/door_lists.make_setup), so it travels in
# "date:<event id>". Invitations without an event yet are drafts: organizer devices only.
_GUEST_TABLES = {"invitations", "guests", "companions"}
# Scopes of whole tables (docs/roles.md): "private" only organizer devices pull, "sales" desks too.
_TABLE_SCOPES = {"credit_entries": "private", "refunds": "sales", "till_closes": "sales", "questions": "sales"}
# A pass belongs to its definition, which covers a list of events: its rows (and its order's) travel
# in "date:pass:<definition id>", which every device pulling all dates holds ("dates" covers any
# "date:" scope) and the server adds to a narrowed door's or desk's scopes when the definition
# covers an event of its dates (sync/server/device_scopes.py). A row replicates in one scope; a
# definition's events may change, so the scope follows the definition, not its events.
PASS_SCOPE = "date:pass:"
# Rows scoped by one of their own columns, which the mutator that writes them passes to scope_of.
ROW_SCOPED = frozenset({"tickets", "checkins", "orders", "allotments"})

# A guest's event, read through its invitation ({guest}: the SQL naming the guest's id).
_GUEST_EVENT = "(SELECT i.event_id FROM guests g JOIN invitations i ON i.id = g.invitation_id WHERE g.id = {guest})"
# What scope_of reads of a row, as SQL over its table (named as itself), for both ends to compute
# a row's scope from their own copy: the device for its checkpoints and what it drops, the server
# as it numbers a change and in migrations.
SCOPE_KEYS: dict[str, tuple[tuple[str, str], ...]] = {
    "tickets": (("date_id", "tickets.date_id"),),
    "resales": (("date_id", "resales.date_id"),),
    # An order of passes of several definitions goes with the first one's (every device holding that
    # scope holds all of that definition's passes, so it finds the same MIN among those it holds).
    "orders": (("date_id", "orders.date_id"),
               ("pass_definition", "(SELECT MIN(p.definition_id) FROM passes p WHERE p.order_id = orders.id)")),
    "passes": (("definition_id", "passes.definition_id"),),
    "allotments": (("device_id", "allotments.device_id"),),
    # A guest's check-in has no date: it goes with the guest's event.
    "checkins": (("date_id", "checkins.date_id"),
                 ("event_id", "CASE WHEN checkins.date_id IS NULL AND checkins.guest_id IS NOT NULL THEN "
                              f"{_GUEST_EVENT.format(guest='checkins.guest_id')} END")),
    "invitations": (("event_id", "invitations.event_id"),),
    "guests": (("event_id", "(SELECT i.event_id FROM invitations i WHERE i.id = guests.invitation_id)"),),
    "companions": (("event_id", _GUEST_EVENT.format(guest="companions.guest_id")),),
    "conflicts": (("kind", "conflicts.kind"), ("details", "conflicts.details"),
                  ("event_id", "CASE WHEN conflicts.entity = 'guests' THEN "
                               f"{_GUEST_EVENT.format(guest='conflicts.entity_id')} END")),
}


def scope_of(entity: str, row: Mapping[str, Any]) -> str:
    """The scope of a row of `entity`, from the keys SCOPE_KEYS names (absent keys: none)."""
    if entity in _CONTACT_TABLES:
        return "contacts"
    if entity in _GUEST_TABLES:
        return f"date:{row['event_id']}" if row.get("event_id") else "private"
    if entity in _DATE_TABLES:
        if row.get("date_id"):
            return f"date:{row['date_id']}"
        # A guest's check-in goes with its event; any other without a date with the organizer's rows.
        return f"date:{row['event_id']}" if row.get("event_id") else "organizer"
    if entity in _DEVICE_TABLES:
        return f"device:{row['device_id']}"
    if entity == "conflicts":
        return _conflict_scope(row)
    if entity == "passes":
        return pass_scope(row["definition_id"]) if row.get("definition_id") else "organizer"
    if entity == "orders":
        # An order of one date goes with that date's tickets, a pass's with its definition's passes;
        # the others (several dates) apart.
        if row.get("date_id"):
            return f"date:{row['date_id']}"
        return pass_scope(row["pass_definition"]) if row.get("pass_definition") else "orders"
    return _TABLE_SCOPES.get(entity, "organizer")


def pass_scope(definition_id: str) -> str:
    """The scope of the passes of one pass definition, and of their orders."""
    return f"{PASS_SCOPE}{definition_id}"


def _conflict_scope(row: Mapping[str, Any]) -> str:
    """A double entry goes to the doors of its date, whose banner shows it (a guest's: of its event).
    An overwritten edit holds the lost and kept values of any field (an e-mail, an IBAN, a price):
    organizer devices only."""
    if row.get("kind") != "double_entry":
        return "private"
    details = row.get("details")
    if isinstance(details, str | bytes):  # the JSON column as SQLite's text
        details = orjson.loads(details or "{}")
    date_id = details.get("date_id") if isinstance(details, Mapping) else None
    return f"date:{date_id}" if date_id else f"date:{row['event_id']}" if row.get("event_id") else "private"


def within(scope: str, scopes: set[str] | list[str]) -> bool:
    """Whether a device pulling `scopes` holds rows of `scope` ("dates" stands for every date)."""
    return scope in scopes or ("dates" in scopes and scope.startswith("date:"))


def scopes_for(role: str, device_id: str, dates: list[str] | None) -> list[str]:
    """The scopes a device of `role` replicates: doors and desks only their dates when narrowed."""
    base = ["organizer", "orders", f"device:{device_id}"]
    if role == "organizer":
        return [*base, "sales", "private", "contacts", "dates"]
    date_scopes = [f"date:{d}" for d in dates] if dates else ["dates"]
    return [*base, *(["sales"] if role == "desk" else []), *date_scopes]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EnrollRequest(Strict):
    code: str | None = Field(default=None, min_length=4, max_length=200,
                             description="organizer code, profile code or QR JSON; or give email and password")
    email: str | None = Field(default=None, max_length=320)
    password: str | None = Field(default=None, max_length=200)
    device_id: str = Field(min_length=36, max_length=36)
    name: str = Field(min_length=1, max_length=120)
    role: Role | None = None
    dates: list[RowId] | None = Field(default=None, max_length=500)
    secret: str | None = Field(default=None, max_length=200, description="an enrolled device pairing again")


class EnrollResponse(Strict):
    device_id: str
    organizer_id: str
    organizer_name: str
    role: Role
    secret: str
    scopes: list[str]
    token: str
    expires_in: int


class TokenRequest(Strict):
    device_id: str = Field(min_length=36, max_length=36)
    secret: str = Field(min_length=16, max_length=200)


class TokenResponse(Strict):
    token: str
    expires_in: int
    scopes: list[str]


class Mutation(Strict):
    seq: int = Field(strict=True, ge=1, le=2**62)
    name: str = Field(min_length=1, max_length=80)
    args: dict[str, Any]
    # The hybrid logical clock's text form (boxoffice/store/hlc.py): 15 digits of ms, 5 of counter, node.
    # ASCII digits only: `\d` takes any script's digits, and a stamp in Arabic-Indic ones sorted after all.
    hlc: str = Field(min_length=23, max_length=80, pattern=r"^[0-9]{15}-[0-9]{5}-[0-9a-zA-Z-]{1,56}$")


class PushRequest(Strict):
    mutations: list[Mutation] = Field(max_length=1000)


class MutationResult(Strict):
    seq: int
    status: Literal["applied", "rejected", "duplicate"]
    reason: str = ""
    result: dict[str, Any] = Field(default_factory=dict)
    replayed: bool = Field(default=False, description="already applied before: the stored answer, not a new one")


class PushResponse(Strict):
    results: list[MutationResult]
    server_hlc: str


class PullRequest(Strict):
    cursors: dict[ScopeName, Count] = Field(max_length=1000,
                                            description="scope -> last seq seen; unknown scopes are refused")


class Change(Strict):
    entity: str
    seq: int
    row: dict[str, Any]


class Checkpoint(Strict):
    count: int
    hash: str


class PullResponse(Strict):
    changes: list[Change]
    cursors: dict[str, int]
    more: bool
    checkpoints: dict[str, Checkpoint] = Field(default_factory=dict)


class RowsRequest(Strict):
    rows: list[tuple[RowId, RowId]] = Field(max_length=5000, description="(table, id) pairs to send as they are now")


class RowsResponse(Strict):
    changes: list[Change]
    missing: list[tuple[str, str]]


class Problem(BaseModel):
    """The body of every 4xx: what is wrong, in plain words."""

    detail: str
    revoked: bool = False
