"""Devices converge through the real server: push once, pull by scope, merge per field, conflicts kept."""

from __future__ import annotations

from sqlalchemy import func, select

from boxoffice.model.contacts import Contact, ContactList
from boxoffice.model.devices import Conflict, OutboxEntry
from boxoffice.model.sales import Ticket
from boxoffice.services import contacts
from boxoffice.services.demo import create_demo


def _count(writer, model) -> int:
    with writer.store.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


class TestConvergence:
    def test_a_list_made_on_one_device_appears_on_another_after_one_sync(self, make_device):
        laptop, laptop_sync = make_device("laptop")
        desk, desk_sync = make_device("desk-1")
        with laptop.transaction() as work:
            list_id = contacts.create_list(work, "Gala")
            contacts.add_contact(work, list_id, "ann@example.ch", "Ann", "Favre")
        report = laptop_sync.sync_once()
        assert (report.pushed, report.pending, report.online) == (2, 0, True)
        pulled = desk_sync.sync_once()
        assert pulled.pulled >= 2
        with desk.store.session() as session:
            [ann] = contacts.contacts_of(session, list_id)
            assert (ann.email, ann.first_name) == ("ann@example.ch", "Ann")

    def test_concurrent_edits_converge_to_the_later_one_and_the_lost_edit_is_a_conflict(self, make_device):
        a, a_sync = make_device("a")
        b, b_sync = make_device("b")
        with a.transaction() as work:
            list_id = contacts.create_list(work, "Gala")
            contact_id = contacts.add_contact(work, list_id, "ann@example.ch", "Ann", "Favre")
        a_sync.sync_once()
        b_sync.sync_once()
        with a.transaction() as work:  # both offline: A edits first, then B
            contacts.edit_contact(work, contact_id, "ann@example.ch", "Anna", "Favre", {})
        with b.transaction() as work:
            contacts.edit_contact(work, contact_id, "ann@example.ch", "Annette", "Favre", {})
        b_sync.sync_once()
        a_sync.sync_once()
        b_sync.sync_once()
        for writer in (a, b):
            with writer.store.session() as session:
                assert session.get(Contact, contact_id).first_name == "Annette"
        with a.store.session() as session:
            conflicts = list(session.scalars(select(Conflict)))
        assert [(c.kind, c.details["lost_value"], c.details["kept_value"]) for c in conflicts] == [
            ("overwritten_edit", "Anna", "Annette")]

    def test_pushing_twice_applies_each_mutation_once(self, make_device):
        laptop, laptop_sync = make_device("laptop")
        with laptop.transaction() as work:
            list_id = contacts.create_list(work, "Gala")
            contacts.add_contact(work, list_id, "ann@example.ch")
        laptop_sync.push()
        with laptop.store.session() as session:  # as if the reply had been lost: push everything again
            for entry in session.scalars(select(OutboxEntry)):
                entry.pushed_at = None
            session.commit()
        laptop_sync.push()
        with laptop.store.session() as session:
            results = [(e.result["status"], e.result["replayed"])
                       for e in session.scalars(select(OutboxEntry).order_by(OutboxEntry.seq))]
        assert results == [("applied", True), ("applied", True)]
        other, other_sync = make_device("other")
        other_sync.sync_once()
        assert _count(other, Contact) == 1


class TestRefusedChanges:
    def test_an_edit_refused_because_another_device_removed_the_contact_is_undone_locally(self, make_device):
        a, a_sync = make_device("a")
        b, b_sync = make_device("b")
        with a.transaction() as work:
            list_id = contacts.create_list(work, "Gala")
            contact_id = contacts.add_contact(work, list_id, "ann@example.ch", "Ann", "Favre")
        a_sync.sync_once()
        b_sync.sync_once()
        with a.transaction() as work:
            contacts.remove_contacts(work, [contact_id])
        a_sync.sync_once()
        with b.transaction() as work:  # B, offline, still sees Ann and renames her
            contacts.edit_contact(work, contact_id, "ann@example.ch", "Anna", "Favre", {})
        report = b_sync.sync_once()
        assert report.rejected == 1
        with b.store.session() as session:
            ann = session.get(Contact, contact_id)
            assert (ann.first_name, ann.cl) == ("Ann", 2)
            assert [c.kind for c in session.scalars(select(Conflict))] == ["rejected_change"]

    def test_a_list_the_server_refused_to_create_disappears_from_the_device(self, make_device):
        desk, desk_sync = make_device("desk", role="desk")
        with desk.transaction() as work:
            contacts.create_list(work, "Not allowed here")
        desk_sync.sync_once()
        assert _count(desk, ContactList) == 0


class TestScopes:
    def test_a_door_pulls_only_its_dates(self, make_device):
        laptop, laptop_sync = make_device("laptop")
        with laptop.transaction() as work:
            create_demo(work, tickets=300, contact_count=20)
        laptop_sync.sync_once()
        with laptop.store.session() as session:
            first_date = session.scalars(select(Ticket.date_id)).first()
            on_that_date = session.scalar(select(func.count()).select_from(Ticket).where(Ticket.date_id == first_date))
        door, door_sync = make_device("door-1", role="door", dates=[first_date])
        door_sync.sync_once()
        assert _count(door, Ticket) == on_that_date
        assert _count(door, Contact) == 0
