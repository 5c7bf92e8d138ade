"""What the profile codes dialog says about a code and about a failed call, in the user's words."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from boxoffice.i18n import _, ngettext
from boxoffice.moments import format_moment
from sync.client import NotEnrolled, Offline, Revoked, SyncError


def role_label(role: str) -> str:
    return {"door": _("Door"), "desk": _("Desk"), "organizer": _("Organizer")}.get(role, role)


def moment(text: str, timezone: str) -> str:
    """A server timestamp (ISO, UTC) at the venue, in the interface language."""
    when = datetime.fromisoformat(text)
    return format_moment(when if when.tzinfo else when.replace(tzinfo=UTC), timezone)


def dates_label(date_ids: list[str], names: dict[str, str]) -> str:
    """The dates its devices replicate, by their names on this copy; none means every date."""
    if not date_ids:
        return _("Every date")
    return ", ".join(names.get(date_id, _("a date not on this computer")) for date_id in date_ids)


def uses_label(profile: dict[str, Any]) -> str:
    return _("{used} of {uses}").format(used=profile["uses"], uses=profile["max_uses"])


def status_label(profile: dict[str, Any]) -> str:
    """Why the code enrolls no device any more, or how many it still may (profiles.state on the server)."""
    status = profile["status"]
    if status == "revoked":
        return _("Revoked")
    if status == "expired":
        return _("Expired")
    if status == "used_up":
        return _("Used up")
    left = profile["max_uses"] - profile["uses"]
    return ngettext("{n} use left", "{n} uses left", left).format(n=left)


def device_label(device: dict[str, Any], this_device: str) -> str:
    name = _("{name} (this computer)").format(name=device["name"]) if device["id"] == this_device else device["name"]
    return _("{name} (revoked)").format(name=name) if device["revoked"] else name


def devices_label(profile: dict[str, Any], this_device: str) -> str:
    named = ", ".join(device_label(device, this_device) for device in profile["devices"])
    return named or (_("None yet") if profile["status"] == "active" else "—")


def revoke_question(profile: dict[str, Any], dates: str) -> str:
    return _("Revoke this profile code ({role}, {dates})? It will enroll no more devices. "
             "This cannot be undone.").format(role=role_label(profile["role"]), dates=dates)


def lock_out_choice(active: list[str]) -> str:
    return ngettext("Also lock out the device it enrolled: {names} (its copy is wiped at its next sync)",
                    "Also lock out the {n} devices it enrolled: {names} (their copies are wiped at their next sync)",
                    len(active)).format(n=len(active), names=", ".join(active))


def revoked_message(answer: dict[str, Any]) -> str:
    locked = [device["name"] for device in answer["locked_out"]]
    if not locked:
        return _("The code is revoked: it enrolls no more devices.")
    return ngettext("The code is revoked, and {names} is locked out.",
                    "The code is revoked, and {n} devices are locked out: {names}.",
                    len(locked)).format(n=len(locked), names=", ".join(locked))


def problem(error: BaseException, server: str) -> str:
    """Why listing, making or revoking codes failed, and what to do (never a bare "403:")."""
    if isinstance(error, NotEnrolled):
        return _("This computer is not paired with a server: pair it first (Settings, Pair with a server).")
    if isinstance(error, Revoked):
        return _("The server revoked this device: it can no longer manage profile codes.")
    if isinstance(error, Offline) and error.status == 503:
        return _("The server at {server} is busy. Wait a minute, then press Refresh.").format(server=server)
    if isinstance(error, Offline):
        return _("No server answers at {server}. Profile codes live on the server, so this needs a connection: "
                 "check the network, then press Refresh.").format(server=server)
    if isinstance(error, SyncError) and error.status == 403:
        return _("Only an organizer device may see, make or revoke profile codes.")
    if isinstance(error, SyncError) and error.status == 404:
        return _("The server no longer has this code. Press Refresh.")
    if isinstance(error, SyncError):
        return _("The server refused: {reason}").format(reason=error.detail or error)
    return _("This did not finish: {reason}").format(reason=error)
