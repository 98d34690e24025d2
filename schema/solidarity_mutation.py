"""One mutation per step of the solidarity cycle and of a member state's account. Each returns
`CommandResult`: on success `aggregateId` (and `caseId`, for clients written for cases) is the
cycle's or the account's id and `events` are the events recorded; or a typed refusal naming the
rule and its AMMR article. Relocations and offsets are credited by the case's own steps only."""

from __future__ import annotations

import logging
from typing import Any

import strawberry
from strawberry.types import Info

from ledger.deadlines.lateness import recorded_late
from ledger.errors import LedgerError
from projections.db import Row
from projections.encoding import parse_time
from schema import solidarity_account_inputs as a
from schema import solidarity_inputs as i
from schema.context import Context
from schema.results import CommandResult, CommandSucceeded, refusal
from schema.types import TimelineEvent, timeline_event

log = logging.getLogger(__name__)


def solidarity_event(row: Row) -> TimelineEvent:
    """A solidarity event in the timeline's shape: its stream (`caseId`) is the cycle's or the
    account's; the case-only fields keep their defaults."""
    occurred_at, recorded_at = parse_time(row["occurred_at"]), parse_time(row["recorded_at"])
    assert occurred_at is not None and recorded_at is not None
    return timeline_event(row, "aggregate_id",
                          recorded_late=recorded_late(occurred_at, recorded_at))


async def _execute(info: Info[Context, None], received: Any) -> CommandResult:
    ctx = info.context
    try:
        applied = await ctx.run(ctx.commands.handle, received.command(), received.meta(ctx.actor))
    except LedgerError as error:
        return refusal(error)  # type: ignore[return-value]
    outcome = applied.outcome
    current = applied.read_models_current
    try:
        rows = await ctx.run(ctx.reads.solidarity.events_at, outcome.positions)
    except Exception:  # recorded already: a failed read-back must not say otherwise
        log.warning("read-back after a recorded command failed", exc_info=True)
        rows, current = [], False
    return CommandSucceeded(
        case_id=strawberry.ID(str(outcome.aggregate_id)), version=outcome.version,
        replayed=outcome.replayed, read_models_current=current, case=None,
        events=[solidarity_event(row) for row in rows])


@strawberry.type
class SolidarityMutation:
    @strawberry.mutation(description="The annual report is adopted; opens the cycle (AMMR Art 9).")
    async def adopt_annual_report(self, info: Info[Context, None],
                                  input: i.AdoptAnnualReportInput) -> CommandResult:
        return await _execute(info, input)

    @strawberry.mutation(description="The Commission's decision on migratory pressure (Art 11).")
    async def adopt_migratory_pressure_decision(
            self, info: Info[Context, None],
            input: i.AdoptMigratoryPressureDecisionInput) -> CommandResult:
        return await _execute(info, input)

    @strawberry.mutation(description="Population and GDP of the 27 are recorded and every "
                                     "member state's fair share computed (Art 66, Annex I).")
    async def record_fair_share_inputs(self, info: Info[Context, None],
                                       input: i.RecordFairShareInputsInput) -> CommandResult:
        return await _execute(info, input)

    @strawberry.mutation(description="The Commission proposes the pool (Art 12).")
    async def propose_solidarity_pool(self, info: Info[Context, None],
                                      input: i.ProposeSolidarityPoolInput) -> CommandResult:
        return await _execute(info, input)

    @strawberry.mutation(description="The High-Level Forum meets (Art 13(2); second: 13(4)).")
    async def convene_solidarity_forum(self, info: Info[Context, None],
                                       input: i.ConveneSolidarityForumInput) -> CommandResult:
        return await _execute(info, input)

    @strawberry.mutation(description="The Council implementing act establishes the pool, with "
                                     "the pledges made at the Forum (Art 57).")
    async def establish_solidarity_pool(self, info: Info[Context, None],
                                        input: i.EstablishSolidarityPoolInput) -> CommandResult:
        return await _execute(info, input)

    @strawberry.mutation(description="The cycle is closed after its year (Art 60(3)).")
    async def close_solidarity_cycle(self, info: Info[Context, None],
                                     input: i.CloseSolidarityCycleInput) -> CommandResult:
        return await _execute(info, input)

    @strawberry.mutation(description="A member state pledges at the Forum (Art 56(2)).")
    async def make_solidarity_pledge(self, info: Info[Context, None],
                                     input: a.MakeSolidarityPledgeInput) -> CommandResult:
        return await _execute(info, input)

    @strawberry.mutation(description="A deduction of the pledges is requested (Arts 61-62).")
    async def request_solidarity_deduction(
            self, info: Info[Context, None],
            input: a.RequestSolidarityDeductionInput) -> CommandResult:
        return await _execute(info, input)

    @strawberry.mutation(description="A requested deduction is granted (Arts 61-62).")
    async def grant_solidarity_deduction(self, info: Info[Context, None],
                                         input: a.GrantSolidarityDeductionInput) -> CommandResult:
        return await _execute(info, input)

    @strawberry.mutation(description="A member state benefits from the pool (Arts 58-59).")
    async def notify_benefiting_status(self, info: Info[Context, None],
                                       input: a.NotifyBenefitingStatusInput) -> CommandResult:
        return await _execute(info, input)

    @strawberry.mutation(description="A financial contribution is paid (Art 56(2)(b)).")
    async def record_financial_contribution(
            self, info: Info[Context, None],
            input: a.RecordFinancialContributionInput) -> CommandResult:
        return await _execute(info, input)

    @strawberry.mutation(description="An alternative solidarity measure is delivered, at its "
                                     "EUR value (Art 56(2)(c)).")
    async def record_alternative_measure(self, info: Info[Context, None],
                                         input: a.RecordAlternativeMeasureInput) -> CommandResult:
        return await _execute(info, input)
