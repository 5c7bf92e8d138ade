# SPDX-License-Identifier: AGPL-3.0-or-later
"""The holder's pass area over real HTTP (P5): a seat put on resale, back on sale at the desk, paid out."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import requests
from sqlalchemy import select

from boxoffice.model.passes import Resale
from boxoffice.model.sales import Ticket
from boxoffice.money import format_money
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import catalogue, door, resale, sales
from boxoffice.services.door_lists import make_setup
from boxoffice.services.pass_sales import PassSale, SoldPass, area_token, pass_area_link, sell_pass
from boxoffice.services.sales import Sale, SaleError, SaleLine
from sync.server.database import Database
from tests.boxoffice.services.pass_venue import PassVenue, build_pass_venue, sell_seated

IBAN = "CH93 0076 2011 6238 5295 7"


def open_area(url: str, token: str) -> tuple[requests.Session, requests.Response, str]:
    http = requests.Session()
    page = http.get(f"{url}/pass/{token}", timeout=10)
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
    assert found is not None, page.text
    return http, page, found.group(1)


def seated_pass_on_server(make_device: object, language: str = "fr") -> tuple[Writer, object, PassVenue, SoldPass]:
    laptop, laptop_sync = make_device("laptop")  # type: ignore[operator]
    venue = build_pass_venue(laptop)
    sold = sell_seated(laptop, venue, language=language) if language else sell_seated(laptop, venue)
    assert laptop_sync.sync_once().rejected == 0
    return laptop, laptop_sync, venue, sold


class TestPassArea:
    def test_a_holder_puts_a_seat_on_resale_the_desk_sells_it_and_the_payout_is_tracked(self, server, make_device):
        laptop, laptop_sync, venue, sold = seated_pass_on_server(make_device)
        with laptop.store.session() as session:
            link = pass_area_link(session, sold.pass_id)  # the server this copy syncs with
        token = area_token(sold.pass_id, sold.area_key)
        assert link == f"{server.url}/pass/{token}"
        http, page, secret = open_area(server.url, token)
        assert '<html lang="fr">' in page.text and "Balcony subscription" in page.text
        assert page.text.count('<tr id="date-') == 3 and "Inès Rochat" in page.text
        answer = http.post(f"{server.url}/pass/{token}", data={
            "csrf": secret, "date_id": venue.gala.first, "payout_kind": "transfer", "iban": IBAN,
            "account_holder": "Inès Rochat"}, timeout=10)
        assert answer.history[0].status_code == 303 and 'id="saved"' in answer.text
        assert laptop_sync.sync_once().pulled >= 2
        with laptop.store.session() as session:
            offered = session.scalars(select(Resale)).one()
            assert (offered.status, offered.iban, offered.date_id) == ("offered", "CH9300762011623852957",
                                                                       venue.gala.first)
            assert sales.taken_seats(session, venue.gala.first) == set()
        with laptop.transaction() as work:
            sales.sell(work, Sale(venue.gala.first, venue.gala.balcony, (SaleLine(venue.gala.full),),
                                  seat_ids=(venue.seat_a1,), answers={venue.gala.question: "no"}))
        with pytest.raises(SaleError), laptop.transaction() as work:
            sales.sell(work, Sale(venue.gala.first, venue.gala.balcony, (SaleLine(venue.gala.full),),
                                  seat_ids=(venue.seat_a1,), answers={venue.gala.question: "no"}))
        with laptop.transaction() as work:
            assert resale.settle_resales(work) == 0  # the sale settled the resale already
        assert laptop_sync.sync_once().rejected == 0
        db = Database(server.database_url)
        with db.session() as session:
            on_server = session.scalars(select(Resale)).one()
            sold_tickets = session.scalars(select(Ticket).where(Ticket.date_id == venue.gala.first,
                                                                Ticket.seat_id == venue.seat_a1)).all()
        db.engine.dispose()
        assert (on_server.status, on_server.payout_minor) == ("resold", 3600)
        assert sorted(t.state for t in sold_tickets) == ["unsold", "valid"]
        again = requests.get(f"{server.url}/pass/{token}", timeout=10)
        assert again.text.count('<tr id="date-') == 3 and ">revendu<" in again.text.lower()

    def test_a_credit_from_a_resold_seat_is_shown_as_the_holders_language_writes_money(self, server, make_device):
        laptop, laptop_sync, venue, sold = seated_pass_on_server(make_device, "fr")
        token = area_token(sold.pass_id, sold.area_key)
        http, _page, secret = open_area(server.url, token)
        http.post(f"{server.url}/pass/{token}", data={"csrf": secret, "date_id": venue.gala.first,
                                                       "payout_kind": "credit"}, timeout=10)
        assert laptop_sync.sync_once().rejected == 0
        with laptop.transaction() as work:
            sales.sell(work, Sale(venue.gala.first, venue.gala.balcony, (SaleLine(venue.gala.full),),
                                  seat_ids=(venue.seat_a1,), answers={venue.gala.question: "no"}))
        assert laptop_sync.sync_once().rejected == 0
        page = requests.get(f"{server.url}/pass/{token}", timeout=10).text
        assert f"<dd>{format_money(3600, 'CHF', 'fr')}</dd>" in page and "CHF 36.00" not in page

    def test_a_wrong_iban_is_named_in_the_holders_language_and_what_was_typed_is_kept_escaped(self, server,
                                                                                             make_device):
        _laptop, _sync, venue, sold = seated_pass_on_server(make_device, "de")
        token = area_token(sold.pass_id, sold.area_key)
        http, _page, secret = open_area(server.url, token)
        answer = http.post(f"{server.url}/pass/{token}", data={
            "csrf": secret, "date_id": venue.gala.first, "payout_kind": "transfer", "iban": "CH93 0076 2011 6238 5295",
            "account_holder": "<script>alert(1)</script>"}, timeout=10)
        assert answer.status_code == 422
        problem = re.search(r'<p class="problems" id="problem">([^<]+)</p>', answer.text)
        assert problem is not None and "CH" in problem.group(1) and "21" in problem.group(1)
        assert "IBAN of CH" not in problem.group(1)  # German, not English
        assert "<script>" not in answer.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in answer.text
        assert 'value="CH93 0076 2011 6238 5295"' in answer.text

    def test_a_post_without_the_pages_secret_is_refused_and_changes_nothing(self, server, make_device):
        laptop, laptop_sync, venue, sold = seated_pass_on_server(make_device, "")
        token = area_token(sold.pass_id, sold.area_key)
        http, page, _secret = open_area(server.url, token)
        assert '<html lang="en">' in page.text and "Put my seat on resale" in page.text
        answer = http.post(f"{server.url}/pass/{token}", data={
            "csrf": "0" * 64, "date_id": venue.gala.first, "payout_kind": "credit"}, timeout=10)
        assert answer.status_code == 403
        laptop_sync.sync_once()
        with laptop.store.session() as session:
            assert session.scalars(select(Resale)).first() is None

    def test_a_forged_or_unknown_link_opens_nothing(self, server, make_device):
        _laptop, _sync, _venue, sold = seated_pass_on_server(make_device, "")
        token = area_token(sold.pass_id, sold.area_key)
        forged = token[:-1] + ("a" if token[-1] != "a" else "b")
        for wrong in (forged, sold.secret, f"{sold.pass_id}.{'a' * 24}"):
            answer = requests.get(f"{server.url}/pass/{wrong}", timeout=10)
            assert answer.status_code == 404 and "Balcony subscription" not in answer.text


class TestPassAtTheDoor:
    def test_a_pass_sold_at_a_desk_is_checked_in_at_a_door_store_that_synced(self, server, make_device):
        laptop, laptop_sync = make_device("laptop")
        venue = build_pass_venue(laptop)
        with laptop.transaction() as work:
            jazz = catalogue.add_date(work, venue.other_event, datetime.now(UTC) + timedelta(days=20))
        laptop_sync.sync_once()
        desk, desk_sync = make_device("desk", role="desk")
        desk_sync.sync_once()
        with desk.transaction() as work:  # offline: a pass without seats takes no place from a lease
            secret = sell_pass(work, PassSale(venue.season, {"last_name": "Bianchi", "first_name": "Giulia"},
                                              payment_method="card")).secret
        assert desk_sync.sync_once().rejected == 0
        gate, gate_sync = make_device("gate", role="door")
        gate_sync.sync_once()
        for date_id, expected in ((venue.gala.first, ("admitted", "welcome")), (jazz, ("refused", "wrong_event"))):
            with gate.store.session() as session:
                setup = make_setup(session, [date_id], door="Gate")
            with gate.transaction() as work:
                verdict = door.check(work, setup, secret)
            assert (verdict.verdict, verdict.reason) == expected
            assert verdict.holder is not None and verdict.holder.name == "Giulia Bianchi"

    def test_a_door_that_synced_refuses_the_pass_on_the_date_its_seat_was_put_on_resale(self, server, make_device):
        _laptop, _sync, venue, sold = seated_pass_on_server(make_device, "")
        token = area_token(sold.pass_id, sold.area_key)
        http, _page, secret = open_area(server.url, token)
        answer = http.post(f"{server.url}/pass/{token}", data={
            "csrf": secret, "date_id": venue.gala.first, "payout_kind": "donation"}, timeout=10)
        assert answer.status_code == 200 and 'id="saved"' in answer.text
        gate, gate_sync = make_device("gate", role="door")
        gate_sync.sync_once()
        with gate.store.session() as session:
            first = make_setup(session, [venue.gala.first], door="Gate")
            second = make_setup(session, [venue.gala.second], door="Gate")
        with gate.transaction() as work:
            refused = door.check(work, first, sold.secret)
            admitted = door.check(work, second, sold.secret)
        assert (refused.verdict, refused.reason) == ("refused", "cancelled")
        assert admitted.verdict == "admitted"
