"""A guard against PySide6 6.12's lost references to None, which end the app with "none_dealloc" on Python 3.11.

With PySide6/shiboken6 6.12.0 on Python 3.11, every Qt call that returns nothing (`setText`,
`QTimer.singleShot`, `processEvents`...) takes one reference from None and never gives it back: a
door that shows verdicts for a few hours makes enough of them for Python to free None and abort
("Fatal Python error: none_dealloc"). PySide6 6.11 does not do it, and Python 3.12 makes None
immortal; until the app moves to either, None is given references enough for any session.
"""

from __future__ import annotations

import ctypes
import sys

# 2**40 calls: at a million Qt calls a second, 12 days of use.
SPARE_REFERENCES = 1 << 40


def keep_none_alive() -> None:
    """Give None SPARE_REFERENCES more references, once per process (CPython before 3.12 only)."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12) or sys.getrefcount(None) > SPARE_REFERENCES:
        return
    # A CPython object starts with its reference count (Py_ssize_t ob_refcnt); the GIL is held here.
    ctypes.c_ssize_t.from_address(id(None)).value += SPARE_REFERENCES
