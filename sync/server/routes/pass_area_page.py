# SPDX-License-Identifier: AGPL-3.0-or-later
"""The HTML of the holder's pass area (P5): the pass, its dates with their seat, and the resale form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi.responses import HTMLResponse

from boxoffice.model.passes import Pass, PassDefinition
from boxoffice.money import format_money
from boxoffice.services.passes import PAYOUT_KINDS, holder_name, resale_campaign
from boxoffice.services.resale import STATUSES, ResaleDate
from sync.server.rsvp.layout import Look, esc, page

Gettext = Callable[[str], str]
CSRF_FIELD = "csrf"


@dataclass(frozen=True)
class PassView:
    """What the page shows: the pass, its definition, its dates and what the holder last typed."""

    held: Pass
    definition: PassDefinition
    dates: list[ResaleDate]
    form: dict[str, str] = field(default_factory=dict)
    problem: str = ""
    saved: bool = False


def _summary(view: PassView, look: Look) -> str:
    _ = look.gettext
    held, definition = view.held, view.definition
    pairs = [(_("Holder"), holder_name(held.holder))]
    if held.credit_minor:
        pairs.append((_("Credit on the pass"), format_money(held.credit_minor, definition.currency, look.language)))
    if held.state != "valid":
        pairs.append((_("State"), _("This pass is no longer valid.")))
    facts = "".join(f"<dt>{esc(term)}</dt><dd>{esc(value)}</dd>" for term, value in pairs)
    return f"<h1>{esc(definition.name)}</h1><dl>{facts}</dl>"


def _dates_table(view: PassView, look: Look) -> str:
    _ = look.gettext
    if not view.dates:
        nothing = _("This pass holds no numbered seat on a coming date.")
        return f"<p>{esc(nothing)}</p>"
    rows = []
    for date in view.dates:
        status = _(STATUSES[date.status]) if date.status else (_("you come") if date.open else _("sales closed"))
        rows.append(f'<tr id="date-{esc(date.date_id)}"><td>{esc(date.event)}</td><td>{esc(look.when(date.starts_at))}'
                    f"</td><td>{esc(date.seat)}</td><td>{esc(status)}</td></tr>")
    head = "".join(f"<th>{esc(h)}</th>" for h in (_("Event"), _("Date"), _("Seat"), _("Status")))
    title = _("Your seats")
    return f'<h2>{esc(title)}</h2><table id="dates"><tr>{head}</tr>{"".join(rows)}</table>'


def _payout_choices(campaign: dict[str, Any], chosen: str, _: Gettext) -> str:
    choices = []
    for kind in campaign["payout_kinds"]:
        label = _(PAYOUT_KINDS[kind])
        if kind == "donation" and campaign.get("donation_to"):
            label = _("donation to {receiver}").format(receiver=campaign["donation_to"])
        checked = " checked" if kind == chosen or (not chosen and kind == campaign["payout_kinds"][0]) else ""
        choices.append(f'<label><input type="radio" name="payout_kind" value="{esc(kind)}"{checked}> '
                       f"{esc(label)}</label>")
    return "".join(choices)


def _resale_form(view: PassView, look: Look, csrf_value: str) -> str:
    _ = look.gettext
    campaign = resale_campaign(view.definition)
    open_dates = [d for d in view.dates if d.open]
    if campaign is None or view.held.state != "valid" or not open_dates:
        return ""
    form = view.form
    options = "".join(
        f'<option value="{esc(d.date_id)}"{" selected" if form.get("date_id") == d.date_id else ""}>'
        f"{esc(d.event)} — {esc(look.when(d.starts_at))}</option>" for d in open_dates)
    share = _("When your seat is sold again you get {percentage} % of the price it is sold at.").format(
        percentage=campaign["percentage"])
    words = {"title": _("Put a seat on resale"), "date": _("Date"), "payout": _("Payout"),
             "transfer": _("For a bank transfer"), "holder": _("Account holder"), "iban": _("IBAN"),
             "submit": _("Put my seat on resale")}
    w = {key: esc(value) for key, value in words.items()}
    return (
        f'<h2>{w["title"]}</h2><p>{esc(share)}</p>'
        f'<form method="post" id="resale"><input type="hidden" name="{CSRF_FIELD}" value="{esc(csrf_value)}">'
        f'<label>{w["date"]} <select name="date_id">{options}</select></label>'
        f'<fieldset><legend>{w["payout"]}</legend>'
        f'{_payout_choices(campaign, form.get("payout_kind", ""), _)}</fieldset>'
        f'<fieldset><legend>{w["transfer"]}</legend>'
        f'<label>{w["holder"]} <input type="text" name="account_holder" maxlength="200" '
        f'value="{esc(form.get("account_holder", ""))}"></label>'
        f'<label>{w["iban"]} <input type="text" name="iban" maxlength="50" autocomplete="off" '
        f'value="{esc(form.get("iban", ""))}"></label></fieldset>'
        f'<button type="submit">{w["submit"]}</button></form>')


def pass_page(view: PassView, look: Look, csrf_value: str, status: int = 200) -> HTMLResponse:
    _ = look.gettext
    saved = _("Your seat is on resale. We will let you know when it is sold.")
    notice = f'<p class="notice" id="saved">{esc(saved)}</p>' if view.saved else ""
    problem = f'<p class="problems" id="problem">{esc(view.problem)}</p>' if view.problem else ""
    body = _summary(view, look) + notice + problem + _dates_table(view, look) + _resale_form(view, look, csrf_value)
    return page(look, view.definition.name, body, status)


def message_page(look: Look, title: str, message: str, status: int) -> HTMLResponse:
    return page(look, title, f"<h1>{esc(title)}</h1><p>{esc(message)}</p>", status)
