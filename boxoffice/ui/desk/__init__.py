"""The Desk page: keyboard-first sale screen, reservations, cancellations and ticket printing (T5)."""
