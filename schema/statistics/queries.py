"""Recognition rates per nationality and border-procedure capacity per member state."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import strawberry
from strawberry.types import Info

from ledger.border_capacity import annual_maximum
from ledger.case.examination.handlers import RECOGNITION_THRESHOLD
from ledger.validation import Problems
from schema.context import Context
from schema.enums import MemberState
from schema.input_checks import country, raise_if_invalid


@strawberry.type(description="EU-wide first-instance recognition rate of a nationality, from "
                             "the decisions the ledger holds (withdrawals excluded).")
class RecognitionRate:
    nationality: str
    decisions: int
    grants: int
    rate: Decimal | None = strawberry.field(
        description="grants / decisions; null below the minimum number of decisions.")
    border_procedure_mandatory: bool = strawberry.field(
        description="Rate at or below the threshold (APR Arts 42(1)(j), 45(1)).")


@strawberry.type(description="Border-procedure load against adequate capacity (APR Arts 46-48).")
class BorderCapacity:
    member_state: str
    in_procedure: int = strawberry.field(description="Cases in the border procedure now.")
    assigned_this_year: int
    capacity: int | None = strawberry.field(
        description="Adequate capacity (Art 47); null until configured.")
    annual_maximum: int | None = strawberry.field(
        description="Maximum applications per year (capacity x 4: multiplier unconfirmed).")
    capacity_reached: bool | None


@strawberry.type
class StatisticsQuery:
    @strawberry.field(description="Recognition rates by nationality (all years, or one year).")
    async def recognition_rates(self, info: Info[Context, None], year: int | None = None,
                                nationality: str | None = None) -> list[RecognitionRate]:
        p = Problems()
        country(p, "nationality", nationality)
        raise_if_invalid(p)
        ctx = info.context
        rows = await ctx.run(ctx.reads.statistics.recognition_rates, year, nationality)
        return [RecognitionRate(nationality=r.nationality, decisions=r.decisions,
                                grants=r.grants, rate=r.rate,
                                border_procedure_mandatory=r.rate is not None
                                and r.rate <= RECOGNITION_THRESHOLD)
                for r in rows]

    @strawberry.field(description="Border-procedure load per member state (year: default now).")
    async def border_capacity(self, info: Info[Context, None], year: int | None = None,
                              member_state: MemberState | None = None) -> list[BorderCapacity]:
        ctx = info.context
        stats = ctx.reads.statistics
        rows = await ctx.run(stats.border_load, year or datetime.now(UTC).year)
        result = []
        for r in rows:
            if member_state is not None and r.member_state != member_state.value:
                continue
            capacity = stats.capacities.get(r.member_state)
            result.append(BorderCapacity(
                member_state=r.member_state, in_procedure=r.in_procedure,
                assigned_this_year=r.assigned_this_year, capacity=capacity,
                annual_maximum=annual_maximum(capacity),
                capacity_reached=None if capacity is None else r.in_procedure >= capacity))
        return result
