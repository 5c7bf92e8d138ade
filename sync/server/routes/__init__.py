"""HTTP routes of the sync server, one module per area."""
