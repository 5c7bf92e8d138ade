"""The top of every page: what the page is (its title, large) and what it is for (one muted line).

The main window puts one on each page that says its `purpose`, above what the page lays out itself, so
every page opens the same way: purpose first, then its main action (the one filled button, see
`theme.set_primary`), then the rest. A page whose own first words already say this (Welcome) has no
`purpose` and no header.
"""

from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout, QFormLayout, QLabel, QVBoxLayout, QWidget

from boxoffice.ui import theme


class PageHeader(QWidget):
    def __init__(self, title: str, purpose: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(title)
        theme.set_role(self.title, theme.TITLE)
        self.purpose = QLabel(purpose, wordWrap=True)  # German purposes are long; they wrap, never widen the page
        theme.set_role(self.purpose, theme.PURPOSE)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, theme.SPACING)
        column.setSpacing(2)
        column.addWidget(self.title)
        column.addWidget(self.purpose)


def add_header(page: QWidget) -> PageHeader | None:
    """Put a header on top of `page` if it says its `purpose`; the page keeps it as `page.header`."""
    purpose = str(getattr(page, "purpose", ""))
    if not purpose:
        return None
    header = PageHeader(str(getattr(page, "title", "")), purpose, page)
    layout = page.layout()
    if isinstance(layout, QFormLayout):
        layout.insertRow(0, header)
    elif isinstance(layout, QBoxLayout) and layout.direction() == QBoxLayout.Direction.TopToBottom:
        layout.insertWidget(0, header)
    else:  # a page laid out side by side must put its columns in a vertical layout first
        raise TypeError(f"{type(page).__name__}: a page header needs a vertical or form layout, not {layout!r}")
    page.header = header  # type: ignore[attr-defined]
    return header
