"""Importing CSV files into contact lists: mapping, validation, duplicates, consent, size."""

from __future__ import annotations

import csv
import io

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from boxoffice.model.contacts import ConsentRecord, Contact
from boxoffice.model.devices import OutboxEntry
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import contacts
from boxoffice.services.column_mapping import MappingError, guess_mapping
from boxoffice.services.contact_import import Consent, Duplicate, RowProblem, apply_import, plan_import
from boxoffice.services.csv_files import parse_csv
from boxoffice.services.email_addresses import is_valid_email
from tests.boxoffice.services import csv_samples

ME = Consent("tester", True)


def _import(writer: Writer, data: bytes, list_name: str = "Guests", mapping=None):
    csv_file = parse_csv(data, "people.csv")
    with writer.transaction() as work:
        found = contacts.find_list(work.session, list_name)
        plan = plan_import(work.session, csv_file, found.id if found else None, mapping)
        list_id, count = apply_import(work, plan, found.id if found else None, list_name, ME)
    return plan, list_id, count


class TestColumnMapping:
    @pytest.mark.parametrize("sample", [csv_samples.excel_fr, csv_samples.excel_de, csv_samples.outlook,
                                        csv_samples.google, csv_samples.utf8_bom_comma, csv_samples.utf16_tab])
    def test_common_exports_map_email_first_and_last_name(self, writer: Writer, sample):
        _plan, list_id, count = _import(writer, sample())
        assert count == 3
        with writer.store.session() as session:
            lea = contacts.find_contact(session, list_id, "LEA.FAVRE@example.ch")
            assert lea is not None
            assert (lea.first_name, lea.last_name) == ("Léa", "Favre")

    def test_unmapped_columns_with_values_become_custom_fields_and_empty_ones_are_dropped(self, writer: Writer):
        plan, list_id, _ = _import(writer, csv_samples.outlook())
        assert plan.custom_fields == ["Business Phone", "Company", "Notes"]
        with writer.store.session() as session:
            assert contacts.get_list(session, list_id).custom_fields == ["Business Phone", "Company", "Notes"]
            jurg = contacts.find_contact(session, list_id, "juerg.mueller@example.ch")
            assert jurg is not None and jurg.fields["Company"] == "Müller AG"

    def test_a_mapping_set_by_hand_overrides_the_guess(self, writer: Writer):
        data = b"contact,who\nx@example.ch,Ann\n"
        with pytest.raises(MappingError, match="No column holds the email"):
            _import(writer, data)
        _plan, _list_id, count = _import(writer, data, mapping={0: "email", 1: "first_name"})
        assert count == 1

    def test_two_columns_mapped_to_the_same_field_are_refused(self):
        header = ["a", "b"]
        from boxoffice.services.column_mapping import check_mapping
        with pytest.raises(MappingError, match="both mapped to email"):
            check_mapping({0: "email", 1: "email"}, header)

    def test_google_full_name_column_is_not_taken_as_the_surname(self):
        header = ["Name", "Given Name", "Family Name", "E-mail 1 - Value"]
        assert guess_mapping(header) == {0: "custom:Name", 1: "first_name", 2: "last_name", 3: "email"}


