"""Contact lists and contacts: create, rename, duplicate, archive, add, edit, remove (C1, C2, C6)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from boxoffice.i18n import _
from boxoffice.model.contacts import Contact, ContactList
from boxoffice.mutations.contacts import ContactsAdd, ContactsRemove, ContactUpdate, ListCreate, ListUpdate
from boxoffice.mutations.unit_of_work import UnitOfWork
from boxoffice.services.contact_windows import present_counts
from boxoffice.services.email_addresses import is_valid_email
from boxoffice.services.text_search import match_expression, matching_rowids
from boxoffice.store.ids import uuid7, uuid7_batch

ADD_BATCH = 2_000  # no more than an outbox row remembers (TOUCHED_KEPT), so a refusal can be undone


class ContactError(ValueError):
    """A contact or list operation was refused; the message says why in plain words."""


@dataclass(frozen=True)
class ListSummary:
    id: str
    name: str
    contacts: int
    archived: bool
    created_at: datetime
    custom_fields: list[str]


def list_summaries(session: Session, include_archived: bool = True) -> list[ListSummary]:
    counts = present_counts(session)
    query = select(ContactList).where(ContactList.deleted.is_(False)).order_by(func.lower(ContactList.name))
    if not include_archived:
        query = query.where(ContactList.archived_at.is_(None))
    return [ListSummary(row.id, row.name, counts.get(row.id, 0), row.archived_at is not None, row.created_at,
                        list(row.custom_fields)) for row in session.scalars(query)]


def find_list(session: Session, name: str) -> ContactList | None:
    return session.scalars(select(ContactList).where(
        func.lower(ContactList.name) == name.strip().lower(), ContactList.deleted.is_(False))).first()


def get_list(session: Session, list_id: str) -> ContactList:
    found = session.get(ContactList, list_id)
    if found is None or found.deleted:
        raise ContactError(_("This contact list no longer exists."))
    return found


def list_by_name(session: Session, name: str) -> ContactList:
    found = find_list(session, name)
    if found is None:
        raise ContactError(_("There is no contact list named “{name}”.").format(name=name))
    return found


def _check_new_name(session: Session, name: str, except_id: str | None = None) -> str:
    name = name.strip()
    if not name:
        raise ContactError(_("A list needs a name."))
    clash = find_list(session, name)
    if clash is not None and clash.id != except_id:
        raise ContactError(_("A list named “{name}” already exists.").format(name=name))
    return name


def create_list(work: UnitOfWork, name: str, custom_fields: list[str] | None = None) -> str:
    name = _check_new_name(work.session, name)
    list_id = uuid7()
    work.run(ListCreate(id=list_id, name=name, custom_fields=custom_fields or []))
    return list_id


def rename_list(work: UnitOfWork, list_id: str, name: str) -> None:
    get_list(work.session, list_id)
    work.run(ListUpdate(id=list_id, changes={"name": _check_new_name(work.session, name, list_id)}))


def archive_list(work: UnitOfWork, list_id: str) -> None:
    get_list(work.session, list_id)
    work.run(ListUpdate(id=list_id, changes={"archived_at": datetime.now(UTC).isoformat()}))


def restore_list(work: UnitOfWork, list_id: str) -> None:
    get_list(work.session, list_id)
    work.run(ListUpdate(id=list_id, changes={"archived_at": None}))


def add_custom_fields(work: UnitOfWork, list_id: str, names: list[str]) -> None:
    current = list(get_list(work.session, list_id).custom_fields)
    new = [n for n in names if n not in current]
    if new:
        work.run(ListUpdate(id=list_id, changes={"custom_fields": current + new}))


def duplicate_list(work: UnitOfWork, list_id: str, name: str) -> str:
    source = get_list(work.session, list_id)
    copy_id = create_list(work, name, list(source.custom_fields))
    rows = [[c.email, c.first_name, c.last_name, dict(c.fields)] for c in contacts_of(work.session, list_id)]
    add_rows(work, copy_id, rows)
    return copy_id


def add_rows(work: UnitOfWork, list_id: str, rows: Sequence[Sequence[Any]],
             on_batch: Callable[[int, int], None] | None = None) -> int:
    """Add already-validated (email, first, last, fields) rows, in outbox-sized batches.

    `on_batch(done, total)` is called after each batch; it may raise to abandon the transaction.
    """
    ids = uuid7_batch(len(rows))
    created = datetime.now(UTC).isoformat()
    for start in range(0, len(rows), ADD_BATCH):
        end = start + ADD_BATCH
        # (id, email, first, last, fields) tuples built by zip in C; JSON turns them into the
        # same arrays as lists would, so the server receives what it always did.
        chunk = list(zip(ids[start:end], *zip(*rows[start:end], strict=True), strict=True))
        work.run(ContactsAdd(list_id=list_id, rows=chunk, created_at=created))
        if on_batch is not None:
            on_batch(start + len(chunk), len(rows))
    return len(rows)


def _clean(email: str, first_name: str, last_name: str) -> tuple[str, str, str]:
    email = email.strip()
    if not email:
        raise ContactError(_("An email address is required."))
    if not is_valid_email(email):
        raise ContactError(_("“{email}” is not a valid email address.").format(email=email))
    return email, first_name.strip(), last_name.strip()


def find_contact(session: Session, list_id: str, email: str) -> Contact | None:
    return session.scalars(select(Contact).where(
        Contact.list_id == list_id, func.lower(Contact.email) == email.strip().lower(),
        Contact.cl % 2 == 1)).first()


def add_contact(work: UnitOfWork, list_id: str, email: str, first_name: str = "", last_name: str = "",
                fields: dict[str, str] | None = None) -> str:
    get_list(work.session, list_id)
    email, first_name, last_name = _clean(email, first_name, last_name)
    if find_contact(work.session, list_id, email) is not None:
        raise ContactError(_("{email} is already in this list.").format(email=email))
    contact_id = uuid7()
    work.run(ContactsAdd(list_id=list_id, rows=[
        (contact_id, email, first_name, last_name, {k: v for k, v in (fields or {}).items() if v})]))
    if fields:
        add_custom_fields(work, list_id, [k for k, v in fields.items() if v])
    return contact_id


def edit_contact(work: UnitOfWork, contact_id: str, email: str, first_name: str, last_name: str,
                 fields: dict[str, str]) -> None:
    contact = work.session.get(Contact, contact_id)
    if contact is None or not contact.present:
        raise ContactError(_("This contact no longer exists."))
    email, first_name, last_name = _clean(email, first_name, last_name)
    other = find_contact(work.session, contact.list_id, email)
    if other is not None and other.id != contact_id:
        raise ContactError(_("{email} is already in this list.").format(email=email))
    kept_fields = {k: v for k, v in fields.items() if v}
    new: dict[str, Any] = {"email": email, "first_name": first_name, "last_name": last_name, "fields": kept_fields}
    changes = {k: v for k, v in new.items() if getattr(contact, k) != v}
    if changes:
        work.run(ContactUpdate(id=contact_id, changes=changes))
        add_custom_fields(work, contact.list_id, list(kept_fields))


def remove_contacts(work: UnitOfWork, contact_ids: list[str]) -> int:
    rows = work.session.scalars(select(Contact).where(Contact.id.in_(contact_ids), Contact.cl % 2 == 1))
    items = [(c.id, c.cl + 1) for c in rows]
    if items:
        work.run(ContactsRemove(items=items))
    return len(items)


def contacts_of(session: Session, list_id: str, search: str = "", limit: int | None = None,
                offset: int = 0) -> list[Contact]:
    """Present contacts of a list sorted by name, optionally those whose words start with each word of `search`.

    Loads them all: the contacts table and exports read `contact_windows` instead.
    """
    query = select(Contact).where(Contact.list_id == list_id, Contact.cl % 2 == 1, Contact.deleted.is_(False))
    if search.strip():
        match = match_expression(search)
        if match is None:
            return []
        query = query.where(text(f"contacts.rowid IN ({matching_rowids('contacts')})").bindparams(match=match))
    query = query.order_by(func.lower(Contact.last_name), func.lower(Contact.first_name), Contact.id)
    return list(session.scalars(query.offset(offset).limit(limit)))


def existing_emails(session: Session, list_id: str) -> dict[str, str]:
    """Email in lower case -> contact id for every present contact of the list.

    Lowered by Python, as the import lowers the file's addresses: SQLite's lower() leaves
    "É" or "Ü" as they are, so "JÜRG@…" in the list would not match "jürg@…" in a file.
    """
    rows = session.execute(select(Contact.email, Contact.id).where(Contact.list_id == list_id, Contact.cl % 2 == 1))
    return {email.lower(): cid for email, cid in rows}
