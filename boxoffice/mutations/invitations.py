"""Mutations of invitations and their guests (G5–G9): drafts edited per field, guests added on scheduling."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from boxoffice.i18n import N_
from boxoffice.model.base import UTCDateTime
from boxoffice.model.invitations import Guest, Invitation
from boxoffice.mutations import MutationContext, MutationRejected, Result, mutator
from boxoffice.mutations.args import Id, MutationArgs, Name, Text, Time, Values
from boxoffice.mutations.fields import set_fields
from boxoffice.store.bulk import insert_rows

INVITATION_FIELDS = {
    "event_id", "name", "status", "step", "language", "subject", "body", "confirmation_subject",
    "confirmation_body", "form", "list_ids", "companions", "show_guest_list", "scheduled_at", "reminders", "sender",
}
# The order of a guest row inside `guests.add_many` arguments.
GUEST_COLUMNS = ("id", "contact_id", "email", "first_name", "last_name", "fields", "token", "code")
_INSERT_COLUMNS = (*GUEST_COLUMNS, "invitation_id", "hlc", "created_at")
EDITABLE_STATUSES = ("draft", "scheduled")


def _coerce(values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    for name, value in values.items():
        column = Invitation.__table__.columns.get(name)
        if column is not None and isinstance(column.type, UTCDateTime) and isinstance(value, str):
            out[name] = datetime.fromisoformat(value).astimezone(UTC)
    return out


def _invitation(ctx: MutationContext, invitation_id: str) -> Invitation:
    ctx.require_owned("invitations", invitation_id)
    row = ctx.session.get(Invitation, invitation_id)
    if row is None or row.deleted:
        raise MutationRejected(N_("the invitation {invitation_id} does not exist"), invitation_id=invitation_id)
    return row


class InvitationCreate(MutationArgs):
    mutation = "invitations.create"
    id: Id
    values: Values = {}


class InvitationUpdate(MutationArgs):
    mutation = "invitations.update"
    id: Id
    changes: Values


# One guest inside `guests.add_many` (GUEST_COLUMNS): id, contact id, email, first and last
# name, custom fields, RSVP token, door code.
GuestRow = tuple[Id, Id | None, Name, Name, Name, dict[Name, Text], Name, Name]


class GuestsAdd(MutationArgs):
    mutation = "guests.add_many"
    invitation_id: Id
    rows: list[GuestRow]


class InvitationSchedule(MutationArgs):
    """`scheduled_at` None: as soon as the server has it."""

    mutation = "invitations.schedule"
    id: Id
    scheduled_at: Time | None = None


class InvitationRetry(MutationArgs):
    mutation = "invitations.retry"
    id: Id


class InvitationSendTest(MutationArgs):
    mutation = "invitations.send_test"
    id: Id
    address: Name = ""


@mutator(InvitationCreate, summary=lambda a: f"create invitation {a.id}")
def create_invitation(ctx: MutationContext, args: InvitationCreate) -> Result:
    values = _coerce(args.values)
    unknown = set(values) - INVITATION_FIELDS
    if unknown:
        raise MutationRejected(N_("an invitation has no field {fields}"), fields=', '.join(sorted(unknown)))
    if ctx.session.get(Invitation, args.id) is None:
        ctx.session.add(Invitation(id=args.id, hlc=ctx.hlc, field_hlc={}, created_at=datetime.now(UTC),
                                   **{"status": "draft", **values}))
        ctx.session.flush()
    ctx.touch("invitations", args.id, "organizer")
    return {"id": args.id}


@mutator(InvitationUpdate, summary=lambda a: f"change invitation {a.id}: {', '.join(sorted(a.changes))}")
def update_invitation(ctx: MutationContext, args: InvitationUpdate) -> Result:
    """Last writer wins per field; a sent invitation is history and no longer changes."""
    row = _invitation(ctx, args.id)
    if row.status not in EDITABLE_STATUSES:
        raise MutationRejected(N_("the invitation {id} is {status} and can no longer change"),
                               id=row.id, status=row.status)
    changes = _coerce(args.changes)
    if changes.get("event_id", row.event_id) != row.event_id and ctx.session.scalars(
            select(Guest.id).where(Guest.invitation_id == row.id).limit(1)).first() is not None:
        # Its guests' codes admit at its event's doors, which hold its list (docs/roles.md): a door
        # of the old event would keep a list that no longer is its own.
        raise MutationRejected(N_("the invitation {id} has guests: its event can no longer change"), id=row.id)
    ctx.touch("invitations", row.id, "organizer")
    return {"written": set_fields(ctx, row, changes, INVITATION_FIELDS)}


@mutator(GuestsAdd, summary=lambda a: f"add {len(a.rows)} guests to invitation {a.invitation_id}")
def add_guests(ctx: MutationContext, args: GuestsAdd) -> Result:
    """Insert guests (`GUEST_COLUMNS` lists, ids, tokens and codes made by the caller); replays skip known ids."""
    row = _invitation(ctx, args.invitation_id)
    if row.status != "draft":
        raise MutationRejected(N_("the invitation {id} is {status}: its guests are already set"),
                               id=row.id, status=row.status)
    rows = args.rows
    ids = [r[0] for r in rows]
    existing = set(ctx.session.scalars(select(Guest.id).where(Guest.id.in_(ids)))) if ids else set()
    created = datetime.now(UTC)
    values = [(*r, row.id, ctx.hlc, created) for r in rows if r[0] not in existing]
    insert_rows(ctx.session, Guest, _INSERT_COLUMNS, values)
    for value in values:
        ctx.touch("guests", value[0], "organizer")
    return {"added": len(values)}


@mutator(InvitationSchedule, summary=lambda a: f"schedule invitation {a.id}")
def schedule_invitation(ctx: MutationContext, args: InvitationSchedule) -> Result:
    """Hand the invitation to the server's mail queue: from now on only the server changes its status.

    `scheduled_at` None means as soon as the server has it. The server debits the credits
    (`credits.debit`, key `send:<id>`) when it sends, and refuses there if they are short.
    """
    row = _invitation(ctx, args.id)
    if row.status != "draft":
        raise MutationRejected(N_("the invitation {id} is already {status}"), id=row.id, status=row.status)
    changes = _coerce({"status": "scheduled", "scheduled_at": args.scheduled_at})
    ctx.touch("invitations", row.id, "organizer")
    return {"written": set_fields(ctx, row, changes, INVITATION_FIELDS)}


@mutator(InvitationRetry, summary=lambda a: f"send invitation {a.id} again")
def retry_send(ctx: MutationContext, args: InvitationRetry) -> Result:
    """Send again an invitation the server refused (credits short, a header it could not write): scheduled
    again, the server holds its messages once more, then debits and sends them as for a first send."""
    row = _invitation(ctx, args.id)
    if row.status != "refused":
        raise MutationRejected(N_("the invitation {id} is {status}: only a refused one is sent again"),
                               id=row.id, status=row.status)
    ctx.touch("invitations", row.id, "organizer")
    return {"written": set_fields(ctx, row, {"status": "scheduled"}, INVITATION_FIELDS)}


@mutator(InvitationSendTest, summary=lambda a: f"test send of invitation {a.id} to {a.address}")
def send_test(ctx: MutationContext, args: InvitationSendTest) -> Result:
    """A free test send (G8) to any address: nothing on the device; the server queues the one mail."""
    _invitation(ctx, args.id)
    if not args.address.strip():
        raise MutationRejected(N_("a test send needs an address"))
    return {"queued": False}
