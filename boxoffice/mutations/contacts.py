"""Mutations of contact lists and contacts (C1–C7)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import Field
from sqlalchemy import select, update

from boxoffice.i18n import N_
from boxoffice.model.contacts import ConsentRecord as ConsentRow
from boxoffice.model.contacts import Contact, ContactList, OptOut
from boxoffice.mutations import MutationContext, MutationRejected, Result, mutator
from boxoffice.mutations.args import Count, FieldName, Id, Int64, MutationArgs, Name, Note, Text, Time, Values
from boxoffice.mutations.fields import set_fields
from boxoffice.store.bulk import insert_rows

LIST_FIELDS = {"name", "custom_fields", "archived_at", "description"}
CONTACT_FIELDS = {"email", "first_name", "last_name", "fields"}
# The order of a contact row inside `contacts.add_many` arguments: compact for 100,000 rows.
ROW_COLUMNS = ("id", "email", "first_name", "last_name", "fields")
_INSERT_COLUMNS = ("id", "list_id", "email", "first_name", "last_name", "fields", "hlc", "created_at")


def _list(ctx: MutationContext, list_id: str) -> ContactList:
    ctx.require_owned("contact_lists", list_id)
    found = ctx.session.get(ContactList, list_id)
    if found is None or found.deleted:
        raise MutationRejected(N_("the contact list {list_id} does not exist"), list_id=list_id)
    return found


def _parse_time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).astimezone(UTC)


class ListCreate(MutationArgs):
    mutation = "lists.create"
    id: Id
    name: Name
    custom_fields: list[Name] = Field(default=[], max_length=1000)


class ListUpdate(MutationArgs):
    mutation = "lists.update"
    id: Id
    changes: Values


# One contact inside `contacts.add_many`: id, email, first name, last name, custom fields (ROW_COLUMNS).
ContactRow = tuple[Id, Name, Name, Name, dict[Name, Text]]


class ContactsAdd(MutationArgs):
    mutation = "contacts.add_many"
    list_id: Id
    rows: list[ContactRow]
    created_at: Time | None = None


class ContactUpdate(MutationArgs):
    mutation = "contacts.update"
    id: Id
    changes: Values


class ContactsRemove(MutationArgs):
    """Each item is [contact id, its new causal length]."""

    mutation = "contacts.remove"
    items: list[tuple[Id, Int64]]


class ConsentRecord(MutationArgs):
    mutation = "consent.record"
    id: Id
    list_id: Id
    accepted_at: Time
    accepted_by: Name
    terms_version: Name
    source: Note = ""
    rows: Count = 0


class OptOutRecord(MutationArgs):
    mutation = "contacts.opt_out"
    id: Id
    email: Name
    source: FieldName = "organizer"
    guest_id: Id | None = None
    at: Time | None = None


class OptIn(MutationArgs):
    mutation = "contacts.opt_in"
    id: Id


@mutator(ListCreate, summary=lambda a: f"create list {a.name!r}")
def create_list(ctx: MutationContext, args: ListCreate) -> Result:
    if ctx.session.get(ContactList, args.id) is None:
        ctx.session.add(ContactList(
            id=args.id, name=args.name, custom_fields=list(args.custom_fields),
            hlc=ctx.hlc, field_hlc={}, created_at=datetime.now(UTC),
        ))
    ctx.touch("contact_lists", args.id, "contacts")
    return {"id": args.id}


@mutator(ListUpdate, summary=lambda a: f"change list {a.id}: {', '.join(sorted(a.changes))}")
def update_list(ctx: MutationContext, args: ListUpdate) -> Result:
    row = _list(ctx, args.id)
    changes: dict[str, Any] = dict(args.changes)
    if "archived_at" in changes:
        changes["archived_at"] = _parse_time(changes["archived_at"])
    ctx.touch("contact_lists", row.id, "contacts")
    return {"written": set_fields(ctx, row, changes, LIST_FIELDS)}


@mutator(ContactsAdd, summary=lambda a: f"add {len(a.rows)} contacts to list {a.list_id}")
def add_contacts(ctx: MutationContext, args: ContactsAdd) -> Result:
    """Insert many contacts in one statement; rows are `ROW_COLUMNS` lists with their ids.

    Replays are harmless: ids already present are skipped.
    """
    _list(ctx, args.list_id)
    rows = args.rows
    if not rows:
        return {"added": 0}
    created = _parse_time(args.created_at) or datetime.now(UTC)
    existing: set[str] = set()
    if ctx.on_server:
        ids = [r[0] for r in rows]
        existing = set(ctx.session.scalars(select(Contact.id).where(Contact.id.in_(ids))))
    list_id, stamp = args.list_id, ctx.hlc
    values = [(r[0], list_id, r[1], r[2], r[3], r[4], stamp, created) for r in rows if r[0] not in existing]
    insert_rows(ctx.session, Contact, _INSERT_COLUMNS, values)
    for value in values:
        ctx.touch("contacts", value[0], "contacts")
    return {"added": len(values)}


@mutator(ContactUpdate, summary=lambda a: f"edit contact {a.id}")
def update_contact(ctx: MutationContext, args: ContactUpdate) -> Result:
    row = ctx.session.get(Contact, args.id)
    if row is None or not row.present:
        raise MutationRejected(N_("the contact {id} does not exist"), id=args.id)
    ctx.touch("contacts", row.id, "contacts")
    return {"written": set_fields(ctx, row, dict(args.changes), CONTACT_FIELDS)}


@mutator(ContactsRemove, summary=lambda a: f"remove {len(a.items)} contacts")
def remove_contacts(ctx: MutationContext, args: ContactsRemove) -> Result:
    """Causal-length removal: each item is [id, cl] with an even cl; the longer history wins."""
    removed = 0
    for contact_id, length in args.items:
        if length % 2:
            raise MutationRejected(N_("a removal needs an even causal length"))
        result = ctx.session.execute(
            # Only the causal length moves: the row's `hlc` stamps every field not edited since creation,
            # so moving it would make a removal outrank earlier edits of those fields made elsewhere.
            update(Contact).where(Contact.id == contact_id, Contact.cl < length).values(cl=length)
        )
        if result.rowcount:  # type: ignore[attr-defined]
            # Only a row that exists here is touched: a number for a row the server lacks would
            # make every checkpoint of the scope disagree.
            removed += 1
            ctx.touch("contacts", contact_id, "contacts")
    return {"removed": removed}


@mutator(ConsentRecord, summary=lambda a: f"consent accepted by {a.accepted_by}")
def record_consent(ctx: MutationContext, args: ConsentRecord) -> Result:
    if ctx.session.get(ConsentRow, args.id) is None:
        ctx.session.add(ConsentRow(
            id=args.id, list_id=args.list_id, accepted_at=_parse_time(args.accepted_at),
            accepted_by=args.accepted_by, terms_version=args.terms_version,
            source=args.source, rows=args.rows, hlc=ctx.hlc, field_hlc={},
            created_at=datetime.now(UTC),
        ))
    ctx.touch("consent_records", args.id, "contacts")
    return {"id": args.id}


# One opt-out per organizer and address, whoever records it first (the guest's link on the server, the
# organizer on a device offline): both derive the same id, so the replica merges instead of doubling.
_OPT_OUT_IDS = uuid.UUID("0b5b7f3e-6a55-4f5e-9d0e-5a1e4c2f9b71")


def opt_out_id(organizer_id: str, email: str) -> str:
    return str(uuid.uuid5(_OPT_OUT_IDS, f"{organizer_id}/{email.strip().lower()}"))


@mutator(OptOutRecord, roles=("organizer",), summary=lambda a: f"{a.email} receives no more invitations")
def opt_out(ctx: MutationContext, args: OptOutRecord) -> Result:
    """The address gets no more invitations of this organizer (the server runs it for a guest's link)."""
    email = args.email.strip().lower()
    if not email or len(email) > 320 or "@" not in email:
        raise MutationRejected(N_("an opt-out needs the e-mail address it is for"))
    source = args.source
    if source not in ("link", "organizer"):
        raise MutationRejected(N_("an opt-out comes from a link or the organizer, not {source}"), source=repr(source))
    row_id = args.id
    ctx.require_owned("opt_outs", row_id)
    found = ctx.session.get(OptOut, row_id)
    if found is not None and not found.deleted:
        return {"id": row_id, "recorded": False}
    at = _parse_time(args.at) or datetime.now(UTC)
    if found is not None:  # opted back in before, out again now
        set_fields(ctx, found, {"deleted": False, "source": source, "opted_out_at": at},
                   {"deleted", "source", "opted_out_at"})
    else:
        ctx.session.add(OptOut(id=row_id, email=email, source=source, guest_id=args.guest_id,
                               opted_out_at=at, hlc=ctx.hlc, field_hlc={}, created_at=datetime.now(UTC)))
    ctx.touch("opt_outs", row_id, "contacts")
    return {"id": row_id, "recorded": True}


@mutator(OptIn, roles=("organizer",), summary=lambda a: f"opt-out {a.id} withdrawn")
def opt_in(ctx: MutationContext, args: OptIn) -> Result:
    """The organizer withdraws an opt-out (the guest asked to be invited again)."""
    ctx.require_owned("opt_outs", args.id)
    found = ctx.session.get(OptOut, args.id)
    if found is None or found.deleted:
        return {"id": args.id, "recorded": False}
    set_fields(ctx, found, {"deleted": True}, {"deleted"})
    ctx.touch("opt_outs", found.id, "contacts")
    return {"id": found.id, "recorded": True}
