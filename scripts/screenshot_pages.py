"""The pages `make screenshots` renders: add a `Shot` here to add a picture (scripts/screenshots.py runs them).

Each shot gets a `Scene` (the main window on a real store, already shown at 1366x768) and brings the
window into the state to picture; the runner waits for every op to report back, then grabs the window.
`store` says which data the shot needs: "fresh" (an empty data directory) or "demo" (the demo venue).
The pictures README shows are the ones docs/screenshots/.gitignore keeps; the others stay local.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtWidgets import QWidget


class Scene(Protocol):
    window: Any

    def page(self, kind: str) -> Any:
        """The window's page whose class is named `kind` (DeskPage, DoorPage…), shown."""

    def settle(self) -> None:
        """Process events until no op is in flight."""

    def writer(self) -> Any:
        """The store's writer (for shots that need a record, e.g. a door scan)."""


@dataclass(frozen=True)
class Shot:
    name: str
    store: str
    prepare: Callable[[Scene], QWidget | None]  # returns what to grab; None grabs the whole window


def _welcome(scene: Scene) -> None:
    scene.page("WelcomePage").show_choices()


def _setup_step(step: int) -> Callable[[Scene], None]:
    def prepare(scene: Scene) -> None:
        welcome = scene.page("WelcomePage")
        flow = welcome.flow
        welcome.start_setup()
        flow.office.name.setText("Théâtre du Léman — Saison 2027/28")
        flow.next()
        flow.event_step.name.setText("Le Misanthrope")
        flow.event_step.location.setText("Lausanne")
        flow.next()
        flow.dates.add()
        flow.next()
        for name, places, rows, per_row in (("Parterre", 400, "", 0), ("Balcon", 0, "A-F", 24)):
            flow.zones.name.setText(name)
            flow.zones.capacity.setValue(places)
            flow.zones.rows.setText(rows)
            flow.zones.per_row.setValue(per_row)
            flow.zones.add()
        if step > 3:
            flow.next()
            for name, price in (("Plein tarif", "45"), ("AVS / Étudiant", "30,50")):
                flow.rates.name.setText(name)
                flow.rates.price.setText(price)
                flow.rates.add()
        if step > 4:
            flow.next()
    return prepare


def _events(scene: Scene) -> None:
    page = scene.page("EventsPage")
    scene.settle()
    tree = page.tree
    top = tree.topLevelItem(0)
    if top is not None and top.childCount():
        tree.setCurrentItem(top.child(top.childCount() - 1))


def _desk(scene: Scene) -> None:
    page = scene.page("DeskPage")
    scene.settle()
    quantities = page.sale_panel.quantities
    if quantities:
        quantities[0][1].setValue(2)
        page.sale_panel.customer_name.setText("Léa Favre")


def _door_setup(scene: Scene) -> None:
    scene.page("DoorPage")


def _door_webcam(scene: Scene) -> None:
    """The door's set-up with the webcam chosen, as a camera offering focus and exposure leaves it."""
    from boxoffice.ui.door.inputs import CAMERA
    from scanning.camera_controls import CameraControls

    page = scene.page("DoorPage")
    scene.settle()
    page.setup_panel.choose_input(CAMERA)
    page.setup_panel.camera_setup.show_controls(CameraControls((1280, 720), 30, 156))
    scene.settle()


def _door_scan(scene: Scene) -> None:
    from sqlalchemy import select

    from boxoffice.model.sales import Ticket
    from boxoffice.ui.door.inputs import WEDGE, InputChoice

    page = scene.page("DoorPage")
    scene.settle()
    page.setup_panel.door.setText("Entrée nord")
    page.start_scanning(InputChoice(WEDGE))
    scene.settle()
    chosen = page.setup_panel.chosen_ids()
    with scene.writer().store.session() as session:
        ticket = session.scalars(select(Ticket).where(Ticket.date_id.in_(chosen)).order_by(Ticket.id)).first()
    if ticket is not None:
        page.on_code_scanned(ticket.secret)


