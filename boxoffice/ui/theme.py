"""The look: a light and a dark palette, a type scale and spacing, the OS light/dark scheme followed.

One module so every page reads the same: pages never pick colours or font sizes, they give a label a role
(`set_role(label, TITLE)`) and the theme sizes it. There is no application-wide style sheet on purpose: with
one, Qt matches selectors for every widget it creates, which made the pages three times slower to build
(the screenshots of one language took 28 s of CPU instead of 8 s). The scheme follows the OS (light or dark,
changed live through `colorSchemeChanged`) unless a preference forces one. The door's verdict colours are
not here: a green, red or amber panel with white text reads the same in both schemes (door/scan_view.py).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QPushButton, QStyleFactory, QWidget

Scheme = Literal["light", "dark"]
Preference = Literal["system", "light", "dark"]
PREFERENCES: tuple[Preference, ...] = ("system", "light", "dark")

# The type scale, as roles a label takes: the page's title, a section's heading, body text, small print.
TITLE, PURPOSE, SECTION, SMALL = "title", "purpose", "section", "small"
# Spacing, in px: between the parts of a page, and a page's margins.
SPACING, MARGIN = 8, 12


@dataclass(frozen=True)
class Colours:
    window: str
    panel: str  # the page list beside the pages
    base: str
    alternate: str
    text: str
    muted: str  # a page's purpose line, small print, placeholders
    button: str
    border: str
    accent: str
    accent_text: str
    link: str
    disabled: str
    notice: str  # a banner that says what to do next (nothing on sale yet…), and its edge
    notice_border: str


LIGHT = Colours(window="#f6f7f9", panel="#eceef2", base="#ffffff", alternate="#f3f5f8", text="#1c2230",
                muted="#5b6474", button="#ffffff", border="#cdd2da", accent="#2c64b0", accent_text="#ffffff",
                link="#1f5aa6", disabled="#9aa1ac", notice="#fff8e1", notice_border="#e0c060")
DARK = Colours(window="#1e2126", panel="#181a1e", base="#262a31", alternate="#2b3038", text="#e7e9ec",
               muted="#a3aab5", button="#30353d", border="#3d434c", accent="#4f8fdc", accent_text="#0d1117",
               link="#7fb2ee", disabled="#6b727c", notice="#3a3322", notice_border="#806a2c")


# Text that says how something went (a refusal, a saved sale, a count that matches), per scheme: the light
# scheme's dark red and green are unreadable on a dark page (2.6:1), so dark has lighter ones (over 7:1).
STATUS: dict[Scheme, dict[str, str]] = {
    "light": {"error": "#b00020", "ok": "#1b5e20", "warning": "#995200", "neutral": "#37474f"},
    "dark": {"error": "#ff8a80", "ok": "#81c784", "warning": "#ffb74d", "neutral": "#b0bec5"},
}


def status_colour(kind: str) -> str:
    """The text colour for `kind` ("error", "ok", "warning", "neutral") in the current scheme."""
    return STATUS[current_scheme()][kind]


def colours(scheme: Scheme) -> Colours:
    return DARK if scheme == "dark" else LIGHT


def palette(scheme: Scheme) -> QPalette:
    c = colours(scheme)
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: c.window, QPalette.ColorRole.WindowText: c.text,
        QPalette.ColorRole.Base: c.base, QPalette.ColorRole.AlternateBase: c.alternate,
        QPalette.ColorRole.Text: c.text, QPalette.ColorRole.PlaceholderText: c.muted,
        QPalette.ColorRole.Button: c.button, QPalette.ColorRole.ButtonText: c.text,
        QPalette.ColorRole.ToolTipBase: c.base, QPalette.ColorRole.ToolTipText: c.text,
        QPalette.ColorRole.Highlight: c.accent, QPalette.ColorRole.HighlightedText: c.accent_text,
        QPalette.ColorRole.Link: c.link, QPalette.ColorRole.LinkVisited: c.link,
        QPalette.ColorRole.BrightText: "#ffffff",
    }
    for role, colour in roles.items():
        p.setColor(role, QColor(colour))
    # Fusion draws bevels and frames from these; derived from the button colour so edges stay soft.
    button = QColor(c.button)
    p.setColor(QPalette.ColorRole.Light, button.lighter(125))
    p.setColor(QPalette.ColorRole.Midlight, button.lighter(110))
    p.setColor(QPalette.ColorRole.Mid, QColor(c.border))
    p.setColor(QPalette.ColorRole.Dark, QColor(c.border).darker(130))
    p.setColor(QPalette.ColorRole.Shadow, QColor("#000000"))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(c.disabled))
    return p


FACTORS = {TITLE: (1.75, QFont.Weight.DemiBold), SECTION: (1.3, QFont.Weight.DemiBold),
           PURPOSE: (1.0, QFont.Weight.Normal), SMALL: (0.9, QFont.Weight.Normal)}


def set_role(widget: QWidget, role: str) -> None:
    """Give `widget` a place in the type scale (TITLE, SECTION, PURPOSE, SMALL).

    Sizes are steps of the application's body size, so a larger system font scales them all. Muted text
    (a purpose line, small print) paints in the palette's placeholder colour, which each scheme sets: the
    label follows a switch of scheme without being told.
    """
    factor, weight = FACTORS[role]
    font = QFont(widget.font())
    font.setPointSizeF(round(_body_pt() * factor, 1))
    font.setWeight(weight)
    widget.setFont(font)
    widget.setProperty("role", role)
    if role in (PURPOSE, SMALL):
        widget.setForegroundRole(QPalette.ColorRole.PlaceholderText)


def role_point_size(role: str) -> float:
    return round(_body_pt() * FACTORS[role][0], 1)


def _body_pt() -> float:
    size = QApplication.font().pointSizeF()
    return size if size > 0 else 10.0


def on_change(widget: QWidget, restyle: Callable[[Colours], None]) -> None:
    """Call `restyle(colours)` now and after every switch of scheme, as long as `widget` lives.

    For the few widgets whose look is a local style sheet (the page list, the main action's filled button):
    an application-wide style sheet would make every widget of every page slower to create.
    """
    _restylers.append((weakref.ref(widget), restyle))
    restyle(colours(current_scheme()))


def set_primary(button: QPushButton, extra: str = "") -> None:
    """Mark the page's main action: the one filled button on it, in the accent colour (`extra`: more CSS)."""
    button.setProperty("primary", True)

    def restyle(c: Colours) -> None:
        hover = QColor(c.accent).lighter(110).name()
        button.setStyleSheet(
            f"QPushButton {{ background: {c.accent}; color: {c.accent_text}; border: 1px solid {c.accent};"
            f" border-radius: 4px; padding: 5px 14px; font-weight: 600; {extra} }}"
            f" QPushButton:hover {{ background: {hover}; }}"
            f" QPushButton:disabled {{ background: {c.border}; border-color: {c.border}; color: {c.disabled}; }}")

    on_change(button, restyle)


_restylers: list[tuple[weakref.ref[QWidget], Callable[[Colours], None]]] = []


def _restyle_all(scheme: Scheme) -> None:
    alive = [(ref, fn) for ref, fn in _restylers if (w := ref()) is not None and shiboken6.isValid(w)]
    _restylers[:] = alive
    for _ref, fn in alive:
        fn(colours(scheme))


def _reresolve_style_sheets(app: QApplication, before: Scheme, after: Scheme) -> None:
    # A widget with its own style sheet (a heading's font size) keeps the text colour it was polished with;
    # setting the sheet again makes it take the new palette, or its text stays dark on a dark page. A status
    # colour in it (status_colour) becomes the new scheme's.
    swaps = [(STATUS[before][kind], STATUS[after][kind]) for kind in STATUS[before]] if before != after else []
    for top in app.topLevelWidgets():
        for widget in (top, *top.findChildren(QWidget)):
            sheet = widget.styleSheet()
            if sheet:
                for old, new in swaps:
                    sheet = sheet.replace(old, new)
                widget.setStyleSheet(sheet)


def current_scheme() -> Scheme:
    return _theme.scheme if _theme is not None and shiboken6.isValid(_theme) else "light"


class Theme(QObject):
    """The application's look; `changed(scheme)` after every switch (icons repaint in the new text colour)."""

    changed = Signal(str)

    def __init__(self, app: QApplication, preference: Preference = "system") -> None:
        super().__init__(app)
        self._app = app
        self.preference: Preference = preference
        self.scheme: Scheme = "light"
        app.setStyle(QStyleFactory.create("Fusion"))  # the same widgets on every OS; it honours the palette
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._follow)
        self._apply()

    def set_preference(self, preference: Preference) -> None:
        self.preference = preference
        self._apply()

    def _follow(self, _scheme: Qt.ColorScheme) -> None:
        if self.preference == "system":
            self._apply()

    def _wanted(self) -> Scheme:
        if self.preference != "system":
            return self.preference
        return "dark" if QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark else "light"

    def _apply(self) -> None:
        before, self.scheme = self.scheme, self._wanted()
        self._app.setPalette(palette(self.scheme))
        _restyle_all(self.scheme)
        _reresolve_style_sheets(self._app, before, self.scheme)
        self.changed.emit(self.scheme)


_theme: Theme | None = None


def install(preference: Preference | None = None) -> Theme:
    """The application's theme, created on first call; a `preference` given later switches it."""
    global _theme
    app = QApplication.instance()
    assert isinstance(app, QApplication), "the theme needs the QApplication"
    if _theme is None or not shiboken6.isValid(_theme) or _theme.parent() is not app:
        _theme = Theme(app, preference or "system")
    elif preference is not None:
        _theme.set_preference(preference)
    return _theme


def current() -> Theme | None:
    return _theme if _theme is not None and shiboken6.isValid(_theme) else None
