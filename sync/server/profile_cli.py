"""`boxoffice-server profile`: make a profile code, list them, or revoke one with its devices."""

from __future__ import annotations

import argparse
from typing import Any

from boxoffice.i18n import _, ngettext
from sync.server import organizers, profiles
from sync.server.database import Database, upgrade


def add_command(commands: Any, default_db: str) -> None:
    """Add `profile` to the `boxoffice-server` sub-parsers."""
    profile = commands.add_parser("profile", help="make, list or revoke profile codes")
    profile.add_argument("--db", default=default_db)
    profile.add_argument("--organizer-code", required=True)
    action = profile.add_mutually_exclusive_group()
    action.add_argument("--list", action="store_true", help="list the organizer's profile codes and their state")
    action.add_argument("--revoke", metavar="ID", help="revoke a profile code (its listed id, or the code itself) "
                                                       "and lock out every device it enrolled")
    profile.add_argument("--role", choices=profiles.ROLES, help="the role of the devices it enrolls (to make one)")
    profile.add_argument("--dates", default="", help="comma-separated date ids (default: every date)")
    profile.add_argument("--hours", type=float, default=profiles.DEFAULT_HOURS,
                         help=f"how long it enrolls devices (default: {profiles.DEFAULT_HOURS})")
    profile.add_argument("--uses", type=int, default=1, help="how many devices it may enroll (default: 1)")
    profile.add_argument("--url", default="", help="server URL to put in the pairing QR")


def run(args: argparse.Namespace) -> int:
    """Do what the `profile` arguments ask; ValueError when the organizer, role or code is wrong."""
    db = Database(args.db)
    upgrade(db.engine)
    try:
        with db.session() as session:
            if args.list:
                _print_list(profiles.listed(session, args.organizer_code))
                return 0
            if args.revoke:
                locked = profiles.revoke(session, args.organizer_code, args.revoke)
                session.commit()
                print(ngettext("revoked; {n} device locked out", "revoked; {n} devices locked out",
                               len(locked)).format(n=len(locked)))
                return 0
            if not args.role:
                raise ValueError(_("give --role to make a profile code, or --list or --revoke"))
            dates = [d for d in args.dates.split(",") if d]
            made = profiles.create(session, args.organizer_code, args.role, dates, args.hours, args.uses)
            session.commit()
            print(made.code)
            if args.url:
                print(organizers.pairing_qr(args.url, made.code))
            return 0
    finally:
        db.engine.dispose()


def _print_list(found: list[profiles.ProfileCode]) -> None:
    if not found:
        print(_("no profile codes yet"))
        return
    for profile in found:
        dates = ",".join(profile.dates) or _("every date")
        print("\t".join([profile.id, profile.role, dates,
                         _("{used} of {uses} used").format(used=profile.uses, uses=profile.max_uses),
                         _("expires {when} UTC").format(when=profile.expires_at.strftime("%Y-%m-%d %H:%M")),
                         profiles.state(profile)]))
