"""Export a contact list as CSV (C5) that a spreadsheet opens safely."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy.orm import Session

from boxoffice.i18n import _
from boxoffice.services import contacts
from boxoffice.services.contact_windows import each_contact, field_names

# OWASP CSV injection: a cell a spreadsheet would read as a formula is prefixed with '.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def export_list(session: Session, list_id: str, path: Path, delimiter: str = ",") -> int:
    """Write every contact with every field and its creation date; returns the number written.

    UTF-8 with a BOM so that Excel shows accents right; the file is written next to the
    target and renamed, so a failure never leaves half a file behind.
    """
    the_list = contacts.get_list(session, list_id)
    custom = list(the_list.custom_fields)
    custom.extend(k for k in field_names(session, list_id) if k not in custom)
    written = 0
    header = [_("Email"), _("First name"), _("Last name"), *custom, _("Created")]
    partial = path.with_name(path.name + ".part")
    try:
        with partial.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=delimiter)
            writer.writerow([neutralise(h) for h in header])
            # Streamed a window at a time: 500,000 contacts are never in memory together.
            for c in each_contact(session, list_id):
                created = c.created_at.astimezone().isoformat(timespec="seconds")
                cells = [c.email, c.first_name, c.last_name, *(c.fields.get(k, "") for k in custom), created]
                writer.writerow([neutralise(cell) for cell in cells])
                written += 1
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise contacts.ContactError(_("Cannot write {file}: {error}").format(file=path, error=exc.strerror)) from exc
    return written
