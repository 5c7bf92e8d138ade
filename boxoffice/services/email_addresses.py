"""E-mail address syntax: the one rule that forms, CSV imports and the server's pages check addresses with."""

from __future__ import annotations

import re

from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email

# The plainest addresses (ASCII dot-atom, letters-only top-level domain, no "--", within the lengths) are
# ones email-validator always accepts; they skip its Unicode checks (21 µs an address, 2 s for a
# 100,000-row import). tests/boxoffice/services/test_email_addresses.py holds that this stays a subset.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
PLAIN_ADDRESS = re.compile(rf"{_ATEXT}+(?:\.{_ATEXT}+)*@(?:{_LABEL}\.)+[A-Za-z]{{2,63}}")
_SPECIAL_USE = tuple(f".{name}" for name in SPECIAL_USE_DOMAIN_NAMES)
_MAX_LENGTH, _LOCAL_MAX_LENGTH = 254, 64


def _is_plain(address: str) -> bool:
    return (len(address) <= _MAX_LENGTH and "--" not in address and PLAIN_ADDRESS.fullmatch(address) is not None
            and address.index("@") <= _LOCAL_MAX_LENGTH and not address.lower().endswith(_SPECIAL_USE))


def is_valid_email(address: str) -> bool:
    """True when mail can be addressed to `address` (RFC 5321/5322 syntax, internationalised domains such
    as example.xn--p1ai or bücher.de, no reserved names like .local); nothing is looked up on the network."""
    if _is_plain(address):
        return True
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True
