"""Opt-outs on the organizer's copy: recorded by hand, left out of invitations, counted, withdrawn."""

from __future__ import annotations

import re

import pytest

from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import contacts, invitations, opt_outs


def _list(writer: Writer) -> str:
    with writer.transaction() as work:
        list_id = contacts.create_list(work, "Vernissage", [])
        for email in ("ann@example.ch", "Bob@Example.ch", "cleo@example.ch"):
            contacts.add_contact(work, list_id, email, email.split("@")[0].title(), "Test")
    return list_id


class TestOptOuts:
    def test_an_address_marked_by_hand_is_left_out_of_the_next_invitation_whatever_its_case(self, writer: Writer):
        list_id = _list(writer)
        with writer.transaction() as work:
            opt_outs.mark_opted_out(work, " BOB@example.CH ")
        with writer.store.session() as session:
            assert [r.email for r in invitations.recipients(session, [list_id])] == ["ann@example.ch",
                                                                                     "cleo@example.ch"]
            assert opt_outs.opted_out_in(session, [list_id]) == 1

    def test_withdrawing_an_opt_out_invites_the_address_again(self, writer: Writer):
        list_id = _list(writer)
        with writer.transaction() as work:
            opt_outs.mark_opted_out(work, "ann@example.ch")
        with writer.transaction() as work:
            opt_outs.withdraw(work, "ANN@example.ch")
        with writer.store.session() as session:
            assert len(invitations.recipients(session, [list_id])) == 3
            assert opt_outs.opted_out(session) == set()

    def test_marking_twice_keeps_one_opt_out(self, writer: Writer):
        with writer.transaction() as work:
            opt_outs.mark_opted_out(work, "ann@example.ch")
            opt_outs.mark_opted_out(work, "Ann@example.ch")
        with writer.store.session() as session:
            assert opt_outs.opted_out(session) == {"ann@example.ch"}

    def test_a_malformed_address_is_refused_with_its_value(self, writer: Writer):
        with (pytest.raises(opt_outs.OptOutError, match=re.escape("“ann-at-example” is not a valid email address.")),
              writer.transaction() as work):
            opt_outs.mark_opted_out(work, "ann-at-example")
