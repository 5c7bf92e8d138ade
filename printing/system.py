"""The system's print spooler for this platform: CUPS on Linux and macOS, the Windows spooler on Windows."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from printing.cups import CupsPrinters
    from printing.qtprint import QtPrinters


def system_printers(server: str | None = None) -> CupsPrinters | QtPrinters:
    """The backend a composition root hands to the print service (PR2).

    `server` (host:port or a socket path) picks a CUPS server other than the system's; without it
    libcups also honours the CUPS_SERVER environment variable. Imports lazily: pycups does not
    exist on Windows and QtPrintSupport is not needed elsewhere.
    """
    if sys.platform == "win32":
        from printing.qtprint import QtPrinters

        return QtPrinters()
    from printing.cups import CupsPrinters

    return CupsPrinters(server)
