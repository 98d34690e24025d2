"""Queries of the solidarity ledger: a cycle, the balances as of a date, and one balance line
with the events that make it up."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from schema.context import Context
from schema.enums import MemberState, SolidarityType
from schema.solidarity.balances import (
    SolidarityBalanceLine,
    SolidarityBalances,
    balance_line,
)
from schema.solidarity.cycle import SolidarityCycle

AsOf = Annotated[datetime | None, strawberry.argument(
    description="Legal time: only what legally occurred at or before it counts (default: all).")]


def _as_of(value: datetime | None) -> datetime | None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise GraphQLError("`asOf` must include a time zone offset",
                           extensions={"code": "BAD_AS_OF"})
    return value


@strawberry.type
class SolidarityQuery:
    @strawberry.field(description="The annual solidarity cycle of `year` (the pool's year).")
    async def solidarity_cycle(
        self, info: Info[Context, None], year: int,
        as_of: AsOf = None,
    ) -> SolidarityCycle | None:
        view = await info.context.run(info.context.reads.solidarity.cycle, year, _as_of(as_of))
        return SolidarityCycle.of(view) if view else None

    @strawberry.field(description="Every account's balance (or one member state's), the Union "
                                  "totals against the pool, and the offset triggers.")
    async def solidarity_balances(
        self, info: Info[Context, None], year: int, member_state: MemberState | None = None,
        as_of: AsOf = None,
    ) -> SolidarityBalances:
        balances = await info.context.run(info.context.reads.solidarity.balances, year,
                                          _as_of(as_of))
        return SolidarityBalances.of(balances, member_state.value if member_state else None)

    @strawberry.field(description="One balance line of a member state, with its `entries`: "
                                  "the events that make it up.")
    async def solidarity_balance(
        self, info: Info[Context, None], year: int, member_state: MemberState,
        type: SolidarityType,
        as_of: AsOf = None,
    ) -> SolidarityBalanceLine | None:
        balances = await info.context.run(info.context.reads.solidarity.balances, year,
                                          _as_of(as_of))
        for account in balances.accounts:
            if account.member_state == member_state.value:
                line = next(x for x in account.lines if x.kind == type.value)
                return balance_line(balances, line, account.member_state)
        return None
