"""The registration form a guest fills in (G6, G11): accept with companions' names, or decline."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.responses import HTMLResponse

from sync.server.rsvp.answers import field_label, field_name
from sync.server.rsvp.layout import Look, esc, page
from sync.server.rsvp.pages import event_header, guest_list
from sync.server.rsvp.visit import Visit

Gettext = Callable[[str], str]


def current_values(visit: Visit) -> dict[str, Any]:
    """What the form shows first: the guest's last answers, else the pre-filled fields from the contact."""
    values: dict[str, Any] = {k: getattr(visit.guest, k) for k in ("last_name", "first_name", "email")}
    values.update(visit.guest.answers or {})
    return values


def _input(spec: dict[str, Any], name: str, value: Any, _: Gettext) -> str:
    kind, required = spec.get("kind"), " required" if spec.get("required") else ""
    if kind == "prefilled":
        kind_attr = "email" if spec.get("key") == "email" else "text"
        locked = "" if spec.get("editable", True) else " readonly"
        return f'<input type="{kind_attr}" name="{name}" value="{esc(value or "")}"{required}{locked}>'
    if kind in ("single", "multiple"):
        shape = "radio" if kind == "single" else "checkbox"
        chosen = set(value) if isinstance(value, list) else {value}
        return "".join(
            f'<label><input type="{shape}" name="{name}" value="{esc(option)}"'
            f'{" checked" if option in chosen else ""}> {esc(option)}</label>' for option in spec.get("options", []))
    if kind == "yes_no":
        choices = (("yes", True, _("Yes")), ("no", False, _("No")))
        return "".join(f'<label><input type="radio" name="{name}" value="{code}"{" checked" if value is flag else ""}>'
                       f" {esc(text)}</label>" for code, flag, text in choices)
    shape = {"number": "number", "date": "date"}.get(str(kind), "text")
    step = ' step="any"' if shape == "number" else ""
    return f'<input type="{shape}" name="{name}" value="{esc("" if value is None else value)}"{step}{required}>'


def _fields(visit: Visit, values: dict[str, Any], _: Gettext) -> str:
    parts = []
    required = esc(_("required"))
    for index, spec in enumerate(visit.invitation.form):
        label = esc(field_label(spec, _)) + (f" <small>({required})</small>" if spec.get("required") else "")
        control = _input(spec, field_name(index), values.get(spec["key"]), _)
        if spec.get("kind") in ("single", "multiple", "yes_no"):
            parts.append(f"<fieldset><legend>{label}</legend>{control}</fieldset>")
        else:
            parts.append(f"<label>{label}{control}</label>")
    return "".join(parts)


def _companions(visit: Visit, names: list[str], _: Gettext, ngettext: Callable[[str, str, int], str]) -> str:
    allowed = visit.invitation.companions
    if allowed <= 0:
        return ""
    label = _("Companion {n}")
    inputs = "".join(
        f'<label>{esc(label.format(n=slot + 1))}'
        f'<input type="text" name="companion" maxlength="200" value="{esc(names[slot] if slot < len(names) else "")}">'
        "</label>" for slot in range(allowed))
    hint = ngettext("You may bring one companion: give their name.",
                    "You may bring up to {n} companions: give their names.", allowed).format(n=allowed)
    legend = _("Companions")
    return f"<fieldset><legend>{esc(legend)}</legend><p>{esc(hint)}</p>{inputs}</fieldset>"


def form_page(visit: Visit, look: Look, csrf_value: str, values: dict[str, Any] | None = None,
              companions: list[str] | None = None, problems: list[str] | None = None,
              status: int = 200, guests: list[tuple[str, str]] | None = None) -> HTMLResponse:
    """The form, filled with `values` (the guest's last answers or what they just sent back)."""
    _ = look.gettext
    values = current_values(visit) if values is None else values
    names = [c.name for c in visit.companions] if companions is None else companions
    errors = ""
    if problems:
        errors = ('<div class="problems" role="alert"><p>' + esc(_("Please check your answer:")) + "</p><ul>"
                  + "".join(f"<li>{esc(p)}</li>" for p in problems) + "</ul></div>")
    deadline = ""
    if visit.closes_at is not None:
        deadline = '<p class="notice">' + esc(_("Please answer by {date}.").format(date=look.when(visit.closes_at)))
        deadline += "</p>"
    accept, decline = _("I accept"), _("I decline")
    body = (
        f"{event_header(visit, look)}{errors}{deadline}"
        f'<form method="post" action="/rsvp/{esc(visit.guest.token)}">'
        f'<input type="hidden" name="csrf" value="{esc(csrf_value)}">'
        f"{_fields(visit, values, _)}{_companions(visit, names, _, look.ngettext)}"
        f'<button type="submit" name="choice" value="accept">{esc(accept)}</button>'
        f'<button type="submit" name="choice" value="decline" class="secondary" formnovalidate>'
        f'{esc(decline)}</button></form>{guest_list(visit, look, guests)}')
    return page(look, _("Your answer"), body, status)
