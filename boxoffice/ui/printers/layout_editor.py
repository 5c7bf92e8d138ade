"""The layout editor: pick a layout, edit its elements in millimetres, see it live, save it by name (PR3)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from boxoffice.i18n import _
from boxoffice.services import print_setup
from boxoffice.ui.ops import ReadOp
from boxoffice.ui.printers.preview import render_image
from boxoffice.ui.printers.print_run import alive
from printing.layout import Barcode, Box, Element, Image, Layout, LayoutError, Photo, Qr, Rect, Text


def describe(element: Element) -> str:
    """One line per element in the list: its kind and what it shows."""
    if isinstance(element, Text):
        return _("Text: {text}").format(text=element.text)
    names = {Qr: _("QR code"), Barcode: _("Barcode"), Photo: _("Holder photo"), Image: _("Picture"),
             Rect: _("Rectangle")}
    return names.get(type(element), type(element).__name__)


def _spin(maximum: float, step: float = 0.5) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(0, maximum)
    spin.setDecimals(1)
    spin.setSingleStep(step)
    return spin


class ElementForm(QWidget):
    """The fields of one element; `edited` fires with the rebuilt element (or a LayoutError message)."""

    edited = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.element: Element | None = None
        self.text = QLineEdit()
        self.left_mm, self.top_mm, self.width_mm, self.height_mm = (_spin(300) for _i in range(4))
        self.font_size = _spin(96, 0.5)
        self.bold = QCheckBox(_("Bold"))
        self.align = QComboBox()
        for value, words in (("left", _("left")), ("center", _("centre")), ("right", _("right"))):
            self.align.addItem(words, value)
        self.color = QLineEdit()
        self.color.setPlaceholderText(_("layout's text colour"))
        pick = QPushButton(_("Choose…"))
        pick.clicked.connect(self.choose_colour)
        colour_row = QHBoxLayout()
        colour_row.addWidget(self.color, 1)
        colour_row.addWidget(pick)
        form = QFormLayout(self)
        form.addRow(_("Text"), self.text)
        form.addRow(_("Left (mm)"), self.left_mm)
        form.addRow(_("Top (mm)"), self.top_mm)
        form.addRow(_("Width (mm)"), self.width_mm)
        form.addRow(_("Height (mm)"), self.height_mm)
        form.addRow(_("Font size (pt)"), self.font_size)
        form.addRow(_("Alignment"), self.align)
        form.addRow(self.bold)
        form.addRow(_("Colour"), colour_row)
        for spin in (self.left_mm, self.top_mm, self.width_mm, self.height_mm, self.font_size):
            spin.valueChanged.connect(self.on_field_changed)
        self.text.textEdited.connect(self.on_field_changed)
        self.color.editingFinished.connect(self.on_field_changed)
        self.bold.toggled.connect(self.on_field_changed)
        self.align.currentIndexChanged.connect(self.on_field_changed)
        self._loading = False

    def show_element(self, element: Element | None) -> None:
        self._loading = True
        self.element = element
        is_text = isinstance(element, Text)
        for widget in (self.text, self.font_size, self.bold, self.align, self.color):
            widget.setEnabled(is_text)
        if element is not None:
            box = element.box
            spins = (self.left_mm, self.top_mm, self.width_mm, self.height_mm)
            for spin, value in zip(spins, (box.x, box.y, box.width, box.height), strict=True):
                spin.setValue(value)
        if isinstance(element, Text):
            self.text.setText(element.text)
            self.font_size.setValue(element.size)
            self.bold.setChecked(element.bold)
            self.align.setCurrentIndex(self.align.findData(element.align))
            self.color.setText(element.color or "")
        self._loading = False

    def choose_colour(self) -> None:
        chosen = QColorDialog.getColor(parent=self)
        if chosen.isValid():
            self.color.setText(chosen.name())
            self.on_field_changed()

    def rebuilt(self) -> Element:
        assert self.element is not None
        box = Box(self.left_mm.value(), self.top_mm.value(), self.width_mm.value(), self.height_mm.value())
        if not isinstance(self.element, Text):
            return replace(self.element, box=box)
        size = self.font_size.value()
        return replace(self.element, box=box, text=self.text.text(), size=size,
                       min_size=min(self.element.min_size, size), bold=self.bold.isChecked(),
                       align=self.align.currentData(), color=self.color.text().strip() or None)

    def on_field_changed(self, *_args: Any) -> None:
        if self._loading or self.element is None:
            return
        try:
            self.edited.emit(self.rebuilt())
        except LayoutError as error:
            self.edited.emit(str(error))


class LayoutEditor(QWidget):
    """Left: layout choice, elements and their fields. Right: the preview and Save."""

    preview_rendered = Signal(QImage)
    saved = Signal(str)

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.layout_value: Layout | None = None
        self.kind = "badge"
        self._generation = 0
        self.template = QComboBox()
        self.template.currentIndexChanged.connect(self.on_template_chosen)
        self.elements = QListWidget()
        self.elements.currentRowChanged.connect(self.on_element_chosen)
        self.form = ElementForm()
        self.form.edited.connect(self.on_element_edited)
        add_text, remove = QPushButton(_("Add text")), QPushButton(_("Remove"))
        add_text.clicked.connect(self.add_text)
        remove.clicked.connect(self.remove_element)
        self.preview = QLabel(_("Rendering…"))
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(240, 340)  # the page must fit 768 px at 125 % scaling (614 px)
        self.preview.setStyleSheet("background: #6b7078; border-radius: 6px")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("Name of the layout"))
        save = QPushButton(_("Save layout"))
        save.clicked.connect(self.save)
        self._debounce = QTimer(self, singleShot=True, interval=150)
        self._debounce.timeout.connect(self.render_preview)
        self._arrange(add_text, remove, save)
        self.reload_templates()

    def _arrange(self, add_text: QPushButton, remove: QPushButton, save: QPushButton) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(add_text)
        buttons.addWidget(remove)
        buttons.addStretch()
        left = QVBoxLayout()
        left.addWidget(QLabel(_("Layout")))
        left.addWidget(self.template)
        left.addWidget(self.elements, 1)
        left.addLayout(buttons)
        left.addWidget(self.form)
        save_row = QHBoxLayout()
        save_row.addWidget(self.name, 1)
        save_row.addWidget(save)
        right = QVBoxLayout()
        right.addWidget(self.preview, 1)
        right.addWidget(self.message)
        right.addLayout(save_row)
        row = QHBoxLayout(self)
        row.addLayout(left, 2)
        row.addLayout(right, 3)

    def reload_templates(self, select: str = "") -> None:
        self.template.blockSignals(True)
        self.template.clear()
        for named in print_setup.layouts(self.data_dir):
            suffix = "" if named.built_in else " " + _("(saved)")
            self.template.addItem(f"{named.name}{suffix}", (named.name, named.kind))
        self.template.blockSignals(False)
        index = max(0, next((i for i in range(self.template.count()) if self.template.itemData(i)[0] == select), 0))
        self.template.setCurrentIndex(index)
        self.on_template_chosen(index)

    def on_template_chosen(self, index: int) -> None:
        if index < 0:
            return
        name, self.kind = self.template.itemData(index)
        try:
            self.set_layout(print_setup.load_layout(self.data_dir, name))
        except ValueError as error:
            self.message.setText(str(error))
            return
        self.name.setText(name)

    def set_layout(self, layout: Layout, keep_row: int = 0) -> None:
        self.layout_value = layout
        self.elements.blockSignals(True)
        self.elements.clear()
        self.elements.addItems([describe(element) for element in layout.elements])
        self.elements.blockSignals(False)
        self.elements.setCurrentRow(min(keep_row, len(layout.elements) - 1))
        self.form.show_element(self.current_element())
        self.schedule_preview()

    def current_element(self) -> Element | None:
        row = self.elements.currentRow()
        if self.layout_value is None or row < 0 or row >= len(self.layout_value.elements):
            return None
        return self.layout_value.elements[row]

    def on_element_chosen(self, _row: int) -> None:
        self.form.show_element(self.current_element())

    def on_element_edited(self, edited: Element | str) -> None:
        if isinstance(edited, str) or self.layout_value is None:
            self.message.setText(str(edited))
            return
        row = self.elements.currentRow()
        elements = list(self.layout_value.elements)
        elements[row] = edited
        self.layout_value = replace(self.layout_value, elements=tuple(elements))
        self.elements.item(row).setText(describe(edited))
        self.message.clear()
        self.schedule_preview()

    def add_text(self) -> None:
        if self.layout_value is None:
            return
        added = Text(Box(4, 4, min(40.0, self.layout_value.width - 8), 6), _("New text"), size=9, min_size=6)
        elements = (*self.layout_value.elements, added)
        self.set_layout(replace(self.layout_value, elements=elements), len(elements) - 1)

    def remove_element(self) -> None:
        row = self.elements.currentRow()
        if self.layout_value is None or row < 0:
            return
        elements = self.layout_value.elements[:row] + self.layout_value.elements[row + 1:]
        self.set_layout(replace(self.layout_value, elements=elements), max(0, row - 1))

    def schedule_preview(self) -> None:
        self._debounce.start()

    def render_preview(self) -> None:
        layout = self.layout_value
        if layout is None:
            return
        self._generation += 1
        generation = self._generation
        ReadOp(self, lambda _session: render_image(layout)).on_success(
            lambda image: self.on_preview_rendered(generation, image)).on_failure(
            lambda error: self.message.setText(str(error))).run()

    def on_preview_rendered(self, generation: int, image: QImage) -> None:
        if not alive(self.preview) or generation != self._generation:
            return  # closed meanwhile, or an older render finishing late while a newer one is on its way
        pixmap = QPixmap.fromImage(image).scaled(self.preview.size() * 0.95, Qt.AspectRatioMode.KeepAspectRatio,
                                                 Qt.TransformationMode.SmoothTransformation)
        self.preview.setPixmap(pixmap)
        self.preview_rendered.emit(image)

    def save(self) -> None:
        name = self.name.text().strip()
        if self.layout_value is None or not name:
            self.message.setText(_("Give the layout a name first."))
            return
        try:
            layout = replace(self.layout_value, name=name)
            path = print_setup.save_layout(self.data_dir, layout, self.kind)
        except (ValueError, OSError) as error:
            self.message.setText(str(error))
            return
        self.message.setText(_("Saved as “{name}” ({file}).").format(name=name, file=path.name))
        self.reload_templates(select=name)
        self.saved.emit(name)
