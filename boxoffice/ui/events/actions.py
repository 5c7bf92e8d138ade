"""What each button of the Events page asks of the catalogue service, run inside one WriteOp."""

from __future__ import annotations

from typing import Any

from boxoffice.i18n import _
from boxoffice.model.events import BoxOffice
from boxoffice.money import parse_money
from boxoffice.mutations.unit_of_work import UnitOfWork
from boxoffice.services import catalogue
from boxoffice.services.catalogue_removal import delete_item


def _currency(work: UnitOfWork, event_id: str) -> str:
    event = catalogue.get_event(work.session, event_id)
    office = work.session.get(BoxOffice, event.box_office_id) if event.box_office_id else None
    return office.currency if office else "CHF"


def _rate_values(work: UnitOfWork, event_id: str, values: dict[str, Any]) -> dict[str, Any]:
    if not values["name"].strip():  # said before the price: the name is the first field
        raise catalogue.CatalogueError(_("A rate needs a name."))
    return {"name": values["name"], "price_minor": parse_money(values["price"], _currency(work, event_id)),
            "kind": values["kind"], "date_id": values["date_id"], "zone_id": values["zone_id"],
            "visible": values.get("visible", True)}


def _zone(work: UnitOfWork, event_id: str, values: dict[str, Any], zone_id: str | None) -> None:
    if zone_id is None:
        zone_id = catalogue.add_zone(work, event_id, values["name"], max(1, values["capacity"]), bool(values["rows"]))
    else:
        catalogue.update_zone(work, zone_id, name=values["name"], capacity=values["capacity"])
    if values["rows"]:
        catalogue.generate_seats(work, zone_id, values["rows"], values["per_row"])


def apply_change(work: UnitOfWork, event_id: str, action: str, values: dict[str, Any]) -> None:
    """One editor button's change, through the catalogue service (errors say why in plain words)."""
    row_id = str(values.get("id") or "")
    if action == "update_event":
        catalogue.update_event(work, event_id, **values)
    elif action == "add_date":
        catalogue.add_date(work, event_id, values["starts_at"], status=values.get("status", "on_sale"))
    elif action == "update_date":
        catalogue.update_date(work, row_id, starts_at=values["starts_at"], status=values["status"])
    elif action in ("add_zone", "update_zone"):
        _zone(work, event_id, values, row_id or None)
    elif action == "add_rate":
        rate = _rate_values(work, event_id, values)
        visible = rate.pop("visible")
        rate_id = catalogue.add_rate(work, event_id, **rate)
        if not visible:
            catalogue.update_rate(work, rate_id, visible=False)
    elif action == "update_rate":
        catalogue.update_rate(work, row_id, **_rate_values(work, event_id, values))
    elif action == "add_question":
        catalogue.add_question(work, event_id, values["label"], values.get("kind", "text"), values["required"],
                               values.get("options"))
    elif action == "update_question":
        catalogue.update_question(work, row_id, label=values["label"], kind=values["kind"],
                                  required=values["required"], options=values["options"])
    elif action == "remove":
        delete_item(work, values["entity"], values["id"])
    else:
        raise ValueError(f"unknown editor action {action!r}")


def save_box_office(work: UnitOfWork, values: dict[str, Any]) -> str:
    """Create a box office, or change an existing one's name, time zone or currency."""
    if values.get("id"):
        catalogue.update_box_office(work, values["id"], values["name"], values["timezone"], values["currency"])
        return str(values["id"])
    return catalogue.create_box_office(work, values["name"], values["timezone"], values["currency"])
