"""Pulled rows come from the server's cache of row texts, never stale, within its size."""

from __future__ import annotations

from boxoffice.model.contacts import Contact
from boxoffice.services import contacts
from sync.server.fragments import Fragments


class TestFragments:
    def test_the_oldest_texts_go_first_once_the_cache_is_full(self):
        cache = Fragments(max_bytes=3 * (100 + 200))
        cache.keep({("checkins", str(n), n): b"x" * 100 for n in range(5)})
        assert len(cache) == 3
        assert set(cache.found([("checkins", str(n), n) for n in range(5)])) == {
            ("checkins", "2", 2), ("checkins", "3", 3), ("checkins", "4", 4)}

    def test_a_row_edited_after_it_was_pulled_arrives_with_its_new_values(self, make_device):
        laptop, laptop_client = make_device("laptop")
        other, other_client = make_device("other laptop")
        with laptop.transaction() as work:
            friends = contacts.create_list(work, "Friends")
            anna = contacts.add_contact(work, friends, "anna@example.org", "Anna", "Favre")
        laptop_client.sync_once()
        other_client.sync_once()
        laptop_client.sync_once()  # a second pull of the same rows: served from the cache
        with laptop.transaction() as work:
            contacts.edit_contact(work, anna, "anna@example.org", "Annabelle", "Favre", {})
        laptop_client.sync_once()
        other_client.sync_once()
        with other.store.session() as session:
            assert session.get(Contact, anna).first_name == "Annabelle"
