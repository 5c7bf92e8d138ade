"""Named mutations: the only way data changes, run the same on a device and on the server.

A mutator takes a `MutationContext` (the session, the mutation's HLC stamp, who runs it) and
plain JSON-able arguments that carry every id it needs, so replaying it elsewhere gives the
same rows. A business refusal raises `MutationRejected` with a reason in plain words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

Args = dict[str, Any]
Result = dict[str, Any]


class MutationRejected(Exception):
    """The mutation breaks a business rule; nothing it did is kept."""


@dataclass(frozen=True)
class MutationContext:
    """What a mutator runs with. It reports every row it writes with `touch()`, so the server
    can number the change and route it to the devices whose scopes hold that row."""

    session: Session
    hlc: str
    device_id: str
    actor: str
    on_server: bool = False
    touched: list[tuple[str, str, str]] = field(default_factory=list)
    role: str = "organizer"
    owner_check: Callable[[str, str], bool] | None = None
    # On the server, the organizer whose data the mutation changes (a device holds only its own).
    organizer_id: str | None = None
    # On the server, the dates the pushing device is enrolled for; None when it holds every date.
    dates: frozenset[str] | None = None

    def touch(self, entity: str, row_id: str, scope: str) -> None:
        self.touched.append((entity, row_id, scope))

    def require_owned(self, entity: str, row_id: str | None) -> None:
        """On the server: refuse a row id of another organizer's (a parent named in the args)."""
        if row_id and self.owner_check is not None and not self.owner_check(entity, row_id):
            raise MutationRejected(f"{entity} {row_id} does not exist")


@dataclass(frozen=True)
class Mutator:
    name: str
    run: Callable[[MutationContext, Args], Result]
    roles: frozenset[str]
    summary: Callable[[Args], str]


_REGISTRY: dict[str, Mutator] = {}


def mutator(name: str, roles: tuple[str, ...] = ("organizer",),
            summary: Callable[[Args], str] | None = None
            ) -> Callable[[Callable[[MutationContext, Args], Result]], Callable[[MutationContext, Args], Result]]:
    """Register `fn` under `name`; `roles` are the device roles allowed to push it."""

    def register(fn: Callable[[MutationContext, Args], Result]) -> Callable[[MutationContext, Args], Result]:
        if name in _REGISTRY:
            raise ValueError(f"mutation {name!r} registered twice")
        _REGISTRY[name] = Mutator(name, fn, frozenset(roles), summary or (lambda _args: name))
        return fn

    return register


def lookup(name: str) -> Mutator:
    _load_all()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise MutationRejected(f"unknown mutation {name!r}") from None


def names() -> list[str]:
    _load_all()
    return sorted(_REGISTRY)


def _load_all() -> None:
    # Importing the modules registers their mutators; done lazily to keep import order free.
    import boxoffice.mutations.credits
    import boxoffice.mutations.invitations
    import boxoffice.mutations.passes
    import boxoffice.mutations.rsvp  # noqa: F401
    from boxoffice.mutations import (  # noqa: F401
        allotments,
        catalogue,
        checkins,
        conflicts,
        contacts,
        orders,
        print_jobs,
        sales,
        till,
        tombstones,
    )
