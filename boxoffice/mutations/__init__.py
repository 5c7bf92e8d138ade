"""Named mutations: the only way data changes, run the same on a device and on the server.

A mutator takes a `MutationContext` (the session, the mutation's HLC stamp, who runs it) and
its declared `MutationArgs` model, which carries every id it needs, so replaying it elsewhere
gives the same rows. The registry validates the arguments with that model before the mutator
runs, on the device and on the server alike; bad ones raise `BadArguments` naming the field.
A business refusal raises `MutationRejected` with a reason in plain words.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlalchemy.orm import Session

from boxoffice.i18n import N_, _
from boxoffice.mutations.args import MutationArgs, describe

Args = dict[str, Any]
Result = dict[str, Any]


class MutationRejected(Exception):
    """The mutation breaks a business rule; nothing it did is kept.

    `reason` is an English text marked for translation (N_) with `{name}` fields that `params` fill:
    str() says it in the language this process speaks (the server's is English), and the server
    sends both along (`refusal()`), so the device that made the change reads it in its own.
    """

    def __init__(self, reason: str, **params: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = {name: value if isinstance(value, int | float) else str(value) for name, value in params.items()}

    def __str__(self) -> str:
        return explain(self.reason, self.params)

    def in_english(self) -> str:
        """The reason as written, whatever language this process speaks (the server's logs and answers)."""
        return self.reason.format(**self.params) if self.params else self.reason

    def refusal(self) -> dict[str, Any]:
        """What a device needs to say it again in its language (kept in the push's answer)."""
        return {"reason": self.reason, "params": self.params}


def explain(reason: str, params: dict[str, Any] | None = None) -> str:
    """`reason` in the current language, its fields filled; English when a translation's fields are wrong."""
    translated = _(reason)
    if not params:
        return translated
    try:
        return translated.format(**params)
    except (KeyError, IndexError, ValueError):
        return reason.format(**params)


class BadArguments(MutationRejected):
    """The arguments do not fit the mutation's model; the message names the field."""


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
    # Arguments a mutator fills in on the device (an id it derives): the outbox keeps them, so the
    # server makes the same row.
    filled: dict[str, Any] = field(default_factory=dict)
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
            raise MutationRejected(N_("{entity} {row_id} does not exist"), entity=entity, row_id=row_id)


A = TypeVar("A", bound=MutationArgs)


@dataclass(frozen=True)
class Mutator:
    name: str
    fn: Callable[[MutationContext, Any], Result]
    roles: frozenset[str]
    summary: Callable[[Any], str]
    model: type[MutationArgs]

    def parse(self, args: Args | MutationArgs) -> Any:
        """The arguments as the mutator's model, or `BadArguments` naming the field."""
        if isinstance(args, self.model):
            return args
        if isinstance(args, MutationArgs):
            raise BadArguments(f"{self.name} does not take the arguments of {args.mutation}")
        try:
            return self.model.model_validate(args)
        except ValidationError as exc:
            raise BadArguments(describe(self.name, exc)) from None

    def run(self, ctx: MutationContext, args: Args | MutationArgs) -> Result:
        """Validate, then apply: what the device's unit of work and the server's push both do."""
        return self.fn(ctx, self.parse(args))


_REGISTRY: dict[str, Mutator] = {}


def mutator(model: type[A], roles: tuple[str, ...] = ("organizer",), summary: Callable[[A], str] | None = None
            ) -> Callable[[Callable[[MutationContext, A], Result]], Callable[[MutationContext, A], Result]]:
    """Register `fn` for its arguments' model (its name is the model's `mutation`); `roles` are
    the device roles allowed to push it. Every mutation has a model: the device and the server
    refuse arguments that do not fit it, naming the field, before the mutator runs."""

    def register(fn: Callable[[MutationContext, A], Result]) -> Callable[[MutationContext, A], Result]:
        if model.mutation in _REGISTRY:
            raise ValueError(f"mutation {model.mutation!r} registered twice")
        name = model.mutation
        _REGISTRY[name] = Mutator(name, fn, frozenset(roles), summary or (lambda _args: name), model)
        return fn

    return register


def lookup(name: str) -> Mutator:
    _load_all()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise MutationRejected(N_("unknown mutation {name}"), name=repr(name)) from None


def names() -> list[str]:
    return sorted(known())


@functools.cache
def known() -> frozenset[str]:
    """Every registered name, made once: the server checks each push against it."""
    _load_all()
    return frozenset(_REGISTRY)


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
