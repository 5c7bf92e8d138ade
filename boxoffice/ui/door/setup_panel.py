# SPDX-License-Identifier: AGPL-3.0-or-later
"""The door setup (D1, D3, D5, D6, D9): dates and events, mode, zones, door name, scanner input, the webcam."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from boxoffice.i18n import _
from boxoffice.services.door_lists import DoorChoices
from boxoffice.ui import theme
from boxoffice.ui.door.camera_setup import CameraSetup
from boxoffice.ui.door.inputs import CAMERA, HIDPOS, SERIAL, WEDGE, InputChoice
from boxoffice.ui.door.scan_view import VERDICT_SECONDS
from boxoffice.ui.widgets.columns import Columns
from boxoffice.ui.widgets.scrolling import vertical_scroll

ID_ROLE = Qt.ItemDataRole.UserRole + 1


def _checkable(text: str, item_id: str, checked: bool) -> QListWidgetItem:
    item = QListWidgetItem(text)
    item.setToolTip(text)  # the lists elide a long line rather than scroll sideways
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
    item.setData(ID_ROLE, item_id)
    return item


def _checked(widget: QListWidget) -> list[str]:
    return [str(widget.item(i).data(ID_ROLE)) for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked]


class SetupPanel(QWidget):
    """`start_requested()` when the door staff press Start; the page reads the choices from here."""

    start_requested = Signal()
    scanners_requested = Signal()
    login_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dates = QListWidget()
        self.zones = QListWidget()
        for choices in (self.dates, self.zones):
            choices.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            choices.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.mode = QComboBox()
        for key, label in (("normal", _("Normal: admitted once")), ("entry", _("Entry (holders may go out)")),
                           ("exit", _("Exit")), ("multi", _("Multiple entries"))):
            self.mode.addItem(label, key)
        self.door = QLineEdit()
        self.door.setPlaceholderText(_("e.g. Main entrance"))
        self.quick_cancel = QCheckBox(_("Quick cancel: scanned tickets printed as unsold stock go back on sale"))
        self.show_photo = QCheckBox(_("Show the holder's photo for passes"))
        self.input = QComboBox()
        for key, label in ((WEDGE, _("USB scanner (keyboard)")), (CAMERA, _("Webcam")),
                           (SERIAL, _("Serial scanner")), (HIDPOS, _("USB scanner (HID-POS)"))):
            self.input.addItem(label, key)
        self.camera_setup = CameraSetup()
        self.input.currentIndexChanged.connect(lambda _i: self._show_input_rows())
        self.serial_port = QComboBox()
        self.serial_port.setEditable(True)
        self.keyboard_layout = QComboBox()
        for code, label in (("us", "QWERTY (US)"), ("de", "QWERTZ (DE)"), ("ch", "QWERTZ (CH)"),
                            ("fr", "AZERTY (FR)")):
            self.keyboard_layout.addItem(label, code)
        self.verdict_seconds = QSpinBox(minimum=1, maximum=60, value=VERDICT_SECONDS)
        self.verdict_seconds.setSuffix(" s")
        self.start = QPushButton(_("Start scanning (Ctrl+Enter)"))
        self.start.setAutoDefault(True)  # Enter on the focused button starts too
        theme.set_primary(self.start, "font-size: 14pt; padding: 8px 24px;")
        self.start.clicked.connect(self.start_requested.emit)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut) \
                .activated.connect(self.start.click)
        scanners = QPushButton(_("Scanners…"))
        scanners.clicked.connect(self.scanners_requested.emit)
        self.problem = QLabel()
        self.problem.setStyleSheet(f"color: {theme.status_colour('error')}")
        self._layout(scanners)

    def _layout(self, scanners: QPushButton) -> None:
        form = QFormLayout()
        form.addRow(_("Dates and events"), self.dates)
        form.addRow(_("Zones (none ticked: all)"), self.zones)
        form.addRow(_("Mode"), self.mode)
        form.addRow(_("Door name"), self.door)
        form.addRow(_("Scanner"), self.input)
        form.addRow(_("Serial port"), self.serial_port)
        self._serial_row = form.rowCount() - 1
        form.addRow(_("Computer keyboard"), self.keyboard_layout)
        form.addRow(_("Show each verdict for"), self.verdict_seconds)
        buttons = QHBoxLayout()
        buttons.addWidget(scanners)
        self.login = QPushButton(_("Log in to the server…"))
        self.login.clicked.connect(self.login_requested.emit)
        buttons.addWidget(self.login)
        buttons.addStretch()
        buttons.addWidget(self.start)
        self._form = form
        fields = QWidget()
        fields.setLayout(form)
        # The webcam's set-up beside the form where the page is wide enough, under it where not (125 %).
        sides = vertical_scroll(Columns((fields, self.camera_setup), align=Qt.AlignmentFlag.AlignTop, stretch=(3, 2)),
                                width_of=fields)
        column = QVBoxLayout(self)
        column.addWidget(sides, 1)
        # Under the form, the page's width: the long German check box in it widened the form past 1093 px.
        column.addWidget(self.quick_cancel)
        column.addWidget(self.show_photo)
        column.addWidget(self.problem)
        column.addLayout(buttons)
        self._show_input_rows()

    def _show_input_rows(self) -> None:
        """The webcam's set-up beside the form only with the webcam; the serial port only with a serial scanner."""
        kind = self.input.currentData()
        self.camera_setup.setVisible(kind == CAMERA)
        self._form.setRowVisible(self._serial_row, kind == SERIAL)

    def show_choices(self, choices: DoorChoices, preselected: list[str], timezone: str) -> None:
        # Here, not at the top: Babel is not loaded before the window is first painted.
        from boxoffice.moments import format_moment

        self.dates.clear()
        for d in choices.dates:  # "ven. 11 déc. 2026 20:00" in French, at the venue
            when = format_moment(d.starts_at, timezone)
            self.dates.addItem(_checkable(f"{when} — {d.event_name}", d.id, d.id in preselected))
        for event_id, name, starts in choices.guest_events:
            when = format_moment(starts, timezone) if starts else ""
            self.dates.addItem(_checkable(f"{when} — {name} " + _("(guests)"), event_id, event_id in preselected))
        names = {d.event_id: d.event_name for d in choices.dates}
        self.zones.clear()
        for zone_id, event_id, zone_name in choices.zones:
            self.zones.addItem(_checkable(f"{zone_name} — {names.get(event_id, '')}", zone_id, False))

    def chosen_ids(self) -> list[str]:
        return _checked(self.dates)

    def chosen_zones(self) -> frozenset[str]:
        return frozenset(_checked(self.zones))

    def input_choice(self) -> InputChoice:
        camera = self.camera_setup.chosen_camera()
        return InputChoice(str(self.input.currentData()), camera.index if camera is not None else 0,
                           str(self.serial_port.currentData() or self.serial_port.currentText()),
                           str(self.keyboard_layout.currentData()),
                           camera_settings=self.camera_setup.camera_settings(),
                           camera_name=camera.name if camera is not None else "")

    def choose_input(self, kind: str) -> None:
        self.input.setCurrentIndex(max(0, self.input.findData(kind)))

    def show_ports(self, ports: list[tuple[str, str]]) -> None:
        self.serial_port.clear()
        for device, description in ports:
            self.serial_port.addItem(f"{device} — {description}", device)
