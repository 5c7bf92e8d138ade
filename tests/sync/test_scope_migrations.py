"""Server migrations s0008 (scopes per role), s0010 (guest lists, resales and conflicts per event
and date) and s0011 (passes and their orders per pass definition) on a populated database, SQLite
and PostgreSQL: an organizer's business is written through the real server, its rows are put back
in the scopes an s0007 server gave them, and the upgrade must reach exactly the scopes and
checkpoints the write path gives them today."""

from __future__ import annotations

from collections import Counter

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, select, text

from boxoffice.model.invitations import Guest, Invitation
from boxoffice.services import credits, door
from boxoffice.services.door_lists import make_setup
from sync.client import SyncClient
from sync.server.checkpoints import rebuild
from sync.server.database import SERVER_MIGRATIONS, Database, upgrade
from tests.sync.test_conflict_scopes import _double_entry_and_lost_edit
from tests.sync.test_projections import _business

# As an s0007 server scoped rows: contacts apart, tickets and dated check-ins by date, allotments
# by device, everything else in "organizer".
_OLD_SCOPES = [
    "UPDATE row_changes SET scope = 'organizer' WHERE entity NOT IN "
    "('tickets', 'checkins', 'allotments', 'contact_lists', 'contacts', 'consent_records')",
    "UPDATE row_changes SET scope = 'organizer' WHERE entity = 'checkins' "
    "AND entity_id IN (SELECT id FROM checkins WHERE date_id IS NULL)",
]


def _scopes(connection: Connection) -> dict[tuple[str, str], str]:
    return {(entity, row_id): scope for entity, row_id, scope in connection.execute(
        text("SELECT entity, entity_id, scope FROM row_changes"))}


def _checkpoints(connection: Connection) -> dict[tuple[str, str], tuple[int, str]]:
    return {(organizer, scope): (int(count), digest) for organizer, scope, count, digest in connection.execute(
        text("SELECT organizer_id, scope, row_count, digest FROM scope_checkpoints WHERE row_count > 0"))}


def _config(db: Database) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SERVER_MIGRATIONS))
    config.attributes["engine"] = db.engine
    return config


class TestScopeMigrations:
    def test_an_s0007_database_with_every_kind_of_row_upgrades_to_the_scopes_and_checkpoints_of_today(
            self, server, make_device):
        laptop, _venue, _sold = _business(make_device, server)
        with laptop.transaction() as work:
            credits.add_credits(work, 500, "Invoice 2027-14")
        with laptop.store.session() as session:  # a guest's check-in, which has no date
            guest, event_id = session.execute(select(Guest, Invitation.event_id).join(
                Invitation, Invitation.id == Guest.invitation_id).where(Guest.status == "accepted")).one()
            setup = make_setup(session, [event_id], door="Garden gate")
        with laptop.transaction() as work:
            assert door.check(work, setup, guest.code).verdict == "admitted"
        assert SyncClient(laptop).sync_once().rejected == 0
        _double_entry_and_lost_edit(make_device, laptop)
        db = Database(server.database_url)
        with db.engine.begin() as connection:
            today, kept = _scopes(connection), _checkpoints(connection)
        kinds = Counter(entity for entity, _id in today)
        for entity in ("orders", "tickets", "checkins", "invitations", "guests", "companions", "resales", "passes",
                       "conflicts", "credit_entries", "questions", "contacts"):
            assert kinds[entity], entity  # every kind of row the two migrations move is there
        scopes = Counter(scope.split(":")[0] for scope in today.values())
        assert {"date", "private", "sales", "contacts", "organizer"} <= set(scopes)
        # The pass and its order went to its definition's scope (s0011); no order is of several dates.
        assert {today[key] for key in today if key[0] in ("passes", "orders")} & {
            scope for scope in today.values() if scope.startswith("date:pass:")}

        with db.engine.begin() as connection:  # back to an s0007 server's scopes and checkpoints
            for statement in _OLD_SCOPES:
                connection.execute(text(statement))
            rebuild(connection)
            assert _scopes(connection) != today and _checkpoints(connection) != kept
        command.stamp(_config(db), "s0007")
        upgrade(db.engine)
        with db.engine.begin() as connection:
            assert _scopes(connection) == today
            assert _checkpoints(connection) == kept
        db.engine.dispose()
