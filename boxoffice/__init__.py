"""boxoffice: the offline-first desktop box office (contacts, invitations, desk, door, printing)."""

__version__ = "0.1.0"
