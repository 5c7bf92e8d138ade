"""The organizer's profile codes in the app (#13), against the real server: listed, made and shown once, revoked."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from PySide6.QtCore import Qt

from boxoffice.ui.settings.page import SettingsPage
from boxoffice.ui.settings.profile_codes import ProfileCodesDialog
from sync.protocol import SCHEMA_HEADER, SCHEMA_VERSION
from tests.boxoffice.ui.conftest import screenshot
from tests.live_server import LiveServer, running_server

HEADERS = {SCHEMA_HEADER: str(SCHEMA_VERSION), "Content-Type": "application/json"}


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveServer]:
    with running_server(f"sqlite:///{tmp_path / 'server' / 'server.sqlite3'}") as server:
        yield server


def _settings(window: object) -> SettingsPage:
    pages = window.pages  # type: ignore[attr-defined]
    return next(pages.widget(i) for i in range(pages.count()) if isinstance(pages.widget(i), SettingsPage))


def _shown_settings(qtbot, window: object) -> SettingsPage:
    page = _settings(window)
    window.show()  # type: ignore[attr-defined]
    window.show_page(page.title)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: page.isVisible())
    return page


def _enroll(live: LiveServer, code: str, name: str) -> requests.Response:
    return requests.post(f"{live.url}/v1/devices/enroll", headers=HEADERS, timeout=10,
                         json={"code": code, "device_id": str(uuid.uuid4()), "name": name})


def _settle(qtbot) -> None:
    from boxoffice.ui import ops

    qtbot.waitUntil(lambda: ops.wait_for_idle(100) and ops.in_flight() == 0, timeout=10_000)


def _open(qtbot, page: SettingsPage) -> ProfileCodesDialog:
    qtbot.waitUntil(lambda: page.profile_codes_button.isVisible(), timeout=10_000)
    page.profile_codes_button.click()
    dialog = page.profile_codes
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.refresh_button.isEnabled(), timeout=10_000)
    return dialog


def _cells(dialog: ProfileCodesDialog, row: int) -> list[str]:
    return [dialog.table.item(row, column).text() for column in range(dialog.table.columnCount())]


class TestWhoSeesIt:
    def test_a_copy_not_paired_or_paired_as_a_door_does_not_offer_profile_codes(self, qtbot, window, live):
        page = _shown_settings(qtbot, window)
        _settle(qtbot)
        assert not page.profile_codes_button.isVisible()
        page.client.enroll(live.url, live.profile("door", []), "Door A")
        page.check_role()
        _settle(qtbot)
        assert not page.profile_codes_button.isVisible()

    def test_an_organizer_device_opens_its_codes_from_the_settings(self, qtbot, window, live):
        page = _shown_settings(qtbot, window)
        page.client.enroll(live.url, live.organizer_code, "Laptop")
        page.check_role()
        dialog = _open(qtbot, page)
        assert dialog.isVisible()
        assert dialog.message.text() == "No profile code yet: make one below."
        assert dialog.table.rowCount() == 0 and not dialog.revoke_button.isEnabled()


class TestCodes:
    def test_a_new_code_is_shown_large_once_and_listed_without_it(self, qtbot, window, live):
        page = _shown_settings(qtbot, window)
        page.client.enroll(live.url, live.organizer_code, "Laptop")
        page.check_role()
        dialog = _open(qtbot, page)
        assert dialog.dates.count() > 0  # the season's dates, to narrow the code to
        first_date = dialog.dates.item(0).text()
        dialog.dates.item(0).setCheckState(dialog.dates.item(0).checkState().Checked)
        dialog.role.setCurrentIndex(dialog.role.findData("door"))
        dialog.uses.setValue(2)
        with qtbot.waitSignal(dialog.created, timeout=10_000) as made, \
                qtbot.waitSignal(dialog.loaded, timeout=10_000):
            dialog.make_button.click()
        code = made.args[0]["code"]
        assert dialog.new_code.text().replace(" ", "") == code and dialog.new_code.font().pointSize() >= 20
        assert "shown only this once" in dialog.new_code_hint.text()
        role, dates, _made, _expires, used, state, devices = _cells(dialog, 0)
        assert (role, dates, used, state, devices) == ("Door", first_date, "0 of 2", "2 uses left", "None yet")
        shown = " ".join(_cells(dialog, 0))
        assert code not in shown and dialog.new_code.text() not in shown
        dialog.copy_button.click()
        from PySide6.QtWidgets import QApplication

        assert QApplication.clipboard().text() == code
        assert _enroll(live, code, "Door A").status_code == 200
        with qtbot.waitSignal(dialog.loaded, timeout=10_000):
            dialog.refresh_button.click()
        assert _cells(dialog, 0)[4:] == ["1 of 2", "1 use left", "Door A"]

    def test_the_new_code_shows_a_pairing_qr_that_a_door_scans_into_its_pairing_dialog(self, qtbot, window, live,
                                                                                      tmp_path):
        from boxoffice.ui.settings.pairing import PairingDialog
        from scanning.decode import decode_frame, read_image

        page = _shown_settings(qtbot, window)
        page.client.enroll(live.url, live.organizer_code, "Laptop")
        page.check_role()
        dialog = _open(qtbot, page)
        assert not dialog.pairing_qr.isVisible()
        with qtbot.waitSignal(dialog.created, timeout=10_000) as made:
            dialog.make_button.click()
        assert dialog.pairing_qr.isVisible()
        picture = tmp_path / "pairing.png"
        assert dialog.pairing_qr.pixmap().save(str(picture))
        [scanned] = decode_frame(read_image(picture))
        pairing = PairingDialog(window, page.client)
        qtbot.addWidget(pairing)
        pairing.code.setText(scanned.text)  # a scanner types what it reads into the focused field
        assert pairing.server.text() == live.url
        assert json.loads(scanned.text)["token"] == made.args[0]["code"]

    def test_revoking_asks_first_then_locks_out_the_devices_and_the_code(self, qtbot, window, live):
        page = _shown_settings(qtbot, window)
        page.client.enroll(live.url, live.organizer_code, "Laptop")
        code = live.profile("door", [], uses=3)
        assert _enroll(live, code, "Door A").status_code == 200
        page.check_role()
        dialog = _open(qtbot, page)
        assert _cells(dialog, 0)[6] == "Door A" and dialog.revoke_button.isEnabled()
        dialog.revoke_button.click()
        box = dialog.confirmation
        assert box is not None and box.isVisible()
        assert "cannot be undone" in box.text() and box.defaultButton().text() == "Cancel"
        assert box.checkBox().isChecked() and "Door A" in box.checkBox().text()
        box.defaultButton().click()  # Cancel: nothing happens
        assert _cells(dialog, 0)[5] == "2 uses left"
        dialog.table.setFocus()
        qtbot.keyClick(dialog.table, Qt.Key.Key_Delete)  # keyboard first: Delete asks the same question
        assert dialog.confirmation is not box and dialog.confirmation.isVisible()
        box = dialog.confirmation
        revoke = next(button for button in box.buttons() if button.text() == "Revoke")
        with qtbot.waitSignal(dialog.revoked, timeout=10_000) as revoked, \
                qtbot.waitSignal(dialog.loaded, timeout=10_000):
            revoke.click()
        assert [device["name"] for device in revoked.args[0]["locked_out"]] == ["Door A"]
        assert dialog.message.text() == "The code is revoked, and Door A is locked out."
        assert _cells(dialog, 0)[5:] == ["Revoked", "Door A (revoked)"]
        assert not dialog.revoke_button.isEnabled()
        again = _enroll(live, code, "Door B")
        assert again.status_code == 403 and "revoked" in again.json()["detail"]

    def test_unticking_the_lock_out_revokes_the_code_alone(self, qtbot, window, live):
        page = _shown_settings(qtbot, window)
        page.client.enroll(live.url, live.organizer_code, "Laptop")
        code = live.profile("desk", [], uses=2)
        assert _enroll(live, code, "Desk 1").status_code == 200
        page.check_role()
        dialog = _open(qtbot, page)
        dialog.revoke_button.click()
        box = dialog.confirmation
        box.checkBox().setChecked(False)
        revoke = next(button for button in box.buttons() if button.text() == "Revoke")
        with qtbot.waitSignal(dialog.loaded, timeout=10_000):
            revoke.click()
        assert dialog.message.text() == "The code is revoked: it enrolls no more devices."
        assert _cells(dialog, 0)[5:] == ["Revoked", "Desk 1"]

    def test_offline_it_says_the_codes_need_the_server(self, qtbot, window, tmp_path):
        page = _shown_settings(qtbot, window)
        with running_server(f"sqlite:///{tmp_path / 'gone' / 'server.sqlite3'}") as gone:
            page.client.enroll(gone.url, gone.organizer_code, "Laptop")
        page.check_role()
        qtbot.waitUntil(lambda: page.profile_codes_button.isVisible(), timeout=10_000)
        page.profile_codes_button.click()
        dialog = page.profile_codes
        qtbot.addWidget(dialog)
        with qtbot.waitSignal(dialog.failed, timeout=20_000) as failed:
            pass
        assert failed.args[0].startswith(f"No server answers at {gone.url}. Profile codes live on the server")
        assert dialog.refresh_button.isEnabled() and not dialog.revoke_button.isEnabled()
        screenshot(dialog, "profile-codes-offline")
