# SPDX-License-Identifier: AGPL-3.0-or-later
"""Keyboard layouts as characters per physical key, to undo a scanner/computer layout mismatch."""

from __future__ import annotations

from functools import cache

# Each layout lists, key by key in the same physical order (the US number row, then the three
# letter rows, then the key above Enter), the character typed without and with Shift; "∅" marks
# no character; dead keys are written as the accent they stand for (see DEAD_KEYS). A scanner set
# to "US keyboard" sends key positions: on a German computer its "y" arrives as "z"; looking the
# character up here by position gives the intended one back.
_US = (
    "`~ 1! 2@ 3# 4$ 5% 6^ 7& 8* 9( 0) -_ =+ "
    "qQ wW eE rR tT yY uU iI oO pP [{ ]} "
    "aA sS dD fF gG hH jJ kK lL ;: '\" "
    "zZ xX cC vV bB nN mM ,< .> /? "
    "\\|"
)
_DE = (
    "^° 1! 2\" 3§ 4$ 5% 6& 7/ 8( 9) 0= ß? ´` "
    "qQ wW eE rR tT zZ uU iI oO pP üÜ +* "
    "aA sS dD fF gG hH jJ kK lL öÖ äÄ "
    "yY xX cC vV bB nN mM ,; .: -_ "
    "#'"
)
_FR = (
    "²∅ &1 é2 \"3 '4 (5 -6 è7 _8 ç9 à0 )° =+ "
    "aA zZ eE rR tT yY uU iI oO pP ^¨ $£ "
    "qQ sS dD fF gG hH jJ kK lL mM ù% "
    "wW xX cC vV bB nN ,? ;. :/ !§ "
    "*µ"
)
_CH = (
    "§° 1+ 2\" 3* 4ç 5% 6& 7/ 8( 9) 0= '? ^` "
    "qQ wW eE rR tT zZ uU iI oO pP üè ¨! "
    "aA sS dD fF gG hH jJ kK lL öé äà "
    "yY xX cC vV bB nN mM ,; .: -_ "
    "$£"
)

LAYOUTS: dict[str, str] = {"us": _US, "de": _DE, "fr": _FR, "ch": _CH}

#: Dead keys produce no character of their own; these stand for them in the tables above.
DEAD_KEYS: dict[str, str] = {
    "Dead_Circumflex": "^", "Dead_Acute": "´", "Dead_Grave": "`", "Dead_Diaeresis": "¨", "Dead_Tilde": "~",
}


def _keys(layout: str) -> list[tuple[str, str]]:
    return [(key[0], key[1]) for key in LAYOUTS[layout].split(" ")]


@cache
def translation(computer: str, scanner: str = "us") -> dict[str, str]:
    """Character typed under the ``computer`` layout -> the character the ``scanner`` layout meant.

    Layout names: "us", "de" (QWERTZ), "fr" (AZERTY), "ch" (Swiss German). Characters that both
    layouts put on the same key map to themselves and are left out.
    """
    for name in (computer, scanner):
        if name not in LAYOUTS:
            raise ValueError(f"unknown keyboard layout {name!r}; known: {', '.join(sorted(LAYOUTS))}")
    table: dict[str, str] = {}
    for typed, meant in zip(_keys(computer), _keys(scanner), strict=True):
        for typed_char, meant_char in zip(typed, meant, strict=True):
            if "∅" not in (typed_char, meant_char) and typed_char != meant_char:
                table.setdefault(typed_char, meant_char)
    return table
