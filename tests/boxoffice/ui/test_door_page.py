# SPDX-License-Identifier: AGPL-3.0-or-later
"""The Door page driven like door staff: wedge scanner and typing, webcam video, search, screenshot."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QImage, QKeyEvent
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from boxoffice import i18n
from boxoffice.model.sales import Ticket
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services.door import DoorDate
from boxoffice.services.door_lists import DoorChoices
from boxoffice.ui.door.inputs import CAMERA, WEDGE, InputChoice
from boxoffice.ui.door.page import DoorPage
from boxoffice.ui.door.setup_panel import SetupPanel
from tests.boxoffice.ui.conftest import screenshot
from tests.scanning.images import qr_image, ticket_frame


class Clock:
    """The wedge filter's clock, moved by the test: key timing is exact and nothing sleeps."""

    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


def press(widget: object, clock: Clock, text: str, gap: float) -> None:
    clock.now += gap
    key = Qt.Key.Key_Return if text == "\r" else ord(text.upper()) if text.isalnum() else 0
    QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, text))
    QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyRelease, key, Qt.KeyboardModifier.NoModifier, text))


@pytest.fixture
def page(window, qtbot) -> DoorPage:
    door_page = next(window.pages.widget(i) for i in range(window.pages.count())
                     if isinstance(window.pages.widget(i), DoorPage))
    window.show()
    with qtbot.waitSignal(door_page.choices_loaded, timeout=10_000):
        window.show_page("Door")
    return door_page


def start(page: DoorPage, qtbot, choice: InputChoice | None = None) -> None:
    page.setup_panel.door.setText("North door")
    with qtbot.waitSignal(page.scanning_started, timeout=10_000):
        page.start_scanning(choice or InputChoice(WEDGE))


def tickets_of_first_date(page: DoorPage, writer: Writer) -> list[Ticket]:
    chosen = page.setup_panel.chosen_ids()
    with writer.store.session() as session:
        return list(session.scalars(select(Ticket).where(Ticket.date_id.in_(chosen)).order_by(Ticket.id)))


