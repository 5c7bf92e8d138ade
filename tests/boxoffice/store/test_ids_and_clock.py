"""UUIDv7 ids, ticket secrets and the hybrid logical clock."""

from __future__ import annotations

import uuid

from boxoffice.store import ids
from boxoffice.store.hlc import HybridClock, Timestamp
from boxoffice.store.ids import new_secret, timestamp_ms, uuid7, uuid7_batch


class TestIds:
    def test_ids_are_version_7_and_sort_in_creation_order(self):
        ids = [uuid7() for _ in range(2000)]
        assert ids == sorted(ids) and len(set(ids)) == 2000
        assert {uuid.UUID(i).version for i in ids} == {7}

    def test_a_batch_is_ordered_unique_and_after_earlier_ids(self):
        before = uuid7()
        batch = uuid7_batch(10_000)
        assert batch == sorted(batch) and len(set(batch)) == 10_000 and batch[0] > before
        assert abs(timestamp_ms(batch[0]) - timestamp_ms(before)) < 1000

    def test_a_batch_whose_counter_crosses_into_the_fourth_group_stays_ordered_and_valid(self, monkeypatch):
        # Random bits whose last 48 end 3 below a carry: the batch runs over into the group before.
        monkeypatch.setattr(ids.os, "urandom", lambda n: ((1 << 48) - 3).to_bytes(8)[-n:])
        batch = uuid7_batch(6)
        assert batch == sorted(batch) and len(set(batch)) == 6
        assert [b[19:] for b in batch] == ["8000-fffffffffffd", "8000-fffffffffffe", "8000-ffffffffffff",
                                           "8001-000000000000", "8001-000000000001", "8001-000000000002"]
        assert {(uuid.UUID(b).version, uuid.UUID(b).variant) for b in batch} == {(7, uuid.RFC_4122)}

    def test_ticket_secrets_carry_at_least_128_bits_without_ambiguous_letters(self):
        secrets = {new_secret() for _ in range(1000)}
        assert len(secrets) == 1000
        assert all(len(s) * 5 >= 128 and not set(s) & set("ILOU") for s in secrets)


class TestHybridClock:
    def test_stamps_grow_even_when_the_wall_clock_stands_still_or_goes_back(self):
        wall = iter([1000, 1000, 900, 1001]).__next__
        clock = HybridClock("A", wall=wall)
        stamps = [clock.now() for _ in range(4)]
        assert stamps == sorted(stamps) and len(set(stamps)) == 4

    def test_a_stamp_seen_from_a_device_ahead_in_time_orders_later_local_changes_after_it(self):
        clock = HybridClock("A", wall=lambda: 1000)
        remote = Timestamp(5000, 3, "B")
        clock.observe(remote)
        assert clock.now() > remote

    def test_text_form_sorts_like_the_timestamps(self):
        a, b = Timestamp(999, 12, "A"), Timestamp(1000, 0, "A")
        assert str(a) < str(b) and Timestamp.parse(str(b)) == b
