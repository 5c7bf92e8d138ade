"""The look and the icons in light and dark, as a user sees them: painted offscreen, read back pixel by pixel."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QImage
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from boxoffice.services.door import Verdict
from boxoffice.ui import icons, theme
from boxoffice.ui.door.scan_view import GREEN, VerdictPanel


@pytest.fixture
def look(qapp) -> Iterator[theme.Theme]:
    look = theme.install()
    yield look
    look.set_preference("system")


def _page(qtbot, *labels: QLabel) -> QWidget:
    page = QWidget()
    column = QVBoxLayout(page)
    for label in labels:
        column.addWidget(label)
    qtbot.addWidget(page)
    page.resize(400, 200)
    page.show()
    return page


def _lightest(image: QImage) -> int:
    return max(image.pixelColor(x, y).lightness() for x in range(0, image.width(), 2)
               for y in range(0, image.height(), 2))


def _contrast(a: QColor, b: QColor) -> float:
    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


class TestSchemes:
    def test_in_dark_the_page_is_dark_and_its_text_light(self, qtbot, look):
        label = QLabel("Desk")
        page = _page(qtbot, label)
        look.set_preference("dark")
        qtbot.wait(1)  # the palette reaches the widgets through the event loop
        image = page.grab().toImage()
        assert image.pixelColor(2, 2).lightness() < 60
        assert _lightest(label.grab().toImage()) > 200
        assert _contrast(label.palette().windowText().color(), label.palette().window().color()) > 7

    def test_in_light_the_page_is_light_and_its_text_dark(self, qtbot, look):
        label = QLabel("Desk")
        page = _page(qtbot, label)
        look.set_preference("light")
        qtbot.wait(1)
        assert page.grab().toImage().pixelColor(2, 2).lightness() > 220
        assert _contrast(label.palette().windowText().color(), label.palette().window().color()) > 7

    def test_a_heading_styled_before_the_switch_turns_light_with_the_dark_scheme(self, qtbot, look):
        look.set_preference("light")
        heading = QLabel("Entrée nord · Le Misanthrope")
        heading.setStyleSheet("font-size: 13pt; font-weight: 600")
        page = _page(qtbot, heading)
        look.set_preference("dark")
        qtbot.wait(1)
        assert _lightest(heading.grab().toImage()) > 200
        assert page.isVisible()

    def test_with_nothing_forced_the_scheme_is_the_systems(self, look):
        look.set_preference("dark")
        look.set_preference("system")
        dark = QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
        assert look.scheme == ("dark" if dark else "light")

    def test_a_muted_purpose_line_is_dimmer_than_body_text_but_still_readable(self, qtbot, look):
        for scheme in ("light", "dark"):
            look.set_preference(scheme)
            purpose = QLabel("Sell tickets at the desk")
            theme.set_role(purpose, theme.PURPOSE)
            palette = purpose.palette()
            muted = palette.color(purpose.foregroundRole())
            assert muted != palette.windowText().color(), scheme
            assert _contrast(muted, palette.window().color()) >= 4.5, scheme

    def test_the_title_is_larger_than_a_section_heading_and_body_text(self, qtbot, look):
        title, section, body = QLabel("Desk"), QLabel("Orders"), QLabel("2 tickets")
        theme.set_role(title, theme.TITLE)
        theme.set_role(section, theme.SECTION)
        page = _page(qtbot, title, section, body)
        assert page.isVisible()
        assert title.font().pointSizeF() > section.font().pointSizeF() > body.font().pointSizeF()


class TestStatusText:
    def test_an_error_stays_readable_on_the_page_in_both_schemes(self, look):
        for scheme in ("light", "dark"):
            look.set_preference(scheme)
            window = theme.palette(scheme).window().color()
            for kind in ("error", "ok", "warning", "neutral"):
                assert _contrast(QColor(theme.status_colour(kind)), window) >= 4.5, (scheme, kind)

    def test_an_error_shown_in_light_turns_to_the_dark_red_of_dark_when_the_scheme_switches(self, qtbot, look):
        look.set_preference("light")
        problem = QLabel("Refused: the date is sold out")
        problem.setStyleSheet(f"color: {theme.status_colour('error')}; font-weight: bold;")
        page = _page(qtbot, problem)
        look.set_preference("dark")
        qtbot.wait(1)
        assert theme.STATUS["dark"]["error"] in problem.styleSheet() and page.isVisible()
        reddest = max((problem.grab().toImage().pixelColor(x, y) for x in range(0, problem.width(), 2)
                       for y in range(problem.height())), key=lambda c: c.red() - c.green())
        assert reddest.lightness() > 140  # a light red on the dark page, not the light scheme's dark red


class TestDoorVerdict:
    def test_an_admission_stays_white_on_green_in_dark(self, qtbot, look):
        look.set_preference("dark")
        panel = VerdictPanel()
        qtbot.addWidget(panel)
        panel.resize(800, 500)
        panel.show()
        panel.show_verdict(Verdict(code="X", verdict="admitted", reason="ok", message="Welcome!",
                                   scanned_at=datetime.now(UTC), door="North", scan_id="1"), number=1)
        image = panel.grab().toImage()
        assert image.pixelColor(400, 60).name() == GREEN
        assert _lightest(panel.title.grab().toImage()) > 240
        # 54 pt is "large text", for which WCAG AA asks 3:1; the door's green gives 4.4:1 whatever the scheme.
        assert _contrast(QColor(GREEN), QColor("white")) >= 4.0


def _stroke(picture: QImage) -> QColor:
    """The colour of an icon's lines: its most opaque pixel."""
    pixels = [picture.pixelColor(x, y) for x in range(picture.width()) for y in range(picture.height())]
    return max(pixels, key=lambda c: c.alpha())


class TestIcons:
    def test_every_bundled_icon_draws_in_the_text_colour_of_each_scheme(self, look):
        assert {"contacts", "desk", "door", "events", "settings", "welcome"} <= set(icons.names())
        for scheme, light_lines in (("light", False), ("dark", True)):
            look.set_preference(scheme)
            for name in icons.names():
                picture = icons.icon(name).pixmap(24, 24).toImage()
                assert (_stroke(picture).lightness() > 200) is light_lines, (scheme, name)

    def test_a_disabled_action_has_a_dimmer_icon(self, look):
        look.set_preference("light")
        normal = _stroke(icons.icon("print").pixmap(24, 24).toImage())
        disabled = _stroke(icons.icon("print").pixmap(QSize(24, 24), QIcon.Mode.Disabled).toImage())
        assert disabled.lightness() > normal.lightness() + 60