class TestDoorPageWithKeyboardScanner:
    def test_navigation_has_the_door_before_settings(self, window):
        titles = window.page_titles()
        assert titles.index("Door") == titles.index("Settings") - 1

    def test_a_scanner_burst_on_a_qwertz_keyboard_is_admitted(self, page: DoorPage, qtbot, demo_writer):
        ticket = next(t for t in tickets_of_first_date(page, demo_writer) if {"Y", "Z"} & set(t.secret))
        clock = Clock()
        page.use_keyboard("de", clock=clock)
        start(page, qtbot)
        typed = ticket.secret.translate(str.maketrans("YZ", "ZY"))  # a US scanner's keys on a German layout
        with qtbot.waitSignal(page.verdict_shown, timeout=10_000) as shown:
            for char in typed + "\r":
                press(page.scan_view.code, clock, char, 0.006)
        verdict = shown.args[0]
        assert (verdict.code, verdict.verdict, verdict.door) == (ticket.secret, "admitted", "North door")
        assert page.scan_view.code.text() == ""
        assert page.scan_view.verdict.title.text() == "Admitted"
        assert page.sounds.last_played is True

    def test_a_scanner_without_enter_is_read_after_its_pause(self, page: DoorPage, qtbot, demo_writer):
        ticket = tickets_of_first_date(page, demo_writer)[0]
        clock = Clock()
        page.use_keyboard("us", clock=clock)
        start(page, qtbot)
        for char in ticket.secret:
            press(page.scan_view.code, clock, char, 0.006)
        clock.now += 0.3
        with qtbot.waitSignal(page.verdict_shown, timeout=10_000) as shown:
            pass
        assert shown.args[0].code == ticket.secret and shown.args[0].admitted

    def test_a_code_typed_by_hand_reaches_the_field_and_enter_checks_it(self, page: DoorPage, qtbot, demo_writer):
        ticket = tickets_of_first_date(page, demo_writer)[0]
        clock = Clock()
        page.use_keyboard("us", clock=clock)
        start(page, qtbot)
        with qtbot.waitSignal(page.verdict_shown, timeout=10_000) as shown:
            for char in ticket.secret + "\r":
                press(page.scan_view.code, clock, char, 0.25)  # a person: far slower than a scanner
        assert shown.args[0].code == ticket.secret and shown.args[0].admitted

    def test_a_second_scan_is_refused_in_red_without_any_dialog(self, page: DoorPage, qtbot, demo_writer):
        ticket = tickets_of_first_date(page, demo_writer)[0]
        start(page, qtbot)
        for expected in ("admitted", "refused"):
            with qtbot.waitSignal(page.verdict_shown, timeout=10_000) as shown:
                page.scan_view.code.setText(ticket.secret)
                page.scan_view.code.returnPressed.emit()
            assert shown.args[0].verdict == expected
        assert page.scan_view.verdict.reason.text().startswith("Already inside: scanned at ")
        assert QApplication.activeModalWidget() is None
        assert page.sounds.last_played is False
        qtbot.waitUntil(lambda: page.scan_view.counters.text() == "Inside: 1   Admitted: 1   Refused: 1")

    def test_scan_view_screenshot_shows_a_green_verdict_with_the_holder_and_no_page_header(
            self, page: DoorPage, qtbot, demo_writer):
        ticket = tickets_of_first_date(page, demo_writer)[0]
        assert page.header.isVisible()  # the setup says what the page is for; scanning needs the height
        start(page, qtbot)
        assert not page.header.isVisible()
        with qtbot.waitSignal(page.verdict_shown, timeout=10_000):
            page.on_code_scanned(ticket.secret)
        assert ticket.holder_name in page.scan_view.verdict.details.text()
        assert page.scan_view.last_scans.item(0).text().endswith(f"{ticket.holder_name} — Welcome!")
        image = QImage(str(screenshot(page.window(), "door-scan-view")))
        panel = page.scan_view.verdict
        centre = panel.mapTo(page.window(), panel.rect().center())
        assert QColor(image.pixel(centre.x(), centre.y() - panel.height() // 3)).name() == "#1b8a3a"


class TestDoorPageSearchAndCamera:
    def test_search_by_name_then_check_in_by_hand(self, page: DoorPage, qtbot, demo_writer):
        ticket = tickets_of_first_date(page, demo_writer)[0]
        start(page, qtbot)
        page.scan_view.search.setText(ticket.holder_name)
        qtbot.waitUntil(lambda: page.scan_view.results.count() > 0, timeout=10_000)
        with qtbot.waitSignal(page.verdict_shown, timeout=10_000) as shown:
            page.scan_view.check_in.click()
        assert shown.args[0].admitted and shown.args[0].code.startswith("manual:ticket:")

    def test_webcam_video_of_a_ticket_reaches_a_verdict(self, page: DoorPage, qtbot, demo_writer, tmp_path: Path):
        ticket = tickets_of_first_date(page, demo_writer)[0]
        video = tmp_path / "door.avi"
        out = cv2.VideoWriter(str(video), cv2.VideoWriter.fourcc(*"MJPG"), 30, (640, 480))
        blank = ticket_frame(np.full((4, 4), 170, np.uint8), (640, 480))
        shown_frame = ticket_frame(qr_image(ticket.secret, box_size=5), (640, 480))
        for frame in [blank] * 3 + [shown_frame] * 8 + [blank]:
            out.write(frame)
        out.release()
        with qtbot.waitSignal(page.verdict_shown, timeout=20_000) as shown:
            start(page, qtbot, InputChoice(CAMERA, video))
        page.stop_scanning()
        assert shown.args[0].code == ticket.secret and shown.args[0].admitted


class TestScannersScreen:
    def test_a_wedge_scan_shows_as_last_code_read(self, page: DoorPage, qtbot):
        clock = Clock()
        page.use_keyboard("us", clock=clock)
        page.show_screen(page.scanners)
        with qtbot.waitSignal(page.scanners.code_read, timeout=5_000) as read:
            for char in "TEST1234\r":
                press(page.scanners, clock, char, 0.005)
        assert read.args == ["wedge", "TEST1234"]
        assert page.scanners.last["wedge"].text() == "TEST1234"
        page.show_screen(page.setup_panel)


def type_into(widget: object, clock: Clock, text: str, gap: float) -> None:
    for char in text:
        clock.now += gap
        key = (ord(char.upper()) if char.isalnum() else Qt.Key.Key_Space if char == " "
               else Qt.Key.Key_Return if char == "\r" else 0)
        QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, char))
        QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyRelease, key, Qt.KeyboardModifier.NoModifier, char))


