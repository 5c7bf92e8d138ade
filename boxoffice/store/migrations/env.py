"""Alembic environment for the device store: runs on the engine the caller hands over."""

from alembic import context

from boxoffice.model import Base

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    # render_as_batch: SQLite cannot ALTER most things; batch mode recreates tables safely.
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
