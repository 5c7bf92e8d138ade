"""Mutations of the print log: a job is recorded as queued, then finished with its outcome."""

from __future__ import annotations

from datetime import UTC, datetime

from boxoffice.i18n import N_
from boxoffice.model.printing import OUTCOMES, WHATS, PrintJob
from boxoffice.mutations import MutationContext, MutationRejected, Result, mutator
from boxoffice.mutations.args import Flag, Id, Int64, MutationArgs, Name, Note, Time

_SUBJECTS = ("order_id", "ticket_id", "pass_id", "contact_id")


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).astimezone(UTC)


class PrintJobRecord(MutationArgs):
    mutation = "print_jobs.record"
    id: Id
    what: Name
    order_id: Id | None = None
    ticket_id: Id | None = None
    pass_id: Id | None = None
    contact_id: Id | None = None
    label: Note = ""
    printer: Name
    profile: Name = ""
    reprint: Flag = False
    created_at: Time | None = None


class PrintJobFinish(MutationArgs):
    mutation = "print_jobs.finish"
    id: Id
    outcome: Name
    message: Note = ""
    cups_job_id: Int64 | None = None
    finished_at: Time | None = None


@mutator(PrintJobRecord, roles=("organizer", "desk"), summary=lambda a: f"print {a.what} {a.label!r} on {a.printer}")
def record_print_job(ctx: MutationContext, args: PrintJobRecord) -> Result:
    """Add a queued job; a replay of the same id changes nothing (append-only log)."""
    if args.what not in WHATS:
        raise MutationRejected(N_("cannot print a {what}; expected one of {values}"),
                               what=repr(args.what), values=', '.join(WHATS))
    if ctx.session.get(PrintJob, args.id) is None:
        ctx.session.add(PrintJob(
            id=args.id, what=args.what, **{name: getattr(args, name) for name in _SUBJECTS},
            label=args.label, printer=args.printer, profile=args.profile,
            outcome="queued", message="", reprint=args.reprint, device_id=ctx.device_id,
            created_at=_time(args.created_at) or datetime.now(UTC), hlc=ctx.hlc,
        ))
    return {"id": args.id}


@mutator(PrintJobFinish, roles=("organizer", "desk"), summary=lambda a: f"print job {a.id} {a.outcome}")
def finish_print_job(ctx: MutationContext, args: PrintJobFinish) -> Result:
    """Set how a queued job ended: completed, failed or cancelled, with the printer's words."""
    if args.outcome not in OUTCOMES:
        raise MutationRejected(N_("unknown print outcome {outcome}"), outcome=repr(args.outcome))
    job = ctx.session.get(PrintJob, args.id)
    if job is None or job.device_id not in ("", ctx.device_id):
        raise MutationRejected(N_("the print job {id} was never recorded"), id=args.id)
    job.outcome = args.outcome
    job.message = args.message
    job.cups_job_id = args.cups_job_id
    job.finished_at = _time(args.finished_at) or datetime.now(UTC)
    job.hlc = max(job.hlc, ctx.hlc)
    return {"id": job.id, "outcome": job.outcome}
