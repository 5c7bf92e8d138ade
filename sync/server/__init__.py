"""The sync server: FastAPI app, enrollment, push/pull replication, `boxoffice-server` command."""
