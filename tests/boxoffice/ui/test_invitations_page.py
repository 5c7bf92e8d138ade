"""The Invitations page and wizard driven like a user, offscreen, with a screenshot of every step."""

from __future__ import annotations

from datetime import timedelta

from boxoffice.services import credits, invitations
from boxoffice.services.sender_policy import OUR_SPF_INCLUDE
from boxoffice.ui.invitations.page import InvitationsPage
from boxoffice.ui.invitations.wizard import InvitationWizard
from sync.server.mail.dkim import DkimKeys
from tests.boxoffice.ui.conftest import screenshot


def stub_resolver(domain: str) -> list[str]:
    return {"theatre.ch": ["v=spf1 mx ~all"]}.get(domain, [])


def open_page(window, qtbot) -> InvitationsPage:
    window.show()
    page = window.pages.widget(window.page_titles().index("Invitations"))
    page.resolver = stub_resolver
    # The server's own keys (in the test's secrets folder), as the sync client's dkim_record returns them.
    page.dkim_source = lambda domain: DkimKeys().ensure(domain).as_json()
    with qtbot.waitSignal(page.loaded, timeout=10_000, check_params_cb=lambda o: o.has_grant):
        window.show_page("Invitations")
    return page


def open_wizard(page: InvitationsPage, qtbot, resume: bool = False) -> InvitationWizard:
    with qtbot.waitSignal(page.wizard_opened, timeout=10_000) as opened:
        page.resume() if resume else page.new_invitation()
    wizard = opened.args[0]
    qtbot.addWidget(wizard)
    return wizard


def next_step(wizard: InvitationWizard, qtbot) -> None:
    with qtbot.waitSignal(wizard.saved, timeout=10_000):
        wizard.next.click()


def fill_first_three_steps(wizard: InvitationWizard, qtbot) -> None:
    event = wizard.step_widget(1)
    event.name.setText("Vernissage Hodler")
    event.location.setText("Musée Jenisch, Vevey")
    event.starts.setDateTime(event.starts.dateTime().addDays(30))
    screenshot(wizard, "invitation-1-event")
    next_step(wizard, qtbot)
    screenshot(wizard, "invitation-2-appearance")
    next_step(wizard, qtbot)
    sending = wizard.step_widget(3)
    sending.organizer.setText("Théâtre de Vevey")
    with qtbot.waitSignal(sending.sender_checked, timeout=10_000):
        sending.email.setText("info@theatre.ch")
        sending.check_sender()
    assert "does not allow us to send" in sending.policy.text()
    assert sending.spf.text() == f"v=spf1 mx include:{OUR_SPF_INCLUDE} ~all"
    assert sending.dkim_name.text() == "boxoffice._domainkey.theatre.ch"
    assert sending.dkim_value.text() == DkimKeys().ensure("theatre.ch").value
    assert "Publish this TXT record as boxoffice._domainkey.theatre.ch" in sending.dkim_policy.text()
    screenshot(wizard, "invitation-3-sending")
    next_step(wizard, qtbot)


class TestInvitationsPage:
    def test_page_starts_with_two_hundred_free_credits(self, window, qtbot):
        page = open_page(window, qtbot)
        assert page.balance.text() == "200 credits available"
        assert page.history.item(0, 1).text() == "+200"
        screenshot(window, "invitations-page")