class TestSearchIsNeverAScan:
    @pytest.mark.parametrize("gap_ms", [30, 70, 120])
    def test_a_name_typed_in_the_search_stays_a_search(self, page: DoorPage, qtbot, demo_writer, gap_ms: int):
        ticket = tickets_of_first_date(page, demo_writer)[0]
        clock = Clock()
        page.use_keyboard("us", clock=clock)
        start(page, qtbot)
        verdicts: list[object] = []
        page.verdict_shown.connect(verdicts.append)
        scanned: list[str] = []
        assert page.wedge is not None
        page.wedge.code_scanned.connect(scanned.append)
        page.scan_view.search.setFocus()
        type_into(page.scan_view.search, clock, ticket.holder_name, gap_ms / 1000)
        assert page.scan_view.search.text() == ticket.holder_name
        qtbot.waitUntil(lambda: page.scan_view.results.count() > 0, timeout=10_000)
        assert (verdicts, scanned) == ([], [])
        assert page.scan_view.search.text() == ticket.holder_name  # never cleared as a refused "code"

    def test_the_same_typing_in_the_code_field_is_a_scan_so_the_rule_is_the_search_field(
            self, page: DoorPage, qtbot, demo_writer):
        ticket = tickets_of_first_date(page, demo_writer)[0]
        clock = Clock()
        page.use_keyboard("us", clock=clock)
        start(page, qtbot)
        with qtbot.waitSignal(page.wedge.code_scanned, timeout=5_000) as scanned:
            type_into(page.scan_view.code, clock, ticket.secret + "\r", 0.030)
        assert scanned.args == [ticket.secret]

    def test_a_scanner_burst_elsewhere_on_the_scan_view_is_still_a_scan(self, page: DoorPage, qtbot, demo_writer):
        ticket = tickets_of_first_date(page, demo_writer)[0]
        clock = Clock()
        page.use_keyboard("us", clock=clock)
        start(page, qtbot)
        page.scan_view.search.setText("someone")
        with qtbot.waitSignal(page.verdict_shown, timeout=10_000) as shown:
            for char in ticket.secret + "\r":
                press(page.scan_view.results, clock, char, 0.006)
        assert shown.args[0].code == ticket.secret and shown.args[0].admitted
        assert page.scan_view.search.text() == "someone"


class TestVerdictsAndCounters:
    def test_a_verdict_fades_back_to_ready_after_the_set_time(self, page: DoorPage, qtbot, demo_writer):
        ticket = tickets_of_first_date(page, demo_writer)[0]
        page.setup_panel.verdict_seconds.setValue(1)
        start(page, qtbot)
        assert page.scan_view.verdict.title.text() == "Ready: scan a ticket"
        with qtbot.waitSignal(page.verdict_shown, timeout=10_000):
            page.on_code_scanned(ticket.secret)
        assert page.scan_view.verdict.title.text() == "Admitted"
        with qtbot.waitSignal(page.scan_view.verdict_faded, timeout=5_000):
            pass
        assert page.scan_view.verdict.title.text() == "Ready: scan a ticket"
        assert page.scan_view.verdict.number.text() == ""

    def test_two_refusals_in_a_row_are_numbered_apart(self, page: DoorPage, qtbot):
        start(page, qtbot)
        seen = []
        for _ in range(2):
            with qtbot.waitSignal(page.verdict_shown, timeout=10_000):
                page.on_code_scanned("NOT-A-TICKET-0000")
            seen.append((page.scan_view.verdict.title.text(), page.scan_view.verdict.number.text()))
        assert seen == [("Refused", "Scan 1"), ("Refused", "Scan 2")]
        path = screenshot(page.window(), "door-second-refusal")
        assert QImage(str(path)).width() >= 1000

    def test_the_counters_are_the_same_after_change_setup(self, page: DoorPage, qtbot, demo_writer):
        ticket = tickets_of_first_date(page, demo_writer)[0]
        start(page, qtbot)
        for code in (ticket.secret, ticket.secret, "NOT-A-TICKET-0000"):
            with qtbot.waitSignal(page.counts_shown, timeout=10_000):
                page.on_code_scanned(code)
        qtbot.waitUntil(lambda: page.scan_view.counters.text() == "Inside: 1   Admitted: 1   Refused: 2")
        qtbot.keyClick(page.scan_view.code, Qt.Key.Key_F9)
        assert page.screens.currentWidget() is page.setup_panel
        page.scan_view.counters.clear()
        start(page, qtbot)
        assert page.scan_view.counters.text() == "Inside: 1   Admitted: 1   Refused: 2"

    def test_search_results_say_who_is_inside_and_which_ticket_is_which(self, page: DoorPage, qtbot, demo_writer):
        from boxoffice.services import sales

        tickets = tickets_of_first_date(page, demo_writer)
        inside, cancelled = tickets[0], next(t for t in tickets[1:] if t.order_id and t.order_id != tickets[0].order_id)
        with demo_writer.transaction() as work:
            sales.cancel(work, cancelled.order_id, [cancelled.id])
        start(page, qtbot)
        with qtbot.waitSignal(page.verdict_shown, timeout=10_000):
            page.on_code_scanned(inside.secret)
        for ticket, state in ((inside, "INSIDE"), (cancelled, "cancelled")):
            page.scan_view.search.setText(ticket.holder_name)
            qtbot.waitUntil(lambda t=ticket: any(f"code …{t.secret[-6:]}" in line for line in result_lines(page)),
                            timeout=10_000)
            line = next(x for x in result_lines(page) if f"code …{ticket.secret[-6:]}" in x)
            assert line.startswith(f"{ticket.holder_name} · {state}\n")
        screenshot(page.window(), "door-search-states")


