"""What this desk may still sell offline for the chosen zone, and a button to ask the server for more."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from boxoffice.i18n import _, ngettext
from boxoffice.services.desk_leases import MAX_REQUEST, ZoneLease

DEFAULT_REQUEST = 20


class LeaseBox(QWidget):
    """Shown only on a paired desk. `request_more(places)` when the button is pressed."""

    request_more = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.offline_left = QLabel()
        self.offline_left.setStyleSheet("font-weight: bold;")
        self.wanted = QSpinBox(minimum=1, maximum=MAX_REQUEST, value=DEFAULT_REQUEST)
        self.request_button = QPushButton(_("Request more places"))
        self.request_button.clicked.connect(lambda: self.request_more.emit(self.wanted.value()))
        self.state = QLabel(wordWrap=True)
        row = QHBoxLayout()
        row.addWidget(self.offline_left, 1)
        row.addWidget(self.wanted)
        row.addWidget(self.request_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(row)
        column.addWidget(self.state)
        self.lease: ZoneLease | None = None
        self.online: bool | None = None
        self.setVisible(False)

    def show_lease(self, lease: ZoneLease | None, online: bool | None) -> None:
        """`online` None means not known yet: asking is allowed, the request waits in the outbox."""
        self.lease, self.online = lease, online
        if lease is None:
            self.setVisible(False)
            return
        self.setVisible(True)
        self.offline_left.setText(_("This desk can sell {left} more in {zone} offline (leased {leased}, sold {sold})")
                                  .format(left=lease.left, zone=lease.zone, leased=lease.leased, sold=lease.sold))
        self.request_button.setEnabled(online is not False)
        self.state.setText(self._state_text(lease, online))

    @staticmethod
    def _state_text(lease: ZoneLease, online: bool | None) -> str:
        if online is False:
            return _("Offline: more places can be requested when the desk is back online.")
        if lease.requested:
            return ngettext("{n} request waiting for the server…", "{n} requests waiting for the server…",
                            lease.requested).format(n=lease.requested)
        if lease.last_refused:
            return _("The server had no more places to lease for this zone.")
        return ""
