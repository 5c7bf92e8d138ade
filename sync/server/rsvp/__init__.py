"""The RSVP pages guests open from their invitation email (G11)."""
