"""The event overview's charts write their figures as the interface's language does, and name each rate in full."""

from __future__ import annotations

import pytest

from boxoffice import i18n
from boxoffice.money import format_money
from boxoffice.services.event_overview import RateSales
from boxoffice.ui.event_overview.chart import RateCharts, nice_steps
from tests.boxoffice.ui.conftest import screenshot

RATES = [RateSales("r1", "Plein tarif (adultes, sans réduction)", 1234, 5_553_000),
         RateSales("r2", "AVS / Étudiant", 56, 168_000), RateSales("r3", "Enfant", 0, 0)]


@pytest.fixture
def french():
    i18n.set_language("fr")
    yield
    i18n.set_language("en")


class TestRateCharts:
    def test_figures_and_steps_are_written_in_english_with_the_rates_named_in_full(self, qtbot):
        charts = RateCharts()
        qtbot.addWidget(charts)
        charts.show_rates(RATES, "CHF")
        assert charts.tickets.values() == [1234.0, 56.0, 0.0]
        assert charts.tickets.labels() == ["Plein tarif (adultes, sans réduction) · 1,234", "AVS / Étudiant · 56",
                                           "Enfant · 0", "0", "500", "1,000", "1,500"]
        # Money as the app writes it everywhere (Swiss francs in English: "CHF 55’530.00").
        assert charts.revenue.labels()[0] == f"Plein tarif (adultes, sans réduction) · {format_money(5_553_000, 'CHF')}"
        assert charts.revenue.labels()[3:] == ["CHF0", "CHF20K", "CHF40K", "CHF60K"]
        assert charts.revenue.chart().title() == "Revenue per rate (CHF)"

    def test_french_writes_its_own_digits_and_money(self, qtbot, french):
        charts = RateCharts()
        qtbot.addWidget(charts)
        charts.resize(1200, 400)
        charts.show_rates(RATES, "CHF")
        assert charts.tickets.labels()[0] == "Plein tarif (adultes, sans réduction) · 1\u202f234"
        french_money = format_money(5_553_000, "CHF", "fr")  # Swiss French: "55’530,00 CHF"
        assert charts.revenue.labels()[0] == f"Plein tarif (adultes, sans réduction) · {french_money}"
        assert french_money.endswith(",00\u00a0CHF") and french_money != format_money(5_553_000, "CHF", "en")
        assert charts.revenue.labels()[-1] == "60\u00a0k\u00a0CHF"
        assert charts.tickets.chart().title() == i18n._("Tickets sold per rate") != "Tickets sold per rate"
        charts.show()
        screenshot(charts, "rate-charts-fr")


class TestSteps:
    @pytest.mark.parametrize(("largest", "whole", "steps"), [
        (1234, True, [0, 500, 1000, 1500]), (3, True, [0, 1, 2, 3]), (0, True, [0, 1]),
        (55530, False, [0, 20000, 40000, 60000]), (0.3, False, [0, 0.1, 0.2, 0.3])])
    def test_the_value_axis_goes_by_round_steps_past_the_largest_bar(self, largest, whole, steps):
        assert nice_steps(largest, whole) == pytest.approx(steps)
