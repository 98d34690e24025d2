"""Mutations that record a member state's crisis periods (Crisis Regulation (EU) 2024/1359).
Inputs are generated from `ledger.crisis.commands` like the case steps' are. Each returns
`CommandResult`; on success `caseId` holds the member state's crisis-regime id (there is no case,
and the period itself is read back with `crisisPeriods`)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from ledger.crisis import commands as cc
from schema.command_inputs import input_type
from schema.context import Context
from schema.deadline_types import CrisisKindEnum  # noqa: F401  (the kind's GraphQL enum)
from schema.mutation import execute
from schema.results import CommandResult

DeclareCrisisInput = input_type(cc.DeclareCrisis)
ExtendCrisisInput = input_type(cc.ExtendCrisis)
EndCrisisInput = input_type(cc.EndCrisis)


@strawberry.type
class CrisisMutation:
    @strawberry.mutation(description="A crisis or force-majeure period is declared with the "
                                     "derogations authorised (Crisis Regulation Art 4).")
    async def declare_crisis(self, info: Info[Context, None],
                             input: DeclareCrisisInput) -> CommandResult:  # type: ignore[valid-type]
        return await execute(info, cc.DeclareCrisis, input)

    @strawberry.mutation(description="The running period is extended, once (Art 5(2)).")
    async def extend_crisis(self, info: Info[Context, None],
                            input: ExtendCrisisInput) -> CommandResult:  # type: ignore[valid-type]
        return await execute(info, cc.ExtendCrisis, input)

    @strawberry.mutation(description="The running period ends at the step's legal time.")
    async def end_crisis(self, info: Info[Context, None],
                         input: EndCrisisInput) -> CommandResult:  # type: ignore[valid-type]
        return await execute(info, cc.EndCrisis, input)
