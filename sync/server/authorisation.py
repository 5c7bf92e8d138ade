# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the authenticated device may write, checked on the server before a mutation runs.

The role allow-list per mutation name is checked for the whole batch (replication.refusal);
this module checks the arguments against the device itself: a door records scans only as
itself, only for the dates it is enrolled for, only at believable times (not after tomorrow, not
before it was enrolled) and only under a door name that is one (short, no control characters);
a desk sells only as itself, and sells and cancels at believable times too. A breach is a
MutationRejected: the device records it on its Conflicts page and nothing changes here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from boxoffice.i18n import N_
from boxoffice.mutations import MutationRejected
from boxoffice.mutations.checkins import door_name_problem

if TYPE_CHECKING:
    from sync.protocol import Mutation
    from sync.server.replication import DeviceRow

# Device clocks drift and doors scan offline for hours; a day ahead is the same allowance as
# the HLC check in replication.clock_problem. Anything later is a forged or broken clock.
MAX_SCAN_AHEAD = timedelta(days=1)
# The lower bound is the device's first enrollment: a door or desk holds no ticket before it pairs
# (it pulls them after), so none of its genuine scans is older, however long it then stays offline
# (the server keeps created_at when a device pairs again). The margin is the same clock allowance
# as ahead: a device clock set hours wrong (a local time taken for UTC) still passes. A bound from
# the date's start would refuse genuine scans: a door records its refusal of a ticket for a date
# weeks ahead, and a door may be set up the day before. An organizer's copy is not bounded: it
# may have worked standalone for months before it first paired, and its whole history goes then.
MAX_SCAN_BEFORE_ENROLLMENT = timedelta(days=1)


def authorise(device: DeviceRow, mutation: Mutation) -> None:
    """Refuse `mutation` (MutationRejected with the reason) if `device` may not make it."""
    check = _CHECKS.get(mutation.name)
    if check is not None:
        check(device, mutation.args)


def _checkin(device: DeviceRow, args: dict[str, Any]) -> None:
    claimed = args.get("device_id")
    if claimed not in (None, "", device.id):
        raise MutationRejected(N_("a check-in must be recorded as this device, not as device {claimed}"),
                               claimed=claimed)
    date_id = args.get("date_id")
    if device.dates and date_id is not None and date_id not in device.dates:
        raise MutationRejected(N_("this device is not enrolled for the date {date_id}"), date_id=date_id)
    problem = door_name_problem(args.get("door"))
    if problem is not None:
        raise problem
    _believable(device, args["scanned_at"])


def _believable(device: DeviceRow, stamp: object) -> None:
    """A time a device wrote (a scan, a sale, a cancellation) is not after tomorrow and, for a door
    or desk, not from before it was enrolled (see MAX_SCAN_BEFORE_ENROLLMENT)."""
    moment = datetime.fromisoformat(str(stamp))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if moment > datetime.now(UTC) + MAX_SCAN_AHEAD:
        # Which change it was (a scan, a sale) the Conflicts page says beside the reason.
        raise MutationRejected(N_("the time {stamp} is in the future: set this device's date and time"), stamp=stamp)
    enrolled = device.enrolled_at
    if device.role != "organizer" and enrolled is not None and moment < enrolled - MAX_SCAN_BEFORE_ENROLLMENT:
        raise MutationRejected(N_("the time {stamp} is before this device was enrolled ({enrolled}): set this "
                                  "device's date and time"),
                               stamp=stamp, enrolled=enrolled.isoformat(timespec='minutes'))


def _sale(device: DeviceRow, args: dict[str, Any]) -> None:
    """A desk sells as itself (its order numbers are unique per device: a sale under another desk's id
    could take a number that desk will use, and its takings), and at a time it could have sold."""
    order = args.get("order")
    if not isinstance(order, dict):
        return  # malformed: the mutator refuses it
    if device.role != "organizer" and order.get("device_id") not in (None, "", device.id):
        raise MutationRejected(N_("a sale must be recorded as this device, not as device {device_id}"),
                               device_id=order.get('device_id'))
    if order.get("sold_at"):
        _believable(device, order["sold_at"])


def _cancellation(device: DeviceRow, args: dict[str, Any]) -> None:
    if args.get("cancelled_at"):
        _believable(device, args["cancelled_at"])


_CHECKS: dict[str, Callable[[DeviceRow, dict[str, Any]], None]] = {
    "checkins.record": _checkin, "sales.sell": _sale, "passes.sell": _sale, "sales.cancel": _cancellation}
