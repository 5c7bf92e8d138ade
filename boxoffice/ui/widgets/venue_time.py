"""A date-and-time field in the venue's time zone, in the interface language's format."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime
from PySide6.QtWidgets import QDateTimeEdit, QWidget

from boxoffice.moments import locale_name


class VenueDateTimeEdit(QDateTimeEdit):
    """Shows and reads wall-clock time at the venue, whatever the computer's own time zone is."""

    def __init__(self, timezone: str = "Europe/Zurich", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.timezone = timezone
        locale = QLocale(locale_name())
        self.setLocale(locale)
        # The language's short date with a 24-hour time, never Qt's "9 12 2026 03:09".
        date_format = locale.dateFormat(QLocale.FormatType.ShortFormat)
        if "yyyy" not in date_format:
            date_format = date_format.replace("yy", "yyyy")
        self.setDisplayFormat(f"{date_format} HH:mm")
        self.set_moment(datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=7, hours=1))

    def set_timezone(self, timezone: str) -> None:
        moment = self.moment()
        self.timezone = timezone
        self.set_moment(moment)

    def set_moment(self, moment: datetime) -> None:
        local = moment.astimezone(ZoneInfo(self.timezone))
        self.setDateTime(QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute)))

    def moment(self) -> datetime:
        """The typed wall-clock time at the venue, as an aware datetime in UTC."""
        value = self.dateTime()
        day, time = value.date(), value.time()
        local = datetime(day.year(), day.month(), day.day(), time.hour(), time.minute(),
                         tzinfo=ZoneInfo(self.timezone))
        return local.astimezone(UTC)
