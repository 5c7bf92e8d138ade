"""Invitations (G5–G9, G12): drafts resumed at every step after reopening, scheduling, tracking, CSV."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from boxoffice.model.checkins import CheckIn
from boxoffice.model.invitations import Guest, Invitation
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import contacts, credits, invitations
from boxoffice.services.guest_events import GuestEventError, check_event
from boxoffice.services.invitation_form import FormError, added_field, check_form
from boxoffice.services.invitation_tracking import export_guests, tracking
from boxoffice.services.invitations import InvitationDraft, InvitationError
from boxoffice.store.engine import open_store

NOW = datetime(2026, 11, 1, 9, tzinfo=UTC)


def complete_draft(list_ids: list[str]) -> InvitationDraft:
    draft = InvitationDraft()
    event = draft.event
    event.name, event.location, event.event_type = "Vernissage Hodler", "Musée Jenisch, Vevey", "inauguration"
    event.starts_at = datetime(2026, 12, 4, 17, tzinfo=UTC)
    event.sending.organizer, event.sending.sender_email = "Musée Jenisch", "info@museejenisch.ch"
    event.sending.language = "fr"
    draft.subject, draft.body = "Invitation {event_name}", "Bonjour {first_name} de {field:Ville},\n\n{rsvp_link}"
    draft.list_ids, draft.companions = list_ids, 1
    draft.reminders = [datetime(2026, 11, 20, 9, tzinfo=UTC)]
    return draft


def make_list(writer: Writer, name: str, emails: list[str]) -> str:
    with writer.transaction() as work:
        list_id = contacts.create_list(work, name, ["Ville"])
        for i, email in enumerate(emails):
            contacts.add_contact(work, list_id, email, f"First{i}", f"Last{i}", {"Ville": "=HYPERLINK(1)"})
    return list_id


class TestDrafts:
    @pytest.mark.parametrize("step", range(1, 9))
    def test_draft_resumes_at_each_step_after_reopening_the_store(self, data_dir: Path, step: int):
        store = open_store(data_dir)
        writer = Writer(store)
        draft = complete_draft([make_list(writer, "Amis", ["a@example.ch"])])
        draft.step = step
        with writer.transaction() as work:
            invitations.save_draft(work, draft)
        store.close()
        reopened = open_store(data_dir)
        with reopened.session() as session:
            loaded = invitations.load_draft(session, draft.id)
            summaries = invitations.list_invitations(session)
        reopened.close()
        assert loaded == draft
        assert [(s.name, s.status, s.step) for s in summaries] == [("Vernissage Hodler", "draft", step)]

    def test_saving_again_writes_only_what_changed(self, writer: Writer):
        draft = complete_draft([])
        with writer.transaction() as work:
            invitations.save_draft(work, draft)
        draft.subject = "Nouveau sujet"
        with writer.transaction() as work:
            invitations.save_draft(work, draft)
            assert work.mutations == ["invitations.update"]

    def test_event_problems_are_all_said_at_once(self):
        draft = InvitationDraft()
        draft.event.appearance.primary_colour = "blue"
        with pytest.raises(GuestEventError, match=r"needs a name.*start date.*#1F4E79.*organizer"):
            check_event(draft.event)

    @pytest.mark.parametrize("where", ["organizer", "subject", "confirmation_subject"])
    def test_a_line_break_in_a_header_value_is_refused_when_the_draft_is_saved(self, writer: Writer,
                                                                             where: str):
        draft = complete_draft([])
        bad = "Musée\r\nBcc: everyone@example.com"
        if where == "organizer":
            draft.event.sending.organizer = bad
        else:
            setattr(draft, where, bad)
        with pytest.raises(InvitationError, match="line breaks"), writer.transaction() as work:
            invitations.save_draft(work, draft)
        with writer.store.session() as session:
            assert session.get(Invitation, draft.id) is None
        step = 3 if where == "organizer" else 4
        assert any("line breaks" in p for p in invitations.step_problems(draft, step, []))

    def test_content_step_names_the_unknown_variable(self):
        draft = complete_draft([])
        draft.body = "Hello {prenom}"
        assert any("{prenom}" in p for p in invitations.step_problems(draft, 4, ["Ville"]))

    def test_form_choices_need_two_options(self):
        form = [*complete_draft([]).form, added_field("Menu", "single", ["Viande"])]
        with pytest.raises(FormError, match="at least two choices"):
            check_form(form)
        check_form([*complete_draft([]).form, added_field("Menu", "multiple", ["Viande", "Poisson"])])


class TestSchedule:
    def test_recipients_are_deduplicated_across_lists_and_get_tokens_and_codes(self, writer: Writer):
        first = make_list(writer, "Amis", ["a@example.ch", "b@example.ch"])
        second = make_list(writer, "Presse", ["B@Example.ch", "c@example.ch"])
        draft = complete_draft([first, second])
        with writer.transaction() as work:
            invitations.save_draft(work, draft)
            assert invitations.schedule(work, draft.id, NOW) == 3
        with writer.store.session() as session:
            guests = session.scalars(select(Guest)).all()
            assert sorted(g.email for g in guests) == ["a@example.ch", "b@example.ch", "c@example.ch"]
            assert len({g.token for g in guests}) == 3 and all(len(g.token) >= 32 for g in guests)
            assert session.get(Invitation, draft.id).status == "scheduled"
            assert credits.available(session) == 200 - 6

    def test_refused_below_zero_writes_nothing(self, writer: Writer):
        emails = [f"g{i}@example.ch" for i in range(115)]
        draft = complete_draft([make_list(writer, "Gala", emails)])
        with writer.transaction() as work:
            invitations.save_draft(work, draft)
        with pytest.raises(credits.CreditsError, match="needs 230 credits, 200 left"), \
                writer.transaction() as work:
            invitations.schedule(work, draft.id, NOW)
        with writer.store.session() as session:
            assert session.scalars(select(Guest)).all() == []
            assert session.get(Invitation, draft.id).status == "draft"

    def test_unknown_custom_field_of_chosen_lists_blocks_scheduling(self, writer: Writer):
        draft = complete_draft([make_list(writer, "Amis", ["a@example.ch"])])
        draft.body = "{field:Telephone}"
        with writer.transaction() as work:
            invitations.save_draft(work, draft)
        with pytest.raises(InvitationError, match=r"\{field:Telephone\}"), writer.transaction() as work:
            invitations.schedule(work, draft.id, NOW)

    def test_preview_renders_the_first_recipient(self, writer: Writer):
        draft = complete_draft([make_list(writer, "Amis", ["a@example.ch"])])
        with writer.store.session() as session:
            recipient, message = invitations.preview(session, draft)
        assert recipient is not None and message is not None
        assert message.subject == "Invitation Vernissage Hodler"
        assert message.text.startswith("Bonjour First0 de =HYPERLINK(1),")
        assert invitations.event_date(draft.event) == "ven. 4 déc. 2026 18:00 (UTC+01:00)"


class TestTracking:
    def test_counts_and_csv_export_with_formulas_neutralised(self, writer: Writer, tmp_path: Path):
        draft = complete_draft([make_list(writer, "Amis", ["a@example.ch", "b@example.ch", "c@example.ch"])])
        with writer.transaction() as work:
            invitations.save_draft(work, draft)
            invitations.schedule(work, draft.id, NOW)
        with writer.transaction() as work:
            guests = work.session.scalars(select(Guest).order_by(Guest.email)).all()
            guests[0].status, guests[0].answers = "accepted", {"Menu": ["Viande", "Poisson"]}
            guests[1].status = "declined"
            work.session.add(CheckIn(id="c1", guest_id=guests[0].id, code=guests[0].code, door="Main",
                                     device_id=work.device_id, direction="in", verdict="admitted", reason="ok",
                                     scanned_at=NOW + timedelta(days=30), hlc="x"))
        with writer.store.session() as session:
            counts = tracking(session, draft.id)
            written = export_guests(session, draft.id, tmp_path / "guests.csv")
        assert (counts.invited, counts.pending, counts.accepted, counts.declined, counts.checked_in) == (3, 1, 1, 1, 1)
        rows = list(csv.reader((tmp_path / "guests.csv").open(encoding="utf-8-sig")))
        assert written == 3 and rows[0][:4] == ["Email", "First name", "Last name", "Ville"]
        assert rows[1][3] == "'=HYPERLINK(1)" and rows[1][4:8] == ["accepted", "", "0", "yes"]
        assert rows[1][8] == "Viande, Poisson"


class TestEventImages:
    def test_a_chosen_logo_travels_embedded_in_the_event_so_the_server_can_send_it(self, writer: Writer,
                                                                                    tmp_path: Path):
        logo = tmp_path / "logo.png"
        Image.new("RGBA", (80, 80), (31, 78, 121, 255)).save(logo)
        draft = complete_draft([make_list(writer, "Amis", ["a@example.ch"])])
        draft.event.appearance.logo = str(logo)
        with writer.transaction() as work:
            invitations.save_draft(work, draft)
        logo.unlink()  # the laptop's file is gone: the saved event still has the image
        with writer.store.session() as session:
            loaded = invitations.load_draft(session, draft.id)
        assert loaded.event.appearance.logo.startswith("data:image/png;base64,iVBORw0KGgo")
        check_event(loaded.event)  # an embedded image needs no file

    def test_a_file_that_is_no_image_is_named_instead_of_being_mailed(self, tmp_path: Path):
        banner = tmp_path / "banner.jpg"
        banner.write_bytes(b"\xff\xd8" + b"\0" * 1_100_000)
        draft = complete_draft([])
        draft.event.appearance.banner = str(banner)
        with pytest.raises(GuestEventError, match="The banner cannot be used: it is not a readable image"):
            check_event(draft.event)
