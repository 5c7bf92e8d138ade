"""Money as people type it and read it: one parser and one formatter, both through Babel.

Amounts are stored as integers in the currency's minor unit (cents, rappen). `parse_money`
reads what a box office types ("25", "25.50", "25,50", "CHF 25.–", "1'250.50", "€ 12")
and refuses anything else with a message that says what was typed and what is expected.
`format_money` shows an amount the way the interface's language writes it in the venue's
country (fr: "25,00 CHF", de: "CHF 25.00").
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, format_decimal, get_currency_precision, get_currency_symbol

from boxoffice.i18n import _, current_language, ngettext

# The country whose way of writing money a currency implies (the language comes from the interface).
_EURO_COUNTRIES = {"fr": "FR", "de": "DE", "it": "IT", "es": "ES", "en": "IE"}
_COUNTRY = {"CHF": "CH", "GBP": "GB", "USD": "US", "CAD": "CA", "JPY": "JP"}
# Spellings of a currency people type besides its code and its symbol.
_ALIASES = {"CHF": ("Fr.", "SFr.", "fr."), "EUR": ("€",), "USD": ("$", "US$"), "GBP": ("£",)}
# "25.–", "25,-": the Swiss way of writing a round amount.
_ROUND = re.compile(r"[.,]\s*[-–—]+$")
_GROUPING = str.maketrans("", "", " \u00a0\u202f'’")


class MoneyError(ValueError):
    """What was typed is not an amount of the currency; the message says what was typed and why."""


def money_locale(currency: str, language: str | None = None) -> Locale:
    """The Babel locale that writes `currency` in `language` (the interface's by default, as it is now:
    a live switch of language changes how money is written)."""
    return _locale_for(currency, language or current_language())


@lru_cache(maxsize=64)
def _locale_for(currency: str, language: str) -> Locale:
    country = _EURO_COUNTRIES.get(language) if currency == "EUR" else _COUNTRY.get(currency)
    for tag in ([f"{language}_{country}"] if country else []) + [language, "en"]:
        try:
            return Locale.parse(tag)
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse("en")


def digits(currency: str) -> int:
    """How many decimals the currency has (2 for CHF and EUR, 0 for JPY)."""
    return int(get_currency_precision(currency.upper()))


def _amount(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-digits(currency))


def format_money(minor: int, currency: str, language: str | None = None) -> str:
    """`2550, "CHF"` → "CHF 25.50" in English, "25,50 CHF" in French."""
    currency = currency.upper()
    return str(format_currency(_amount(minor, currency), currency, locale=money_locale(currency, language)))


def format_amount(minor: int, currency: str, language: str | None = None) -> str:
    """The number alone, as it is typed back into a field: "25.50" ("25,50" in French)."""
    currency = currency.upper()
    places = digits(currency)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return str(format_decimal(_amount(minor, currency), format=pattern, locale=money_locale(currency, language)))


def plain_amount(minor: int, currency: str) -> str:
    """A machine-readable amount for files (CSV): "-25.50", never grouped, a dot for decimals."""
    return f"{_amount(minor, currency.upper()):.{digits(currency)}f}"


def _strip_currency(text: str, currency: str, language: str | None) -> str:
    names = {currency, currency.lower(), *_ALIASES.get(currency, ())}
    names.add(str(get_currency_symbol(currency, locale=money_locale(currency, language))))
    for name in sorted(names, key=len, reverse=True):
        if text.startswith(name):
            return text[len(name):].strip()
        if text.endswith(name):
            return text[: -len(name)].strip()
    return text


def _refuse(typed: str, currency: str, why: str) -> MoneyError:
    return MoneyError(_("“{typed}” is not an amount in {currency}: {why}").format(
        typed=typed, currency=currency, why=why))


def _split(number: str, places: int, typed: str, currency: str) -> tuple[str, str]:
    """Whole and decimal parts: the last of '.' or ',' is the decimal mark unless it groups thousands."""
    marks = [i for i, ch in enumerate(number) if ch in ".,"]
    if not marks:
        return number, ""
    last = marks[-1]
    tail = number[last + 1:]
    kinds = {number[i] for i in marks}
    if len(kinds) == 2:
        is_decimal = number.count(number[last]) == 1
    else:
        is_decimal = len(marks) == 1 and (len(tail) != 3 or places >= 3)
    whole, fraction = (number[:last], tail) if is_decimal else (number, "")
    groups = re.split(r"[.,]", whole)
    if len(groups) > 1 and (not groups[0] or any(len(g) != 3 for g in groups[1:])):
        raise _refuse(typed, currency, _("the thousands are not grouped by three."))
    if is_decimal and len(fraction) > places:
        raise _refuse(typed, currency, ngettext("{currency} has {n} decimal at most.",
                                                "{currency} has {n} decimals at most.", places).format(
            currency=currency, n=places))
    return "".join(groups), fraction


def parse_money(text: str, currency: str, language: str | None = None) -> int:
    """What a person typed, in the currency's minor unit: "25,50" → 2550. Refusals say why."""
    currency = currency.upper()
    typed = (text or "").strip()
    if not typed:
        raise MoneyError(_("Type an amount in {currency}, e.g. 25 or 25.50.").format(currency=currency))
    number = _strip_currency(typed, currency, language)
    number = _ROUND.sub("", number).translate(_GROUPING)
    if number.startswith("-") or number.startswith("−"):
        raise _refuse(typed, currency, _("an amount cannot be negative."))
    if not number or not re.fullmatch(r"[0-9.,]+", number) or not number[0].isdigit():
        raise _refuse(typed, currency, _("type digits, e.g. 25 or 25.50."))
    places = digits(currency)
    whole, fraction = _split(number, places, typed, currency)
    if len(whole) > 12:
        raise _refuse(typed, currency, _("this amount is too large."))
    return int(whole) * 10**places + int((fraction or "0").ljust(places, "0") or "0")
