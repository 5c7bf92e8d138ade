"""The order form the desk asks before payment (T7): the event's questions and what is still unanswered.

The sale itself checks the answers again (`sales.sell`); this lets the desk say what is missing
before it tries, and keeps answers under the question's id as the order stores them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from boxoffice.i18n import _
from boxoffice.model.events import EventDate
from boxoffice.services.catalogue import questions_of


@dataclass(frozen=True)
class FormQuestion:
    id: str
    label: str
    kind: str
    required: bool
    options: tuple[str, ...]


def questions_for_date(session: Session, date_id: str) -> list[FormQuestion]:
    """The questions of the date's event, in their order."""
    date = session.get(EventDate, date_id)
    if date is None:
        return []
    return [FormQuestion(q.id, q.label, q.kind, q.required, tuple(q.options))
            for q in questions_of(session, date.event_id)]


def unanswered(questions: list[FormQuestion], answers: Mapping[str, Any]) -> list[FormQuestion]:
    """The required questions without an answer (blank counts as none)."""
    return [q for q in questions if q.required and not str(answers.get(q.id) or "").strip()]


def describe_missing(missing: list[FormQuestion]) -> str:
    """What the desk shows when required questions are still open."""
    return _("Please answer: {question}").format(question=", ".join(q.label for q in missing))
