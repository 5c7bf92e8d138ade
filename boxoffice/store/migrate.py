"""Run the store's Alembic migrations; the schema is created by them and nothing else."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(engine: Engine, *, search_indexes: bool = True) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    # The sync server searches nothing: its copy of the domain tables skips the full-text indexes,
    # whose triggers would cost every pushed row (a 100,000-ticket first push went past 20 s).
    config.attributes["search_indexes"] = search_indexes
    return config


def upgrade(engine: Engine, revision: str = "head", *, search_indexes: bool = True) -> None:
    """Bring the database to `revision`, keeping its data (an old database is never recreated)."""
    command.upgrade(alembic_config(engine, search_indexes=search_indexes), revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert head is not None, "the migrations folder has no revision"
    return head
