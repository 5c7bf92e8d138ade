"""The sale screen: date, zone, seats, a quantity per rate, questions, customer, payment, a big total; Enter sells."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
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

from boxoffice.i18n import _, ngettext
from boxoffice.money import format_money
from boxoffice.services.orders import DeskDate, DeskRate, DeskSeat, DeskZone
from boxoffice.services.sales import PAYMENT_METHODS, Sale, SaleLine
from boxoffice.ui import theme
from boxoffice.ui.desk.focus_ring import move_focus
from boxoffice.ui.desk.lease_box import LeaseBox
from boxoffice.ui.desk.questions_box import QuestionsBox
from boxoffice.ui.widgets.flow import FlowRow


class QuantityBox(QSpinBox):
    """A quantity typed over its 0: pressing 3 gives 3, not 30 (Tab into it selects the number anyway)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        edit = self.lineEdit()
        if event.text().isdigit() and edit is not None and edit.text() == "0":
            edit.clear()
        super().keyPressEvent(event)


class SalePanel(QWidget):
    """Widgets only; the page loads choices and sells. `sell_requested` on Enter or the Sell button;
    Esc clears the sale. Tab goes round the sale's own fields and never leaves it."""

    date_chosen = Signal(str)
    zone_chosen = Signal(str)
    sell_requested = Signal()
    stock_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dates = QComboBox()
        self.dates.currentIndexChanged.connect(self._on_date_changed)
        self.zones = QListWidget()
        self.zones.setMaximumHeight(90)
        self.zones.currentRowChanged.connect(self._on_zone_changed)
        self.seats = QListWidget()
        self.seats.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        self.seats.setFlow(QListWidget.Flow.LeftToRight)
        self.seats.setWrapping(True)
        self.seats.setMaximumHeight(120)
        self.seats.itemSelectionChanged.connect(self.update_total)
        self.seats_box = QGroupBox(_("Seats (Space picks, several allowed)"))
        QVBoxLayout(self.seats_box).addWidget(self.seats)
        # The hint wraps inside the box: as its title it could not, and widened the sale at 125 % in French.
        self.rates_box = QGroupBox()
        rates_column = QVBoxLayout(self.rates_box)
        rates_column.addWidget(QLabel(_("Rates: type the number of tickets, Tab to the next"), wordWrap=True))
        self.rates_form = QFormLayout()
        rates_column.addLayout(self.rates_form)
        self.quantities: list[tuple[DeskRate, QSpinBox]] = []
        self.customer_name = QLineEdit(placeholderText=_("Name"))
        self.customer_email = QLineEdit(placeholderText=_("Email"))
        self.customer_phone = QLineEdit(placeholderText=_("Phone"))
        self.questions = QuestionsBox()
        self.questions.submitted.connect(self.sell_requested)
        self.lease = LeaseBox()
        self.payment = QComboBox()
        for key, label in PAYMENT_METHODS.items():
            self.payment.addItem(_(label), key)
        self.places = QLabel()
        self.total = QLabel()
        self.total.setFont(QFont(self.font().family(), 28, QFont.Weight.Bold))
        self.total.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.total.setWordWrap(True)  # "12 Tickets · CHF 1’440.00" on two lines where the sale is narrow
        self.problem = QLabel(wordWrap=True)
        self.problem.setStyleSheet(f"color: {theme.status_colour('error')}; font-weight: bold;")
        self.sell_button = QPushButton(_("Sell (Enter)"))
        self.sell_button.setMinimumHeight(44)
        theme.set_primary(self.sell_button)
        self.sell_button.clicked.connect(self.sell_requested)
        self.clear_button = QPushButton(_("Clear (Esc)"))
        self.clear_button.clicked.connect(self.start_over)
        # D6: tickets printed in advance for sale at the door, sold to nobody; quick cancel takes them back.
        self.stock_button = QPushButton(_("Print as unsold stock"))
        self.stock_button.setToolTip(_("Print the chosen tickets in advance, sold to nobody: the door's quick "
                                       "cancel puts those not sold back on sale."))
        self.stock_button.clicked.connect(self.stock_requested)
        self._lay_out()
        self.customer_name.returnPressed.connect(self.sell_requested)
        self.customer_email.returnPressed.connect(self.sell_requested)
        self.customer_phone.returnPressed.connect(self.sell_requested)
        for enter in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(enter), self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.sell_requested)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.start_over)
        self._zones: list[DeskZone] = []
        self._dates: list[DeskDate] = []
        self.update_total()

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow(_("&Date"), self.dates)
        form.addRow(_("&Zone"), self.zones)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.places)
        column.addWidget(self.lease)
        column.addWidget(self.seats_box)
        column.addWidget(self.rates_box)
        column.addWidget(self.questions)
        customer = QFormLayout()
        customer.addRow(_("Customer"), self.customer_name)
        contact = QHBoxLayout()
        contact.addWidget(self.customer_email, 3)
        contact.addWidget(self.customer_phone, 2)
        customer.addRow(_("Email, phone"), contact)
        customer.addRow(_("&Payment"), self.payment)
        column.addLayout(customer)
        column.addWidget(self.total)
        column.addWidget(self.problem)
        # Wrapping, as the total does: side by side they scrolled the sale sideways at 125 % in German.
        column.addLayout(FlowRow().addWidgets(self.sell_button, self.clear_button, self.stock_button))
        column.addStretch(1)

    def tab_ring(self) -> list[QWidget]:
        """The sale's fields in the order a seller fills them in."""
        rates = [spin for _rate, spin in self.quantities]
        lease = [self.lease.wanted, self.lease.request_button]
        return [self.dates, self.zones, *lease, self.seats, *rates, *self.questions.fields.values(),
                self.customer_name, self.customer_email, self.customer_phone, self.payment,
                self.sell_button, self.clear_button]

    def focusNextPrevChild(self, next: bool) -> bool:
        return move_focus(self.tab_ring(), next) or super().focusNextPrevChild(next)

    def focus_first_rate(self) -> None:
        target = self.quantities[0][1] if self.quantities else self.dates
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if self.quantities:
            self.quantities[0][1].selectAll()

    def start_over(self) -> None:
        """Esc: an empty sale on the same date and zone, the cursor on the first rate."""
        self.clear_sale()
        self.focus_first_rate()

    def show_dates(self, dates: list[DeskDate]) -> None:
        """Refill the dates (after every sync too): the seller's chosen date stays chosen while it exists."""
        chosen = self.dates.currentData()
        self._dates = dates
        self.dates.blockSignals(True)
        self.dates.clear()
        for date in dates:
            local = date.starts_at.astimezone(ZoneInfo(date.timezone))
            self.dates.addItem(f"{date.event_name} — {local.strftime('%d.%m.%Y %H:%M')}", date.id)
        kept = self.dates.findData(chosen) if chosen else -1
        self.dates.setCurrentIndex(max(kept, 0))
        self.dates.blockSignals(False)
        if dates and kept < 0:
            self._on_date_changed(0)
        elif dates:  # the same date: its places left may have changed (a sale elsewhere, a cancellation)
            self.date_chosen.emit(self.dates.currentData())
        else:
            self.show_zones([])

    def _on_date_changed(self, _index: int) -> None:
        self.problem.clear()  # a message about the last date's sale or refusal is not about this one
        if self.dates.currentData():
            self.date_chosen.emit(self.dates.currentData())

    def show_zones(self, zones: list[DeskZone], leased: bool = False) -> None:
        """Refresh places left, staying on the zone chosen before when it is still there. A sold-out
        zone is never chosen for the seller; on a desk selling `leased` places, a zone with none left
        stays choosable, to ask the server for more."""
        before = self.current_zone()
        self._zones = zones
        self.zones.blockSignals(True)
        self.zones.clear()
        def open_(zone: DeskZone) -> bool:
            return leased or zone.left > 0

        for zone in zones:
            if open_(zone):
                text = _("{zone} — {left} of {capacity} left").format(
                    zone=zone.name, left=zone.left, capacity=zone.capacity)
            else:
                text = _("{zone} — sold out").format(zone=zone.name)
            item = QListWidgetItem(text)
            if not open_(zone):  # a sold-out zone can be seen, never chosen
                item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.zones.addItem(item)
        self.zones.blockSignals(False)
        same = next((i for i, z in enumerate(zones) if before is not None and z.id == before.id and open_(z)),
                    None)
        first_open = next((i for i, z in enumerate(zones) if open_(z)), None)
        if same is not None:
            self.zones.blockSignals(True)
            self.zones.setCurrentRow(same)
            self.zones.blockSignals(False)
            self.places.setText(_("{left} places left in {zone}").format(left=zones[same].left, zone=zones[same].name))
        elif first_open is not None:
            self.zones.setCurrentRow(first_open)  # emits currentRowChanged: the rates of that zone load
        else:
            self.places.setText(_("Sold out: no zone of this date has places left.") if zones
                                else _("No zone is on sale for this date."))
            self.show_rates_and_seats([], [])

    def current_zone(self) -> DeskZone | None:
        row = self.zones.currentRow()
        return self._zones[row] if 0 <= row < len(self._zones) else None

    def _on_zone_changed(self, row: int) -> None:
        zone = self.current_zone()
        if zone is not None:
            self.places.setText(_("{left} places left in {zone}").format(left=zone.left, zone=zone.name))
            self.seats_box.setVisible(zone.seated)
            self.zone_chosen.emit(zone.id)

    def show_rates_and_seats(self, rates: list[DeskRate], seats: list[DeskSeat]) -> None:
        while self.rates_form.rowCount():
            self.rates_form.removeRow(0)
        self.quantities = []
        for rate in rates:
            spin = QuantityBox(maximum=500)
            spin.valueChanged.connect(self.update_total)
            self.rates_form.addRow(f"{rate.name}  {format_money(rate.price_minor, rate.currency)}", spin)
            self.quantities.append((rate, spin))
        self.seats.clear()
        for seat in seats:
            item = QListWidgetItem(seat.label)
            item.setData(Qt.ItemDataRole.UserRole, seat.id)
            if not seat.free:
                item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.seats.addItem(item)
        self.update_total()
        if self.quantities:
            self.quantities[0][1].setFocus()
            self.quantities[0][1].selectAll()

    def update_total(self) -> None:
        total = sum(rate.price_minor * spin.value() for rate, spin in self.quantities)
        currency = self.quantities[0][0].currency if self.quantities else "CHF"
        count = sum(spin.value() for _rate, spin in self.quantities)
        self.total.setText(ngettext("{n} ticket · {total}", "{n} tickets · {total}", count).format(
            n=count, total=format_money(total, currency)))

    def sale(self) -> Sale | None:
        zone, date_id = self.current_zone(), self.dates.currentData()
        if zone is None or not date_id:
            return None
        lines = tuple(SaleLine(rate.id, spin.value()) for rate, spin in self.quantities if spin.value())
        seats = tuple(str(i.data(Qt.ItemDataRole.UserRole)) for i in self.seats.selectedItems())
        phone = self.customer_phone.text().strip()
        return Sale(date_id, zone.id, lines, seats, self.customer_name.text(), self.customer_email.text(),
                    customer={"phone": phone} if phone else {}, answers=self.questions.answers(),
                    payment_method=str(self.payment.currentData()))

    def clear_sale(self) -> None:
        for _rate, spin in self.quantities:
            spin.setValue(0)
        self.seats.clearSelection()
        self.customer_name.clear()
        self.customer_email.clear()
        self.customer_phone.clear()
        self.questions.clear_answers()
        self.payment.setCurrentIndex(0)  # each sale asks its own payment method again
        self.problem.clear()
