"""What every wizard step is: a form that loads from the draft and stores back into it."""

from __future__ import annotations

from abc import ABCMeta, abstractmethod
from datetime import datetime

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QDateTimeEdit, QLabel, QWidget

from boxoffice.services.invitations import InvitationDraft


class _StepMeta(type(QWidget), ABCMeta):  # type: ignore[misc]
    """Lets a QWidget declare abstract methods (mypy then refuses a step that forgets one)."""


class Step(QWidget, metaclass=_StepMeta):
    """One step of the wizard. `load` fills the widgets, `store` copies them into the draft,
    `entered` runs each time the step is shown (to refresh what depends on earlier steps)."""

    @abstractmethod
    def load(self, draft: InvitationDraft) -> None:
        """Show the draft's values in this step's widgets."""

    @abstractmethod
    def store(self, draft: InvitationDraft) -> None:
        """Copy this step's widgets into the draft."""

    def entered(self, draft: InvitationDraft) -> None:
        """Nothing to refresh by default."""


def time_edit() -> QDateTimeEdit:
    edit = QDateTimeEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    edit.setDateTime(QDateTime.currentDateTime())
    return edit


def read_time(edit: QDateTimeEdit) -> datetime:
    """The edit's local time as an aware datetime."""
    value = edit.dateTime().toPython()
    assert isinstance(value, datetime)
    return value.astimezone()


def show_time(edit: QDateTimeEdit, value: datetime | None) -> None:
    if value is not None:
        edit.setDateTime(QDateTime(value.astimezone().replace(tzinfo=None)))


def wrapped(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label
