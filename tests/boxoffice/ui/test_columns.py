"""Boxes side by side where there is room, one under another where there is not, never wider than the page."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout

from boxoffice.ui.widgets.columns import Columns


def _boxes() -> list[QGroupBox]:
    boxes = []
    for title in ("Termine", "Zonen", "Tarife", "Fragen bei der Bestellung"):
        box = QGroupBox(title)
        QVBoxLayout(box).addWidget(QLabel(f"{title}: eine Zeile, die Platz braucht"))
        boxes.append(box)
    return boxes


class TestColumns:
    def test_boxes_stand_two_by_two_when_wide_and_one_under_another_when_narrow(self, qtbot):
        boxes = _boxes()
        columns = Columns(boxes)
        qtbot.addWidget(columns)
        widest = max(box.minimumSizeHint().width() for box in boxes)
        columns.resize(2 * widest + 40, 400)
        columns.show()
        qtbot.waitUntil(lambda: columns.columns == 2 and boxes[1].y() == boxes[0].y() < boxes[2].y())
        assert boxes[1].x() > boxes[0].x() == boxes[2].x()
        columns.resize(widest + 10, 800)
        qtbot.waitUntil(lambda: columns.columns == 1 and boxes[0].y() < boxes[1].y() < boxes[2].y() < boxes[3].y())
        assert [box.x() for box in boxes] == [boxes[0].x()] * 4

    def test_it_asks_only_for_its_widest_box(self, qtbot):
        boxes = _boxes()
        columns = Columns(boxes)
        qtbot.addWidget(columns)
        assert columns.minimumSizeHint().width() == max(box.minimumSizeHint().width() for box in boxes)
        assert columns.sizeHint().width() > boxes[0].minimumSizeHint().width() + boxes[1].minimumSizeHint().width()

    def test_a_hidden_box_takes_no_column(self, qtbot):
        boxes = _boxes()[:2]
        columns = Columns(boxes)
        qtbot.addWidget(columns)
        columns.resize(2000, 400)
        columns.show()
        qtbot.waitUntil(lambda: columns.columns == 2)
        boxes[1].hide()
        assert columns.columns == 1 and columns.fitting(2000) == 1
        qtbot.waitUntil(lambda: boxes[0].width() > 1500)
