# SPDX-License-Identifier: AGPL-3.0-or-later
"""The full-screen scan view: a big green or red verdict, the holder, counters, the last scans,
a code field for typing by hand and a search by name or order number. No dialog ever opens here."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
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

from boxoffice.i18n import N_, _
from boxoffice.services.door import Verdict
from boxoffice.services.door_lists import DoorCounts, ListedHolder
from boxoffice.ui import theme
from boxoffice.ui.door.camera_preview import CameraPreview

GREEN, RED, AMBER, IDLE = "#1b8a3a", "#c62828", "#b26a00", "#37474f"
HOLDER_ROLE = Qt.ItemDataRole.UserRole + 1
_LAST_SCANS = 30
VERDICT_SECONDS = 4
# How each holder stands, as the search results say it (a ticket not scanned yet is "not yet inside").
HOLDER_STATES = {"inside": N_("inside"), "valid": N_("not yet inside"), "cancelled": N_("cancelled"),
                 "unsold": N_("not sold"), "declined": N_("declined"), "removed": N_("taken off the list")}


def holder_line(holder: ListedHolder) -> str:
    """One search result on two lines: who and their state; which ticket it is (rate, zone, order, the
    code's last characters) and the event."""
    state = _(HOLDER_STATES.get(holder.state, "not yet inside"))
    ticket = " · ".join(p for p in (holder.rate, holder.zone, holder.order_number) if p)
    code = _("code …{end}").format(end=holder.code[-6:]) if holder.code else ""
    first = " · ".join(p for p in (holder.name, state.upper() if holder.state == "inside" else state) if p)
    return first + "\n" + " · ".join(p for p in (ticket, code, holder.event) if p)


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
        self.number = QLabel()  # "Scan 12": two refusals in a row still look like two verdicts
        self.number.setAlignment(Qt.AlignmentFlag.AlignRight)
        column = QVBoxLayout(self)
        column.addWidget(self.number)
        column.addStretch()
        for label in (self.title, self.reason, self.photo, self.details):
            column.addWidget(label)
        column.addStretch()
        self.show_idle(_("Ready: scan a ticket"))

    def _paint(self, colour: str, title: str, reason: str, details: str, number: int = 0) -> None:
        # A new verdict draws a white frame round the panel that the fade back to "ready" takes away.
        border = "border: 8px solid white;" if number else ""
        self.setStyleSheet(f"VerdictPanel {{ background: {colour}; border-radius: 12px; {border} }}"
                           "QLabel { color: white; }")
        self.number.setStyleSheet("font-size: 20pt; font-weight: 700")
        self.number.setText(_("Scan {n}").format(n=number) if number else "")
        self.title.setStyleSheet("font-size: 54pt; font-weight: 700")
        self.reason.setStyleSheet("font-size: 24pt")
        self.details.setStyleSheet("font-size: 18pt")
        self.title.setText(title)
        self.reason.setText(reason)
        self.details.setText(details)

    def show_idle(self, text: str) -> None:
        self.photo.hide()
        self._paint(IDLE, text, "", "")

    def show_verdict(self, verdict: Verdict, number: int = 0) -> None:
        colour, title = {"admitted": (GREEN, _("Admitted")), "returned": (AMBER, _("Back on sale"))}.get(
            verdict.verdict, (RED, _("Refused")))
        holder = verdict.holder
        parts = [holder.name, holder.rate_name, holder.zone_name, holder.order_number] if holder else []
        self._paint(colour, title, verdict.message, "  ·  ".join(p for p in parts if p), number)
        self._show_photo(verdict.photo)

    def show_problem(self, text: str, number: int = 0) -> None:
        self.photo.hide()
        self._paint(AMBER, _("Not checked"), text, "", number)

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
    #: The verdict went back to "ready" after `verdict_seconds`.
    verdict_faded = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timezone = "Europe/Zurich"
        self.verdict_seconds: float = VERDICT_SECONDS
        self.scans = 0
        self.verdict = VerdictPanel()
        self._fade = QTimer(self, singleShot=True)
        self._fade.timeout.connect(self._fade_to_ready)
        self.heading = QLabel(wordWrap=True)
        theme.set_role(self.heading, theme.SECTION)
        self.counters = QLabel(wordWrap=True)
        self.counters.setStyleSheet("font-size: 15pt")
        self.code = QLineEdit()
        self.code.setPlaceholderText(_("Type a code and press Enter"))
        self.code.returnPressed.connect(self._submit_code)
        self.last_scans = QListWidget()
        self.last_scans.setWordWrap(True)
        self.last_scans.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search by name or order number (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.search_changed.emit)
        self.results = QListWidget()
        self.results.setWordWrap(True)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.itemActivated.connect(lambda _i: self._check_in_selected())
        self.check_in = QPushButton(_("Check in by hand (Enter)"))
        self.check_in.clicked.connect(self._check_in_selected)
        self.preview = CameraPreview()  # what the webcam sees, when the door scans with one
        self.preview.hide()
        self.stop = QPushButton(_("Change setup (F9)"))
        self.stop.clicked.connect(self.stop_requested.emit)
        self._layout()
        self._shortcuts()

    def _shortcuts(self) -> None:
        here = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence("Ctrl+F"), self, context=here).activated.connect(self.search.setFocus)
        QShortcut(QKeySequence(Qt.Key.Key_F9), self, context=here).activated.connect(self.stop.click)
        # Esc in the search: back to scanning, the search emptied.
        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.search, context=Qt.ShortcutContext.WidgetShortcut)
        back.activated.connect(self._leave_search)
        self.search.returnPressed.connect(self.results.setFocus)  # Enter: to the results, Enter again checks in

    def _leave_search(self) -> None:
        self.search.clear()
        self.code.setFocus()

    def _layout(self) -> None:
        side = QVBoxLayout()
        side.addWidget(self.preview)
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

    def show_ready(self) -> None:
        self._fade.stop()
        self.verdict.show_idle(_("Ready: scan a ticket"))

    def _fade_to_ready(self) -> None:
        self.show_ready()
        self.verdict_faded.emit()

    def _numbered(self) -> int:
        """Count this verdict and start its time on screen."""
        self.scans += 1
        self._fade.start(int(self.verdict_seconds * 1000))
        return self.scans

    def show_problem(self, text: str) -> None:
        self.verdict.show_problem(text, self._numbered())

    def show_verdict(self, verdict: Verdict) -> None:
        self.verdict.show_verdict(verdict, self._numbered())
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
            item = QListWidgetItem(holder_line(holder))
            if holder.state == "inside":
                item.setForeground(Qt.GlobalColor.darkGreen)
            elif holder.state not in ("valid", "inside"):
                item.setForeground(Qt.GlobalColor.darkRed)
            item.setData(HOLDER_ROLE, (holder.kind, holder.id))
            self.results.addItem(item)
        if holders:
            self.results.setCurrentRow(0)
