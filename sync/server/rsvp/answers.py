"""Reading a guest's posted form against the invitation's registration form, and saving it through `rsvp.answer`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from boxoffice import mutations
from boxoffice.model.invitations import Companion
from boxoffice.mutations import MutationContext, Result
from boxoffice.mutations.fields import field_stamp
from boxoffice.mutations.rsvp import MAX_NAME
from boxoffice.services.email_addresses import is_valid_email
from boxoffice.services.invitation_form import answer_problems
from boxoffice.store.hlc import Timestamp
from boxoffice.store.ids import new_secret, uuid7
from sync.server import replication
from sync.server.rsvp.visit import Visit
from sync.server.tables import ChangeCounter

Posted = dict[str, list[str]]
MAX_TEXT = 2000
CHOICES = {"accept": "accepted", "decline": "declined"}


def field_name(index: int) -> str:
    """The HTML name of the form's field number `index`; keys are the organizer's labels, so not used as names."""
    return f"f{index}"


@dataclass
class Reply:
    """The form as the guest sent it, read into answer values, with every problem in the guest's language."""

    status: str
    answers: dict[str, Any] = field(default_factory=dict)
    companions: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _one(posted: Posted, name: str) -> str:
    values = posted.get(name) or [""]
    return values[0].strip()[:MAX_TEXT]


def _value(visit: Visit, spec: dict[str, Any], posted: Posted, name: str) -> Any:
    kind = spec.get("kind")
    if kind == "prefilled" and not spec.get("editable", True):
        return getattr(visit.guest, spec["key"], "")
    if kind == "multiple":
        return [v.strip() for v in posted.get(name, []) if v.strip()]
    text = _one(posted, name)
    if kind == "yes_no":
        return {"yes": True, "no": False}.get(text, text or None)
    if kind == "number" and text:
        for convert in (int, float):
            try:
                return convert(text)
            except ValueError:
                continue
    return text


def read_reply(visit: Visit, posted: Posted, gettext: Callable[[str], str],
               ngettext: Callable[[str, str, int], str]) -> Reply:
    """The guest's choice, answers and companions' names; problems say which field and why."""
    _ = gettext
    reply = Reply(CHOICES.get(_one(posted, "choice"), ""))
    if not reply.status:
        reply.problems.append(_("Choose whether you accept or decline the invitation."))
        return reply
    for index, spec in enumerate(visit.invitation.form):
        reply.answers[spec["key"]] = _value(visit, spec, posted, field_name(index))
    names = [n.strip() for n in posted.get("companion", [])]
    reply.companions = names
    if reply.status == "declined":
        return reply
    for spec in visit.invitation.form:
        reply.problems += _field_problems(spec, reply.answers.get(spec["key"]), _)
    if len(names) > visit.invitation.companions:
        reply.problems.append(ngettext(
            "You may bring at most {n} companion.", "You may bring at most {n} companions.",
            visit.invitation.companions).format(n=visit.invitation.companions))
    if any(len(n) > MAX_NAME for n in names):
        reply.problems.append(ngettext("A companion's name can have at most {n} character.",
                                         "A companion's name can have at most {n} characters.", MAX_NAME
                                       ).format(n=MAX_NAME))
    return reply


def _field_problems(spec: dict[str, Any], value: Any, _: Callable[[str], str]) -> list[str]:
    """The service's check, field by field, so its verdict is said in the guest's language."""
    label = field_label(spec, _)
    if not answer_problems([spec], {spec["key"]: value}):
        if spec.get("kind") == "prefilled" and spec["key"] == "email" and value and not is_valid_email(str(value)):
            return [_("“{email}” is not a valid email address.").format(email=value)]
        return []
    if value in (None, "", []):
        return [_("“{label}” is required.").format(label=label)]
    return [_("“{label}”: this answer is not valid.").format(label=label)]


def field_label(spec: dict[str, Any], _: Callable[[str], str]) -> str:
    """A pre-filled field's label in the guest's language (the device saved it in the organizer's)."""
    labels = {"last_name": _("Last name"), "first_name": _("First name"), "email": _("Email")}
    if spec.get("kind") == "prefilled" and spec.get("key") in labels:
        return labels[spec["key"]]
    return str(spec.get("label", ""))


def _companion_rows(current: list[Companion], names: list[str]) -> list[dict[str, str]]:
    """Slot i of the form edits the guest's companion i: renamed ones keep their door code."""
    wanted = []
    for slot, name in enumerate(names):
        if not name:
            continue
        if slot < len(current):
            wanted.append({"id": current[slot].id, "name": name, "code": current[slot].code})
        else:
            wanted.append({"id": uuid7(), "name": name, "code": new_secret()})
    return wanted


def _stamp_after(session: Session, visit: Visit) -> str:
    """The server's clock, or just after the guest row's newest stamp when that is ahead (a device's fast clock)."""
    now = Timestamp.parse(replication.server_hlc())
    stamps = [visit.guest.hlc, *[field_stamp(visit.guest, f) for f in ("status", "answers", "answered_at")]]
    stamps += list(session.scalars(select(Companion.hlc).where(Companion.guest_id == visit.guest.id)))
    newest = max((Timestamp.parse(s) for s in stamps if s), default=now)
    return str(now) if now > newest else str(newest.successor("server"))


def lock_changes(session: Session, organizer_id: str) -> None:
    """Take the lock a push takes first: one organizer's changes are numbered one transaction at a time.

    Taken before the guest's rows are read for writing, in the same order as a push, so the two never deadlock.
    """
    session.execute(select(ChangeCounter.value).where(ChangeCounter.organizer_id == organizer_id).with_for_update())


def save_reply(session: Session, visit: Visit, reply: Reply, now: datetime) -> Result:
    """Run `rsvp.answer` in the caller's transaction (after `lock_changes`) and number its rows for the
    organizer's next pull."""
    args = {"guest_id": visit.guest.id, "status": reply.status, "answers": reply.answers,
            "answered_at": now.isoformat(),
            "companions": _companion_rows(visit.companions, reply.companions) if reply.status == "accepted" else []}
    ctx = MutationContext(session, _stamp_after(session, visit), "server", "guest", on_server=True, role="guest",
                          owner_check=lambda entity, row_id: replication.owned_by(
                              session, visit.organizer_id, entity, row_id), organizer_id=visit.organizer_id)
    result = mutations.lookup("rsvp.answer").run(ctx, args)
    session.flush()
    # replication's own numbering, so these rows reach devices exactly as pushed changes do.
    replication.number_changes(session, visit.organizer_id, ctx.touched)
    return result
