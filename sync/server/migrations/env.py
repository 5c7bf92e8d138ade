"""Alembic environment for the server's own tables (the domain tables come from the device migrations)."""

from alembic import context

from sync.server.tables import ServerBase

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    # The domain tables in the same database belong to the device migrations: ignore them here.
    context.configure(connection=connection, target_metadata=ServerBase.metadata,
                      version_table="server_alembic_version", render_as_batch=True,
                      include_name=lambda name, kind, _parent: kind != "table" or name in ServerBase.metadata.tables)
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
