"""The Contacts page driven like a user: import wizard with preview, merge dialog, list actions."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWizard

from boxoffice.services import contacts, opt_outs
from boxoffice.ui import ops
from boxoffice.ui.changes import changes
from boxoffice.ui.contacts.import_wizard import ImportWizard
from boxoffice.ui.contacts.merge_dialog import MergeDialog
from tests.boxoffice.ui.conftest import screenshot


def _contacts_page(window, qtbot):
    page = window.pages.currentWidget()
    with qtbot.waitSignal(page.model.loaded, timeout=10_000):
        window.show()
    return page


class TestImportWizard:
    def test_wizard_previews_errors_then_imports_into_the_current_list(self, window, qtbot, tmp_path: Path,
                                                                         demo_writer):
        page = _contacts_page(window, qtbot)
        source = tmp_path / "gala.csv"
        source.write_bytes("Nom;Prénom;Courriel\r\nRochat;Inès;ines@example.ch\r\nBad;Row;nope\r\n"
                           .encode("windows-1252"))
        current = page.current
        wizard = ImportWizard(page, current.id, current.name)
        qtbot.addWidget(wizard)
        wizard.show()
        wizard.file_page.path.setText(str(source))
        assert not wizard.file_page.isComplete(), "consent must be accepted first"
        wizard.file_page.consent.setChecked(True)
        with qtbot.waitSignal(wizard.mapping_page.planned, timeout=10_000) as planned:
            wizard.next()
        plan = planned.args[0]
        assert (len(plan.contacts), len(plan.invalid)) == (1, 1)
        assert "1 to import, 1 invalid" in wizard.mapping_page.summary.text()
        assert wizard.mapping_page.problems.item(0, 2).text() == "“nope” is not a valid email address"
        assert wizard.button(QWizard.WizardButton.CommitButton).text() == "Import 1 contact"
        screenshot(wizard, "import-wizard-preview")
        with qtbot.waitSignal(wizard.imported, timeout=10_000) as done, qtbot.waitSignal(page.model.loaded):
            wizard.next()
        assert done.args[1] == 1
        assert wizard.done_page.result.text() == "1 contact imported."
        with demo_writer.store.session() as session:
            assert contacts.find_contact(session, current.id, "ines@example.ch") is not None


    def test_a_czech_export_with_a_stray_nul_previews_in_its_code_page_with_that_row_named(
            self, window, qtbot, tmp_path: Path):
        page = _contacts_page(window, qtbot)
        source = tmp_path / "hoste.csv"
        source.write_bytes("Příjmení;Jméno;E-mail\r\nDvořák;Šárka;sarka@example.cz\r\nČerný;Ži\x00ofie;zofie@example.cz\r\n"
                           "Kučera;Tomáš;tomas@example.cz\r\n".encode("cp1250"))
        wizard = ImportWizard(page, page.current.id, page.current.name)
        qtbot.addWidget(wizard)
        wizard.show()
        wizard.file_page.path.setText(str(source))
        wizard.file_page.consent.setChecked(True)
        with qtbot.waitSignal(wizard.mapping_page.planned, timeout=10_000):
            wizard.next()
        summary = wizard.mapping_page.summary.text()
        assert "windows-1250" in summary and "2 to import, 1 invalid" in summary
        assert wizard.mapping_page.columns.item(0, 0).text() == "Příjmení"
        assert wizard.mapping_page.columns.item(0, 1).text() == "Dvořák"
        problems = wizard.mapping_page.problems
        assert [problems.item(0, n).text() for n in range(2)] == ["2", "3"]
        assert "NUL" in problems.item(0, 2).text()
        screenshot(wizard, "import-wizard-code-page")


class TestMergeDialog:
    def test_merge_preview_then_merge_archives_the_other_list(self, window, qtbot, demo_writer):
        page = _contacts_page(window, qtbot)
        with demo_writer.transaction() as work:
            other = contacts.create_list(work, "Gala 2025")
            contacts.add_contact(work, other, "new.guest@example.ch", "New", "Guest")
        keep = page.current
        others = [s for s in contacts.list_summaries(demo_writer.store.session()) if s.id == other]
        dialog = MergeDialog(page, keep, others)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(dialog.merge_button.isEnabled, timeout=10_000)
        assert dialog.summary.text().startswith("1 contacts will be added, 0 are already")
        with qtbot.waitSignal(changes.applied, timeout=10_000):
            dialog.merge_button.click()
        with demo_writer.store.session() as session:
            summaries = {s.name: s for s in contacts.list_summaries(session)}
        assert summaries["Gala 2025"].archived and summaries["Amis du théâtre"].contacts == 201


class TestOptOut:
    def test_marking_a_contact_unsubscribed_asks_first_then_shows_it_and_can_be_undone(
            self, window, qtbot, demo_writer):
        page = _contacts_page(window, qtbot)
        page.table.selectRow(0)
        email = page.model.rows[0].email
        page.buttons["opt_out"].click()
        assert page.confirmation is not None and "will receive no more of your invitations" in page.confirmation.text()
        with qtbot.waitSignal(page.model.loaded, timeout=10_000):
            page.confirmation.button(QMessageBox.StandardButton.Yes).click()
        row = next(r for r in page.model.rows if r.email == email)
        column = page.model.headers().index("Invitations")
        shown = page.model.index(page.model.rows.index(row), column).data()
        assert shown == "Unsubscribed"
        with demo_writer.store.session() as session:
            assert opt_outs.opted_out(session) == {email.lower()}
        screenshot(window, "contacts-unsubscribed")

        page.table.selectRow(page.model.rows.index(row))
        page.buttons["opt_out"].click()
        assert "Invite 1 address again?" in page.confirmation.text()
        with qtbot.waitSignal(page.model.loaded, timeout=10_000):
            page.confirmation.button(QMessageBox.StandardButton.Yes).click()
        with demo_writer.store.session() as session:
            assert opt_outs.opted_out(session) == set()

    def test_saying_no_changes_nothing(self, window, qtbot, demo_writer):
        page = _contacts_page(window, qtbot)
        page.table.selectRow(0)
        page.buttons["opt_out"].click()
        page.confirmation.button(QMessageBox.StandardButton.No).click()
        qtbot.wait(200)
        with demo_writer.store.session() as session:
            assert opt_outs.opted_out(session) == set()


def _with_250_more_contacts(window, qtbot, demo_writer):  # type: ignore[no-untyped-def]
    """The Contacts page on the demo list with 250 more contacts (Zz000…Zz249), its first window shown."""
    page = _contacts_page(window, qtbot)
    with demo_writer.transaction() as work:
        for i in range(250):
            contacts.add_contact(work, page.current.id, f"guest{i:03}@example.ch", "Guest", f"Zz{i:03}")
    with qtbot.waitSignal(page.model.loaded, timeout=10_000):
        page.load_contacts()
    return page


class TestLargeList:
    def test_the_table_shows_one_window_then_the_next_as_it_scrolls_in_name_order(self, window, qtbot, demo_writer):
        page = _with_250_more_contacts(window, qtbot, demo_writer)
        assert page.model.rowCount() == 200 and page.model.canFetchMore()
        while page.model.canFetchMore():
            with qtbot.waitSignal(page.model.loaded, timeout=10_000):
                page.table.scrollToBottom()
                page.model.fetchMore()
        with demo_writer.store.session() as session:
            expected = [c.id for c in contacts.contacts_of(session, page.current.id)]
        assert len(expected) == 450 and [r.id for r in page.model.rows] == expected

    def test_a_next_window_asked_for_before_a_search_does_not_land_under_its_results(self, window, qtbot,
                                                                                   demo_writer):
        page = _with_250_more_contacts(window, qtbot, demo_writer)
        first_window, asked_while = list(page.model.rows), page.model.window  # the table asks for the next 200...
        page.search.setText("Zz249")
        with qtbot.waitSignal(page.model.loaded, timeout=10_000):
            page.load_contacts()  # ...the search's results come first...
        page.model.append(first_window[:3], True, window=asked_while)  # ...then the next window, late
        assert [r.last_name for r in page.model.rows] == ["Zz249"]

    def test_a_search_shows_only_the_matching_contacts_in_name_order(self, window, qtbot, demo_writer):
        page = _contacts_page(window, qtbot)
        with qtbot.waitSignal(page.model.loaded, timeout=10_000):
            page.search.setText("guest zz01")
            page.load_contacts()
        assert [r.last_name for r in page.model.rows] == []
        with demo_writer.transaction() as work:
            for i in (12, 3, 11, 10):
                contacts.add_contact(work, page.current.id, f"guest{i:03}@example.ch", "Guest", f"Zz{i:03}")
        with qtbot.waitSignal(page.model.loaded, timeout=10_000):
            page.load_contacts()
        assert [r.last_name for r in page.model.rows] == ["Zz010", "Zz011", "Zz012"]
        assert not page.model.canFetchMore()


class TestLatestSearchWins:
    def test_a_slow_answer_to_an_earlier_search_is_dropped_when_a_later_one_answered(self, window, qtbot):
        from boxoffice.ui.ops import Latest, ReadOp

        _contacts_page(window, qtbot)
        release, shown = threading.Event(), []

        def slow(_session):
            release.wait(10)
            return "M"

        reads = Latest()
        reads.run(ReadOp(None, slow), shown.append)
        reads.run(ReadOp(None, lambda _session: "Müller"), shown.append)
        qtbot.waitUntil(lambda: shown == ["Müller"], timeout=10_000)
        release.set()
        ops.wait_for_idle()
        qtbot.waitUntil(lambda: ops.in_flight() == 0)  # the slow answer was delivered (and dropped)
        assert shown == ["Müller"]
