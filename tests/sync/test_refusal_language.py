"""A change the server refuses is told on the device in the device's language, not in the server's English."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from boxoffice import i18n
from boxoffice.i18n import N_
from boxoffice.model.devices import Conflict
from boxoffice.mutations import MutationRejected
from boxoffice.services import conflicts, contacts


@pytest.fixture
def french() -> Iterator[None]:
    i18n.set_language("fr")
    try:
        yield
    finally:
        i18n.set_language("en")


def _refused_edit(make_device):  # type: ignore[no-untyped-def]
    """Device B renames a contact that device A removed meanwhile: the server refuses B's edit."""
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
    with b.transaction() as work:
        contacts.edit_contact(work, contact_id, "ann@example.ch", "Anna", "Favre", {})
    assert b_sync.sync_once().rejected == 1
    return b, contact_id


class TestRefusalsInTheDevicesLanguage:
    def test_the_conflicts_page_gives_the_servers_refusal_in_french(self, make_device, french: None):
        b, contact_id = _refused_edit(make_device)
        with b.store.session() as session:
            [conflict] = session.scalars(select(Conflict))
            shown = conflicts.describe(conflict)
        assert conflict.details["reason"] == f"the contact {contact_id} does not exist"  # the server's own words
        assert shown.startswith("Le serveur a refusé une modification (contacts.update)")
        assert shown.endswith(f"le contact {contact_id} n'existe pas")

    def test_the_same_refusal_reads_in_english_on_an_english_device(self, make_device):
        b, contact_id = _refused_edit(make_device)
        with b.store.session() as session:
            [conflict] = session.scalars(select(Conflict))
            assert conflicts.describe(conflict).endswith(f"the contact {contact_id} does not exist")

    def test_a_refusal_on_the_desk_itself_reads_in_the_desks_language(self, french: None):
        refused = MutationRejected(N_("not enough places left in {zone}: {free}"), free=1, zone="Parterre")
        assert str(refused) == "plus assez de places en Parterre : 1"
        assert refused.refusal() == {"reason": "not enough places left in {zone}: {free}",
                                     "params": {"free": 1, "zone": "Parterre"}}
