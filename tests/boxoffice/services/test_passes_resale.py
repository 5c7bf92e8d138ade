# SPDX-License-Identifier: AGPL-3.0-or-later
"""Resale of pass seats (P5): who may, until when, the seat back on sale and sold once, payouts and tracking."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from boxoffice.model.passes import Pass, Resale
from boxoffice.model.sales import Ticket
from boxoffice.mutations import MutationContext, MutationRejected, lookup
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import resale, sales
from boxoffice.services.iban import IbanError
from boxoffice.services.pass_sales import PassSale, sell_pass
from boxoffice.services.passes import PassError
from boxoffice.services.sales import Sale, SaleError, SaleLine
from tests.boxoffice.services.pass_venue import PassVenue, build_pass_venue, sell_seated
from tests.boxoffice.services.test_passes_sales import door_for, scan

IBAN = "CH93 0076 2011 6238 5295 7"


@pytest.fixture
def venue(writer: Writer) -> PassVenue:
    return build_pass_venue(writer)


def offer(writer: Writer, pass_id: str, date_id: str, kind: str = "transfer", iban: str = IBAN,
          now: datetime | None = None) -> str:
    with writer.transaction() as work:
        return resale.offer_resale(work, pass_id, date_id, kind, iban, "Inès Rochat", now)


def sell_seat(writer: Writer, venue: PassVenue, date_id: str | None = None) -> sales.SoldOrder:
    with writer.transaction() as work:
        return sales.sell(work, Sale(date_id or venue.gala.first, venue.gala.balcony, (SaleLine(venue.gala.full),),
                                     seat_ids=(venue.seat_a1,), answers={venue.gala.question: "no"},
                                     customer_name="Hugo Favre"))


def settle(writer: Writer) -> int:
    with writer.transaction() as work:
        return resale.settle_resales(work)


def the_resale(writer: Writer, resale_id: str) -> Resale:
    with writer.store.session() as session:
        found = session.get(Resale, resale_id)
        assert found is not None
        return found


class TestPayout:
    @pytest.mark.parametrize("price, percentage, payout", [
        (4500, 80, 3600), (4500, 100, 4500), (4500, 0, 0), (1999, 33, 660), (50, 25, 13), (50, 23, 12), (0, 80, 0),
    ])
    def test_the_payout_is_the_percentage_of_the_resale_price_rounded_halves_up(self, price, percentage, payout):
        assert resale.payout_for(price, percentage) == payout

    def test_a_percentage_outside_0_to_100_is_refused(self):
        with pytest.raises(PassError):
            resale.payout_for(4500, 101)


class TestOffer:
    def test_only_fixed_seat_passes_can_put_a_seat_on_resale(self, writer, venue):
        with writer.transaction() as work:
            free_seating = sell_pass(work, PassSale(venue.season, {"last_name": "B", "first_name": "G"}))
        with pytest.raises(PassError, match="Only passes with fixed numbered seats"):
            offer(writer, free_seating.pass_id, venue.gala.first)

    def test_the_seat_goes_back_on_sale_for_that_date_only(self, writer, venue):
        sold = sell_seated(writer, venue)
        resale_id = offer(writer, sold.pass_id, venue.gala.first)
        with writer.store.session() as session:
            assert sales.taken_seats(session, venue.gala.first) == set()
            assert sales.taken_seats(session, venue.gala.second) == {venue.seat_a1}
        row = the_resale(writer, resale_id)
        assert (row.status, row.percentage, row.iban, row.seat_id) == ("offered", 80, "CH9300762011623852957",
                                                                      venue.seat_a1)

    def test_a_seat_cannot_be_offered_twice_for_the_same_date(self, writer, venue):
        sold = sell_seated(writer, venue)
        offer(writer, sold.pass_id, venue.gala.first)
        with pytest.raises(PassError, match="already on resale"):
            offer(writer, sold.pass_id, venue.gala.first, "credit")
        with writer.transaction() as work:  # the server's own check, should two devices offer it offline
            ctx = MutationContext(work.session, "9" * 20, "other-device", "test", on_server=True)
            with pytest.raises(MutationRejected, match="already on resale"):
                lookup("resale.offer").run(ctx, {"id": "r2", "pass_id": sold.pass_id, "date_id": venue.gala.first,
                                                 "payout_kind": "credit"})

    def test_resale_closes_when_the_dates_sales_close(self, writer, venue):
        sold = sell_seated(writer, venue)
        with writer.store.session() as session:
            dates = {d.date_id: d for d in resale.resale_dates(session, sold.pass_id)}
        after_closing = dates[venue.gala.first].starts_at + timedelta(hours=2)
        with pytest.raises(PassError, match=r"Too late: sales for this date are closed\."):
            offer(writer, sold.pass_id, venue.gala.first, now=after_closing)

    def test_a_bank_transfer_needs_a_valid_iban_and_an_account_holder(self, writer, venue):
        sold = sell_seated(writer, venue)
        with pytest.raises(IbanError, match=r"An IBAN of CH has 21 characters; this one has 20\."):
            offer(writer, sold.pass_id, venue.gala.first, iban="CH93 0076 2011 6238 5295")
        with pytest.raises(PassError, match="account holder"), writer.transaction() as work:
            resale.offer_resale(work, sold.pass_id, venue.gala.first, "transfer", IBAN, " ")
        assert offer(writer, sold.pass_id, venue.gala.first, "donation", iban="")

    def test_a_payout_kind_the_campaign_does_not_offer_is_refused(self, writer, venue):
        from boxoffice.services import passes

        sold = sell_seated(writer, venue)
        with writer.transaction() as work:
            passes.set_resale_campaign(work, venue.seated, 50, ["credit"])
        with pytest.raises(PassError, match=r"This payout is not offered for this pass\."):
            offer(writer, sold.pass_id, venue.gala.first)


class TestResold:
    def test_the_resold_seat_is_sold_once_and_the_sale_computes_the_payout(self, writer, venue):
        sold = sell_seated(writer, venue)
        resale_id = offer(writer, sold.pass_id, venue.gala.first)
        bought = sell_seat(writer, venue)
        with pytest.raises(SaleError, match="Already sold for this date: seat A-1"):
            sell_seat(writer, venue)
        assert settle(writer) == 0  # the desk's sale settled it already: nothing waits
        row = the_resale(writer, resale_id)
        assert (row.status, row.sold_ticket_id, row.payout_minor) == ("resold", bought.ticket_ids[0], 3600)
        with writer.store.session() as session:
            tracked = resale.resales(session)
        assert [(r.status, r.sold_minor, r.payout_minor, r.iban) for r in tracked] == [
            ("resold", 4500, 3600, "CH93 •••• •••• •••• •295 7")]

    def test_a_credit_payout_goes_on_the_pass_at_once(self, writer, venue):
        sold = sell_seated(writer, venue)
        resale_id = offer(writer, sold.pass_id, venue.gala.first, "credit", iban="")
        sell_seat(writer, venue)
        settle(writer)
        assert the_resale(writer, resale_id).status == "paid"
        with writer.store.session() as session:
            held = session.get(Pass, sold.pass_id)
            assert held is not None and held.credit_minor == 3600

    def test_the_organizer_marks_a_transfer_paid_only_once_resold(self, writer, venue):
        sold = sell_seated(writer, venue)
        resale_id = offer(writer, sold.pass_id, venue.gala.first)
        with pytest.raises(PassError, match="Only a resold seat"), writer.transaction() as work:
            resale.mark_paid(work, resale_id)
        sell_seat(writer, venue)
        settle(writer)
        with writer.transaction() as work:
            resale.mark_paid(work, resale_id)
        row = the_resale(writer, resale_id)
        assert row.status == "paid" and row.paid_at is not None

    def test_the_pass_no_longer_admits_the_date_its_seat_was_resold_for(self, writer, venue):
        sold = sell_seated(writer, venue)
        with writer.store.session() as session:
            secret = session.scalars(select(Pass.secret).where(Pass.id == sold.pass_id)).one()
            pass_ticket = session.scalars(select(Ticket.secret).where(
                Ticket.pass_id == sold.pass_id, Ticket.date_id == venue.gala.first)).one()
        offer(writer, sold.pass_id, venue.gala.first)
        refused = scan(writer, door_for(writer, venue.gala.first), secret)
        assert (refused.verdict, refused.reason) == ("refused", "cancelled")
        assert refused.message == "This ticket was put back on sale: it is not valid."
        assert scan(writer, door_for(writer, venue.gala.first), pass_ticket).reason == "cancelled"
        assert scan(writer, door_for(writer, venue.gala.second), secret).verdict == "admitted"

    def test_the_csv_export_lists_every_resale_with_the_full_iban(self, writer, venue, tmp_path):
        sold = sell_seated(writer, venue)
        offer(writer, sold.pass_id, venue.gala.first)
        sell_seat(writer, venue)
        settle(writer)
        path = tmp_path / "payouts.csv"
        with writer.store.session() as session:
            assert resale.export_resales(session, path) == 1
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert rows[0]["Holder"] == "Inès Rochat" and rows[0]["IBAN"] == "CH93 0076 2011 6238 5295 7"
        assert (rows[0]["Resold for"], rows[0]["Amount"], rows[0]["Status"]) == ("45.00", "36.00", "resold")
        assert rows[0]["Seat"] == "Balcony, row A, seat 1" and rows[0]["Payout"] == "bank transfer"

