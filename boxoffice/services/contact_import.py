"""CSV import into a contact list (C3, C7): a plan to preview, then one transaction that applies it."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import compress, repeat
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy.orm import Session

from boxoffice.i18n import _
from boxoffice.mutations.contacts import ConsentRecord
from boxoffice.mutations.unit_of_work import UnitOfWork
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
from boxoffice.services.csv_files import CsvFile, paused_gc
from boxoffice.services.email_addresses import valid_emails
from boxoffice.store.ids import uuid7

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
        return len(self.file.rows)

    def report(self, imported: int) -> dict[str, Any]:
        return {
            "rows": self.rows, "imported": imported,
            "invalid": [{"row": p.row, "line": p.line, "reason": p.reason} for p in self.invalid],
            "duplicates": [{"row": d.row, "line": d.line, "email": d.email, "reason": d.reason}
                           for d in self.duplicates],
            "encoding": self.file.encoding, "delimiter": self.file.delimiter,
            "mapping": {self.file.header[i]: t for i, t in sorted(self.mapping.items())},
        }


def plan_import(session: Session, csv_file: CsvFile, list_id: str | None,
                mapping: Mapping[int, str] | None = None) -> ImportPlan:
    """Validate every row against the mapping and the target list (if it exists yet)."""
    chosen = dict(mapping) if mapping is not None else guess_mapping(csv_file.header)
    check_mapping(chosen, csv_file.header)
    plan = ImportPlan(csv_file, chosen)
    known = contacts.existing_emails(session, list_id) if list_id else {}
    with paused_gc():
        _validate_rows(plan, known)
    if any(t.startswith(CUSTOM_PREFIX) for t in chosen.values()):
        # Only custom columns that hold a value somewhere: Outlook exports carry ~90 mostly empty ones.
        used: set[str] = set().union(*(c[5] for c in plan.contacts))
        plan.custom_fields = [t[len(CUSTOM_PREFIX):] for _i, t in sorted(chosen.items())
                              if t.startswith(CUSTOM_PREFIX) and t[len(CUSTOM_PREFIX):] in used]
    return plan


def _validate_rows(plan: ImportPlan, known: Mapping[str, str]) -> None:
    """One column at a time through C-level map/zip, with Python loops only over the rows at fault:
    row by row, a 100,000-row file took longer to check than to parse."""
    col = {t: i for i, t in plan.mapping.items() if t != IGNORE}
    cells, refused = _padded_rows(plan)
    emails = list(map(str.strip, map(itemgetter(col[EMAIL]), cells)))
    keep = valid_emails(emails)
    for index in _positions(keep, False):
        if index not in refused:
            reason = (_("“{email}” is not a valid email address").format(email=emails[index]) if emails[index]
                      else _("the email address is missing"))
            plan.invalid.append(RowProblem(index + 1, plan.file.lines[index], reason))
    plan.invalid.sort()
    _find_duplicates(plan, emails, keep, known)
    count = len(cells)
    firsts = map(str.strip, map(itemgetter(col[FIRST_NAME]), cells)) if FIRST_NAME in col else repeat("", count)
    lasts = map(str.strip, map(itemgetter(col[LAST_NAME]), cells)) if LAST_NAME in col else repeat("", count)
    custom = [(i, t[len(CUSTOM_PREFIX):]) for t, i in col.items() if t.startswith(CUSTOM_PREFIX)]
    planned = zip(range(1, count + 1), plan.file.lines, emails, firsts, lasts, _custom_fields(cells, custom),
                  strict=True)
    plan.contacts = list(compress(planned, keep))


def _custom_fields(cells: list[list[str]], custom: list[tuple[int, str]]) -> list[dict[str, str]]:
    """Each row's custom fields that hold a value, filled a column at a time: compress() and
    filter() skip the blank cells in C, so Outlook's dozens of mostly empty columns cost little."""
    fields: list[dict[str, str]] = [{} for _row in cells]
    for index, name in custom:
        column = list(map(str.strip, map(itemgetter(index), cells)))
        for row, value in zip(compress(fields, column), filter(None, column), strict=True):
            row[name] = value
    return fields


def _padded_rows(plan: ImportPlan) -> tuple[list[list[str]], set[int]]:
    """The rows, each exactly as wide as the header, and the indexes of rows that were wider or hold a
    NUL character: those are reported here and blanked, so they read as "no email" and are skipped."""
    rows, width, lines = plan.file.rows, len(plan.file.header), plan.file.lines
    if list(map(len, rows)).count(width) == len(rows) and not plan.file.nul_rows:
        return rows, set()
    padded, refused, blank = list(rows), set(), [""] * width
    for index, cells in enumerate(rows):
        if index in plan.file.nul_rows:
            plan.invalid.append(RowProblem(index + 1, lines[index], _(
                "a NUL character (binary data) in this row: check the file at this line")))
            padded[index] = blank
            refused.add(index)
        elif len(cells) > width:
            plan.invalid.append(RowProblem(index + 1, lines[index], _(
                "{found} fields where the header has {expected}: check for an unquoted delimiter"
            ).format(found=len(cells), expected=width)))
            padded[index] = blank
            refused.add(index)
        elif len(cells) < width:
            padded[index] = cells + [""] * (width - len(cells))
    return padded, refused


def _positions(items: list[Any], value: Any) -> Iterator[int]:
    """Indexes where `items` holds `value`, found by list.index (C) rather than a Python loop."""
    index = -1
    for _n in range(items.count(value)):
        index = items.index(value, index + 1)
        yield index


def _find_duplicates(plan: ImportPlan, emails: list[str], keep: list[bool], known: Mapping[str, str]) -> None:
    """Unmark the second and later rows of an address (case-insensitive) and rows already in the list."""
    keys = list(map(str.lower, emails))
    distinct = set(compress(keys, keep))
    if len(distinct) == keep.count(True) and not (known and not distinct.isdisjoint(known)):
        return  # the usual case: nothing to report, no need to know where each address first appears
    valid = list(compress(range(len(keys)), keep))
    # Filled backwards, so each address ends up with its first row.
    first = dict(zip(map(keys.__getitem__, reversed(valid)), reversed(valid), strict=True))
    found: list[tuple[int, str]] = []
    if len(first) < len(valid):
        found += [(i, _("same address as row {row}").format(row=first[keys[i]] + 1))
                  for i in valid if first[keys[i]] != i]
    if known:
        found += [(first[key], _("already in the list")) for key in first.keys() & known.keys()]
    for index, reason in sorted(found):
        keep[index] = False
        plan.duplicates.append(Duplicate(index + 1, plan.file.lines[index], emails[index], reason))


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
        rows = list(map(itemgetter(2, 3, 4, 5), plan.contacts))
        contacts.add_rows(work, list_id, rows, on_batch)
    contacts.add_custom_fields(work, list_id, plan.custom_fields)
    work.run(ConsentRecord(id=uuid7(), list_id=list_id, accepted_at=datetime.now(UTC).isoformat(),
                           accepted_by=consent.accepted_by, terms_version=CONSENT_TERMS_VERSION,
                           source=plan.file.name, rows=len(rows)))
    return list_id, len(rows)
