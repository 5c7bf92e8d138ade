# SPDX-License-Identifier: AGPL-3.0-or-later
"""The verdict engine on a real migrated store: modes, every refusal reason, guests, passes, quick cancel."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from boxoffice.model.checkins import CheckIn
from boxoffice.model.devices import LocalDevice, OutboxEntry
from boxoffice.model.sales import STOCK, Order, Ticket
from boxoffice.mutations import MutationRejected
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import door, ticket_codes
from boxoffice.services.door import DoorSetup, Verdict
from boxoffice.services.door_lists import DoorCounts, default_ids, door_choices, door_counts, make_setup, search_holders
from boxoffice.store.ids import uuid7
from tests.boxoffice.services.door_venue import Venue, build_venue, setup_for, zone_named


@pytest.fixture
def venue(writer: Writer) -> Venue:
    return build_venue(writer)


def scan(venue: Venue, setup: DoorSetup, code: str) -> Verdict:
    with venue.writer.transaction() as work:
        return door.check(work, setup, code)


class TestNormalMode:
    def test_a_valid_ticket_is_admitted_with_its_holder_rate_zone_and_order(self, venue: Venue):
        verdict = scan(venue, setup_for(venue), venue.ticket.secret)
        assert (verdict.verdict, verdict.reason, verdict.message) == ("admitted", "welcome", "Welcome!")
        assert verdict.holder is not None
        assert verdict.holder.name == venue.ticket.holder_name
        assert verdict.holder.order_number.startswith("D-")
        assert verdict.holder.rate_name and verdict.holder.zone_name

    def test_the_second_scan_is_refused_as_already_inside_with_time_and_door(self, venue: Venue):
        setup = setup_for(venue)
        first = scan(venue, setup, venue.ticket.secret)
        second = scan(venue, setup, venue.ticket.secret)
        assert (second.verdict, second.reason) == ("refused", "already_inside")
        assert second.previous_at == first.scanned_at and second.previous_door == "Main door"
        assert second.message.startswith("Already inside: scanned at ") and "Main door" in second.message

    def test_every_scan_is_one_checkin_row_with_its_outbox_row(self, venue: Venue):
        setup = setup_for(venue)
        with venue.writer.store.session() as session:
            outbox_before = session.scalar(select(func.count()).select_from(OutboxEntry))
        verdicts = [scan(venue, setup, venue.ticket.secret) for _ in range(2)]
        with venue.writer.store.session() as session:
            rows = session.scalars(select(CheckIn).order_by(CheckIn.hlc)).all()
            outbox = session.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)).all()[outbox_before:]
        assert [r.id for r in rows] == [v.scan_id for v in verdicts]
        assert [(r.verdict, r.reason, r.direction) for r in rows] == [
            ("admitted", "welcome", "in"), ("refused", "already_inside", "in")]
        assert [o.mutation for o in outbox] == ["checkins.record", "checkins.record"]

    def test_unknown_code_is_refused(self, venue: Venue):
        verdict = scan(venue, setup_for(venue), "NOT-A-TICKET")
        assert (verdict.verdict, verdict.reason, verdict.holder) == ("refused", "unknown_code", None)

    def test_ticket_for_another_date_of_the_event_is_a_wrong_date(self, venue: Venue):
        verdict = scan(venue, setup_for(venue), venue.other_date_ticket.secret)
        assert (verdict.verdict, verdict.reason) == ("refused", "wrong_date")
        assert verdict.message.startswith("Wrong date: this ticket is for ")

    def test_ticket_for_another_event_is_a_wrong_event(self, venue: Venue):
        verdict = scan(venue, setup_for(venue), venue.other_event_ticket.secret)
        assert (verdict.reason, verdict.message) == (
            "wrong_event", f"Wrong event: this is for “{verdict.holder.event_name}”.")

    def test_cancelled_ticket_is_refused(self, venue: Venue):
        with venue.writer.store.session() as session:
            session.get(Ticket, venue.ticket.id).state = "cancelled"
            session.commit()
        verdict = scan(venue, setup_for(venue), venue.ticket.secret)
        assert (verdict.reason, verdict.message) == ("cancelled", "This ticket was cancelled.")


class TestEntryExitAndMulti:
    def test_entry_exit_lets_a_holder_go_out_and_back_in(self, venue: Venue):
        entry, exit_ = setup_for(venue, mode="entry"), setup_for(venue, mode="exit")
        code = venue.ticket.secret
        results = [scan(venue, s, code).reason for s in (entry, entry, exit_, exit_, entry)]
        assert results == ["welcome", "already_inside", "left", "not_inside", "welcome"]

    def test_exit_refuses_a_ticket_that_never_came_in(self, venue: Venue):
        verdict = scan(venue, setup_for(venue, mode="exit"), venue.ticket.secret)
        assert (verdict.verdict, verdict.reason) == ("refused", "not_inside")

    def test_normal_mode_admits_once_even_after_an_exit(self, venue: Venue):
        scan(venue, setup_for(venue, mode="entry"), venue.ticket.secret)
        scan(venue, setup_for(venue, mode="exit"), venue.ticket.secret)
        assert scan(venue, setup_for(venue), venue.ticket.secret).reason == "already_inside"

    def test_multi_never_refuses_a_valid_ticket_again_but_still_refuses_a_wrong_date(self, venue: Venue):
        multi = setup_for(venue, mode="multi")
        assert [scan(venue, multi, venue.ticket.secret).verdict for _ in range(3)] == ["admitted"] * 3
        assert scan(venue, multi, venue.other_date_ticket.secret).reason == "wrong_date"

    def test_a_door_name_is_cleaned_into_one_the_server_takes(self):
        assert DoorSetup(door="Main\r\n\x1b[2J  door").door == "Main [2J door"
        assert DoorSetup(door=" \t ").door == "Door"
        assert DoorSetup(door="N" * 300).door == "N" * 120

    def test_an_unknown_mode_is_refused_in_plain_words(self):
        with pytest.raises(ValueError, match="Unknown door mode “sideways”"):
            DoorSetup(mode="sideways")


class TestSeveralEventsAndZones:
    def test_a_door_for_two_events_admits_both(self, venue: Venue):
        setup = setup_for(venue, venue.ticket.date_id, venue.other_event_ticket.date_id)
        assert scan(venue, setup, venue.ticket.secret).admitted
        assert scan(venue, setup, venue.other_event_ticket.secret).admitted

    def test_only_tickets_of_the_chosen_zones_are_admitted(self, venue: Venue):
        ticket = venue.ticket
        with venue.writer.store.session() as session:
            zone_names = {zone_named(venue, ticket.event_id, n) for n in ("Parterre", "Balcon")}
            others = [t for t in session.scalars(select(Ticket).where(Ticket.date_id == ticket.date_id))
                      if t.zone_id != ticket.zone_id and t.zone_id in zone_names]
        setup = setup_for(venue, zone_ids=frozenset({ticket.zone_id}))
        assert scan(venue, setup, ticket.secret).admitted
        refused = scan(venue, setup, others[0].secret)
        assert (refused.reason, refused.message) == (
            "wrong_zone", f"Wrong zone: this ticket is for {refused.holder.zone_name}.")


class TestGuestsAndPasses:
    def test_an_accepted_guest_and_a_companion_are_admitted_once_each(self, venue: Venue):
        setup = setup_for(venue)
        guest = scan(venue, setup, venue.guest_code)
        companion = scan(venue, setup, venue.companion_code)
        assert (guest.verdict, guest.holder.kind, guest.holder.name) == ("admitted", "guest", "Inès Rochat")
        assert (companion.verdict, companion.holder.name) == ("admitted", "Björn Lüthi")
        assert scan(venue, setup, venue.guest_code).reason == "already_inside"

    def test_a_guest_who_declined_is_refused(self, venue: Venue):
        assert scan(venue, setup_for(venue), venue.declined_code).reason == "declined"

    def test_a_guest_at_a_door_not_set_for_their_event_is_a_wrong_event(self, venue: Venue):
        with venue.writer.store.session() as session:
            setup = make_setup(session, [venue.ticket.date_id])
        assert scan(venue, setup, venue.guest_code).reason == "wrong_event"

    def test_a_pass_is_admitted_with_its_photo_when_the_door_shows_photos(self, venue: Venue):
        verdict = scan(venue, setup_for(venue, show_photo=True), venue.pass_code)
        assert (verdict.verdict, verdict.holder.kind, verdict.holder.name) == ("admitted", "pass", "Giulia Bianchi")
        assert verdict.photo == b"\x89PNG-photo"
        assert scan(venue, setup_for(venue), venue.pass_code).reason == "already_inside"


def _as_printed_stock(venue: Venue) -> None:
    """The venue's ticket becomes one of tickets printed in advance, sold to nobody (D6)."""
    with venue.writer.store.session() as session:
        ticket = session.get(Ticket, venue.ticket.id)
        assert ticket is not None and ticket.order_id is not None
        order = session.get(Order, ticket.order_id)
        assert order is not None
        order.status = STOCK
        session.commit()


