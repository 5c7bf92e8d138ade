"""Fixtures shared by the app's tests: the private cupsd of tests/printing, one per session for all of them."""

from tests.printing.conftest import cups_server

__all__ = ["cups_server"]
