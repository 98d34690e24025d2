"""The solidarity ledger's GraphQL scalar for money and its vocabularies as enums.

`Cents` carries money exactly: an integer number of euro cents, serialised as a string of digits
(GraphQL's `Int` stops at 32 bits, about EUR 21 million in cents; JSON numbers lose precision
beyond 2^53). Inputs accept a string of digits or an integer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NewType

import strawberry
from graphql import GraphQLError
from strawberry.types.scalar import ScalarDefinition

from ledger.solidarity.vocabulary import (
    BalanceEffect,
    BenefitBasis,
    CycleStage,
    DeductionGround,
    OffsetMode,
    SolidarityType,
)

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

SolidarityTypeEnum = strawberry.enum(
    SolidarityType, name="SolidarityType",
    description="Type of solidarity measure (AMMR Art 56(2)): relocations are counted in "
                "persons, financial contributions and alternative measures in euro cents.")
CycleStageEnum = strawberry.enum(
    CycleStage, name="SolidarityCycleStage",
    description="Where an annual solidarity cycle stands (AMMR Arts 9-13, 57).")
OffsetModeEnum = strawberry.enum(
    OffsetMode, name="OffsetMode", description="Paragraph of AMMR Art 63 an offset falls under.")
DeductionGroundEnum = strawberry.enum(
    DeductionGround, name="DeductionGround",
    description="Why pledges are deducted: migratory pressure (AMMR Art 61) or a significant "
                "migratory situation (Art 62).")
BenefitBasisEnum = strawberry.enum(
    BenefitBasis, name="BenefitBasis",
    description="How a member state benefits from the pool: listed under migratory pressure "
                "(AMMR Art 58) or its notified need confirmed (Art 59).")

BalanceEffectEnum = strawberry.enum(
    BalanceEffect, name="SolidarityEffect", description="What an entry does to a balance line.")