def _last_mutation(venue: Venue) -> str | None:
    with venue.writer.store.session() as session:
        return session.scalars(select(OutboxEntry.mutation).order_by(OutboxEntry.seq.desc())).first()


class TestQuickCancel:
    def test_scanning_a_printed_unsold_ticket_puts_it_back_on_sale(self, venue: Venue):
        _as_printed_stock(venue)
        setup = setup_for(venue, quick_cancel=True)
        verdict = scan(venue, setup, venue.ticket.secret)
        assert (verdict.verdict, verdict.reason) == ("returned", "returned_to_sale")
        with venue.writer.store.session() as session:
            assert session.get(Ticket, venue.ticket.id).state == "unsold"
        assert _last_mutation(venue) == "tickets.return_to_sale"
        again = scan(venue, setup, venue.ticket.secret)
        assert (again.reason, again.message) == ("cancelled", "This ticket is already back on sale.")
        assert scan(venue, setup_for(venue), venue.ticket.secret).reason == "cancelled"

    def test_a_used_ticket_cannot_go_back_on_sale(self, venue: Venue):
        _as_printed_stock(venue)
        scan(venue, setup_for(venue), venue.ticket.secret)
        assert scan(venue, setup_for(venue, quick_cancel=True), venue.ticket.secret).reason == "already_inside"

    def test_a_paid_ticket_is_refused_at_once_with_its_order_and_stays_valid(self, venue: Venue):
        with venue.writer.store.session() as session:
            number = session.scalar(select(Order.number).join(Ticket, Ticket.order_id == Order.id)
                                    .where(Ticket.id == venue.ticket.id))
        verdict = scan(venue, setup_for(venue, quick_cancel=True), venue.ticket.secret)
        assert (verdict.verdict, verdict.reason, verdict.message) == (
            "refused", "sold", f"This ticket was sold (order {number}): cancel it from the desk.")
        with venue.writer.store.session() as session:
            assert session.get(Ticket, venue.ticket.id).state == "valid"
            assert session.get(Order, venue.ticket.order_id).status == "paid"
        assert _last_mutation(venue) == "checkins.record"  # the refused scan only, no return_to_sale
        assert scan(venue, setup_for(venue), venue.ticket.secret).reason == "welcome"

    def test_the_mutation_itself_refuses_a_paid_ticket_on_the_device(self, venue: Venue):
        with (pytest.raises(MutationRejected, match=r"was sold \(order D-.*cancel it from the desk"),
              venue.writer.transaction() as work):
            work.run("tickets.return_to_sale", {"id": venue.ticket.id})
        with venue.writer.store.session() as session:
            assert session.get(Ticket, venue.ticket.id).state == "valid"


