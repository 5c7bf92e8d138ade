"""The RSVP pages over real HTTP on the real server (G11): answers, deadlines, wrong links, CSRF, escaping."""

from __future__ import annotations

import html
import secrets
from datetime import UTC, datetime, timedelta

import requests
from PIL import Image
from sqlalchemy import select

from boxoffice.model.events import Event
from boxoffice.model.invitations import Companion, Invitation
from boxoffice.services.invitation_tracking import tracking
from sync.server.database import Database
from sync.server.mail.tables import MailMessage
from tests.sync.rsvp.invitations import form_secret, guest_on, move_deadline, send_invitation

ANN = "ann@example.ch"


def open_form(url: str, token: str, http: requests.Session | None = None) -> tuple[requests.Session, str]:
    http = http or requests.Session()
    page = http.get(f"{url}/rsvp/{token}?edit=1", timeout=10)
    assert page.status_code == 200, page.text
    return http, form_secret(page.text)


def accept(url: str, token: str, companions: list[str], menu: str = "Végétarien", allergies: str = "",
           http: requests.Session | None = None) -> requests.Response:
    http, secret = open_form(url, token, http)
    form = {"csrf": secret, "choice": "accept", "f0": "Favre", "f1": "Ann", "f2": ANN, "f3": menu, "f4": allergies,
            "companion": companions}
    return http.post(f"{url}/rsvp/{token}", data=form, timeout=10)


def confirmations(database_url: str) -> list[str]:
    """Recipients of the confirmation emails in the server's mail queue."""
    db = Database(database_url)
    with db.session() as session:
        found = list(session.scalars(select(MailMessage.recipient).where(MailMessage.kind == "confirmation")))
    db.engine.dispose()
    return found


class TestAnswering:
    def test_an_acceptance_with_two_companions_reaches_the_organizer_after_one_sync(self, server, make_device):
        laptop, laptop_sync = make_device("laptop")
        sent = send_invitation(laptop, laptop_sync)
        answer = accept(server.url, sent.tokens[ANN], ["Marc Favre", "Léa Favre"])
        assert answer.status_code == 200 and answer.history[0].status_code == 303
        assert "Vous avez accepté l'invitation." in html.unescape(answer.text) and '<html lang="fr">' in answer.text
        assert "Marc Favre" in answer.text and "Léa Favre" in answer.text
        assert laptop_sync.sync_once().pulled >= 3
        guest, names = guest_on(laptop, ANN)
        assert (guest.status, guest.answers["Menu"], names) == ("accepted", "Végétarien", ["Marc Favre", "Léa Favre"])
        assert guest.answered_at is not None
        with laptop.store.session() as session:
            counts = tracking(session, sent.id)
        assert (counts.accepted, counts.pending, counts.companions) == (1, 2, 2)
        assert confirmations(server.database_url) == [ANN]

    def test_a_declined_answer_brings_no_companions(self, server, make_device):
        laptop, laptop_sync = make_device("laptop")
        sent = send_invitation(laptop, laptop_sync)
        http, secret = open_form(server.url, sent.tokens[ANN])
        answer = http.post(f"{server.url}/rsvp/{sent.tokens[ANN]}",
                           data={"csrf": secret, "choice": "decline", "companion": ["Marc"]}, timeout=10)
        assert answer.status_code == 200 and "Vous avez décliné l'invitation." in html.unescape(answer.text)
        assert "Marc" not in answer.text
        laptop_sync.sync_once()
        guest, names = guest_on(laptop, ANN)
        assert (guest.status, guest.answers, names) == ("declined", {}, [])
        assert confirmations(server.database_url) == []

    def test_an_answer_changes_before_the_deadline_and_a_renamed_companion_keeps_its_code(self, server, make_device):
        laptop, laptop_sync = make_device("laptop")
        sent = send_invitation(laptop, laptop_sync)
        http = requests.Session()
        accept(server.url, sent.tokens[ANN], ["Marc", "Léa"], http=http)
        laptop_sync.sync_once()
        with laptop.store.session() as session:
            codes = {c.name: c.code for c in session.scalars(select(Companion))}
        again = accept(server.url, sent.tokens[ANN], ["Marc Favre", ""], menu="Viande", http=http)
        assert again.status_code == 200
        laptop_sync.sync_once()
        guest, names = guest_on(laptop, ANN)
        assert (guest.answers["Menu"], names) == ("Viande", ["Marc Favre"])
        with laptop.store.session() as session:
            kept = {c.name: (c.code, c.cl) for c in session.scalars(select(Companion))}
        assert kept == {"Marc Favre": (codes["Marc"], 1), "Léa": (codes["Léa"], 2)}

    def test_sending_the_same_acceptance_again_mails_no_second_confirmation(self, server, make_device):
        laptop, laptop_sync = make_device("laptop")
        sent = send_invitation(laptop, laptop_sync)
        http = requests.Session()
        for _ in range(3):
            assert accept(server.url, sent.tokens[ANN], [], http=http).status_code == 200
        assert confirmations(server.database_url) == [ANN]
        http, secret = open_form(server.url, sent.tokens[ANN], http)
        moved = {"csrf": secret, "choice": "accept", "f0": "Favre", "f1": "Ann", "f2": "ann.favre@example.ch",
                 "f3": "Viande", "f4": ""}
        assert http.post(f"{server.url}/rsvp/{sent.tokens[ANN]}", data=moved, timeout=10).status_code == 200
        assert sorted(confirmations(server.database_url)) == ["ann.favre@example.ch", ANN]

    def test_a_missing_required_answer_shows_the_form_again_naming_the_field(self, server, make_device):
        laptop, laptop_sync = make_device("laptop")
        sent = send_invitation(laptop, laptop_sync, language="de")
        answer = accept(server.url, sent.tokens[ANN], ["Marc"], menu="")
        assert answer.status_code == 422
        problems = answer.text.split('class="problems"')[1].split("</div>")[0]
        assert "Menu" in problems and "Bitte prüfen Sie Ihre Antwort" in problems
        assert 'value="Marc"' in answer.text and '<html lang="de">' in answer.text
        laptop_sync.sync_once()
        assert guest_on(laptop, ANN)[0].status == "pending"

    def test_more_companions_than_allowed_are_refused(self, server, make_device):
        laptop, laptop_sync = make_device("laptop")
        sent = send_invitation(laptop, laptop_sync, companions=1)
        answer = accept(server.url, sent.tokens[ANN], ["Marc", "Léa"])
        assert answer.status_code == 422 and "au plus" in answer.text
        laptop_sync.sync_once()
        guest, names = guest_on(laptop, ANN)
        assert (guest.status, names) == ("pending", [])


