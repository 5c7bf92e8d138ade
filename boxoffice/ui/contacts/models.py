"""Qt item models over the contact services: the lists panel and the contacts table, fetched a window at a time."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from boxoffice.i18n import _
from boxoffice.model.contacts import Contact
from boxoffice.services.contact_windows import ContactLine, SortKey
from boxoffice.services.contacts import ListSummary

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class ListsModel(QAbstractListModel):
    """Contact lists with their counts; archived ones in grey."""

    def __init__(self) -> None:
        super().__init__()
        self.lists: list[ListSummary] = []

    def replace(self, lists: list[ListSummary]) -> None:
        self.beginResetModel()
        self.lists = lists
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.lists)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.lists[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            suffix = " — " + _("archived") if item.archived else ""
            return f"{item.name}  ({item.contacts}){suffix}"
        if role == ID_ROLE:
            return item.id
        if role == Qt.ItemDataRole.ForegroundRole and item.archived:
            return Qt.GlobalColor.gray
        return None

    def row_of(self, list_id: str) -> int:
        return next((i for i, item in enumerate(self.lists) if item.id == list_id), -1)


class ContactRow:
    """What the table shows of one contact: plain values copied off the worker's session."""

    __slots__ = ("created", "email", "fields", "first_name", "id", "key", "last_name", "unsubscribed")

    def __init__(self, contact: Contact | ContactLine, unsubscribed: bool = False) -> None:
        self.id, self.email = contact.id, contact.email
        self.unsubscribed = unsubscribed  # the address opted out of the organizer's invitations
        self.first_name, self.last_name = contact.first_name, contact.last_name
        self.fields = dict(contact.fields)
        self.created = contact.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
        self.key: SortKey | None = contact.key if isinstance(contact, ContactLine) else None


class ContactsModel(QAbstractTableModel):
    """The contacts of one list: email, names, whether it still gets invitations, each custom field, creation
    date. Holds the windows fetched so far; scrolling near the end asks for the next (`more_wanted`, with the
    last row's sort key), so a list of 500,000 shows its first rows as fast as a list of 200."""

    loaded = Signal(int)
    more_wanted = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[ContactRow] = []
        self.custom_fields: list[str] = []
        self._more = False  # the last window was full: there may be rows after it
        self._fetching = False
        # Which first window the rows continue: a next window asked for before a new list or search
        # was shown must not land under it (replace() counts them, append() checks).
        self.window = 0

    def replace(self, rows: list[ContactRow], custom_fields: list[str], more: bool = False) -> None:
        self.beginResetModel()
        self.window += 1
        self.rows, self.custom_fields = rows, custom_fields
        self._more, self._fetching = more, False
        self.endResetModel()
        self.loaded.emit(len(rows))

    def append(self, rows: list[ContactRow], more: bool, window: int) -> None:
        """The next window after the rows shown, asked for while `window` was shown (else dropped)."""
        if window != self.window:
            return  # the list or the search changed meanwhile: these rows follow rows no longer shown
        self._fetching, self._more = False, more
        if rows:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(rows) - 1)
            self.rows.extend(rows)
            self.endInsertRows()
        self.loaded.emit(len(self.rows))

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more and not self._fetching and bool(self.rows)

    def fetch_failed(self) -> None:
        """The next window could not be read: scrolling to the end asks again."""
        self._fetching = False

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._fetching = True
            self.more_wanted.emit(self.rows[-1].key)

    def headers(self) -> list[str]:
        return [_("Email"), _("First name"), _("Last name"), _("Invitations"), *self.custom_fields, _("Created")]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 5 + len(self.custom_fields)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers()[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == ID_ROLE:
            return row.id
        column = index.column()
        if role == Qt.ItemDataRole.ToolTipRole and column == 3 and row.unsubscribed:
            return _("This address asked to receive no more of your invitations: they leave it out.")
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column < 3:
            return (row.email, row.first_name, row.last_name)[column]
        if column == 3:
            return _("Unsubscribed") if row.unsubscribed else ""
        if column == 4 + len(self.custom_fields):
            return row.created
        return row.fields.get(self.custom_fields[column - 4], "")
