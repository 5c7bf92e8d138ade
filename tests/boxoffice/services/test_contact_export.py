"""Exporting a list as CSV: every field, the creation date, formulas neutralised, readable back."""

from __future__ import annotations

import csv
from pathlib import Path

from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import contacts
from boxoffice.services.contact_export import export_list
from boxoffice.services.contact_import import Consent, apply_import, plan_import
from boxoffice.services.csv_files import read_csv_file


class TestExport:
    def test_export_has_every_field_and_creation_date_and_neutralises_formulas(self, writer: Writer, tmp_path: Path):
        with writer.transaction() as work:
            list_id = contacts.create_list(work, "Press")
            contacts.add_contact(work, list_id, "ann@example.ch", "=HYPERLINK(\"x\")", "Favre", {"Note": "+41 79"})
            contacts.add_contact(work, list_id, "bob@example.ch", "Bob", "@Meier", {"Table": "-3"})
        out = tmp_path / "press.csv"
        with writer.store.session() as session:
            assert export_list(session, list_id, out) == 2
        assert out.read_bytes().startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
        assert rows[0] == ["Email", "First name", "Last name", "Note", "Table", "Created"]
        by_email = {r[0]: r for r in rows[1:]}
        ann, bob = by_email["ann@example.ch"], by_email["bob@example.ch"]
        assert ann[1] == "'=HYPERLINK(\"x\")" and ann[3] == "'+41 79"
        assert bob[2] == "'@Meier" and bob[4] == "'-3"
        assert ann[5][:4].isdigit() and "T" in ann[5]

    def test_an_export_imports_back_into_an_equal_list(self, writer: Writer, tmp_path: Path):
        with writer.transaction() as work:
            list_id = contacts.create_list(work, "Press")
            contacts.add_contact(work, list_id, "zoe@example.ch", "Zoé", "Müller", {"City": "Zürich"})
        out = tmp_path / "press.csv"
        with writer.store.session() as session:
            export_list(session, list_id, out, delimiter=";")
        with writer.transaction() as work:
            plan = plan_import(work.session, read_csv_file(out), None)
            copy_id, _count = apply_import(work, plan, None, "Copy", Consent("t", True))
        with writer.store.session() as session:
            [zoe] = contacts.contacts_of(session, copy_id)
        assert (zoe.email, zoe.first_name, zoe.last_name, zoe.fields["City"]) == (
            "zoe@example.ch", "Zoé", "Müller", "Zürich")
