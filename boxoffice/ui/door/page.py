# SPDX-License-Identifier: AGPL-3.0-or-later
"""The Door page: set the door up, then scan; every verdict is a WriteOp on the single writer."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from boxoffice import settings
from boxoffice.i18n import _
from boxoffice.services import door
from boxoffice.services.door import DoorSetup, Verdict
from boxoffice.services.door_lists import (
    DoorChoices,
    DoorCounts,
    default_ids,
    door_choices,
    door_counts,
    make_setup,
    search_holders,
)
from boxoffice.ui.changes import ChangeSet, changes
from boxoffice.ui.door.camera_preview import follow
from boxoffice.ui.door.cameras import CameraLister
from boxoffice.ui.door.door_camera import DoorCameras
from boxoffice.ui.door.double_entry_banner import DoubleEntryBanner
from boxoffice.ui.door.inputs import CAMERA, WEDGE, InputChoice, ScanSource
from boxoffice.ui.door.scan_view import ScanView
from boxoffice.ui.door.scanners_panel import ScannersPanel
from boxoffice.ui.door.setup_panel import SetupPanel
from boxoffice.ui.door.sounds import Sounds
from boxoffice.ui.door.wedge_filter import DoorWedgeFilter
from boxoffice.ui.ops import Latest, ReadOp, WriteOp
from boxoffice.ui.settings.pairing import PairingDialog
from scanning.camera import CameraInfo
from scanning.cameras import find_camera
from scanning.wedge import WedgeDetector
from sync.client import SyncClient

CHECKINS = ChangeSet.of("checkins", "tickets")


def _serial_ports() -> list[tuple[str, str]]:
    from scanning.serialport import list_serial_ports

    return [(p.device, p.description) for p in list_serial_ports()]


class DoorPage(QWidget):
    """Setup → scan view, and the technician's Scanners screen. `verdict_shown(Verdict)` after each scan,
    `counts_shown(DoorCounts)` when the counters were read again."""

    title = _("Door")
    icon_name = "door"
    purpose = _("Check tickets at the entrance: choose the door and the dates, then scan.")
    choices_loaded = Signal()
    scanning_started = Signal()
    verdict_shown = Signal(object)
    counts_shown = Signal(object)

    def __init__(self, timezone: str = "Europe/Zurich", door_name: str = "", parent: QWidget | None = None,
                 client: SyncClient | None = None, data_dir: Path | None = None,
                 current: settings.Settings | None = None, cameras: CameraLister | None = None) -> None:
        """``data_dir`` and ``current``: where the scanner and webcam chosen are remembered (nowhere
        without a data directory); ``cameras``: the system's cameras, QtMultimedia's unless a test's."""
        super().__init__(parent)
        self.client = client
        self.timezone = timezone
        self.setup: DoorSetup | None = None
        self.counts = DoorCounts(0, 0, 0)
        self.source: ScanSource | None = None
        self.sounds = Sounds(self)
        self.scanners = ScannersPanel()
        self.setup_panel = SetupPanel()
        self.setup_panel.door.setText(door_name)
        self.setup_panel.login.setVisible(client is not None)
        self.scan_view = ScanView()
        self.scan_view.timezone = timezone
        self._connect_screens()
        self.cameras = DoorCameras(self.setup_panel, self.scanners, data_dir, current or settings.Settings(),
                                   cameras, self)
        self.cameras.listed.connect(self.on_cameras_listed)
        self._lost_camera: InputChoice | None = None
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._searches = Latest()  # the last keystroke's holders win, whatever order the reads finish in
        self._search_timer.timeout.connect(self.search)
        self.scan_view.search_changed.connect(lambda _t: self._search_timer.start())
        self.screens = QStackedWidget()
        for screen in (self.setup_panel, self.scan_view, self.scanners):
            self.screens.addWidget(screen)
        self.banner = DoubleEntryBanner()
        from boxoffice.ui.widgets.empty_state import EmptyState

        self.nothing_to_check = EmptyState(_("There is no date to check tickets for yet. Set up an event with its "
                                             "dates on the Events page, or pair this door with the server."),
                                           _("Open the Events page"), page=_("Events"))
        column = QVBoxLayout(self)
        column.addWidget(self.nothing_to_check)
        column.addWidget(self.banner)
        column.addWidget(self.screens)
        self.wedge: DoorWedgeFilter | None = None
        self._counts_asked = 0
        self.use_keyboard("us")
        self._loaded = False
        # Events set up elsewhere (the welcome page, the Events page) show up the next time the setup is shown.
        self._stale = False
        changes.applied.connect(self.on_changes_applied)

    def _connect_screens(self) -> None:
        """What the set-up, the scan view and the scanners' screen ask of the page."""
        self.setup_panel.start_requested.connect(self.start_scanning)
        self.setup_panel.scanners_requested.connect(lambda: self.show_screen(self.scanners))
        self.setup_panel.login_requested.connect(self.open_login)
        self.scan_view.code_entered.connect(self.on_code_scanned)
        self.scan_view.check_in_requested.connect(self.on_check_in_requested)
        self.scan_view.stop_requested.connect(self.stop_scanning)
        self.scanners.back_requested.connect(lambda: self.show_screen(self.setup_panel))

    def open_login(self) -> None:
        """D2: log the door in with an account, an organizer code or a profile QR (pairing)."""
        assert self.client is not None
        dialog = PairingDialog(self, self.client)
        dialog.paired.connect(lambda _answer: self.load_choices())
        dialog.open()
        self.login_dialog = dialog

    def use_keyboard(self, layout: str, scanner_layout: str = "us",
                     clock: Callable[[], float] = time.monotonic) -> None:
        """The wedge scanner's filter for this computer's keyboard layout (installed while scanning)."""
        installed = self.wedge is not None and self.screens.currentWidget() is not self.setup_panel
        self._remove_wedge()
        self.wedge = DoorWedgeFilter(WedgeDetector(layout=layout, scanner_layout=scanner_layout), self, clock,
                                     typing_fields=(self.scan_view.search,))
        self.wedge.code_scanned.connect(self.on_wedge_code)
        if installed:
            self.wedge.install()

    def _remove_wedge(self) -> None:
        if self.wedge is not None:
            self.wedge.uninstall()

    def showEvent(self, event: Any) -> None:
        if self.wedge is not None and self.screens.currentWidget() is not self.setup_panel:
            self.wedge.install()
        self.cameras.update_preview()
        if not self._loaded:
            self._loaded = True
            self.load_choices()
            self.banner.refresh()
        elif self._stale and self.screens.currentWidget() is self.setup_panel:
            self._stale = False
            self.load_choices()

    def hideEvent(self, event: Any) -> None:
        # Typing on other pages must not go through the scanner filter.
        self._remove_wedge()
        self.cameras.stop_preview()  # nobody looks at it, and the webcam's light would stay on

    def load_choices(self) -> None:
        timezone = self.timezone

        def query(session: Session) -> tuple[DoorChoices, list[str]]:
            return door_choices(session), default_ids(session, timezone)

        ReadOp(self, query).on_success(self._show_choices).run()
        ReadOp(self, lambda _s: _serial_ports()).on_success(self.setup_panel.show_ports).run()
        self.cameras.refresh()

    def _show_choices(self, result: tuple[DoorChoices, list[str]]) -> None:
        self.setup_panel.show_choices(result[0], result[1], self.timezone)
        self.nothing_to_check.set_empty(not result[0].dates and not result[0].guest_events)
        if self.screens.currentWidget() is self.setup_panel and self.isVisible():
            # Keyboard first: Enter starts with today's dates ticked; without any, Space ticks one.
            (self.setup_panel.start if self.setup_panel.chosen_ids() else self.setup_panel.dates).setFocus()
        self.choices_loaded.emit()

    def show_screen(self, screen: QWidget) -> None:
        self.screens.setCurrentWidget(screen)
        header = getattr(self, "header", None)  # the main window's PageHeader: the scan view needs the height
        if header is not None:
            header.setVisible(screen is self.setup_panel)
        if screen is self.setup_panel:
            self._remove_wedge()
            self.scanners.stop_all()
        elif self.wedge is not None:
            self.wedge.install()
        self.cameras.update_preview()

    def start_scanning(self, choice: InputChoice | None = None) -> None:
        """Build the setup off the UI thread, then open the scan view and the chosen scanner."""
        panel = self.setup_panel
        ids, zones, door_name = panel.chosen_ids(), panel.chosen_zones(), panel.door.text().strip() or _("Door")
        options = {"mode": panel.mode.currentData(), "zone_ids": zones, "door": door_name,
                   "quick_cancel": panel.quick_cancel.isChecked(), "show_photo": panel.show_photo.isChecked(),
                   "timezone": self.timezone}
        if not ids:
            panel.problem.setText(_("Tick at least one date or event."))
            return
        if choice is None and panel.input.currentData() == CAMERA and panel.camera_setup.problem():
            panel.problem.setText(panel.camera_setup.problem())
            return
        chosen = choice or panel.input_choice()
        if choice is None:
            self.cameras.remember(chosen)
        if chosen.kind == CAMERA:
            self.cameras.when_allowed(lambda: self._build_setup(ids, options, chosen), panel.problem.setText)
        else:
            self._build_setup(ids, options, chosen)

    def _build_setup(self, ids: list[str], options: dict[str, Any], chosen: InputChoice) -> None:
        panel = self.setup_panel
        panel.problem.clear()

        def build(session: Session) -> tuple[DoorSetup, DoorCounts]:
            setup = make_setup(session, ids, **options)
            return setup, door_counts(session, setup)

        ReadOp(self, build).on_success(lambda result: self._begin(*result, chosen)).run()

    def _begin(self, setup: DoorSetup, counts: DoorCounts, choice: InputChoice) -> None:
        self.setup, self.counts = setup, counts
        if choice.keyboard_layout != "us" or choice.scanner_layout != "us":
            self.use_keyboard(choice.keyboard_layout, choice.scanner_layout)
        names = sorted({d.event_name for d in setup.dates})
        mode = self.setup_panel.mode.currentText()
        self.scan_view.heading.setText(f"{setup.door} · {mode} · " + ", ".join(names))
        self.scan_view.show_counts(counts)
        self.scan_view.verdict_seconds = self.setup_panel.verdict_seconds.value()
        self.scan_view.show_ready()
        self.show_screen(self.scan_view)
        self.scan_view.preview.setVisible(choice.kind == CAMERA)
        if choice.kind != WEDGE:
            self._start_source(choice)
        self.scan_view.code.setFocus()
        self.scanning_started.emit()

    def _start_source(self, choice: InputChoice) -> None:
        self.source = ScanSource(choice, self, preview=choice.kind == CAMERA)
        follow(self.source, self.scan_view.preview)
        self.source.code_read.connect(lambda text, _at: self.on_code_scanned(text))
        self.source.stopped.connect(self.on_scanner_stopped)
        self.source.start()

    def on_cameras_listed(self, cameras: list[CameraInfo]) -> None:
        """A webcam lost while scanning (unplugged, or missing at Start) is taken up again, by its name, at
        whatever index it has now, as soon as the system lists it."""
        lost = self._lost_camera
        if lost is None or self.source is None or self.screens.currentWidget() is not self.scan_view:
            return
        found = find_camera(cameras, lost.camera_name) if lost.camera_name else None
        if found is not None:
            self._lost_camera = None
            self.source.stop()
            self.scan_view.show_ready()
            self._start_source(replace(lost, camera=found.index))

    def stop_scanning(self) -> None:
        if self.source is not None:
            self.source.stop()
            self.source = None
        self._lost_camera = None
        self.scan_view.preview.clear()
        self.show_screen(self.setup_panel)

    def on_wedge_code(self, text: str) -> None:
        if self.screens.currentWidget() is self.scanners:
            self.scanners.show_code(WEDGE, text)
        elif self.screens.currentWidget() is self.scan_view:
            self.on_code_scanned(text)

    def on_scanner_stopped(self, problem: str) -> None:
        if problem:
            self.scan_view.show_problem(problem)
            if self.source is not None and self.source.choice.kind == CAMERA:
                self._lost_camera = self.source.choice

    def on_code_scanned(self, text: str) -> None:
        setup = self.setup
        if setup is None:
            return
        WriteOp(self, lambda work, _p: door.check(work, setup, text), CHECKINS, _("Checking…")) \
            .on_success(self.show_verdict).on_failure(self.show_failure).run()

    def on_check_in_requested(self, kind: str, holder_id: str) -> None:
        setup = self.setup
        if setup is None:
            return
        WriteOp(self, lambda work, _p: door.check_in_by_hand(work, setup, kind, holder_id), CHECKINS) \
            .on_success(self.show_verdict).on_failure(self.show_failure).run()

    def show_verdict(self, verdict: Verdict) -> None:
        self.scan_view.show_verdict(verdict)
        self.sounds.play(verdict.admitted)
        self.refresh_counts()
        self.verdict_shown.emit(verdict)

    def refresh_counts(self) -> None:
        """The counters come from the check-ins stored, never from sums kept here: one source of truth
        for this door, after a restart or a "Change setup" alike."""
        setup = self.setup
        if setup is None:
            return
        self._counts_asked += 1
        asked = self._counts_asked
        ReadOp(self, lambda session: door_counts(session, setup)).on_success(
            lambda counts: self._show_counts(asked, counts)).run()

    def on_changes_applied(self, changed: ChangeSet, initiator: object) -> None:
        """Check-ins of the other doors arrive by sync: "inside" counts them too."""
        self._stale = self._stale or changed.touches("events")
        if initiator is not self and self.screens.currentWidget() is self.scan_view and changed.touches("checkins"):
            self.refresh_counts()

    def _show_counts(self, asked: int, counts: DoorCounts) -> None:
        if asked != self._counts_asked:
            return  # an older count answered after a newer one was asked
        self.counts = counts
        self.scan_view.show_counts(counts)
        self.counts_shown.emit(counts)

    def show_failure(self, error: BaseException) -> None:
        # Never a dialog in the scan path: the problem shows where the verdict would.
        self.scan_view.show_problem(str(error) or type(error).__name__)
        self.sounds.play(False)

    def search(self) -> None:
        setup, text = self.setup, self.scan_view.search.text()
        if setup is None:
            return
        self._searches.run(ReadOp(self, lambda session: search_holders(session, setup, text)),
                           self.scan_view.show_results)
