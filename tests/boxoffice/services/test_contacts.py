"""Contact lists and contacts by hand: create, rename, duplicate, archive, add, edit, remove."""

from __future__ import annotations

import pytest

from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import contacts


def _list_with(writer: Writer, name: str, *emails: str) -> str:
    with writer.transaction() as work:
        list_id = contacts.create_list(work, name)
        for email in emails:
            contacts.add_contact(work, list_id, email, "First", "Last")
    return list_id


class TestLists:
    def test_a_new_list_appears_with_its_contact_count(self, writer: Writer):
        _list_with(writer, "Press", "a@example.ch", "b@example.ch")
        with writer.store.session() as session:
            [summary] = contacts.list_summaries(session)
        assert (summary.name, summary.contacts, summary.archived) == ("Press", 2, False)

    def test_two_lists_cannot_share_a_name_whatever_the_case(self, writer: Writer):
        _list_with(writer, "Press")
        with pytest.raises(contacts.ContactError, match="already exists"), writer.transaction() as work:
            contacts.create_list(work, "press")

    def test_rename_archive_and_restore(self, writer: Writer):
        list_id = _list_with(writer, "Press")
        with writer.transaction() as work:
            contacts.rename_list(work, list_id, "Media")
            contacts.archive_list(work, list_id)
        with writer.store.session() as session:
            assert contacts.list_summaries(session, include_archived=False) == []
            assert contacts.list_summaries(session)[0].name == "Media"
        with writer.transaction() as work:
            contacts.restore_list(work, list_id)
        with writer.store.session() as session:
            assert [s.name for s in contacts.list_summaries(session, include_archived=False)] == ["Media"]

    def test_duplicating_a_list_copies_its_contacts_under_the_new_name(self, writer: Writer):
        list_id = _list_with(writer, "Press", "a@example.ch", "b@example.ch")
        with writer.transaction() as work:
            copy_id = contacts.duplicate_list(work, list_id, "Press 2027")
        with writer.store.session() as session:
            assert sorted(c.email for c in contacts.contacts_of(session, copy_id)) == ["a@example.ch", "b@example.ch"]
            assert len(contacts.contacts_of(session, list_id)) == 2


class TestContacts:
    def test_an_invalid_or_duplicate_address_is_refused(self, writer: Writer):
        list_id = _list_with(writer, "Press", "a@example.ch")
        with pytest.raises(contacts.ContactError, match="not a valid email"), writer.transaction() as work:
            contacts.add_contact(work, list_id, "a@b")
        with pytest.raises(contacts.ContactError, match="already in this list"), writer.transaction() as work:
            contacts.add_contact(work, list_id, "A@Example.ch")

    def test_custom_fields_are_kept_and_added_to_the_list(self, writer: Writer):
        list_id = _list_with(writer, "Press")
        with writer.transaction() as work:
            contacts.add_contact(work, list_id, "c@example.ch", "Chloé", "Rochat", {"Media": "RTS"})
        with writer.store.session() as session:
            assert contacts.get_list(session, list_id).custom_fields == ["Media"]
            assert contacts.contacts_of(session, list_id)[0].fields == {"Media": "RTS"}

    def test_editing_a_contact_changes_it_and_remembers_the_field_stamp(self, writer: Writer):
        list_id = _list_with(writer, "Press", "a@example.ch")
        with writer.store.session() as session:
            contact = contacts.contacts_of(session, list_id)[0]
        with writer.transaction() as work:
            contacts.edit_contact(work, contact.id, "a@example.ch", "Anne", "Last", {})
        with writer.store.session() as session:
            edited = contacts.contacts_of(session, list_id)[0]
        assert edited.first_name == "Anne"
        assert edited.field_hlc["first_name"] > contact.hlc

    def test_removed_contacts_disappear_and_can_be_added_again(self, writer: Writer):
        list_id = _list_with(writer, "Press", "a@example.ch", "b@example.ch")
        with writer.store.session() as session:
            first = contacts.find_contact(session, list_id, "a@example.ch")
        assert first is not None
        with writer.transaction() as work:
            assert contacts.remove_contacts(work, [first.id]) == 1
        with writer.store.session() as session:
            assert [c.email for c in contacts.contacts_of(session, list_id)] == ["b@example.ch"]
        with writer.transaction() as work:
            contacts.add_contact(work, list_id, "a@example.ch")
        with writer.store.session() as session:
            assert len(contacts.contacts_of(session, list_id)) == 2

    def test_search_filters_by_name_or_email(self, writer: Writer):
        list_id = _list_with(writer, "Press")
        with writer.transaction() as work:
            contacts.add_contact(work, list_id, "zoe@example.ch", "Zoé", "Perret")
            contacts.add_contact(work, list_id, "hugo@example.ch", "Hugo", "Keller")
        with writer.store.session() as session:
            assert [c.email for c in contacts.contacts_of(session, list_id, "kell")] == ["hugo@example.ch"]
