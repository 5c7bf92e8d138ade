"""UUIDv7 ids, ticket secrets and the hybrid logical clock."""

from __future__ import annotations

import uuid

import pytest

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

    def test_stamps_past_counter_99999_sort_by_carrying_into_the_next_millisecond(self):
        clock = HybridClock("A", Timestamp(1000, 99_998, "A"), wall=lambda: 1000)
        stamps = [clock.now() for _ in range(3)]
        texts = [str(stamp) for stamp in stamps]
        assert stamps == [Timestamp(1000, 99_999, "A"), Timestamp(1001, 0, "A"), Timestamp(1001, 1, "A")]
        assert texts == sorted(texts) and len(set(texts)) == 3
        assert [Timestamp.parse(text) for text in texts] == stamps

    def test_a_remote_stamp_at_the_last_counter_orders_later_local_stamps_after_it(self):
        clock = HybridClock("A", wall=lambda: 1000)
        remote = Timestamp(5000, 99_999, "B")
        clock.observe(remote)
        later = clock.now()
        assert later > remote and str(later) > str(remote) and later.counter <= 99_999

    def test_the_successor_of_the_last_counter_carries_into_the_next_millisecond(self):
        last = Timestamp(1000, 99_999, "A")
        assert last.successor("server") == Timestamp(1001, 0, "server")
        assert str(last) < str(last.successor())

    def test_a_counter_that_would_not_fit_its_five_digits_is_refused(self):
        with pytest.raises(ValueError, match="counter out of range"):
            Timestamp(1000, 100_000, "A")

    @pytest.mark.parametrize("text", [
        "000000000001000-00001",  # no node part
        "\u0661\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0660-00001-A",
        "00000000000100\u0660-00001-A",  # one Arabic-Indic digit
        " 00000000001000-00001-A",
        "+00000000001000-00001-A",
        "0000000000_1000-00001-A",
        "000000000001000-0_001-A",
        "1000-1-A",  # not the fixed width
    ])
    def test_only_fixed_width_ascii_digits_are_read_as_a_stamp(self, text):
        with pytest.raises(ValueError, match="not a hybrid logical clock timestamp"):
            Timestamp.parse(text)
