"""Mutations that record a member state's crisis periods (Crisis Regulation (EU) 2024/1359).
Inputs are generated from `ledger.crisis_commands` like the case steps' are. Each returns
`CommandResult`; on success `caseId` holds the member state's crisis-regime id (there is no case,
and the period itself is read back with `crisisPeriods`)."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from ledger import crisis_commands as cc
from ledger.errors import LedgerError
from schema.command_inputs import input_type, to_command
from schema.context import Context
from schema.deadline_types import CrisisKindEnum  # noqa: F401  (the kind's GraphQL enum)
from schema.results import CommandResult, CommandSucceeded, refusal

DeclareCrisisInput = input_type(cc.DeclareCrisis)
ExtendCrisisInput = input_type(cc.ExtendCrisis)
EndCrisisInput = input_type(cc.EndCrisis)


async def _execute(info: Info[Context, None], command: type, received: Any) -> CommandResult:
    ctx = info.context
    try:
        applied = await ctx.run(ctx.commands.handle, to_command(command, received),
                                received.meta(ctx.actor))
    except LedgerError as error:
        return refusal(error)  # type: ignore[return-value]
    outcome = applied.outcome
    return CommandSucceeded(
        case_id=strawberry.ID(str(outcome.aggregate_id)), version=outcome.version,
        replayed=outcome.replayed, read_models_current=applied.read_models_current,
        case=None, events=[],
    )


@strawberry.type
class CrisisMutation:
    @strawberry.mutation(description="A crisis or force-majeure period is declared with the "
                                     "derogations authorised (Crisis Regulation Art 4).")
    async def declare_crisis(self, info: Info[Context, None],
                             input: DeclareCrisisInput) -> CommandResult:  # type: ignore[valid-type]
        return await _execute(info, cc.DeclareCrisis, input)

    @strawberry.mutation(description="The running period is extended, once (Art 5(2)).")
    async def extend_crisis(self, info: Info[Context, None],
                            input: ExtendCrisisInput) -> CommandResult:  # type: ignore[valid-type]
        return await _execute(info, cc.ExtendCrisis, input)

    @strawberry.mutation(description="The running period ends at the step's legal time.")
    async def end_crisis(self, info: Info[Context, None],
                         input: EndCrisisInput) -> CommandResult:  # type: ignore[valid-type]
        return await _execute(info, cc.EndCrisis, input)
