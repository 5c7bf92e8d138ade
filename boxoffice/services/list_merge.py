"""Merge one contact list into another (C4): a preview first, then the merge, then the other is archived."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from boxoffice.i18n import _
from boxoffice.model.contacts import Contact
from boxoffice.mutations.contacts import ContactUpdate
from boxoffice.mutations.unit_of_work import UnitOfWork
from boxoffice.services import contacts


@dataclass(frozen=True)
class FieldConflict:
    email: str
    field: str
    kept: str
    other: str


@dataclass
class MergePreview:
    keep_id: str
    other_id: str
    added: list[Contact] = field(default_factory=list)
    duplicates: list[tuple[Contact, Contact]] = field(default_factory=list)  # (kept, other)
    conflicts: list[FieldConflict] = field(default_factory=list)
    filled: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # kept id, blanks filled

    def report(self) -> dict[str, Any]:
        return {
            "added": [c.email for c in self.added],
            "duplicates": [kept.email for kept, _other in self.duplicates],
            "conflicts": [{"email": c.email, "field": c.field, "kept": c.kept, "other": c.other}
                          for c in self.conflicts],
        }


def _values(contact: Contact) -> dict[str, str]:
    return {"first_name": contact.first_name, "last_name": contact.last_name, **contact.fields}


def preview_merge(session: Session, keep_id: str, other_id: str) -> MergePreview:
    """What merging `other_id` into `keep_id` would do. Kept values always win; a blank kept
    field takes the other's value; differing values are listed as conflicts."""
    if keep_id == other_id:
        raise contacts.ContactError(_("A list cannot be merged into itself."))
    contacts.get_list(session, keep_id)
    contacts.get_list(session, other_id)
    kept_by_email = {c.email.lower(): c for c in contacts.contacts_of(session, keep_id)}
    preview = MergePreview(keep_id, other_id)
    for other in contacts.contacts_of(session, other_id):
        kept = kept_by_email.get(other.email.lower())
        if kept is None:
            preview.added.append(other)
            kept_by_email[other.email.lower()] = other
            continue
        preview.duplicates.append((kept, other))
        _compare(preview, kept, other)
    return preview


def _compare(preview: MergePreview, kept: Contact, other: Contact) -> None:
    if kept.list_id == preview.other_id:
        return  # a duplicate inside the other list itself: nothing to compare with the kept list
    mine, theirs = _values(kept), _values(other)
    fills: dict[str, Any] = {}
    for name, value in theirs.items():
        if not value or mine.get(name, "") == value:
            continue
        if not mine.get(name):
            fills[name] = value
        else:
            preview.conflicts.append(FieldConflict(kept.email, name, mine[name], value))
    if fills:
        preview.filled.append((kept.id, fills))


def merge_lists(work: UnitOfWork, keep_id: str, other_id: str) -> MergePreview:
    """Apply the merge in the caller's transaction and archive the other list."""
    preview = preview_merge(work.session, keep_id, other_id)
    other_fields = contacts.get_list(work.session, other_id).custom_fields
    contacts.add_custom_fields(work, keep_id, list(other_fields))
    contacts.add_rows(work, keep_id, [[c.email, c.first_name, c.last_name, dict(c.fields)] for c in preview.added])
    for contact_id, fills in preview.filled:
        kept = work.session.get(Contact, contact_id)
        assert kept is not None
        changes: dict[str, Any] = {k: v for k, v in fills.items() if k in ("first_name", "last_name")}
        custom = {k: v for k, v in fills.items() if k not in ("first_name", "last_name")}
        if custom:
            changes["fields"] = {**kept.fields, **custom}
        work.run(ContactUpdate(id=contact_id, changes=changes))
    contacts.archive_list(work, other_id)
    return preview
