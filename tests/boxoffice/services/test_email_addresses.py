"""The one e-mail syntax rule: what it accepts and refuses, and that its fast path never decides otherwise."""

from __future__ import annotations

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from boxoffice.services.email_addresses import PLAIN_ADDRESS, is_valid_email, valid_emails

ACCEPTED = [
    "lea.favre@example.ch", "user@example.xn--p1ai", "user@example.рф", "jürg@bücher.de",
    "o'brien+tickets@mail.example.ie", "Ann.Smith@Example.COM", "x@a-b.example.org",
]
REFUSED = [
    "a..b@x.ch", ".lea@example.ch", "lea.@example.ch", "lea favre@example.ch", "lea@example", "lea@@example.ch",
    "lea@-example.ch", "lea@example.ch.", "lea@example.123", "lea@printer.local", "guest@box.test", "",
    "lea.favre", "@example.ch", "lea@[192.168.1.1]", f"{'x' * 250}@example.ch", "lea@ab--cd.example.ch",
    "guest@box.TEST", "lea\n@example.ch",
]


@pytest.mark.parametrize("address", ACCEPTED)
def test_addresses_mail_can_reach_are_accepted(address: str) -> None:
    assert is_valid_email(address)


@pytest.mark.parametrize("address", REFUSED)
def test_addresses_that_cannot_be_mailed_are_refused(address: str) -> None:
    assert not is_valid_email(address)


def test_a_column_of_addresses_gets_the_verdicts_of_one_at_a_time() -> None:
    assert valid_emails(ACCEPTED + REFUSED) == [True] * len(ACCEPTED) + [False] * len(REFUSED)


@settings(max_examples=100, deadline=None)
@given(st.from_regex(PLAIN_ADDRESS, fullmatch=True))
def test_the_fast_path_only_accepts_what_email_validator_accepts(address: str) -> None:
    if is_valid_email(address):
        validate_email(address, check_deliverability=False)
    else:
        with pytest.raises(EmailNotValidError):
            validate_email(address, check_deliverability=False)
