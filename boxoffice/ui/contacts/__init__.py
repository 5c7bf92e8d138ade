"""The Contacts page: lists, contacts, CSV import, merge and export (C1–C7)."""
