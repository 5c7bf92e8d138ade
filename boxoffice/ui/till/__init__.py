"""Closing the till (T5): count the drawer, see the difference, record the close, print it."""
