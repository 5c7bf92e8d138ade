"""The registration form a guest fills in when accepting (G6): its fields as JSON, and their checks."""

from __future__ import annotations

from datetime import date
from typing import Any

from boxoffice.i18n import N_, _

PREFILLED = {"last_name": N_("Last name"), "first_name": N_("First name"), "email": N_("Email")}
FIELD_KINDS = {
    "text": N_("Text"), "single": N_("Single choice"), "multiple": N_("Multiple choice"),
    "yes_no": N_("Yes or no"), "number": N_("Number"), "date": N_("Date"),
}
CHOICE_KINDS = ("single", "multiple")


class FormError(ValueError):
    """The form or an answer to it is not right; the message says which field and why."""


def default_form() -> list[dict[str, Any]]:
    """The three pre-filled fields, editable by the guest."""
    return [{"key": key, "kind": "prefilled", "label": _(label), "editable": True, "required": True}
            for key, label in PREFILLED.items()]


def added_field(label: str, kind: str, options: list[str] | None = None, required: bool = False,
                key: str = "") -> dict[str, Any]:
    return {"key": key or label.strip(), "kind": kind, "label": label.strip(), "required": required,
            "options": [o.strip() for o in options or []]}


def form_problems(form: list[dict[str, Any]]) -> list[str]:
    """Every problem of the form at once, in plain words."""
    problems: list[str] = []
    keys = [f.get("key", "") for f in form]
    missing = [k for k in PREFILLED if k not in keys]
    if missing:
        problems.append(_("The form must keep the fields {names}.").format(names=", ".join(missing)))
    labels: set[str] = set()
    for field in form:
        label = str(field.get("label", "")).strip()
        if not label:
            problems.append(_("Every field needs a label."))
            continue
        if label.lower() in labels:
            problems.append(_("Two fields are called “{label}”.").format(label=label))
        labels.add(label.lower())
        problems += _field_problems(field, label)
    return problems


def _field_problems(field: dict[str, Any], label: str) -> list[str]:
    kind = field.get("kind")
    if kind == "prefilled":
        return [] if field.get("key") in PREFILLED else [_("“{label}” cannot be pre-filled.").format(label=label)]
    if kind not in FIELD_KINDS:
        return [_("“{label}” has an unknown kind of field.").format(label=label)]
    options = [str(o).strip() for o in field.get("options", [])]
    if kind in CHOICE_KINDS:
        if len(options) < 2 or not all(options):
            return [_("“{label}” needs at least two choices, none empty.").format(label=label)]
        if len({o.lower() for o in options}) != len(options):
            return [_("“{label}” offers the same choice twice.").format(label=label)]
    elif options:
        return [_("“{label}” is not a choice and takes no options.").format(label=label)]
    return []


def check_form(form: list[dict[str, Any]]) -> None:
    problems = form_problems(form)
    if problems:
        raise FormError(" ".join(problems))


def answer_problems(form: list[dict[str, Any]], answers: dict[str, Any]) -> list[str]:
    """What is wrong with a guest's answers (for the server's RSVP page and its tests)."""
    problems = []
    for field in form:
        label, value = field["label"], answers.get(field["key"])
        if value in (None, "", []):
            if field.get("required"):
                problems.append(_("“{label}” is required.").format(label=label))
            continue
        if not _answer_fits(field, value):
            problems.append(_("“{label}”: this answer is not valid.").format(label=label))
    return problems


def _answer_fits(field: dict[str, Any], value: Any) -> bool:
    kind, options = field["kind"], field.get("options", [])
    if kind == "single":
        return value in options
    if kind == "multiple":
        return isinstance(value, list) and all(v in options for v in value)
    if kind == "yes_no":
        return isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "date":
        try:
            date.fromisoformat(str(value))
        except ValueError:
            return False
        return True
    return isinstance(value, str)
