"""Use cases over a Session or a UnitOfWork, free of Qt: callable from the UI, the CLI, tests and the server."""
