"""The Invitations page and the invitation wizard (G1–G12)."""
