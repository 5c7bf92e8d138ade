"""Duplicate an event: new name, box office and dates, a preview of what is copied, then confirm (T1)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from boxoffice.i18n import _
from boxoffice.model.events import BoxOffice
from boxoffice.services import event_copy
from boxoffice.services.event_copy import CopyPreview
from boxoffice.ui import theme
from boxoffice.ui.changes import ChangeSet
from boxoffice.ui.ops import ReadOp, WriteOp


class DuplicateDialog(QDialog):
    """`previewed(CopyPreview)` after Preview; `duplicated(event id)` after the copy is written."""

    previewed = Signal(object)
    duplicated = Signal(str)
    refused = Signal(str)

    def __init__(self, event_id: str, event_name: str, offices: list[BoxOffice], current_office: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Duplicate “{event}”").format(event=event_name))
        self.event_id = event_id
        self.name = QLineEdit(_("{event} (copy)").format(event=event_name))
        self.office = QComboBox()
        for office in offices:
            self.office.addItem(office.name, office.id)
        if current_office:
            self.office.setCurrentIndex(max(0, self.office.findData(current_office)))
        self.dates = QPlainTextEdit(placeholderText=_("One start per line, e.g. 2027-03-01 20:00"))
        self.preview_text = QLabel(wordWrap=True)
        self.preview_button = QPushButton(_("&Preview"))
        self.preview_button.clicked.connect(self.preview)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Duplicate"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(_("New name"), self.name)
        form.addRow(_("Box office"), self.office)
        form.addRow(_("New dates"), self.dates)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.preview_button)
        column.addWidget(self.preview_text)
        column.addWidget(self.buttons)
        self.name.textChanged.connect(self._stale)
        self.office.currentIndexChanged.connect(self._stale)
        self.dates.textChanged.connect(self._stale)

    def _stale(self, *_args: object) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)

    def starts(self) -> list[datetime]:
        """Starts typed in local time (this computer's zone) or with an explicit offset."""
        out = []
        for line in self.dates.toPlainText().splitlines():
            if line.strip():
                moment = datetime.fromisoformat(line.strip())
                out.append(moment if moment.tzinfo else moment.astimezone())
        return out

    def _request(self) -> tuple[str, str, list[datetime], str]:
        return self.event_id, self.name.text(), self.starts(), str(self.office.currentData())

    def preview(self) -> None:
        try:
            event_id, name, starts, office = self._request()
        except ValueError:
            self._refused(ValueError(_("Write each date as 2027-03-01 20:00, one per line.")))
            return
        ReadOp(self, lambda session: event_copy.preview_duplicate(session, event_id, name, starts, office)) \
            .on_success(self._show_preview).on_failure(self._refused).run()

    def _show_preview(self, preview: CopyPreview) -> None:
        self.preview_text.setStyleSheet("")
        self.preview_text.setText("\n".join(preview.lines()))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
        self.previewed.emit(preview)

    def _refused(self, error: BaseException) -> None:
        self.preview_text.setStyleSheet(f"color: {theme.status_colour('error')};")
        self.preview_text.setText(str(error))
        self.refused.emit(str(error))

    def confirm(self) -> None:
        event_id, name, starts, office = self._request()
        WriteOp(self, lambda work, _p: event_copy.duplicate_event(work, event_id, name, starts, office),
                ChangeSet.of("events"), _("Duplicating…")).on_success(self._done).on_failure(self._refused).run()

    def _done(self, new_id: str) -> None:
        self.duplicated.emit(new_id)
        self.accept()


def offices_query(session: Session) -> list[BoxOffice]:
    from boxoffice.services.catalogue import box_offices

    offices = box_offices(session)
    for office in offices:
        session.expunge(office)
    return offices