def result_lines(page: DoorPage) -> list[str]:
    return [page.scan_view.results.item(i).text() for i in range(page.scan_view.results.count())]


class TestCountsFromOtherDoors:
    def test_an_admission_synced_from_another_door_counts_as_inside(self, page: DoorPage, qtbot, demo_writer):
        from boxoffice.services import door
        from boxoffice.services.door_lists import make_setup
        from boxoffice.ui.changes import ChangeSet, changes

        ticket = tickets_of_first_date(page, demo_writer)[0]
        start(page, qtbot)
        assert page.scan_view.counters.text().startswith("Inside: 0")
        with demo_writer.transaction() as work:  # the south door admits someone; the sync brings it here
            south = make_setup(work.session, page.setup_panel.chosen_ids(), door="South door")
            assert door.check(work, south, ticket.secret).admitted
        with qtbot.waitSignal(page.counts_shown, timeout=10_000):
            changes.applied.emit(ChangeSet.everything(), None)  # what a pull that wrote rows announces
        assert page.scan_view.counters.text() == "Inside: 1   Admitted: 0   Refused: 0"


class TestQuickCancelAtTheDoor:
    def test_a_paid_ticket_scanned_in_quick_cancel_is_refused_on_the_verdict_screen_without_a_dialog(
            self, page: DoorPage, qtbot, demo_writer):
        ticket = tickets_of_first_date(page, demo_writer)[0]
        page.setup_panel.quick_cancel.setChecked(True)
        start(page, qtbot)
        with qtbot.waitSignal(page.verdict_shown, timeout=10_000) as shown:
            page.on_code_scanned(ticket.secret)
        assert (shown.args[0].verdict, shown.args[0].reason) == ("refused", "sold")
        assert page.scan_view.verdict.reason.text().startswith("This ticket was sold (order ")
        assert page.scan_view.verdict.reason.text().endswith("): cancel it from the desk.")
        assert QApplication.activeModalWidget() is None
        with demo_writer.store.session() as session:
            assert session.get(Ticket, ticket.id).state == "valid"


class TestSetupInTheStaffsLanguage:
    def test_the_dates_to_check_are_written_as_french_writes_them_at_the_venue(self, qtbot) -> None:
        i18n.set_language("fr")
        try:
            panel = SetupPanel()
            qtbot.addWidget(panel)
            friday = DoorDate("d1", "e1", "Le Misanthrope", datetime(2026, 12, 11, 19, 0, tzinfo=UTC))
            panel.show_choices(DoorChoices([friday], [], []), [], "Europe/Zurich")
            assert panel.dates.item(0).text() == "ven. 11 déc. 2026 20:00 — Le Misanthrope"
        finally:
            i18n.set_language("en")
