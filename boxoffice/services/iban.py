# SPDX-License-Identifier: AGPL-3.0-or-later
"""IBAN validation (ISO 13616): country, length per country, mod-97 check digits, with errors in plain words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from boxoffice.i18n import N_, _

# Lengths from the SWIFT IBAN registry (release 2024): every SEPA country and the usual others.
LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29,
    "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24,
    "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21,
    "HU": 28, "IE": 22, "IL": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32,
    "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31,
    "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22,
    "SA": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24,
    "XK": 20,
}


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


def normalize(text: str) -> str:
    """Upper case without the spaces (and dashes) people type or copy between groups."""
    return "".join(text.split()).replace("-", "").upper()


def mod97(iban: str) -> int:
    """ISO 7064 MOD 97-10 of an IBAN: the first four characters moved to the end, letters as 10..35."""
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97


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
    if country not in LENGTHS:
        raise IbanError(UNKNOWN_COUNTRY, country=country)
    if not iban[2:4].isdigit():
        raise IbanError(BAD_DIGITS, digits=iban[2:4])
    if len(iban) != LENGTHS[country]:
        raise IbanError(WRONG_LENGTH, country=country, expected=LENGTHS[country], length=len(iban))
    # ISO 13616 check digits run from 02 to 98: 00, 01 and 99 can pass mod-97 but are never issued.
    if mod97(iban) != 1 or not 2 <= int(iban[2:4]) <= 98:
        raise IbanError(WRONG_CHECKSUM)
    return iban


def format_iban(iban: str) -> str:
    """Groups of four, as printed on statements: CH93 0076 2011 6238 5295 7."""
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))


def mask_iban(iban: str) -> str:
    """Country, check digits and the last four characters only: CH93 •••• •••• •••• •295 7."""
    if len(iban) <= 8:
        return iban
    hidden = iban[:4] + "•" * (len(iban) - 8) + iban[-4:]
    return format_iban(hidden)
