"""Money typed as people write it and shown as their language writes it (boxoffice.money)."""

from __future__ import annotations

import pytest

from boxoffice import i18n
from boxoffice.money import MoneyError, format_amount, format_money, parse_money, plain_amount


class TestParseMoney:
    @pytest.mark.parametrize(("typed", "minor"), [
        ("25", 2500), ("25.50", 2550), ("25,50", 2550), ("CHF 25.–", 2500), ("25.-", 2500), ("25,–", 2500),
        ("Fr. 25", 2500), ("25 CHF", 2500), ("chf 12.5", 1250), ("1'250.50", 125050), ("1’250", 125000),
        ("1 250,50", 125050), ("1,250.50", 125050), ("1.250,50", 125050), ("0.05", 5), ("0", 0),
    ])
    def test_a_price_is_read_as_people_type_it(self, typed: str, minor: int) -> None:
        assert parse_money(typed, "CHF") == minor

    def test_the_euro_sign_and_a_currency_without_decimals_are_understood(self) -> None:
        assert parse_money("€ 12,90", "EUR") == 1290
        assert parse_money("1500", "JPY") == 1500

    @pytest.mark.parametrize(("typed", "says"), [
        ("", "Type an amount in CHF"),
        ("abc", "“abc” is not an amount in CHF: type digits"),
        ("-5", "“-5” is not an amount in CHF: an amount cannot be negative."),
        ("25.5050", "CHF has 2 decimals at most."),
        ("1,25,0", "the thousands are not grouped by three."),
        ("EUR 25", "“EUR 25” is not an amount in CHF"),
        ("1500.5", "JPY has 0 decimals at most."),
    ])
    def test_what_is_not_an_amount_is_refused_with_the_reason(self, typed: str, says: str) -> None:
        currency = "JPY" if typed == "1500.5" else "CHF"
        with pytest.raises(MoneyError) as refused:
            parse_money(typed, currency)
        assert says in str(refused.value)

    def test_what_is_shown_for_editing_is_read_back_unchanged(self) -> None:
        for language in ("en", "fr", "de", "it", "es"):
            assert parse_money(format_amount(125050, "CHF", language), "CHF", language) == 125050
            assert parse_money(format_money(2550, "CHF", language), "CHF", language) == 2550


class TestFormatMoney:
    def test_each_language_writes_francs_its_own_way(self) -> None:
        # Babel keeps the amount and its currency together with a no-break space.
        assert format_money(13550, "CHF", "en") == "CHF\xa0135.50"
        assert format_money(13550, "CHF", "fr") == "135,50\xa0CHF"
        assert format_money(2000, "EUR", "de") == "20,00\xa0€"

    def test_switching_the_interface_language_switches_how_money_is_written(self) -> None:
        try:
            i18n.set_language("en")
            assert format_money(13550, "CHF") == "CHF\xa0135.50"
            i18n.set_language("fr")
            assert format_money(13550, "CHF") == "135,50\xa0CHF"  # not the English one kept from before
        finally:
            i18n.set_language("en")

    def test_files_get_a_plain_number(self) -> None:
        assert plain_amount(-2550, "CHF") == "-25.50"
        assert plain_amount(1500, "JPY") == "1500"
