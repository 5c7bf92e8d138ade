"""CSV import into a contact list (C3, C7): a plan to preview, then one transaction that applies it."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy.orm import Session

from boxoffice.i18n import _
from boxoffice.services import contacts
from boxoffice.services.column_mapping import (
    CUSTOM_PREFIX,
    EMAIL,
    FIRST_NAME,
    IGNORE,
    LAST_NAME,
    check_mapping,
    guess_mapping,
)
from boxoffice.services.csv_files import CsvFile
from boxoffice.store.ids import uuid7
from boxoffice.store.unit_of_work import UnitOfWork

CONSENT_TERMS_VERSION = "2026-11"


def consent_terms() -> str:
    return _("I confirm that every person in this file agreed to receive messages from us, that I may "
             "process their address for this purpose, and that each of them can ask to be removed.")


# (row, line, email, first name, last name, custom fields): plain tuples, see CsvRecord.
PlannedContact = tuple[int, int, str, str, str, dict[str, str]]


class RowProblem(NamedTuple):
    row: int
    line: int
    reason: str


class Duplicate(NamedTuple):
    row: int
    line: int
    email: str
    reason: str


@dataclass
class ImportPlan:
    """What an import would do; nothing is written until `apply_import`."""

    file: CsvFile
    mapping: dict[int, str]
    contacts: list[PlannedContact] = field(default_factory=list)
    invalid: list[RowProblem] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    custom_fields: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.file.records)

    def report(self, imported: int) -> dict[str, Any]:
        return {
            "rows": self.rows, "imported": imported,
            "invalid": [{"row": p.row, "line": p.line, "reason": p.reason} for p in self.invalid],
            "duplicates": [{"row": d.row, "line": d.line, "email": d.email, "reason": d.reason}
                           for d in self.duplicates],
            "encoding": self.file.encoding, "delimiter": self.file.delimiter,
            "mapping": {self.file.header[i]: t for i, t in sorted(self.mapping.items())},
        }


@contextmanager
def paused_gc() -> Iterator[None]:
    # Building 100,000 small tuples triggers dozens of full collections that find nothing
    # to free: pausing the collector cuts a large import by a quarter (measured).
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def plan_import(session: Session, csv_file: CsvFile, list_id: str | None,
                mapping: Mapping[int, str] | None = None) -> ImportPlan:
    """Validate every row against the mapping and the target list (if it exists yet)."""
    chosen = dict(mapping) if mapping is not None else guess_mapping(csv_file.header)
    check_mapping(chosen, csv_file.header)
    plan = ImportPlan(csv_file, chosen)
    known = contacts.existing_emails(session, list_id) if list_id else {}
    with paused_gc():
        _validate_rows(plan, known)
    # Only custom columns that hold a value somewhere: Outlook exports carry ~90 mostly empty ones.
    used: set[str] = set().union(*(c[5] for c in plan.contacts))
    plan.custom_fields = [t[len(CUSTOM_PREFIX):] for _i, t in sorted(chosen.items())
                          if t.startswith(CUSTOM_PREFIX) and t[len(CUSTOM_PREFIX):] in used]
    return plan


def _validate_rows(plan: ImportPlan, known: Mapping[str, str]) -> None:
    mapping, width = plan.mapping, len(plan.file.header)
    col = {t: i for i, t in mapping.items() if t != IGNORE}
    email_at, first_at, last_at = col[EMAIL], col.get(FIRST_NAME), col.get(LAST_NAME)
    custom = [(i, t[len(CUSTOM_PREFIX):]) for t, i in col.items() if t.startswith(CUSTOM_PREFIX)]
    seen: dict[str, int] = {}
    valid_email: Callable[[str], Any] = contacts.EMAIL_PATTERN.match
    add, problem, duplicate = plan.contacts.append, plan.invalid.append, plan.duplicates.append
    for row, line, cells in plan.file.records:
        if len(cells) > width:
            problem(RowProblem(row, line, _("{found} fields where the header has {expected}: check for an "
                                            "unquoted delimiter").format(found=len(cells), expected=width)))
            continue
        email = cells[email_at].strip() if email_at < len(cells) else ""
        if not email:
            problem(RowProblem(row, line, _("the email address is missing")))
            continue
        if not valid_email(email):
            problem(RowProblem(row, line, _("“{email}” is not a valid email address").format(email=email)))
            continue
        key = email.lower()
        if key in seen:
            duplicate(Duplicate(row, line, email, _("same address as row {row}").format(row=seen[key])))
            continue
        seen[key] = row
        if key in known:
            duplicate(Duplicate(row, line, email, _("already in the list")))
            continue
        add((
            row, line, email,
            cells[first_at].strip() if first_at is not None and first_at < len(cells) else "",
            cells[last_at].strip() if last_at is not None and last_at < len(cells) else "",
            {name: v for i, name in custom if i < len(cells) and (v := cells[i].strip())},
        ))


@dataclass(frozen=True)
class Consent:
    """C7: the terms were shown to `accepted_by`, who accepted them."""

    accepted_by: str
    accepted: bool


def apply_import(work: UnitOfWork, plan: ImportPlan, list_id: str | None, list_name: str,
                 consent: Consent, on_batch: Callable[[int, int], None] | None = None) -> tuple[str, int]:
    """Write the plan's contacts (creating the list if needed) and the consent record, in the
    caller's transaction: either everything is imported or nothing. Returns (list id, count)."""
    if not consent.accepted:
        raise contacts.ContactError(_("The consent terms must be accepted before importing addresses."))
    if list_id is None:
        list_id = contacts.create_list(work, list_name)
    with paused_gc():
        rows = [[c[2], c[3], c[4], c[5]] for c in plan.contacts]
        contacts.add_rows(work, list_id, rows, on_batch)
    contacts.add_custom_fields(work, list_id, plan.custom_fields)
    work.run("consent.record", {
        "id": uuid7(), "list_id": list_id, "accepted_at": datetime.now(UTC).isoformat(),
        "accepted_by": consent.accepted_by, "terms_version": CONSENT_TERMS_VERSION,
        "source": plan.file.name, "rows": len(rows),
    })
    return list_id, len(rows)
