"""Merging two lists: preview of added, duplicates and conflicts; then the other list is archived."""

from __future__ import annotations

from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import contacts, list_merge


def _lists(writer: Writer) -> tuple[str, str]:
    with writer.transaction() as work:
        keep = contacts.create_list(work, "Friends")
        other = contacts.create_list(work, "Gala 2025")
        contacts.add_contact(work, keep, "ann@example.ch", "Ann", "Favre", {"City": "Sion"})
        contacts.add_contact(work, keep, "bob@example.ch", "", "Meier")
        contacts.add_contact(work, other, "ANN@example.ch", "Anne", "Favre", {"City": "Sion"})
        contacts.add_contact(work, other, "bob@example.ch", "Bob", "Meier")
        contacts.add_contact(work, other, "cleo@example.ch", "Cléo", "Huber", {"Table": "4"})
    return keep, other


class TestMergePreview:
    def test_preview_shows_added_duplicates_and_conflicting_fields_without_writing(self, writer: Writer):
        keep, other = _lists(writer)
        with writer.store.session() as session:
            preview = list_merge.preview_merge(session, keep, other)
            report = preview.report()
            assert report["added"] == ["cleo@example.ch"]
            assert sorted(report["duplicates"]) == ["ann@example.ch", "bob@example.ch"]
            assert report["conflicts"] == [{"email": "ann@example.ch", "field": "first_name",
                                            "kept": "Ann", "other": "Anne"}]
            assert len(contacts.contacts_of(session, keep)) == 2

    def test_merge_adds_new_contacts_fills_blanks_keeps_conflicting_values_and_archives(self, writer: Writer):
        keep, other = _lists(writer)
        with writer.transaction() as work:
            list_merge.merge_lists(work, keep, other)
        with writer.store.session() as session:
            merged = {c.email.lower(): c for c in contacts.contacts_of(session, keep)}
            assert sorted(merged) == ["ann@example.ch", "bob@example.ch", "cleo@example.ch"]
            assert merged["ann@example.ch"].first_name == "Ann"
            assert merged["bob@example.ch"].first_name == "Bob"
            assert merged["cleo@example.ch"].fields == {"Table": "4"}
            assert "Table" in contacts.get_list(session, keep).custom_fields
            archived = {s.name: s.archived for s in contacts.list_summaries(session)}
            assert archived == {"Friends": False, "Gala 2025": True}