class TestValidation:
    def test_bad_rows_are_reported_with_row_line_and_reason_and_the_rest_imported(self, writer: Writer):
        data = (b"email;first;last\n"
                b"good@example.ch;A;B\n"
                b"not-an-email;C;D\n"
                b";E;F\n"
                b"x@example.ch;G;H;extra\n"
                b"ok2@example.ch;I;J\n")
        plan, _list_id, count = _import(writer, data)
        assert count == 2
        assert [(p.row, p.line) for p in plan.invalid] == [(2, 3), (3, 4), (4, 5)]
        assert "not a valid email" in plan.invalid[0].reason
        assert "missing" in plan.invalid[1].reason
        assert "4 fields where the header has 3" in plan.invalid[2].reason

    def test_a_row_with_a_stray_nul_is_reported_with_its_line_and_the_others_imported(self, writer: Writer):
        data = "email;first\nlea@example.ch;Léa\njuerg@example.ch;J\x00ürg\nzoe@example.ch;Zoé\n".encode("cp1252")
        plan, list_id, count = _import(writer, data)
        assert count == 2
        assert plan.invalid == [RowProblem(2, 3, "a NUL character (binary data) in this row: check the file at "
                                                 "this line")]
        with writer.store.session() as session:
            assert sorted(c.first_name for c in contacts.contacts_of(session, list_id)) == ["Léa", "Zoé"]

    def test_addresses_are_checked_with_the_shared_rule_and_the_bad_line_named(self, writer: Writer):
        data = "email\nuser@example.xn--p1ai\na..b@x.ch\nолег@пример.рф\n".encode()
        plan, _list_id, count = _import(writer, data)
        assert count == 2
        assert plan.invalid == [RowProblem(2, 3, "“a..b@x.ch” is not a valid email address")]

    def test_duplicates_in_the_file_are_found_case_insensitively(self, writer: Writer):
        data = b"email\nAnn@Example.ch\nann@example.CH\nbob@example.ch\n"
        plan, _l, count = _import(writer, data)
        assert count == 2
        assert [(d.row, d.email) for d in plan.duplicates] == [(2, "ann@example.CH")]
        assert "row 1" in plan.duplicates[0].reason

    def test_duplicates_against_the_list_are_not_imported_again(self, writer: Writer):
        _import(writer, b"email\nann@example.ch\n")
        plan, list_id, count = _import(writer, b"email\nANN@example.ch\nnew@example.ch\n")
        assert count == 1
        assert plan.duplicates[0].reason == "already in the list"
        with writer.store.session() as session:
            assert len(contacts.contacts_of(session, list_id)) == 2


class TestTransactionAndConsent:
    def test_the_plan_writes_nothing(self, writer: Writer):
        csv_file = parse_csv(csv_samples.excel_fr(), "people.csv")
        with writer.store.session() as session:
            plan = plan_import(session, csv_file, None)
            assert len(plan.contacts) == 3
            assert session.scalar(select(func.count()).select_from(Contact)) == 0

    def test_import_without_consent_is_refused_and_writes_nothing(self, writer: Writer):
        csv_file = parse_csv(csv_samples.excel_fr(), "people.csv")
        with pytest.raises(contacts.ContactError, match="consent"), writer.transaction() as work:
            plan = plan_import(work.session, csv_file, None)
            apply_import(work, plan, None, "Guests", Consent("tester", False))
        with writer.store.session() as session:
            assert contacts.list_summaries(session) == []

    def test_consent_acceptance_is_recorded_with_the_file_and_count(self, writer: Writer):
        _plan, list_id, _ = _import(writer, csv_samples.google())
        with writer.store.session() as session:
            record = session.scalars(select(ConsentRecord)).one()
            assert (record.list_id, record.accepted_by, record.source, record.rows) == (
                list_id, "tester", "people.csv", 3)

    def test_every_change_is_queued_in_the_outbox_in_the_same_transaction(self, writer: Writer):
        _import(writer, csv_samples.google())
        with writer.store.session() as session:
            names = list(session.scalars(select(OutboxEntry.mutation).order_by(OutboxEntry.seq)))
        assert names == ["lists.create", "contacts.add_many", "lists.update", "consent.record"]