class TestDeadline:
    def test_after_the_deadline_the_answer_is_read_only_and_a_change_is_refused(self, server, make_device):
        laptop, laptop_sync = make_device("laptop")
        sent = send_invitation(laptop, laptop_sync)
        http = requests.Session()
        accept(server.url, sent.tokens[ANN], ["Marc"], http=http)
        _, secret = open_form(server.url, sent.tokens[ANN], http)
        move_deadline(laptop, laptop_sync, sent, datetime.now(UTC) - timedelta(minutes=1))
        page = http.get(f"{server.url}/rsvp/{sent.tokens[ANN]}?edit=1", timeout=10)
        assert page.status_code == 200 and 'id="closed"' in page.text and 'name="csrf"' not in page.text
        late = http.post(f"{server.url}/rsvp/{sent.tokens[ANN]}",
                         data={"csrf": secret, "choice": "decline"}, timeout=10)
        assert late.status_code == 410 and 'id="error"' in late.text
        laptop_sync.sync_once()
        assert guest_on(laptop, ANN)[0].status == "accepted"

    def test_a_link_not_answered_before_the_deadline_is_gone(self, server, make_device):
        laptop, laptop_sync = make_device("laptop")
        sent = send_invitation(laptop, laptop_sync, deadline=datetime.now(UTC) - timedelta(hours=1))
        page = requests.get(f"{server.url}/rsvp/{sent.tokens[ANN]}", timeout=10)
        assert page.status_code == 410 and 'id="error"' in page.text and "Traceback" not in page.text


class TestLinks:
    def test_an_unknown_or_malformed_token_gets_a_clear_404(self, server, make_device):
        laptop, laptop_sync = make_device("laptop")
        send_invitation(laptop, laptop_sync)
        for token in (secrets.token_urlsafe(24), "not a token", "%3Cscript%3E", "x" * 500):
            page = requests.get(f"{server.url}/rsvp/{token}", headers={"Accept-Language": "it"}, timeout=10)
            assert page.status_code == 404, token
            assert 'id="error"' in page.text and '<html lang="it">' in page.text and "<script>" not in page.text

    def test_a_cancelled_invitation_is_gone(self, server, make_device):
        laptop, laptop_sync = make_device("laptop")
        sent = send_invitation(laptop, laptop_sync)
        with laptop.transaction() as work:
            work.run("invitations.update", {"id": sent.id, "changes": {"status": "cancelled"}})
        laptop_sync.sync_once()
        assert requests.get(f"{server.url}/rsvp/{sent.tokens[ANN]}", timeout=10).status_code == 410

    def test_the_short_link_leads_to_the_page(self, server, make_device):
        laptop, laptop_sync = make_device("laptop")
        sent = send_invitation(laptop, laptop_sync)
        page = requests.get(f"{server.url}/r/{sent.tokens[ANN]}", timeout=10)
        assert page.status_code == 200 and page.url.endswith(f"/rsvp/{sent.tokens[ANN]}")