class TestWizard:
    def test_every_step_then_schedule_refused_until_credits_are_added(self, window, qtbot, demo_writer):
        page = open_page(window, qtbot)
        wizard = open_wizard(page, qtbot)
        assert wizard.title.text() == "Step 1 of 8: Event"
        fill_first_three_steps(wizard, qtbot)
        content = wizard.step_widget(4)
        content.subject.setText("Invitation — {event_name}")
        content.body.setPlainText("Bonjour {prenom},\n\nVenez !\n\n{rsvp_link}")
        assert "unknown variable: {prenom}" in content.status.text()
        wizard.next.click()
        assert wizard.current == 4 and "{prenom}" in wizard.problems.text()
        content.body.setPlainText("Bonjour {first_name} de {field:Ville},\n\nVenez !\n\n{rsvp_link}")
        assert content.status.text() == ""
        screenshot(wizard, "invitation-4-content")
        next_step(wizard, qtbot)
        form = wizard.step_widget(5)
        form.label.setText("Menu")
        form.kind.setCurrentIndex(form.kind.findData("single"))
        form.options.setText("Viande, Poisson")
        form.add_field()
        assert form.table.rowCount() == 4 and form.table.item(3, 2).text() == "Viande, Poisson"
        screenshot(wizard, "invitation-5-form")
        next_step(wizard, qtbot)
        recipients = wizard.step_widget(6)
        with qtbot.waitSignal(recipients.counted, timeout=10_000, check_params_cb=lambda g, c: c == 400):
            recipients.lists.item(0).setCheckState(recipients.lists.item(0).checkState().Checked)
            recipients.companions.setValue(1)
        assert recipients.cost.text() == "200 guests × (1 + 1 companions) = 400 credits; 200 available."
        screenshot(wizard, "invitation-6-recipients")
        preview = wizard.step_widget(7)
        with qtbot.waitSignal(wizard.saved, timeout=10_000), qtbot.waitSignal(preview.previewed, timeout=10_000):
            wizard.next.click()
        assert "From: no-reply@" in preview.heading.text() and "Reply-To: info@theatre.ch" in preview.heading.text()
        assert "Subject: Invitation — Vernissage Hodler" in preview.heading.text()
        assert preview.text.toPlainText().startswith("Bonjour ")
        screenshot(wizard, "invitation-7-preview")
        next_step(wizard, qtbot)
        screenshot(wizard, "invitation-8-schedule")
        wizard.step_widget(8).test_address.setText("me@example.ch")
        assert wizard.next.text() == "Schedule sending"
        with qtbot.waitSignal(wizard.step_widget(8).test_sent, timeout=10_000):
            wizard.step_widget(8).test_button.click()
        wizard.next.click()
        qtbot.waitUntil(lambda: "needs 400 credits, 200 left" in wizard.problems.text(), timeout=10_000)
        with demo_writer.transaction() as work:
            credits.add_credits(work, 200, "Invoice 17")
        with qtbot.waitSignal(wizard.scheduled, timeout=10_000) as done:
            wizard.next.click()
        assert done.args == [200]

    def test_back_to_any_step_from_the_preview_and_resume_where_left(self, window, qtbot, demo_writer):
        page = open_page(window, qtbot)
        wizard = open_wizard(page, qtbot)
        fill_first_three_steps(wizard, qtbot)
        with qtbot.waitSignal(wizard.saved, timeout=10_000):
            wizard.navigation.itemClicked.emit(wizard.navigation.item(0))
        assert wizard.current == 1
        with qtbot.waitSignal(wizard.saved, timeout=10_000):
            wizard.navigation.itemClicked.emit(wizard.navigation.item(3))
        # The page re-reads after the save is announced: wait for the read that shows step 4.
        with qtbot.waitSignal(page.loaded, timeout=10_000,
                              check_params_cb=lambda o: bool(o.invitations) and o.invitations[0].step == 4):
            wizard.save_and_close()
        assert page.table.item(0, 2).text() == "4. Content"
        page.table.selectRow(0)
        resumed = open_wizard(page, qtbot, resume=True)
        assert resumed.current == 4 and resumed.step_widget(1).name.text() == "Vernissage Hodler"
        with demo_writer.store.session() as session:
            draft = invitations.load_draft(session, resumed.draft.id)
        assert draft.sender["decision"] == "no_reply" and draft.event.starts_at is not None
        assert draft.event.starts_at - draft.event.starts_at.replace(microsecond=0) < timedelta(seconds=1)


class TestSendAgain:
    def test_a_refused_invitation_is_sent_again_after_a_confirmation_that_says_what_it_costs(
            self, window, qtbot, demo_writer):
        from sqlalchemy import select

        from boxoffice.model.devices import OutboxEntry
        from boxoffice.model.invitations import Invitation
        from boxoffice.services import contacts
        from tests.sync.mail.organizer import draft_for

        with demo_writer.transaction() as work:
            list_id = contacts.create_list(work, "Vernissage", ["Ville"])
            for i in range(3):
                contacts.add_contact(work, list_id, f"guest{i}@example.ch", "G", f"{i}", {"Ville": "Vevey"})
        draft = draft_for(list_id, "info@theatre.ch", "fr", companions=1)
        with demo_writer.transaction() as work:
            invitations.save_draft(work, draft)
        with demo_writer.transaction() as work:
            invitations.schedule(work, draft.id)
        with demo_writer.store.session() as session:  # the server's refusal, as the next pull brings it
            row = session.get(Invitation, draft.id)
            assert row is not None
            row.status = "refused"
            session.commit()
        page = open_page(window, qtbot)
        row_of = [i.id for i in page.overview.invitations].index(draft.id)
        assert page.table.item(row_of, 1).text() == "Not sent: not enough credits"
        assert not page.buttons["again"].isEnabled()

        page.table.selectRow(row_of)
        assert page.buttons["again"].isEnabled()
        with qtbot.waitSignal(page.confirm_opened, timeout=10_000) as opened:
            page.buttons["again"].click()
        box = opened.args[0]
        assert box.text() == f"Send “{page.overview.invitations[row_of].name}” again to its 3 guests?"
        assert box.informativeText().startswith("It uses 6 credits; ")
        with qtbot.waitSignal(page.loaded, timeout=10_000):
            box.button(box.StandardButton.Yes).click()

        row_of = [i.id for i in page.overview.invitations].index(draft.id)
        assert page.table.item(row_of, 1).text() == "Scheduled"
        with demo_writer.store.session() as session:
            pushed = session.scalars(select(OutboxEntry.mutation).order_by(OutboxEntry.seq.desc()).limit(1)).all()
        assert pushed == ["invitations.retry"]
