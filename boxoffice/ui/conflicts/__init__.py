"""The Conflicts page: what sync could not merge silently (S3)."""
