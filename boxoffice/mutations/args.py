"""The types mutation arguments are declared with: what a device and the server both accept.

Each mutator declares a frozen `MutationArgs` model naming its mutation; its JSON dict form is
the wire format (what the outbox keeps and a push carries), so the types here are JSON's own,
checked strictly enough that a bad push is refused by field before any mutator code runs.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict, StringConstraints, ValidationError

# Row ids: UUIDs on every device, short readable ones in fixtures and older data; never spaces,
# quotes or non-ASCII digits (pydantic's \d would take those).
Id = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=64,
                                      pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")]
# A 64-bit integer as SQLite and PostgreSQL's BIGINT store it; bool is not an int here.
Int64 = Annotated[int, Strict(), Field(ge=-(2**63), le=2**63 - 1)]
Count = Annotated[int, Strict(), Field(ge=0, le=2**63 - 1)]
Flag = Annotated[bool, Strict()]
# A column's name inside a dict of changes: set_fields refuses the ones a row cannot change.
FieldName = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=64, pattern=r"^[a-z_][a-z0-9_]*$")]
# What the catalogue and invitation editors send for a column: any JSON value (the DB checks it).
Values = dict[FieldName, Any]


# Strings by what they hold: a name or an address (an e-mail has at most 320 characters), a
# note or a message, and a free text such as a code read by a scanner.
Name = Annotated[str, StringConstraints(strict=True, max_length=320)]
Note = Annotated[str, StringConstraints(strict=True, max_length=4000)]
Text = Annotated[str, StringConstraints(strict=True, max_length=100_000)]


def _iso_time(value: str) -> str:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("must be an ISO 8601 date and time") from None
    return value


# A moment as ISO 8601 text (JSON has no time type); the mutator turns it into an aware datetime.
Time = Annotated[str, StringConstraints(strict=True, max_length=40), AfterValidator(_iso_time)]


class MutationArgs(BaseModel):
    """The arguments of one mutation; `mutation` is its registered name (the one source of it)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    mutation: ClassVar[str]

    def wire(self) -> dict[str, Any]:
        """The JSON dict a device queues and the server validates: only what the caller gave,
        so pushes of older versions and the outbox keep the same shape."""
        return self.model_dump(mode="json", exclude_unset=True)


class Row(BaseModel):
    """A nested record inside mutation arguments (an order, a ticket, a refund): frozen, no extras."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def describe(name: str, error: ValidationError) -> str:
    """The refusal in plain words, naming the field (its path for a nested one)."""
    problems = error.errors(include_url=False)
    first = problems[0]
    where = ".".join(str(part) for part in first["loc"]) or "arguments"
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"{name}: {where}: {first['msg']}{more}"[:500]
