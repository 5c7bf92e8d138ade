"""The event's order questions on the sale screen (T7): one field per question, required ones starred."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLineEdit, QWidget

from boxoffice.i18n import _
from boxoffice.services.order_form import FormQuestion, unanswered

Field = QLineEdit | QComboBox


class QuestionsBox(QGroupBox):
    """Hidden when the event asks nothing. `submitted` when Enter is pressed in a text answer."""

    submitted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Questions (* required)"), parent)
        self.form = QFormLayout(self)
        self.questions: list[FormQuestion] = []
        self.fields: dict[str, Field] = {}
        self.setVisible(False)

    def show_questions(self, questions: list[FormQuestion]) -> None:
        """Rebuild the fields; answers typed so far stay when the questions did not change."""
        if questions == self.questions:
            return
        while self.form.rowCount():
            self.form.removeRow(0)
        self.questions, self.fields = questions, {}
        for question in questions:
            field = self._field_for(question)
            label = f"{question.label} *" if question.required else question.label
            self.form.addRow(label, field)
            self.fields[question.id] = field
        self.setVisible(bool(questions))

    def _field_for(self, question: FormQuestion) -> Field:
        if question.kind == "yes_no":
            box = QComboBox()
            for text, value in (("", ""), (_("yes"), "yes"), (_("no"), "no")):
                box.addItem(text, value)
            return box
        if question.kind == "choice":
            box = QComboBox()
            box.addItem("", "")
            for option in question.options:
                box.addItem(option, option)
            return box
        edit = QLineEdit()
        edit.returnPressed.connect(self.submitted)
        return edit

    def answers(self) -> dict[str, str]:
        """Non-blank answers under the question's id, as the order stores them."""
        out = {}
        for question_id, field in self.fields.items():
            value = field.text().strip() if isinstance(field, QLineEdit) else str(field.currentData() or "")
            if value:
                out[question_id] = value
        return out

    def missing(self) -> list[FormQuestion]:
        return unanswered(self.questions, self.answers())

    def focus_first_missing(self) -> None:
        missing = self.missing()
        if missing:
            self.fields[missing[0].id].setFocus()

    def clear_answers(self) -> None:
        for field in self.fields.values():
            if isinstance(field, QLineEdit):
                field.clear()
            else:
                field.setCurrentIndex(0)
