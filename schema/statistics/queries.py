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


@strawberry.type(description="The published figures a rate comes from (reference data).")
class RecognitionSource:
    source: str
    reference_year: int
    version: str
    confirmed: bool = strawberry.field(description="False: sample or provisional figures, not "
                                                   "the published ones.")
    note: str


@strawberry.type(description="The EU-wide first-instance recognition rate of a nationality as the "
                             "law defines it (latest annual Eurostat average, APR Arts 42(1)(j), "
                             "45(1); loaded as reference data), beside the ledger's own rate "
                             "from the decisions it holds (withdrawals excluded).")
class RecognitionRate:
    nationality: str
    eu_rate: Decimal | None = strawberry.field(
        description="The latest published annual rate loaded; null when none is loaded for "
                    "this nationality. The one procedure assignment uses.")
    eu_source: RecognitionSource | None
    decisions: int = strawberry.field(description="First-instance decisions the ledger holds.")
    grants: int
    rate: Decimal | None = strawberry.field(
        description="The ledger's own rate, grants / decisions; null below the minimum number "
                    "of decisions. For comparison only.")
    border_procedure_mandatory: bool = strawberry.field(
        description="The EU rate at or below the threshold (APR Arts 42(1)(j), 45(1)).")


@strawberry.type(description="Border-procedure load against adequate capacity (APR Arts 46-48).")
class BorderCapacity:
    member_state: MemberState = strawberry.field(description="The member state concerned.")
    in_procedure: int = strawberry.field(description="Cases in the border procedure now.")
    assigned_this_year: int
    capacity: int | None = strawberry.field(
        description="Adequate capacity (Art 47); null until configured.")
    annual_maximum: int | None = strawberry.field(
        description="Maximum applications per year (capacity x 4: multiplier unconfirmed).")
    capacity_reached: bool | None


@strawberry.type
class StatisticsQuery:
    @strawberry.field(description="Recognition rates by nationality: the latest published EU "
                                  "figures beside the ledger's own (all years, or one year).")
    async def recognition_rates(self, info: Info[Context, None], year: int | None = None,
                                nationality: str | None = None) -> list[RecognitionRate]:
        p = Problems()
        country(p, "nationality", nationality)
        raise_if_invalid(p)
        ctx = info.context
        stats = ctx.reads.statistics
        own = {r.nationality: r for r in
               await ctx.run(stats.recognition_rates, year, nationality)}
        reference = await ctx.run(stats.reference_rates)
        published = {} if reference is None else dict(reference.rates)
        if nationality is not None:
            published = {k: v for k, v in published.items() if k == nationality}
        source = None if reference is None else RecognitionSource(
            source=reference.source, reference_year=reference.reference_year,
            version=reference.version, confirmed=reference.confirmed, note=reference.note)
        result = []
        for code in sorted(set(own) | set(published)):
            eu, mine = published.get(code), own.get(code)
            result.append(RecognitionRate(
                nationality=code, eu_rate=eu, eu_source=source if eu is not None else None,
                decisions=mine.decisions if mine else 0, grants=mine.grants if mine else 0,
                rate=mine.rate if mine else None,
                border_procedure_mandatory=eu is not None and eu <= RECOGNITION_THRESHOLD))
        return result

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
                member_state=MemberState(r.member_state), in_procedure=r.in_procedure,
                assigned_this_year=r.assigned_this_year, capacity=capacity,
                annual_maximum=annual_maximum(capacity),
                capacity_reached=None if capacity is None else r.in_procedure >= capacity))
        return result
