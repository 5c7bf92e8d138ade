"""The Settings page: data directory and language."""
