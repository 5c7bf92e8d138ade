"""In-app guides for the technician: loading cards and changing the ribbon, as steps with a drawing (PR4)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QVBoxLayout, QWidget

from boxoffice.i18n import _


@dataclass(frozen=True)
class Guide:
    key: str
    title: str
    steps: tuple[str, ...]


def guides() -> list[Guide]:
    """The guides, translated when asked for (not at import time)."""
    return [
        Guide("cards", _("Loading cards"), (
            _("Open the card hopper cover at the top front of the printer."),
            _("Take CR80 PVC cards (54 × 86 mm, 0.76 mm thick) and fan them so they do not stick together. "
              "Hold them by the edges: a fingerprint prints as a stain."),
            _("Put up to 100 cards in the hopper, the side to print facing up, as the label in the hopper shows."),
            _("Close the cover. The status light stops blinking when the printer sees the cards."),
            _("If the printer shows as stopped here, resume it, then print a test card."),
        )),
        Guide("ribbon", _("Changing the ribbon"), (
            _("Press the cover release button and open the front cover."),
            _("Lift the ribbon cartridge out by its handle."),
            _("Take off the used ribbon. Fit the new one: the full spool on the supply side, the empty "
              "spool on the take-up side, the colour panels facing the print head."),
            _("Turn the take-up spool until the ribbon is tight and without wrinkles."),
            _("Put the cartridge back and close the cover until it clicks."),
            _("Print a test card: every colour patch must show and the frame must be whole."),
        )),
    ]


class GuideDrawing(QWidget):
    """A simple side view of the printer with the part the guide is about highlighted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = "cards"
        self.setMinimumSize(320, 220)

    def show_guide(self, kind: str) -> None:
        self.kind = kind
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        scale = min(self.width() / 320, self.height() / 220)
        painter.scale(scale, scale)
        painter.setPen(QPen(QColor("#333333"), 2))
        painter.setBrush(QColor("#e6e8eb"))
        painter.drawRoundedRect(QRectF(40, 80, 240, 110), 12, 12)  # the printer body
        painter.setBrush(QColor("#c8ccd2"))
        painter.drawRect(QRectF(60, 190, 200, 10))  # its foot
        if self.kind == "cards":
            self._draw_cards(painter)
        else:
            self._draw_ribbon(painter)
        painter.end()

    def _arrow(self, painter: QPainter, start: QPointF, end: QPointF) -> None:
        painter.setPen(QPen(QColor("#1f5fbf"), 4))
        painter.drawLine(start, end)
        painter.setBrush(QColor("#1f5fbf"))
        back = -12 if end.y() > start.y() else 12  # the head's base sits behind the tip
        head = QPolygonF([end, QPointF(end.x() - 8, end.y() + back), QPointF(end.x() + 8, end.y() + back)])
        painter.drawPolygon(head)

    def _draw_cards(self, painter: QPainter) -> None:
        painter.setPen(QPen(QColor("#1f5fbf"), 2))
        painter.setBrush(QColor("#d6e4fa"))
        painter.drawRect(QRectF(70, 60, 90, 24))  # the hopper, open
        painter.setBrush(QColor("#ffffff"))
        for layer in range(5):
            painter.drawRect(QRectF(78 + layer * 2, 20 + layer * 5, 70, 6))  # cards going in
        self._arrow(painter, QPointF(115, 2), QPointF(115, 18))
        self._label(painter, QRectF(170, 40, 140, 40), _("card hopper"))

    def _draw_ribbon(self, painter: QPainter) -> None:
        painter.setPen(QPen(QColor("#1f5fbf"), 2))
        painter.setBrush(QColor("#d6e4fa"))
        painter.drawRect(QRectF(110, 30, 110, 70))  # the cartridge, lifted out
        painter.setBrush(QColor("#555555"))
        painter.drawEllipse(QPointF(135, 65), 16, 16)  # supply spool (full)
        painter.setBrush(QColor("#bbbbbb"))
        painter.drawEllipse(QPointF(195, 65), 9, 9)  # take-up spool (empty)
        for index, colour in enumerate(("#00b7eb", "#ff00ff", "#ffd500", "#111111")):
            painter.fillRect(QRectF(150 + index * 8, 58, 7, 14), QColor(colour))  # YMCK panels
        self._arrow(painter, QPointF(165, 128), QPointF(165, 104))
        self._label(painter, QRectF(10, 20, 100, 40), _("ribbon cartridge"))

    def _label(self, painter: QPainter, box: QRectF, text: str) -> None:
        painter.setPen(QColor("#222222"))
        painter.setFont(QFont(painter.font().family(), 10))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)


class GuidesPanel(QWidget):
    """Guides on the left; the chosen one's numbered steps and drawing on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.guides = guides()
        self.choice = QListWidget()
        self.choice.addItems([guide.title for guide in self.guides])
        self.choice.setFixedWidth(200)
        self.steps = QLabel()
        self.steps.setWordWrap(True)
        self.steps.setTextFormat(Qt.TextFormat.RichText)
        self.steps.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.drawing = GuideDrawing()
        right = QVBoxLayout()
        right.addWidget(self.drawing, 1)
        right.addWidget(self.steps, 1)
        row = QHBoxLayout(self)
        row.addWidget(self.choice)
        row.addLayout(right, 1)
        self.choice.currentRowChanged.connect(self.on_guide_chosen)
        self.choice.setCurrentRow(0)

    def on_guide_chosen(self, row: int) -> None:
        if row < 0:
            return
        guide = self.guides[row]
        items = "".join(f"<li style='margin-bottom:6px'>{step}</li>" for step in guide.steps)
        self.steps.setText(f"<h3>{guide.title}</h3><ol>{items}</ol>")
        self.drawing.show_guide(guide.key)
