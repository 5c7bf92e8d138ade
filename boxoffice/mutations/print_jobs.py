"""Mutations of the print log: a job is recorded as queued, then finished with its outcome."""

from __future__ import annotations

from datetime import UTC, datetime

from boxoffice.model.printing import OUTCOMES, WHATS, PrintJob
from boxoffice.mutations import Args, MutationContext, MutationRejected, Result, mutator

_SUBJECTS = ("order_id", "ticket_id", "pass_id", "contact_id")


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).astimezone(UTC)


@mutator("print_jobs.record", roles=("organizer", "desk"),
         summary=lambda a: f"print {a['what']} {a.get('label', '')!r} on {a['printer']}")
def record_print_job(ctx: MutationContext, args: Args) -> Result:
    """Add a queued job; a replay of the same id changes nothing (append-only log)."""
    if args["what"] not in WHATS:
        raise MutationRejected(f"cannot print a {args['what']!r}; expected one of {', '.join(WHATS)}")
    if ctx.session.get(PrintJob, args["id"]) is None:
        ctx.session.add(PrintJob(
            id=args["id"], what=args["what"], **{name: args.get(name) for name in _SUBJECTS},
            label=args.get("label", ""), printer=args["printer"], profile=args.get("profile", ""),
            outcome="queued", message="", reprint=bool(args.get("reprint", False)), device_id=ctx.device_id,
            created_at=_time(args.get("created_at")) or datetime.now(UTC), hlc=ctx.hlc,
        ))
    return {"id": args["id"]}


@mutator("print_jobs.finish", roles=("organizer", "desk"),
         summary=lambda a: f"print job {a['id']} {a['outcome']}")
def finish_print_job(ctx: MutationContext, args: Args) -> Result:
    """Set how a queued job ended: completed, failed or cancelled, with the printer's words."""
    if args["outcome"] not in OUTCOMES:
        raise MutationRejected(f"unknown print outcome {args['outcome']!r}")
    job = ctx.session.get(PrintJob, args["id"])
    if job is None or job.device_id not in ("", ctx.device_id):
        raise MutationRejected(f"the print job {args['id']} was never recorded")
    job.outcome = args["outcome"]
    job.message = args.get("message", "")
    job.cups_job_id = args.get("cups_job_id")
    job.finished_at = _time(args.get("finished_at")) or datetime.now(UTC)
    job.hlc = max(job.hlc, ctx.hlc)
    return {"id": job.id, "outcome": job.outcome}
