"""The GraphQL scalar for money (the solidarity ledger's amounts).

`Cents` carries money exactly: an integer number of euro cents, serialised as a string of digits
(GraphQL's `Int` stops at 32 bits, about EUR 21 million in cents; JSON numbers lose precision
beyond 2^53). Inputs accept a string of digits or an integer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NewType

import strawberry
from graphql import GraphQLError
from strawberry.types.scalar import ScalarDefinition

#: Euro cents in GraphQL types; `SCALARS` tells the schema how to read and write them. A plain
#: `int` to the type checker (amounts are computed as ints), its own type to strawberry.
if TYPE_CHECKING:
    Cents = int
else:
    Cents = NewType("Cents", int)


def _parse_cents(value: Any) -> int:
    text = str(value).strip() if isinstance(value, int | str) and value is not True else ""
    if value is False or not text.lstrip("-").isdigit():
        raise GraphQLError(f"Cents must be a whole number of euro cents, not {value!r}")
    return int(text)


SCALARS: dict[object, ScalarDefinition] = {Cents: strawberry.scalar(
    name="Cents", serialize=lambda value: str(int(value)), parse_value=_parse_cents,
    description="An amount in euro cents, exact: an integer serialised as a string of digits.",
)}
