"""Mutations of contact lists and contacts (C1–C7)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update

from boxoffice.model.contacts import ConsentRecord, Contact, ContactList
from boxoffice.mutations import Args, MutationContext, MutationRejected, Result, mutator
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
        raise MutationRejected(f"the contact list {list_id} does not exist")
    return found


def _parse_time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).astimezone(UTC)


@mutator("lists.create", summary=lambda a: f"create list {a['name']!r}")
def create_list(ctx: MutationContext, args: Args) -> Result:
    if ctx.session.get(ContactList, args["id"]) is None:
        ctx.session.add(ContactList(
            id=args["id"], name=args["name"], custom_fields=list(args.get("custom_fields", [])),
            hlc=ctx.hlc, field_hlc={}, created_at=datetime.now(UTC),
        ))
    ctx.touch("contact_lists", args["id"], "contacts")
    return {"id": args["id"]}


@mutator("lists.update", summary=lambda a: f"change list {a['id']}: {', '.join(sorted(a['changes']))}")
def update_list(ctx: MutationContext, args: Args) -> Result:
    row = _list(ctx, args["id"])
    changes: dict[str, Any] = dict(args["changes"])
    if "archived_at" in changes:
        changes["archived_at"] = _parse_time(changes["archived_at"])
    ctx.touch("contact_lists", row.id, "contacts")
    return {"written": set_fields(ctx, row, changes, LIST_FIELDS)}


@mutator("contacts.add_many", summary=lambda a: f"add {len(a['rows'])} contacts to list {a['list_id']}")
def add_contacts(ctx: MutationContext, args: Args) -> Result:
    """Insert many contacts in one statement; rows are `ROW_COLUMNS` lists with their ids.

    Replays are harmless: ids already present are skipped.
    """
    _list(ctx, args["list_id"])
    rows = args["rows"]
    if not rows:
        return {"added": 0}
    created = _parse_time(args.get("created_at")) or datetime.now(UTC)
    existing: set[str] = set()
    if ctx.on_server:
        ids = [r[0] for r in rows]
        existing = set(ctx.session.scalars(select(Contact.id).where(Contact.id.in_(ids))))
    list_id, stamp = args["list_id"], ctx.hlc
    values = [(r[0], list_id, r[1], r[2], r[3], r[4], stamp, created) for r in rows if r[0] not in existing]
    insert_rows(ctx.session, Contact, _INSERT_COLUMNS, values)
    for value in values:
        ctx.touch("contacts", value[0], "contacts")
    return {"added": len(values)}


@mutator("contacts.update", summary=lambda a: f"edit contact {a['id']}")
def update_contact(ctx: MutationContext, args: Args) -> Result:
    row = ctx.session.get(Contact, args["id"])
    if row is None or not row.present:
        raise MutationRejected(f"the contact {args['id']} does not exist")
    ctx.touch("contacts", row.id, "contacts")
    return {"written": set_fields(ctx, row, dict(args["changes"]), CONTACT_FIELDS)}


@mutator("contacts.remove", summary=lambda a: f"remove {len(a['items'])} contacts")
def remove_contacts(ctx: MutationContext, args: Args) -> Result:
    """Causal-length removal: each item is [id, cl] with an even cl; the longer history wins."""
    removed = 0
    for contact_id, length in args["items"]:
        if length % 2:
            raise MutationRejected("a removal needs an even causal length")
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


@mutator("consent.record", summary=lambda a: f"consent accepted by {a['accepted_by']}")
def record_consent(ctx: MutationContext, args: Args) -> Result:
    if ctx.session.get(ConsentRecord, args["id"]) is None:
        ctx.session.add(ConsentRecord(
            id=args["id"], list_id=args["list_id"], accepted_at=_parse_time(args["accepted_at"]),
            accepted_by=args["accepted_by"], terms_version=args["terms_version"],
            source=args.get("source", ""), rows=args.get("rows", 0), hlc=ctx.hlc, field_hlc={},
            created_at=datetime.now(UTC),
        ))
    ctx.touch("consent_records", args["id"], "contacts")
    return {"id": args["id"]}