def _till_close(scene: Scene) -> QWidget | None:
    """The till close of the demo desk's day, counted note by note, before it is recorded."""
    page = scene.page("DeskPage")
    scene.settle()
    page.open_till_close()
    scene.settle()
    dialog = page.till_close
    if dialog is None:
        return None
    dialog.opening_float.setText("200")
    for value, pieces in ((20000, 10), (5000, 3), (2000, 2)):
        if value in dialog.count.pieces:
            dialog.count.pieces[value].setValue(pieces)
    dialog.closed_by.setText("Noé")
    return dialog


def _page(kind: str) -> Callable[[Scene], None]:
    def prepare(scene: Scene) -> None:
        scene.page(kind)
    return prepare


def _pairing_refused(scene: Scene) -> QWidget:
    from boxoffice.ui.settings.pairing import PairingDialog

    settings = scene.page("SettingsPage")
    dialog = PairingDialog(settings, settings.client)
    dialog.server.setText("http://127.0.0.1:9")  # the discard port: nothing listens there
    dialog.code.setText("ABCD-EFGH")
    dialog.show()
    dialog.pair()
    scene.settle()
    return dialog


_servers: list[Any] = []  # the shot's sync server serves until the process ends (the grab comes after)


def _profile_codes(scene: Scene) -> QWidget:
    """An organizer device's profile codes on a real server run for the shot: one used by a door, one
    revoked, and a new one just made, shown in large type."""
    import tempfile
    import uuid

    import requests

    from boxoffice.ui.settings.profile_codes import ProfileCodesDialog
    from sync.protocol import SCHEMA_HEADER, SCHEMA_VERSION
    from tests.live_server import running_server

    served = running_server(f"sqlite:///{tempfile.mkdtemp(prefix='boxoffice-shot-server-')}/server.sqlite3")
    live = served.__enter__()
    _servers.append(served)
    settings = scene.page("SettingsPage")
    client = settings.client
    client.enroll(live.url, live.organizer_code, "Bureau")
    settings.check_role()  # paired outside the pairing dialog: no "device" change was announced
    door = client.create_profile_code("door", [], 24, 2)
    requests.post(f"{live.url}/v1/devices/enroll", timeout=10, json={
        "code": door["code"], "device_id": str(uuid.uuid4()), "name": "Entrée nord"},
        headers={SCHEMA_HEADER: str(SCHEMA_VERSION)})
    desk = client.create_profile_code("desk", [], 8, 1)
    client.revoke_profile_code(desk["profile"]["id"])
    dialog = ProfileCodesDialog(settings, client, settings.current.venue_timezone)
    dialog.show()
    scene.settle()
    if dialog.dates.count():
        dialog.dates.item(0).setCheckState(dialog.dates.item(0).checkState().Checked)
    dialog.uses.setValue(3)
    dialog.make()
    scene.settle()
    return dialog


SHOTS: list[Shot] = [
    Shot("welcome", "fresh", _welcome),
    Shot("welcome-setup-zones", "fresh", _setup_step(3)),
    Shot("welcome-setup-summary", "fresh", _setup_step(5)),
    Shot("events-editor", "demo", _events),
    Shot("desk", "demo", _desk),
    Shot("door-setup", "demo", _door_setup),
    Shot("door-webcam", "demo", _door_webcam),
    Shot("door-scan", "demo", _door_scan),
    Shot("till-close", "demo", _till_close),
    Shot("passes", "demo", _page("PassesPage")),
    Shot("printers", "demo", _page("PrintersPage")),
    Shot("contacts", "demo", _page("ContactsPage")),
    Shot("settings", "demo", _page("SettingsPage")),
    Shot("pairing-refused", "demo", _pairing_refused),
    # Last: these pair the scene's copy with a server, and the Settings page then offers the codes.
    Shot("profile-codes", "demo", _profile_codes),
    Shot("settings-organizer", "demo", _page("SettingsPage")),
]
