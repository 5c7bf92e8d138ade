"""Print badges, passes and tickets: render, send to a printer, and keep the print log (PR3, P4).

The printer backend (CUPS or the Windows spooler) is handed in by the composition root or the
CLI: this module never picks one. Printing runs on a worker thread and blocks on the printer.
Unlike other services it takes the `Writer`, not a unit of work: each card's log entry is
committed on its own, before and after the job, because a printed card cannot be rolled back
and the writer must not stay locked while a card printer takes seconds per card.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from boxoffice.i18n import _, ngettext
from boxoffice.model.printing import PRINTED_OUTCOMES, PrintJob
from boxoffice.mutations.print_jobs import PrintJobFinish, PrintJobRecord
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services.print_records import PrintItem
from boxoffice.store.ids import uuid7
from printing.errors import JobCancelledError, PrintError
from printing.layout import Background, Layout
from printing.profiles import PrinterProfile
from printing.render import Record, render_pdf
from printing.status import JobOutcome, PrinterStatus

ProgressCallback = Callable[[int, int, str], None]


class PrinterBackend(Protocol):
    """What the service needs of a spooler: `printing.cups.CupsPrinters` or `printing.qtprint.QtPrinters`."""

    def printers(self) -> list[PrinterStatus]: ...

    def printer(self, name: str) -> PrinterStatus: ...

    def print_pdf(self, printer: str, pdf: bytes, profile: PrinterProfile | None = None,
                  title: str = "boxoffice", timeout: float = 60.0) -> JobOutcome: ...


@dataclass
class PrintReport:
    """How a print run went: printed and skipped cards, and the error that stopped it, if any."""

    total: int
    printed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    job_ids: list[int] = field(default_factory=list)
    error: str = ""
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return not self.error and not self.cancelled

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "printed": self.printed, "skipped": self.skipped, "job_ids": self.job_ids,
                "error": self.error, "cancelled": self.cancelled}

    def summary(self) -> str:
        # Two counts: each half agrees with its own number.
        text = ngettext("{printed} of {total} printed", "{printed} of {total} printed", len(self.printed)).format(
            printed=len(self.printed), total=self.total) + ", " + ngettext(
            "{n} already printed before.", "{n} already printed before.", len(self.skipped)).format(n=len(self.skipped))
        if self.cancelled:
            text += " " + _("Stopped: the print run was cancelled.")
        if self.error:
            text += " " + _("Stopped: {error}").format(error=self.error)
        return text


def with_appearance(layout: Layout, appearance: dict[str, Any]) -> Layout:
    """P3: a pass definition's background picture or PDF and text colour over the layout."""
    if not appearance:
        return layout
    background = layout.background
    if appearance.get("background_image") or appearance.get("background_pdf"):
        background = Background(image=appearance.get("background_image") or None,
                                pdf=appearance.get("background_pdf") or None)
    return replace(layout, background=background, text_color=appearance.get("text_color") or layout.text_color)


def _subject(item: PrintItem) -> Any:
    if item.ticket_id:
        return PrintJob.ticket_id == item.ticket_id
    if item.pass_id:
        return PrintJob.pass_id == item.pass_id
    return PrintJob.contact_id == item.contact_id


def already_printed(session: Session, item: PrintItem) -> bool:
    """True when this badge, pass or ticket was queued or printed before (failed jobs do not count)."""
    query = select(PrintJob.id).where(_subject(item), PrintJob.what == item.what,
                                      PrintJob.outcome.in_(PRINTED_OUTCOMES))
    return session.scalars(query.limit(1)).first() is not None


def split_printed(session: Session, items: Sequence[PrintItem]) -> tuple[list[PrintItem], list[PrintItem]]:
    """(not yet printed, already printed): an automatic run prints only the first."""
    pending: list[PrintItem] = []
    done: list[PrintItem] = []
    for item in items:
        (done if already_printed(session, item) else pending).append(item)
    return pending, done


def render_items(layout: Layout, items: Iterable[PrintItem], title: str = "") -> bytes:
    """One PDF of every item, pages in order; items with their own appearance get their own pages."""
    groups: list[tuple[Layout, list[PrintItem]]] = []
    for item in items:
        effective = with_appearance(layout, dict(item.appearance))
        if groups and groups[-1][0] == effective:
            groups[-1][1].append(item)
        else:
            groups.append((effective, [item]))
    if not groups:
        raise PrintError(_("There is nothing to print."))
    parts = [render_pdf(group_layout, [i.record for i in group], title) for group_layout, group in groups]
    return parts[0] if len(parts) == 1 else _join(parts, title or layout.name)


