# SPDX-License-Identifier: AGPL-3.0-or-later
"""The full-screen scan view: a big green or red verdict, the holder, counters, the last scans,
a code field for typing by hand and a search by name or order number. No dialog ever opens here."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from boxoffice.i18n import _
from boxoffice.services.door import Verdict
from boxoffice.services.door_lists import DoorCounts, ListedHolder

GREEN, RED, AMBER, IDLE = "#1b8a3a", "#c62828", "#b26a00", "#37474f"
HOLDER_ROLE = Qt.ItemDataRole.UserRole + 1
_LAST_SCANS = 30


class VerdictPanel(QFrame):
    """The verdict, the reason in plain words, and what the door shows of the holder (D4)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)  # "Prêt : scannez un billet" at 54 pt is wider than a 1366 px screen
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.details = QLabel()
        self.details.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.details.setWordWrap(True)
        self.photo = QLabel()
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo.hide()
        column = QVBoxLayout(self)
        column.addStretch()
        for label in (self.title, self.reason, self.photo, self.details):
            column.addWidget(label)
        column.addStretch()
        self.show_idle(_("Ready: scan a ticket"))

    def _paint(self, colour: str, title: str, reason: str, details: str) -> None:
        self.setStyleSheet(f"VerdictPanel {{ background: {colour}; border-radius: 12px; }}"
                           "QLabel { color: white; }")
        self.title.setStyleSheet("font-size: 54pt; font-weight: 700")
        self.reason.setStyleSheet("font-size: 24pt")
        self.details.setStyleSheet("font-size: 18pt")
        self.title.setText(title)
        self.reason.setText(reason)
        self.details.setText(details)

    def show_idle(self, text: str) -> None:
        self.photo.hide()
        self._paint(IDLE, text, "", "")

    def show_verdict(self, verdict: Verdict) -> None:
        colour, title = {"admitted": (GREEN, _("Admitted")), "returned": (AMBER, _("Back on sale"))}.get(
            verdict.verdict, (RED, _("Refused")))
        holder = verdict.holder
        parts = [holder.name, holder.rate_name, holder.zone_name, holder.order_number] if holder else []
        self._paint(colour, title, verdict.message, "  ·  ".join(p for p in parts if p))
        self._show_photo(verdict.photo)

    def show_problem(self, text: str) -> None:
        self.photo.hide()
        self._paint(AMBER, _("Not checked"), text, "")

    def _show_photo(self, photo: bytes | None) -> None:
        image = QPixmap()
        if photo and image.loadFromData(photo):
            self.photo.setPixmap(image.scaledToHeight(180, Qt.TransformationMode.SmoothTransformation))
            self.photo.show()
        else:
            self.photo.hide()


class ScanView(QWidget):
    """`code_entered(text)` for a code typed by hand; `check_in_requested(kind, id)` for a manual check-in;
    `search_changed(text)` to look holders up; `stop_requested()` to go back to the setup."""

    code_entered = Signal(str)
    check_in_requested = Signal(str, str)
    search_changed = Signal(str)
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timezone = "Europe/Zurich"
        self.verdict = VerdictPanel()
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 13pt; font-weight: 600")
        self.counters = QLabel()
        self.counters.setStyleSheet("font-size: 15pt")
        self.code = QLineEdit()
        self.code.setPlaceholderText(_("Type a code and press Enter"))
        self.code.returnPressed.connect(self._submit_code)
        self.last_scans = QListWidget()
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search by name or order number"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.search_changed.emit)
        self.results = QListWidget()
        self.results.itemActivated.connect(lambda _i: self._check_in_selected())
        self.check_in = QPushButton(_("Check in by hand"))
        self.check_in.clicked.connect(self._check_in_selected)
        self.stop = QPushButton(_("Change setup"))
        self.stop.clicked.connect(self.stop_requested.emit)
        self._layout()

    def _layout(self) -> None:
        side = QVBoxLayout()
        side.addWidget(self.counters)
        side.addWidget(QLabel(_("Last scans")))
        side.addWidget(self.last_scans, 2)
        side.addWidget(self.search)
        side.addWidget(self.results, 1)
        side.addWidget(self.check_in)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.stop)
        main = QVBoxLayout()
        main.addLayout(top)
        main.addWidget(self.verdict, 1)
        main.addWidget(self.code)
        row = QHBoxLayout(self)
        row.addLayout(main, 3)
        row.addLayout(side, 1)

    def _submit_code(self) -> None:
        text = self.code.text().strip()
        self.code.clear()
        if text:
            self.code_entered.emit(text)

    def _check_in_selected(self) -> None:
        item = self.results.currentItem()
        if item is not None:
            kind, holder_id = item.data(HOLDER_ROLE)
            self.check_in_requested.emit(kind, holder_id)

    def show_verdict(self, verdict: Verdict) -> None:
        self.verdict.show_verdict(verdict)
        when = verdict.scanned_at.astimezone(ZoneInfo(self.timezone)).strftime("%H:%M:%S")
        name = verdict.holder.name if verdict.holder and verdict.holder.name else verdict.code[:26]
        mark = "✔" if verdict.admitted else ("↺" if verdict.verdict == "returned" else "✘")
        item = QListWidgetItem(f"{when}  {mark}  {name} — {verdict.message}")
        item.setForeground(Qt.GlobalColor.darkGreen if verdict.admitted else Qt.GlobalColor.darkRed)
        self.last_scans.insertItem(0, item)
        while self.last_scans.count() > _LAST_SCANS:
            self.last_scans.takeItem(self.last_scans.count() - 1)

    def show_counts(self, counts: DoorCounts) -> None:
        self.counters.setText(_("Inside: {inside}   Admitted: {admitted}   Refused: {refused}").format(
            inside=counts.inside, admitted=counts.admitted, refused=counts.refused))

    def show_results(self, holders: list[ListedHolder]) -> None:
        self.results.clear()
        for holder in holders:
            state = {"inside": _("inside"), "cancelled": _("cancelled"), "declined": _("declined")}.get(
                holder.state, "")
            text = " · ".join(p for p in (holder.name, holder.order_number, holder.zone, holder.event, state) if p)
            item = QListWidgetItem(text)
            item.setData(HOLDER_ROLE, (holder.kind, holder.id))
            self.results.addItem(item)
        if holders:
            self.results.setCurrentRow(0)
