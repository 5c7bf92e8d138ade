"""Printing failures, each with a message in plain words for the operator."""

from gettext import dgettext


def _(message: str) -> str:
    return dgettext("boxoffice", message)


class PrintError(Exception):
    """A print could not be made or finished; str(error) is meant for the operator."""


class PrintSystemUnavailableError(PrintError):
    """The print system (CUPS, the Windows spooler) cannot be reached."""


class PrinterMissingError(PrintError):
    """No printer of that name is installed."""


class PrinterStoppedError(PrintError):
    """The printer is paused or stopped and will not take the job."""


class OutOfCardsError(PrintError):
    """The printer reports its card hopper (media) empty."""


class JobFailedError(PrintError):
    """The job was aborted, cancelled or refused by the printer."""


class JobCancelledError(JobFailedError):
    """The job was cancelled, by the operator or at the printer, before it printed."""


class JobTimeoutError(PrintError):
    """The job did not finish within the time allowed."""


class FontMissingError(PrintError):
    """The TrueType font that badges are printed with cannot be found."""
