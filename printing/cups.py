"""CUPS backend through pycups: list printers, submit a PDF, follow a job, cancel it.

Every call opens its own connection (pycups connections are not thread-safe) and blocks:
call it from a worker, never from the Qt thread. Every failure is a PrintError in plain words.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import cups

from printing.errors import (
    JobCancelledError,
    JobFailedError,
    JobTimeoutError,
    OutOfCardsError,
    PrinterMissingError,
    PrintError,
    PrinterStoppedError,
    PrintSystemUnavailableError,
    _,
)
from printing.profiles import PrinterProfile
from printing.status import JobOutcome, PrinterState, PrinterStatus

_IPP_NOT_FOUND = 0x0406
_JOB_DONE = {7: "cancelled", 8: "aborted", 9: "completed"}
_PRINTER_ATTRIBUTES = [
    "printer-state",
    "printer-state-message",
    "printer-state-reasons",
    "printer-is-accepting-jobs",
    "queued-job-count",
    "printer-info",
    "printer-location",
    "printer-make-and-model",
    "device-uri",
]


def _status(name: str, attributes: dict[str, Any]) -> PrinterStatus:
    reasons = tuple(r for r in attributes.get("printer-state-reasons", []) if r != "none")
    accepting = bool(attributes.get("printer-is-accepting-jobs", True))
    raw_state = attributes.get("printer-state", 3)
    state = {3: PrinterState.IDLE, 4: PrinterState.PRINTING}.get(raw_state, PrinterState.STOPPED)
    if not accepting or "paused" in reasons:
        state = PrinterState.STOPPED
    return PrinterStatus(
        name=name,
        state=state,
        message=str(attributes.get("printer-state-message", "")),
        reasons=reasons,
        queued_jobs=int(attributes.get("queued-job-count", 0)),
        accepting_jobs=accepting,
        description=str(attributes.get("printer-info", "")),
        location=str(attributes.get("printer-location", "")),
        make_and_model=str(attributes.get("printer-make-and-model", "")),
        device_uri=str(attributes.get("device-uri", "")),
    )


def _raise_if_unusable(status: PrinterStatus) -> None:
    """Refuse to queue a job that would sit unprinted: the operator must act first."""
    detail = f" ({status.message})" if status.message else ""
    if status.out_of_cards:
        raise OutOfCardsError(
            _("The printer {name} is out of cards. Load cards and try again.").format(name=status.name) + detail
        )
    if status.state is PrinterState.STOPPED:
        raise PrinterStoppedError(
            _("The printer {name} is stopped. Resume it in the printer settings, then try again.").format(
                name=status.name
            )
            + detail
        )


class CupsPrinters:
    """The print queues of one CUPS server (default: the system's, or `server` as host:port or socket)."""

    def __init__(self, server: str | None = None) -> None:
        self.server = server

    @contextmanager
    def connection(self) -> Iterator[Any]:
        """A fresh pycups connection, with pycups' own exceptions turned into PrintError."""
        try:
            yield self._connect()
        except cups.IPPError as error:
            status, text = error.args if len(error.args) == 2 else (0, str(error))
            raise PrintError(
                _("The print system refused the request: {reason}").format(reason=text or status)
            ) from None
        except (cups.HTTPError, RuntimeError) as error:
            raise PrintSystemUnavailableError(
                _("The print system (CUPS) cannot be reached. Check that it is installed and running.")
            ) from error

    def _connect(self) -> Any:
        if self.server is not None:
            # Set globally, not only per connection: libcups builds job URIs from the global server
            # and port (cupsPrintFile2), so a per-connection host alone gets "printer does not exist".
            host, _colon, port = self.server.rpartition(":")
            if port.isdigit() and not self.server.startswith("/"):
                cups.setServer(host)
                cups.setPort(int(port))
            else:
                cups.setServer(self.server)
        return cups.Connection()

    def printers(self) -> list[PrinterStatus]:
        """Every queue with its state, message and number of waiting jobs, by name."""
        with self.connection() as connection:
            names = sorted(connection.getPrinters())
            return [
                _status(name, connection.getPrinterAttributes(name, requested_attributes=_PRINTER_ATTRIBUTES))
                for name in names
            ]

    def printer(self, name: str) -> PrinterStatus:
        """One queue's state; raises PrinterMissingError when there is no such queue."""
        with self.connection() as connection:
            try:
                attributes = connection.getPrinterAttributes(name, requested_attributes=_PRINTER_ATTRIBUTES)
            except cups.IPPError as error:
                if error.args and error.args[0] == _IPP_NOT_FOUND:
                    problem = _("There is no printer named {name}.")
                    raise PrinterMissingError(problem.format(name=name)) from None
                raise
            return _status(name, attributes)

    def submit(
        self, printer: str, pdf: bytes | Path | str, profile: PrinterProfile | None = None, title: str = "boxoffice"
    ) -> int:
        """Queue the PDF on `printer` with the profile's options; returns the job id."""
        _raise_if_unusable(self.printer(printer))
        options = profile.cups_options() if profile is not None else {}
        with _as_file(pdf) as path, self.connection() as connection:
            return int(connection.printFile(printer, str(path), title, options))

    def job(self, job_id: int) -> dict[str, Any]:
        """The job's raw IPP attributes (state, reasons, printer message)."""
        with self.connection() as connection:
            try:
                return dict(connection.getJobAttributes(job_id))
            except cups.IPPError as error:
                if error.args and error.args[0] == _IPP_NOT_FOUND:
                    problem = _("The print job {job} no longer exists.")
                    raise JobFailedError(problem.format(job=job_id)) from None
                raise

    def follow(
        self, job_id: int, timeout: float = 60.0, poll: float = 0.2, on_progress: Callable[[str], None] | None = None
    ) -> JobOutcome:
        """Wait until the job completes; raises OutOfCardsError, JobFailedError or JobTimeoutError."""
        started = time.monotonic()
        while True:
            attributes = self.job(job_id)
            printer = str(attributes.get("job-printer-uri", "")).rsplit("/", 1)[-1]
            state = int(attributes.get("job-state", 3))
            message = str(attributes.get("job-printer-state-message", "") or "")
            if on_progress is not None:
                on_progress(message)
            if state in _JOB_DONE:
                return _finished(job_id, printer, state, message, time.monotonic() - started)
            if time.monotonic() - started > timeout:
                problem = _("The print job {job} on {printer} has not finished after {seconds} s.")
                raise JobTimeoutError(problem.format(job=job_id, printer=printer, seconds=round(timeout)))
            if state != 5:  # not printing yet: a stopped printer (no cards, filter failed) never will
                _raise_if_unusable(self.printer(printer))
            time.sleep(poll)

    def cancel(self, job_id: int) -> None:
        """Cancel a queued or printing job; cancelling a finished job is not an error."""
        with self.connection() as connection:
            try:
                connection.cancelJob(job_id)
            except cups.IPPError as error:
                if error.args and error.args[0] in (0x0404, _IPP_NOT_FOUND, 0x0407):  # not possible, gone
                    return
                raise

    def print_pdf(
        self,
        printer: str,
        pdf: bytes | Path | str,
        profile: PrinterProfile | None = None,
        title: str = "boxoffice",
        timeout: float = 60.0,
    ) -> JobOutcome:
        """Submit and follow to the end: the whole "print passes" step for a worker thread."""
        return self.follow(self.submit(printer, pdf, profile, title), timeout)


def _finished(job_id: int, printer: str, state: int, message: str, seconds: float) -> JobOutcome:
    outcome = JobOutcome(job_id, printer, _JOB_DONE[state], message, seconds)
    detail = f" ({message})" if message else ""
    if outcome.state == "cancelled":
        raise JobCancelledError(
            _("The print job {job} on {printer} was cancelled.").format(job=job_id, printer=printer) + detail
        )
    if outcome.state == "aborted":
        raise JobFailedError(
            _("The printer {printer} could not print job {job}.").format(job=job_id, printer=printer) + detail
        )
    return outcome


@contextmanager
def _as_file(pdf: bytes | Path | str) -> Iterator[Path]:
    """pycups prints files only: spill PDF bytes to a temporary file for the call."""
    if not isinstance(pdf, bytes):
        path = Path(pdf)
        if not path.is_file():
            raise PrintError(_("The file {path} to print does not exist.").format(path=path))
        yield path
        return
    with tempfile.NamedTemporaryFile(suffix=".pdf", prefix="boxoffice-") as handle:
        handle.write(pdf)
        handle.flush()
        yield Path(handle.name)