class TestForgery:
    def test_a_post_without_the_cookie_or_with_a_wrong_secret_is_refused(self, server, make_device):
        laptop, laptop_sync = make_device("laptop")
        sent = send_invitation(laptop, laptop_sync)
        token, other = sent.tokens[ANN], sent.tokens["bob@example.ch"]
        http, secret = open_form(server.url, token)
        _, bobs_secret = open_form(server.url, other, http)
        form = {"choice": "decline"}
        attempts = [requests.post(f"{server.url}/rsvp/{token}", data={**form, "csrf": secret}, timeout=10),
                    http.post(f"{server.url}/rsvp/{token}", data=form, timeout=10),
                    http.post(f"{server.url}/rsvp/{token}", data={**form, "csrf": "0" * 64}, timeout=10),
                    http.post(f"{server.url}/rsvp/{token}", data={**form, "csrf": bobs_secret}, timeout=10),
                    http.post(f"{server.url}/rsvp/{token}", data={**form, "csrf": "é" * 64}, timeout=10)]
        assert [a.status_code for a in attempts] == [403, 403, 403, 403, 403]
        laptop_sync.sync_once()
        assert guest_on(laptop, ANN)[0].status == "pending"

    def test_names_and_answers_with_markup_are_shown_as_text(self, server, make_device):
        laptop, laptop_sync = make_device("laptop")
        sent = send_invitation(laptop, laptop_sync)
        answer = accept(server.url, sent.tokens[ANN], ['<script>alert("x")</script>'], allergies="<b>gluten</b>")
        assert answer.status_code == 200
        assert "<script>" not in answer.text and "<b>" not in answer.text
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in answer.text and "&lt;b&gt;gluten" in answer.text
        policy = answer.headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "script-src" not in policy
        assert answer.headers["Referrer-Policy"] == "no-referrer"


class TestGuestList:
    def test_other_guests_are_listed_only_when_the_organizer_chose_it(self, server, make_device):
        laptop, laptop_sync = make_device("laptop")
        hidden = send_invitation(laptop, laptop_sync)
        shown = send_invitation(laptop, laptop_sync, show_guest_list=True)
        for sent in (hidden, shown):
            accept(server.url, sent.tokens[ANN], [])
        pages = {sent.id: requests.get(f"{server.url}/rsvp/{sent.tokens['bob@example.ch']}", timeout=10).text
                 for sent in (hidden, shown)}
        assert "Favre" not in pages[hidden.id] and 'id="guest-list"' not in pages[hidden.id]
        assert "Ann Favre" in pages[shown.id]


class TestLook:
    def test_the_page_wears_the_event_colour_and_logo(self, server, make_device, tmp_path):
        logo = tmp_path / "logo.png"
        Image.new("RGB", (40, 20), "#7a1f3d").save(logo)
        laptop, laptop_sync = make_device("laptop")
        sent = send_invitation(laptop, laptop_sync, logo=str(logo))
        page = requests.get(f"{server.url}/rsvp/{sent.tokens[ANN]}", timeout=10)
        assert "#7a1f3d" in page.text and f'src="/rsvp/{sent.tokens[ANN]}/logo"' in page.text
        image = requests.get(f"{server.url}/rsvp/{sent.tokens[ANN]}/logo", timeout=10)
        assert (image.status_code, image.headers["content-type"], image.content) == (200, "image/png",
                                                                                     logo.read_bytes())
        assert requests.get(f"{server.url}/rsvp/{secrets.token_urlsafe(24)}/logo", timeout=10).status_code == 404
        assert requests.get(f"{server.url}/rsvp/{sent.tokens[ANN]}/passwd", timeout=10).status_code == 404

    def test_a_file_path_on_the_server_is_never_read_as_the_logo(self, server, make_device, tmp_path):
        secret = tmp_path / "server-file.png"
        Image.new("RGB", (40, 20), "#000000").save(secret)
        laptop, laptop_sync = make_device("laptop")
        sent = send_invitation(laptop, laptop_sync)
        db = Database(server.database_url)
        with db.session() as session:  # as a crafted push would leave it: a path, not an embedded image
            invitation = session.get(Invitation, sent.id)
            assert invitation is not None and invitation.event_id is not None
            event = session.get(Event, invitation.event_id)
            assert event is not None
            event.appearance = {**(event.appearance or {}), "logo": str(secret)}
            session.commit()
        db.engine.dispose()
        assert requests.get(f"{server.url}/rsvp/{sent.tokens[ANN]}/logo", timeout=10).status_code == 404


class TestOnlyGuestsAnswer:
    def test_a_device_cannot_push_an_answer_for_a_guest(self, server, make_device):
        laptop, laptop_sync = make_device("laptop")
        sent = send_invitation(laptop, laptop_sync)
        guest, _ = guest_on(laptop, ANN)
        with laptop.transaction() as work:
            work.run("rsvp.answer", {"guest_id": guest.id, "status": "accepted", "answers": {},
                                     "answered_at": datetime.now(UTC).isoformat(), "companions": []})
        assert laptop_sync.sync_once().rejected == 1
        page = requests.get(f"{server.url}/rsvp/{sent.tokens[ANN]}", timeout=10)
        assert 'name="csrf"' in page.text and 'id="verdict"' not in page.text

