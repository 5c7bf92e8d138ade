# SPDX-License-Identifier: AGPL-3.0-or-later
"""Errors raised by scanner inputs, with messages in plain words for the door staff."""

from __future__ import annotations

from gettext import dgettext


def _(message: str) -> str:
    return dgettext("boxoffice", message)


class ScannerError(Exception):
    """A scanner, camera or input file cannot be used; ``str(error)`` is shown to the user as is."""


def device_error(device: str, error: BaseException) -> ScannerError:
    """Turn an OS-level error opening ``device`` into a ScannerError that says what to do."""
    number = getattr(error, "errno", None)
    text = str(error)
    if number == 2 or isinstance(error, FileNotFoundError) or "FileNotFoundError" in text:
        message = _("Scanner not found: {device}. Check that it is plugged in.")
        return ScannerError(message.format(device=device))
    if number in (13, 1) or isinstance(error, PermissionError) or "PermissionError" in text \
            or "Access denied" in text or "Permission denied" in text:
        return ScannerError(
            _("Permission denied for scanner {device}. Ask the technician to give this user access "
              "(on Linux: the dialout or plugdev group).").format(device=device)
        )
    if number == 16 or "busy" in text.lower():
        return ScannerError(
            _("Scanner {device} is busy: another program is using it. Close that program and retry.").format(
                device=device
            )
        )
    return ScannerError(_("Cannot open scanner {device}: {reason}").format(device=device, reason=text))
