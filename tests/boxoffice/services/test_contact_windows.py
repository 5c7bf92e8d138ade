"""A list's contacts a window at a time, and searched through the index whatever the accents and case."""

from __future__ import annotations

from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import contact_windows, contacts

PEOPLE = [("lea.muller@example.ch", "Léa", "Müller"), ("noah@example.ch", "Noah", "Favre"),
          ("zoe@example.ch", "Zoé", "Perret"), ("hugo@rossi.ch", "Hugo", "Rossi"),
          ("anna@example.ch", "Anna", "Favre")]


def _list(writer: Writer, people: list[tuple[str, str, str]] = PEOPLE) -> str:
    with writer.transaction() as work:
        list_id = contacts.create_list(work, "Friends")
        for email, first, last in people:
            contacts.add_contact(work, list_id, email, first, last)
    return list_id


def _names(lines: list[contact_windows.ContactLine]) -> list[str]:
    return [f"{line.first_name} {line.last_name}" for line in lines]


class TestWindows:
    def test_windows_follow_each_other_in_name_order_without_gap_or_repeat(self, writer: Writer):
        list_id = _list(writer)
        with writer.store.session() as session:
            first = contact_windows.window(session, list_id, size=2)
            second = contact_windows.window(session, list_id, after=first[-1].key, size=2)
            third = contact_windows.window(session, list_id, after=second[-1].key, size=2)
        assert _names(first + second + third) == ["Anna Favre", "Noah Favre", "Léa Müller", "Zoé Perret",
                                                  "Hugo Rossi"]

    def test_every_contact_is_read_in_order_a_window_at_a_time(self, writer: Writer):
        list_id = _list(writer)
        with writer.store.session() as session:
            lines = list(contact_windows.each_contact(session, list_id, size=2))
        assert [line.email for line in lines][:2] == ["anna@example.ch", "noah@example.ch"] and len(lines) == 5

    def test_removed_contacts_are_neither_shown_nor_counted(self, writer: Writer):
        list_id = _list(writer)
        with writer.store.session() as session:
            noah = contact_windows.window(session, list_id, "noah")[0].id
        with writer.transaction() as work:
            contacts.remove_contacts(work, [noah])
        with writer.store.session() as session:
            assert "Noah Favre" not in _names(contact_windows.window(session, list_id))
            assert contact_windows.window(session, list_id, "noah") == []
            assert contacts.list_summaries(session)[0].contacts == 4


class TestSearch:
    def test_accents_and_case_are_ignored(self, writer: Writer):
        list_id = _list(writer)
        with writer.store.session() as session:
            assert _names(contact_windows.window(session, list_id, "MULLER")) == ["Léa Müller"]
            assert _names(contact_windows.window(session, list_id, "zoe")) == ["Zoé Perret"]
            assert _names(contact_windows.window(session, list_id, "léa mü")) == ["Léa Müller"]

    def test_email_parts_and_word_starts_are_found(self, writer: Writer):
        list_id = _list(writer)
        with writer.store.session() as session:
            assert _names(contact_windows.window(session, list_id, "rossi.ch")) == ["Hugo Rossi"]
            assert _names(contact_windows.window(session, list_id, "fav")) == ["Anna Favre", "Noah Favre"]

    def test_text_without_any_word_finds_nothing_and_quotes_cannot_break_the_query(self, writer: Writer):
        list_id = _list(writer)
        with writer.store.session() as session:
            assert contact_windows.window(session, list_id, "--- @@") == []
            assert _names(contact_windows.window(session, list_id, '"favre" OR')) == []
            assert _names(contact_windows.window(session, list_id, 'favre"')) == ["Anna Favre", "Noah Favre"]

    def test_an_edited_name_is_found_by_its_new_name_only(self, writer: Writer):
        list_id = _list(writer)
        with writer.store.session() as session:
            zoe = contact_windows.window(session, list_id, "zoe")[0]
        with writer.transaction() as work:
            contacts.edit_contact(work, zoe.id, zoe.email, "Zoé", "Brunner", {})
        with writer.store.session() as session:
            assert _names(contact_windows.window(session, list_id, "brunner")) == ["Zoé Brunner"]
            assert contact_windows.window(session, list_id, "perret") == []

    def test_a_search_pages_like_the_whole_list(self, writer: Writer):
        list_id = _list(writer)
        with writer.store.session() as session:
            first = contact_windows.window(session, list_id, "favre", size=1)
            rest = contact_windows.window(session, list_id, "favre", after=first[0].key, size=5)
        assert _names(first + rest) == ["Anna Favre", "Noah Favre"]
