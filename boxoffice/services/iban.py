# SPDX-License-Identifier: AGPL-3.0-or-later
"""IBAN validation (ISO 13616) against the SWIFT registry in python-stdnum, with errors in plain words."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from boxoffice.i18n import N_, _

# python-stdnum is imported on the first IBAN checked, not with the pages (70 ms with its registry).
_PART = re.compile(r"(\d+)!([nac])")


class IbanError(ValueError):
    """An IBAN was refused. `msgid` and `params` let a web page say it in the holder's language."""

    def __init__(self, msgid: str, **params: Any) -> None:
        self.msgid, self.params = msgid, params
        super().__init__(self.message(_))

    def message(self, translate: Callable[[str], str]) -> str:
        return translate(self.msgid).format(**self.params)


EMPTY = N_("The IBAN is empty.")
BAD_CHARACTER = N_("The IBAN may contain only letters and digits: “{character}” is not allowed.")
NO_COUNTRY = N_("An IBAN starts with a two-letter country code, not “{start}”.")
UNKNOWN_COUNTRY = N_("“{country}” is not a country that uses IBANs.")
BAD_DIGITS = N_("The 3rd and 4th characters of an IBAN are check digits, not “{digits}”.")
WRONG_LENGTH = N_("An IBAN of {country} has {expected} characters; this one has {length}.")
WRONG_CHECKSUM = N_("The check digits of this IBAN do not match: a character is probably mistyped.")
DIGIT_EXPECTED = N_("Character {position} of an IBAN of {country} is a digit, not “{character}”.")
LETTER_EXPECTED = N_("Character {position} of an IBAN of {country} is a letter, not “{character}”.")
WRONG_NATIONAL_CHECKSUM = N_("The national check digits inside this IBAN of {country} do not match: a character "
                             "is probably mistyped.")


def normalize(text: str) -> str:
    """Upper case without the spaces (and dashes) people type or copy between groups."""
    return "".join(text.split()).replace("-", "").upper()


@cache
def _registry() -> Any:
    """The SWIFT IBAN registry as python-stdnum ships it: each country's BBAN structure, such as "5!n12!c"
    for Switzerland (5 digits, then 12 letters or digits)."""
    from stdnum import numdb

    return numdb.get("iban")


@cache
def bban_structure(country: str) -> tuple[tuple[int, str], ...] | None:
    """The country's BBAN as (count, kind) parts, kind n (digits), a (letters) or c (either); None if the
    country does not use IBANs."""
    found = _registry().info(country)[0][1]
    return tuple((int(count), kind) for count, kind in _PART.findall(found["bban"])) if found else None


def validate_iban(text: str) -> str:
    """The IBAN in its electronic form (no spaces, upper case), or IbanError naming what is wrong."""
    iban = normalize(text)
    if not iban:
        raise IbanError(EMPTY)
    bad = next((c for c in iban if not (c.isascii() and c.isalnum())), None)
    if bad is not None:
        raise IbanError(BAD_CHARACTER, character=bad)
    country = iban[:2]
    if len(country) < 2 or not country.isalpha():
        raise IbanError(NO_COUNTRY, start=iban[:2])
    structure = bban_structure(country)
    if structure is None:
        raise IbanError(UNKNOWN_COUNTRY, country=country)
    if not iban[2:4].isdigit():
        raise IbanError(BAD_DIGITS, digits=iban[2:4])
    expected = 4 + sum(count for count, _kind in structure)
    if len(iban) != expected:
        raise IbanError(WRONG_LENGTH, country=country, expected=expected, length=len(iban))
    _check_structure(iban, country, structure)
    # ISO 13616 check digits run from 02 to 98: 00, 01 and 99 can pass mod-97 but are never issued.
    from stdnum.iso7064 import mod_97_10

    if not mod_97_10.is_valid(iban[4:] + iban[:4]) or not 2 <= int(iban[2:4]) <= 98:
        raise IbanError(WRONG_CHECKSUM)
    _check_national_digits(iban, country)
    return iban


def _check_national_digits(iban: str, country: str) -> None:
    """The check digits some countries (BE, ES, ME, NO) put inside the BBAN. python-stdnum also refuses a
    Belgian bank missing from its list: not here, a new bank's IBAN is no typing mistake."""
    from stdnum.exceptions import InvalidChecksum, ValidationError
    from stdnum.util import get_cc_module

    national = get_cc_module(country.lower(), "iban")
    if national is None:
        return
    try:
        national.validate(iban)
    except InvalidChecksum:
        raise IbanError(WRONG_NATIONAL_CHECKSUM, country=country) from None
    except ValidationError:
        pass


def _check_structure(iban: str, country: str, structure: tuple[tuple[int, str], ...]) -> None:
    """Digits where the country's registry entry has digits, letters where it has letters."""
    position = 4
    for count, kind in structure:
        for character in iban[position:position + count]:
            position += 1
            if kind == "n" and not character.isdigit():
                raise IbanError(DIGIT_EXPECTED, position=position, country=country, character=character)
            if kind == "a" and not character.isalpha():
                raise IbanError(LETTER_EXPECTED, position=position, country=country, character=character)


def format_iban(iban: str) -> str:
    """Groups of four, as printed on statements: CH93 0076 2011 6238 5295 7."""
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))


def mask_iban(iban: str) -> str:
    """Country, check digits and the last four characters only: CH93 •••• •••• •••• •295 7."""
    if len(iban) <= 8:
        return iban
    hidden = iban[:4] + "•" * (len(iban) - 8) + iban[-4:]
    return format_iban(hidden)
