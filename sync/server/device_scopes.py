"""The scopes a device pulls, as the server grants them: its role's (sync/protocol.scopes_for) and,
for a door or desk narrowed to some dates, the scopes of the pass definitions covering their events.

A pass is valid for the events its definition lists, so its rows travel in the definition's scope
(sync/protocol.PASS_SCOPE), and a door enrolled for a date holds the passes it may have to admit
there and no others (docs/roles.md). Which definitions those are is read from the organizer's rows
each time a device asks for its scopes (enrolling, a new token, the rare pull of a scope outside its
role's): a definition given another event reaches that event's doors with their next token.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Connection, Table, select

from boxoffice.model.events import EventDate
from boxoffice.model.passes import PassDefinition
from sync.protocol import pass_scope, scopes_for
from sync.server.tables import RowChange

_DEFINITIONS = cast(Table, PassDefinition.__table__)
_DATES = cast(Table, EventDate.__table__)
_CHANGES = cast(Table, RowChange.__table__)


def device_scopes(connection: Connection, organizer_id: str, role: str, device_id: str,
                  dates: list[str] | None) -> list[str]:
    """Every scope the device may pull: its role's, and the pass scopes of its dates' events."""
    scopes = scopes_for(role, device_id, dates)
    if "dates" in scopes or not dates:  # every date: "dates" covers the pass scopes too
        return scopes
    return [*scopes, *pass_scopes(connection, organizer_id, dates)]


def pass_scopes(connection: Connection, organizer_id: str, dates: list[str]) -> list[str]:
    """The scopes of the organizer's pass definitions covering an event of `dates` (date ids, or the
    ids of guest-manager events a door is enrolled for, which no definition lists)."""
    events = set(dates) | {row[0] for row in connection.execute(
        select(_DATES.c.event_id).where(_DATES.c.id.in_(dates)))}
    owned = select(_CHANGES.c.entity_id).where(_CHANGES.c.organizer_id == organizer_id,
                                               _CHANGES.c.entity == "pass_definitions")
    found = connection.execute(select(_DEFINITIONS.c.id, _DEFINITIONS.c.event_ids)
                               .where(_DEFINITIONS.c.id.in_(owned)).order_by(_DEFINITIONS.c.id))
    return [pass_scope(definition_id) for definition_id, event_ids in found
            if events.intersection(event_ids or ())]
