"""Edit a printer profile: card size, orientation, fit, layout and the driver's own options (PR1)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from boxoffice.i18n import _
from printing.profiles import FITS, ORIENTATIONS, PrinterProfile, ProfileError


def _fit_words() -> dict[str, str]:
    return {"entire-image": _("print the entire image"), "actual-size": _("actual size"),
            "fill": _("fill the card (may crop)")}


def options_text(options: dict[str, str]) -> str:
    return "\n".join(f"{key}={value}" for key, value in options.items())


def parse_options(text: str) -> dict[str, str]:
    """`Key=Choice` per line, as `lpoptions -p QUEUE -l` names them; blank lines and # comments skipped."""
    options: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise ProfileError("driver_options", _("line {n}: write Option=Choice").format(n=number))
        options[key.strip()] = value.strip()
    return options


class ProfileDialog(QDialog):
    """A form over one PrinterProfile; `profile()` builds the edited one or raises ProfileError."""

    def __init__(self, parent: QWidget | None, profile: PrinterProfile, layouts: list[str]) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Printer profile"))
        self.original = profile
        self.name = QLineEdit(profile.name)
        self.media = QLineEdit(profile.media)
        self.orientation = QComboBox()
        for value in ORIENTATIONS:
            self.orientation.addItem({"portrait": _("portrait"), "landscape": _("landscape")}[value], value)
        self.orientation.setCurrentIndex(self.orientation.findData(profile.orientation))
        self.fit = QComboBox()
        for value in FITS:
            self.fit.addItem(_fit_words()[value], value)
        self.fit.setCurrentIndex(self.fit.findData(profile.fit))
        self.layout_name = QComboBox()
        self.layout_name.addItems(layouts)
        self.layout_name.setCurrentText(profile.layout)
        self.copies = QSpinBox(minimum=1, maximum=99, value=profile.copies)
        self.options = QPlainTextEdit(options_text(dict(profile.driver_options)))
        self.options.setPlaceholderText("ResinExtraction=BlackDotsOnly")
        self.notes = QPlainTextEdit(profile.notes)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b3261e")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.check_and_accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(_("Name"), self.name)
        form.addRow(_("Card or paper size (CUPS media)"), self.media)
        form.addRow(_("Orientation"), self.orientation)
        form.addRow(_("Fit"), self.fit)
        form.addRow(_("Layout"), self.layout_name)
        form.addRow(_("Copies"), self.copies)
        form.addRow(_("Driver options (see lpoptions -p PRINTER -l)"), self.options)
        form.addRow(_("Notes"), self.notes)
        form.addRow(self.problem)
        form.addRow(buttons)

    def profile(self) -> PrinterProfile:
        return PrinterProfile(
            name=self.name.text().strip(), media=self.media.text().strip(),
            orientation=self.orientation.currentData(), fit=self.fit.currentData(),
            layout=self.layout_name.currentText(), printer=self.original.printer, copies=self.copies.value(),
            driver_options=parse_options(self.options.toPlainText()), notes=self.notes.toPlainText(),
        )

    def check_and_accept(self) -> None:
        try:
            self.profile()
        except ProfileError as error:
            self.problem.setText(str(error))
            return
        self.accept()