@pytest.mark.slow
class TestLargeFiles:
    def test_a_hundred_thousand_rows_import_in_one_go(self, writer: Writer):
        lines = ["Nom;Prénom;E-mail;Ville"] + [f"Nom{i};Prénom{i};p{i}@example.ch;Genève" for i in range(100_000)]
        plan, list_id, count = _import(writer, "\r\n".join(lines).encode("windows-1252"))
        assert (plan.rows, count) == (100_000, 100_000)
        with writer.store.session() as session:
            assert contacts.list_summaries(session)[0].contacts == 100_000
            assert contacts.find_contact(session, list_id, "p99999@example.ch") is not None

    def test_a_large_import_reaches_the_outbox_as_the_rows_the_server_inserts(self, writer: Writer):
        lines = ["email;first;last;Ville"] + [f"p{i}@example.ch;P{i};Q{i};{'Genève' if i % 2 else ''}"
                                              for i in range(4_500)]
        _plan, list_id, count = _import(writer, "\n".join(lines).encode())
        with writer.store.session() as session:
            batches = [orjson.loads(args) for args in session.scalars(
                select(OutboxEntry.args).where(OutboxEntry.mutation == "contacts.add_many").order_by(OutboxEntry.seq))]
            stored = {c.id: [c.id, c.email, c.first_name, c.last_name, c.fields]
                      for c in contacts.contacts_of(session, list_id)}
        assert [len(b["rows"]) for b in batches] == [2000, 2000, 500] and {b["list_id"] for b in batches} == {list_id}
        sent = [row for b in batches for row in b["rows"]]
        assert sent[:2] == [[sent[0][0], "p0@example.ch", "P0", "Q0", {}],
                            [sent[1][0], "p1@example.ch", "P1", "Q1", {"Ville": "Genève"}]]
        assert sent == [stored[row[0]] for row in sent] and len(stored) == count == 4_500
        assert [row[0] for row in sent] == sorted(row[0] for row in sent)


class TestRowByRowAgreement:
    """The import checks a file a column at a time; it must decide exactly as reading it row by
    row would (the rules as first written, kept here as the reference)."""

    HEADER = ["E-mail", "Vorname", "Name", "Firma", "Notes"]
    CELLS = ["a@example.ch", "A@Example.CH", " b@example.ch ", "jürg@example.ch", "JÜRG@example.ch",
             "known@example.ch", "Known@example.ch", "not-an-email", "", " ", "Léa", "x;y"]

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(st.lists(st.sampled_from(CELLS), min_size=0, max_size=6), max_size=25), st.booleans())
    def test_column_wise_checks_decide_like_the_row_by_row_reference(self, writer: Writer, rows, into_list):
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=";").writerows([self.HEADER, *rows])
        csv_file = parse_csv(buffer.getvalue().encode(), "people.csv")
        with writer.transaction() as work:
            found = contacts.find_list(work.session, "Known")
            list_id = found.id if found else contacts.create_list(work, "Known")
            if not found:
                contacts.add_contact(work, list_id, "KNOWN@example.ch")
                contacts.add_contact(work, list_id, "Jürg@Example.ch")
        with writer.store.session() as session:
            plan = plan_import(session, csv_file, list_id if into_list else None)
            known = contacts.existing_emails(session, list_id) if into_list else {}
        assert (plan.contacts, plan.invalid, plan.duplicates) == _row_by_row(csv_file, plan.mapping, known)


def _row_by_row(csv_file, mapping, known):
    width = len(csv_file.header)
    col = {t: i for i, t in mapping.items() if t != "ignore"}
    custom = [(i, t.removeprefix("custom:")) for t, i in col.items() if t.startswith("custom:")]

    def cell(cells, target):
        index = col.get(target)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    planned, invalid, duplicates, seen = [], [], [], {}
    for row, line, cells in csv_file.records:
        email = cell(cells, "email")
        if len(cells) > width:
            invalid.append(RowProblem(row, line, f"{len(cells)} fields where the header has {width}: check for an "
                                                 "unquoted delimiter"))
        elif not email:
            invalid.append(RowProblem(row, line, "the email address is missing"))
        elif not is_valid_email(email):
            invalid.append(RowProblem(row, line, f"“{email}” is not a valid email address"))
        elif email.lower() in seen:
            duplicates.append(Duplicate(row, line, email, f"same address as row {seen[email.lower()]}"))
        elif seen.setdefault(email.lower(), row) and email.lower() in known:
            duplicates.append(Duplicate(row, line, email, "already in the list"))
        else:
            planned.append((row, line, email, cell(cells, "first_name"), cell(cells, "last_name"),
                            {name: cells[i].strip() for i, name in custom if i < len(cells) and cells[i].strip()}))
    return planned, invalid, duplicates
