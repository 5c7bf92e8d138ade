"""Windows spooler backend through QtPrintSupport: the same calls as printing.cups, for Windows.

The only Qt module in `printing`. Needs a QGuiApplication; pages are rasterised with QtPdf at the
printer's resolution, as the Windows card-printer drivers rasterise anyway. Blocks: call it from a
worker thread, never the Qt thread.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRect, QSize, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from printing.errors import JobFailedError, PrinterMissingError, PrintError, PrinterStoppedError, _
from printing.profiles import PrinterProfile
from printing.status import JobOutcome, PrinterState, PrinterStatus

_QT_STATES = {
    QPrinter.PrinterState.Idle: PrinterState.IDLE,
    QPrinter.PrinterState.Active: PrinterState.PRINTING,
}
RESOLUTION_DPI = 300


def _status(info: QPrinterInfo) -> PrinterStatus:
    state = _QT_STATES.get(info.state(), PrinterState.STOPPED)
    return PrinterStatus(
        name=info.printerName(),
        state=state,
        message="",
        reasons=(),
        queued_jobs=0,
        accepting_jobs=state is not PrinterState.STOPPED,
        description=info.description(),
        location=info.location(),
        make_and_model=info.makeAndModel(),
    )


def _load(pdf: bytes | Path | str) -> tuple[QPdfDocument, QBuffer | None]:
    """Open the PDF; the buffer is returned so that it outlives the document reading from it."""
    document = QPdfDocument()
    buffer: QBuffer | None = None
    if isinstance(pdf, bytes):
        buffer = QBuffer()
        buffer.setData(QByteArray(pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        document.load(buffer)
    else:
        document.load(str(pdf))
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() == 0:
        raise PrintError(_("The PDF to print cannot be read."))
    return document, buffer


class QtPrinters:
    """The printers the system spooler knows (Windows; also CUPS through Qt on Linux and macOS)."""

    def printers(self) -> list[PrinterStatus]:
        return sorted((_status(info) for info in QPrinterInfo.availablePrinters()), key=lambda s: s.name)

    def printer(self, name: str) -> PrinterStatus:
        info = QPrinterInfo.printerInfo(name)
        if info.isNull():
            raise PrinterMissingError(_("There is no printer named {name}.").format(name=name))
        return _status(info)

    def submit(
        self,
        printer: str,
        pdf: bytes | Path | str,
        profile: PrinterProfile | None = None,
        title: str = "boxoffice",
        output_file: Path | str | None = None,
    ) -> JobOutcome:
        """Print every page of the PDF at its own size; `output_file` writes a PDF instead (tests, preview).

        The spooler gives no job id to follow, so this returns once the job is handed over.
        """
        started = time.monotonic()
        target = QPrinter(QPrinter.PrinterMode.HighResolution)
        if output_file is not None:
            target.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            target.setOutputFileName(str(output_file))
        else:
            status = self.printer(printer)
            if status.state is PrinterState.STOPPED:
                raise PrinterStoppedError(
                    _("The printer {name} is stopped. Resume it in the printer settings, then try again.").format(
                        name=printer
                    )
                )
            target.setPrinterName(printer)
        target.setResolution(RESOLUTION_DPI)
        target.setDocName(title)
        if profile is not None:
            target.setCopyCount(profile.copies)
        document, _buffer = _load(pdf)
        _paint(document, target, profile)
        return JobOutcome(0, printer, "completed", "", time.monotonic() - started)

    def print_pdf(
        self,
        printer: str,
        pdf: bytes | Path | str,
        profile: PrinterProfile | None = None,
        title: str = "boxoffice",
        timeout: float = 60.0,
    ) -> JobOutcome:
        """The same call as `CupsPrinters.print_pdf`; the spooler cannot be followed, so no timeout applies."""
        return self.submit(printer, pdf, profile, title)


def _page_layout(size_pt: QSizeF, profile: PrinterProfile | None) -> QPageLayout:
    landscape = profile is not None and profile.orientation == "landscape"
    orientation = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    page_size = QPageSize(size_pt, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.ExactMatch)
    return QPageLayout(page_size, orientation, QMarginsF(0, 0, 0, 0))


def _paint(document: QPdfDocument, target: QPrinter, profile: PrinterProfile | None) -> None:
    painter = QPainter()
    target.setFullPage(True)
    target.setPageLayout(_page_layout(document.pagePointSize(0), profile))
    if not painter.begin(target):
        raise JobFailedError(_("The printer {name} did not accept the job.").format(name=target.printerName()))
    try:
        for index in range(document.pageCount()):
            if index:
                target.setPageLayout(_page_layout(document.pagePointSize(index), profile))
                target.newPage()
            area = target.pageLayout().fullRectPixels(target.resolution())
            image = document.render(index, QSize(area.width(), area.height()))
            painter.drawImage(QRect(0, 0, area.width(), area.height()), image)
    finally:
        painter.end()
