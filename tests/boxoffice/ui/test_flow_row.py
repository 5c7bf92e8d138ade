"""FlowRow: a row of buttons wraps onto more lines instead of widening the window."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from boxoffice.ui.widgets.flow import FlowRow

LABELS = ("Hinzufügen…", "Bearbeiten…", "Entfernen", "CSV importieren…", "Als CSV exportieren…", "Zusammenführen…",
          "Abmelden…")


def _page(qtbot, width: int) -> tuple[QWidget, list[QPushButton]]:
    page = QWidget()
    buttons = [QPushButton(label) for label in LABELS]
    column = QVBoxLayout(page)
    column.addLayout(FlowRow().addWidgets(*buttons))
    column.addStretch()
    qtbot.addWidget(page)
    page.resize(width, 300)
    page.show()
    qtbot.waitExposed(page)
    return page, buttons


def test_seven_german_buttons_wrap_onto_several_lines_in_a_narrow_column(qtbot):
    page, buttons = _page(qtbot, 420)
    assert len({button.y() for button in buttons}) >= 3
    inside = QRect(0, 0, page.width(), page.height())
    for button in buttons:
        assert inside.contains(button.geometry()), button.text()
        assert button.width() >= button.sizeHint().width(), button.text()  # no label is cut


def test_the_row_asks_only_for_its_widest_button_so_the_window_can_shrink(qtbot):
    page, buttons = _page(qtbot, 1200)
    widest = max(button.minimumSizeHint().width() for button in buttons)
    assert page.minimumSizeHint().width() < widest + 40
    assert len({button.y() for button in buttons}) == 1  # all on one line when there is room