def _enrolled_for(venue: Venue, *date_ids: str) -> None:
    """This copy becomes a door enrolled for `date_ids`, with the scopes the server answers (sync.client)."""
    with venue.writer.store.session() as session:
        device = session.scalars(select(LocalDevice)).one()
        device.role, device.scopes = "door", ["organizer", f"device:{device.id}", *(f"date:{d}" for d in date_ids)]
        session.commit()


class TestEnrolledDates:
    def test_the_setup_offers_only_the_dates_the_door_is_enrolled_for(self, venue: Venue):
        _enrolled_for(venue, venue.ticket.date_id)
        with venue.writer.store.session() as session:
            assert [d.id for d in door_choices(session).dates] == [venue.ticket.date_id]
            with pytest.raises(ValueError, match="No date or event with the id"):
                make_setup(session, [venue.other_date_ticket.date_id])

    def test_a_ticket_for_a_date_the_door_is_not_enrolled_for_is_refused_at_once(self, venue: Venue):
        _enrolled_for(venue, venue.ticket.date_id)
        verdict = scan(venue, setup_for(venue), venue.other_date_ticket.secret)
        assert (verdict.verdict, verdict.reason) == ("refused", "not_enrolled")
        assert verdict.message.startswith("Wrong date: this ticket is for ")
        assert verdict.message.endswith(", a date this device is not enrolled for.")
        with venue.writer.store.session() as session:
            recorded = session.get(CheckIn, verdict.scan_id)
        # Logged without the date: the server takes check-ins only for this device's dates.
        assert recorded is not None and (recorded.ticket_id, recorded.date_id) == (venue.other_date_ticket.id, None)

    def test_even_a_setup_made_by_hand_with_every_date_refuses_the_dates_not_enrolled(self, venue: Venue):
        with venue.writer.store.session() as session:
            every = door_choices(session).dates
        setup = DoorSetup(tuple(every), door="Main door", enrolled_date_ids=frozenset({venue.ticket.date_id}))
        assert scan(venue, setup, venue.other_date_ticket.secret).reason == "not_enrolled"
        assert scan(venue, setup, venue.ticket.secret).reason == "welcome"

    def test_a_door_enrolled_for_every_date_keeps_the_wrong_date_verdict(self, venue: Venue):
        with venue.writer.store.session() as session:
            device = session.scalars(select(LocalDevice)).one()
            device.role, device.scopes = "door", ["organizer", "dates"]
            session.commit()
        assert scan(venue, setup_for(venue), venue.other_date_ticket.secret).reason == "wrong_date"


