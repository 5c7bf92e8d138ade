"""Printing a laid-out sheet (takings, till close) on a printer the user picks, or saving it as PDF."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget


def save_as_pdf(document: QTextDocument, path: Path) -> None:
    """`document` written to `path` as PDF (small sheets: laid out on the UI thread in a few milliseconds)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    document.print_(printer)


def print_with_dialog(document: QTextDocument, parent: QWidget) -> None:
    """`document` printed on the printer chosen in the system's print dialog (nothing when it is cancelled)."""
    printer = QPrinter()
    if QPrintDialog(printer, parent).exec() == QDialog.DialogCode.Accepted:
        document.print_(printer)
