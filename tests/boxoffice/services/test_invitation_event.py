"""An invitation's event, once it has guests, stays (#13): its guests' list is held by that event's
doors only (docs/roles.md), so a door of another event never keeps a list that is no longer its own."""

from __future__ import annotations

import pytest

from boxoffice.model.invitations import Invitation
from boxoffice.mutations import MutationRejected
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import invitations
from tests.boxoffice.services.test_invitations import NOW, complete_draft, make_list


def test_a_scheduled_invitation_with_guests_cannot_move_to_another_event(writer: Writer):
    draft = complete_draft([make_list(writer, "Amis", ["a@example.ch"])])
    with writer.transaction() as work:
        invitations.save_draft(work, draft)
        invitations.schedule(work, draft.id, NOW)
    with pytest.raises(MutationRejected, match="has guests: its event can no longer change"), \
            writer.transaction() as work:
        work.run("invitations.update", {"id": draft.id, "changes": {"event_id": "another-event"}})
    with writer.transaction() as work:  # the rest of a scheduled invitation still changes
        work.run("invitations.update", {"id": draft.id, "changes": {"event_id": draft.event.id, "name": "Hodler"}})
    with writer.store.session() as session:
        row = session.get(Invitation, draft.id)
        assert row is not None and (row.event_id, row.name) == (draft.event.id, "Hodler")