class TestSignedCodes:
    @pytest.fixture
    def keys(self, venue: Venue) -> tuple[str, str]:
        private, public = ticket_codes.new_signing_key()
        with venue.writer.transaction() as work:
            work.run("catalogue.update", {"entity": "events", "id": venue.ticket.event_id,
                                          "changes": {"signing_keys": [public]}})
        return private, public

    def _code(self, venue: Venue, private: str, ticket_id: str | None = None, **window: datetime) -> str:
        return ticket_codes.sign_ticket(private, ticket_codes.SignedTicket(
            ticket_id or uuid7(), venue.ticket.date_id, venue.ticket.zone_id, **window))

    def test_a_ticket_sold_at_a_desk_this_door_never_synced_with_is_admitted_once(self, venue: Venue, keys):
        code = self._code(venue, keys[0])
        assert scan(venue, setup_for(venue), code).verdict == "admitted"
        assert scan(venue, setup_for(venue), code).reason == "already_inside"

    def test_a_code_signed_with_another_key_is_refused_as_forged(self, venue: Venue, keys):
        forged = self._code(venue, ticket_codes.new_signing_key()[0])
        verdict = scan(venue, setup_for(venue), forged)
        assert verdict.reason == "signature_invalid" and verdict.message.startswith("Forged or altered code")

    def test_a_revoked_ticket_is_refused(self, venue: Venue, keys):
        ticket_id = uuid7()
        with venue.writer.transaction() as work:
            work.run("catalogue.update", {"entity": "event_dates", "id": venue.ticket.date_id,
                                          "changes": {"settings": {"revoked_tickets": [ticket_id]}}})
        assert scan(venue, setup_for(venue), self._code(venue, keys[0], ticket_id)).reason == "revoked"

    def test_an_expired_code_is_refused(self, venue: Venue, keys):
        code = self._code(venue, keys[0], valid_until=datetime.now(UTC) - timedelta(hours=1))
        assert scan(venue, setup_for(venue), code).reason == "expired"


class TestSearchAndManualCheckIn:
    def test_search_by_order_number_then_check_in_by_hand(self, venue: Venue):
        setup = setup_for(venue)
        with venue.writer.store.session() as session:
            number = session.execute(select(Order.number).where(Order.id == venue.ticket.order_id)).scalar_one()
            hits = search_holders(session, setup, number.lower())
        assert venue.ticket.id in [h.id for h in hits] and {h.order_number for h in hits} == {number}
        with venue.writer.transaction() as work:
            verdict = door.check_in_by_hand(work, setup, "ticket", venue.ticket.id)
        assert verdict.admitted and verdict.code == f"manual:ticket:{venue.ticket.id}"
        assert scan(venue, setup, venue.ticket.secret).reason == "already_inside"

    def test_search_finds_guests_by_name(self, venue: Venue):
        with venue.writer.store.session() as session:
            hits = search_holders(session, setup_for(venue), "inès ro")
        assert [(h.kind, h.name) for h in hits] == [("guest", "Inès Rochat")]

    def test_counters_count_inside_admitted_and_refused(self, venue: Venue):
        setup = setup_for(venue)
        for code in (venue.ticket.secret, venue.ticket.secret, venue.guest_code, "nope"):
            scan(venue, setup, code)
        with venue.writer.store.session() as session:
            assert door_counts(session, setup) == DoorCounts(inside=2, admitted=2, refused=2)

    def test_default_dates_are_those_of_the_next_day_with_dates(self, venue: Venue):
        with venue.writer.store.session() as session:
            ids = default_ids(session, "Europe/Zurich")
            first = door_choices(session).dates[0]
        assert first.id in ids
