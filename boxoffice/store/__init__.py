"""The local store: SQLite engine, migrations, ids, hybrid logical clock and the outbox."""