def _join(parts: list[bytes], title: str) -> bytes:
    """The groups' PDFs one after the other in one document (pypdf), titled as a single group's would be."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    writer.add_metadata({"/Title": title, "/Creator": "boxoffice"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _record_queued(writer: Writer, item: PrintItem, printer: str, profile: str, reprint: bool) -> str:
    job_id = uuid7()
    args = PrintJobRecord(id=job_id, what=item.what, order_id=item.order_id, ticket_id=item.ticket_id,
                          pass_id=item.pass_id, contact_id=item.contact_id, label=item.label, printer=printer,
                          profile=profile, reprint=reprint, created_at=datetime.now(UTC).isoformat())
    with writer.transaction() as work:
        work.run(args)
    return job_id


def _record_outcome(writer: Writer, job_id: str, outcome: str, message: str = "", cups_job: int | None = None) -> None:
    with writer.transaction() as work:
        work.run(PrintJobFinish(id=job_id, outcome=outcome, message=message, cups_job_id=cups_job,
                                finished_at=datetime.now(UTC).isoformat()))


def print_one(writer: Writer, backend: PrinterBackend, item: PrintItem, printer: str, profile: PrinterProfile,
              layout: Layout, reprint: bool = False) -> JobOutcome:
    """Log, render, send and log the outcome of one card; raises PrintError after logging a failure."""
    job_id = _record_queued(writer, item, printer, profile.name, reprint)
    try:
        pdf = render_pdf(with_appearance(layout, dict(item.appearance)), [item.record], item.label)
        outcome = backend.print_pdf(printer, pdf, profile, item.label or "boxoffice")
    except JobCancelledError as error:
        _record_outcome(writer, job_id, "cancelled", str(error))
        raise
    except Exception as error:
        # Anything that stopped the job, PrintError or a bug, leaves a failed entry, never a queued one.
        _record_outcome(writer, job_id, "failed", str(error))
        raise
    _record_outcome(writer, job_id, outcome.state, outcome.message, outcome.job_id or None)
    return outcome


def print_items(writer: Writer, backend: PrinterBackend, items: Sequence[PrintItem], printer: str,
                profile: PrinterProfile, layout: Layout, *, reprint: bool = False,
                on_progress: ProgressCallback | None = None,
                is_cancelled: Callable[[], bool] | None = None) -> PrintReport:
    """Print each item as its own job, skipping those printed before unless `reprint`.

    `on_progress(done, total, label)` is called before each card and at the end; `is_cancelled()`
    is asked between cards. The first PrintError stops the run (the next cards would meet the same
    stopped printer); it is logged and returned in the report, not raised.
    """
    with writer.store.session() as session:
        before = [already_printed(session, item) for item in items]
    pending = [(item, was) for item, was in zip(items, before, strict=True) if reprint or not was]
    report = PrintReport(total=len(items), skipped=[i.label for i, was in zip(items, before, strict=True)
                                                    if was and not reprint])
    for index, (item, was_printed) in enumerate(pending):
        if is_cancelled is not None and is_cancelled():
            report.cancelled = True
            break
        if on_progress is not None:
            on_progress(index, len(pending), _("Printing {n} of {total}: {label}").format(
                n=index + 1, total=len(pending), label=item.label))
        try:
            outcome = print_one(writer, backend, item, printer, profile, layout, was_printed)
        except PrintError as error:
            report.error = str(error)
            break
        report.printed.append(item.label)
        if outcome.job_id:
            report.job_ids.append(outcome.job_id)
    if on_progress is not None:
        on_progress(len(pending), len(pending), report.summary())
    return report


@dataclass(frozen=True)
class LoggedJob:
    """A print log entry as the Printers page and `boxoffice printers` show it."""

    created_at: datetime
    what: str
    label: str
    printer: str
    profile: str
    outcome: str
    message: str
    cups_job_id: int | None
    reprint: bool


def recent_jobs(session: Session, limit: int = 50, printer: str | None = None) -> list[LoggedJob]:
    """The newest print log entries first (ids are time-ordered UUIDv7)."""
    query = select(PrintJob).order_by(PrintJob.id.desc()).limit(limit)
    if printer:
        query = query.where(PrintJob.printer == printer)
    return [LoggedJob(j.created_at, j.what, j.label, j.printer, j.profile, j.outcome, j.message, j.cups_job_id,
                      j.reprint) for j in session.scalars(query)]


def test_card_pdf(profile: PrinterProfile, layout: Layout, printer: str = "") -> bytes:
    """The technician's test card as a PDF, with or without a printer (PR4)."""
    variables = {"title": _("Test card"), "printer": printer or _("no printer"), "profile": profile.name,
                 "date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")}
    return render_pdf(layout, [Record(variables, f"TEST {printer or profile.name}")], _("Test card"))


def print_test_card(backend: PrinterBackend, printer: str, profile: PrinterProfile, layout: Layout) -> JobOutcome:
    """Print the technician's test card (PR4); not logged, it is no badge, pass or ticket."""
    return backend.print_pdf(printer, test_card_pdf(profile, layout, printer), profile, _("Test card"))
