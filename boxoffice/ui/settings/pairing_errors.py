"""Why pairing with a server failed, in plain words, with what to do next (never "404:")."""

from __future__ import annotations

import requests

from boxoffice.i18n import _
from sync.client import Offline, Outdated, Revoked, SyncError


def server_address(typed: str) -> str:
    """The server's address as typed, with https:// when no scheme was given."""
    typed = typed.strip().rstrip("/")
    return typed if "://" in typed or not typed else f"https://{typed}"


def _refused(error: SyncError, server: str) -> str:
    status, detail = error.status, error.detail
    if status == 404 and not detail:
        return _("{server} answered, but it is not a boxoffice sync server. Check the address: it is the one on "
                 "the organizer's pairing page, such as https://boxoffice.example.ch.").format(server=server)
    if status == 404:
        return _("The server does not know this code. Check it with the organizer, or scan the pairing QR code.")
    if status == 401:
        return _("The email or the password is wrong. Check them, or pair with a code instead.")
    if isinstance(error, Outdated) and error.older == "server":
        return _("The server is older than this app: ask its administrator to update it, then pair again.")
    if status == 426:
        return _("This app is older than the server. Install the new version, then pair again.")
    if status == 429:
        return _("Too many pairing attempts. Wait a few minutes, then try again.")
    if status in (400, 409, 422) and detail:
        return _("The server refused this pairing: {reason}.").format(reason=detail)
    return _("The server at {server} answered with an error ({status}). Try again later; if it keeps failing, "
             "tell the server's administrator.").format(server=server, status=status)


def pairing_problem(error: BaseException, server: str) -> str:
    """What the pairing dialog says when `client.enroll` failed."""
    if isinstance(error, Revoked):
        return _("The organizer revoked this device. Ask them for a new code.")
    if isinstance(error, Offline) and error.status == 503:
        return _("The server at {server} is busy. Wait a minute, then try again.").format(server=server)
    if isinstance(error, Offline):
        return _("No server answers at {server}. Check the address and this computer's network connection, "
                 "then try again.").format(server=server)
    if isinstance(error, SyncError):
        return _refused(error, server)
    if isinstance(error, requests.exceptions.InvalidURL | requests.exceptions.InvalidSchema
                  | requests.exceptions.MissingSchema):
        return _("“{server}” is not a server address; type it like https://boxoffice.example.ch.").format(
            server=server)
    return _("Pairing did not finish: {reason}").format(reason=error)
