# SPDX-License-Identifier: AGPL-3.0-or-later
"""Signed ticket codes: round trip, forgery, revocation, validity window, damaged text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from boxoffice.services import ticket_codes
from boxoffice.services.ticket_codes import SignedTicket, TicketCodeError
from boxoffice.store.ids import new_secret, uuid7

NOW = datetime(2026, 12, 1, 19, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def keys() -> tuple[str, str]:
    return ticket_codes.new_signing_key()


def ticket(**window: datetime) -> SignedTicket:
    return SignedTicket(uuid7(), uuid7(), uuid7(), **window)


class TestSignedCodes:
    def test_a_signed_code_verifies_and_gives_back_the_ticket(self, keys):
        claimed = ticket(valid_from=NOW - timedelta(hours=2), valid_until=NOW + timedelta(hours=4))
        code = ticket_codes.sign_ticket(keys[0], claimed)
        assert len(code) == ticket_codes.CODE_LENGTH and ticket_codes.looks_signed(code)
        assert ticket_codes.verify_ticket_code(code, [keys[1]], now=NOW) == claimed

    def test_a_plain_secret_never_looks_signed(self):
        assert not ticket_codes.looks_signed(new_secret())

    def test_a_code_without_zone_or_window_round_trips(self, keys):
        claimed = SignedTicket(uuid7(), uuid7())
        assert ticket_codes.verify_ticket_code(ticket_codes.sign_ticket(keys[0], claimed), [keys[1]]) == claimed

    def test_any_of_the_event_keys_verifies_after_a_key_rotation(self, keys):
        old_private, old_public = ticket_codes.new_signing_key()
        code = ticket_codes.sign_ticket(old_private, ticket())
        assert ticket_codes.verify_ticket_code(code, [keys[1], old_public]).ticket_id

    def test_a_code_signed_by_another_key_is_forged(self, keys):
        code = ticket_codes.sign_ticket(ticket_codes.new_signing_key()[0], ticket())
        with pytest.raises(TicketCodeError, match="Forged or altered code") as refused:
            ticket_codes.verify_ticket_code(code, [keys[1]])
        assert refused.value.reason == "signature_invalid"

    def test_a_changed_payload_breaks_the_signature(self, keys):
        code = ticket_codes.sign_ticket(keys[0], ticket())
        altered = code[:10] + ("A" if code[10] != "A" else "B") + code[11:]
        with pytest.raises(TicketCodeError) as refused:
            ticket_codes.verify_ticket_code(altered, [keys[1]])
        assert refused.value.reason == "signature_invalid"

    def test_a_revoked_ticket_is_refused(self, keys):
        claimed = ticket()
        code = ticket_codes.sign_ticket(keys[0], claimed)
        with pytest.raises(TicketCodeError, match="cancelled or replaced") as refused:
            ticket_codes.verify_ticket_code(code, [keys[1]], revoked={claimed.ticket_id})
        assert refused.value.reason == "revoked"

    def test_an_expired_code_is_refused_and_an_early_one_too(self, keys):
        code = ticket_codes.sign_ticket(keys[0], ticket(valid_from=NOW, valid_until=NOW + timedelta(hours=1)))
        for now, reason in ((NOW + timedelta(hours=2), "expired"), (NOW - timedelta(hours=1), "not_yet_valid")):
            with pytest.raises(TicketCodeError) as refused:
                ticket_codes.verify_ticket_code(code, [keys[1]], now=now)
            assert refused.value.reason == reason

    @pytest.mark.parametrize("text", ["", "A" * ticket_codes.CODE_LENGTH, "!" * ticket_codes.CODE_LENGTH])
    def test_damaged_text_is_malformed(self, text, keys):
        with pytest.raises(TicketCodeError) as refused:
            ticket_codes.verify_ticket_code(text, [keys[1]])
        assert refused.value.reason == "malformed"

    def test_a_broken_public_key_in_synced_data_does_not_verify_anything(self, keys):
        code = ticket_codes.sign_ticket(keys[0], ticket())
        with pytest.raises(TicketCodeError):
            ticket_codes.verify_ticket_code(code, ["not-a-key"])
