"""One mutation per command. Each returns `CommandResult`: the recorded step, or a typed refusal."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from ledger.errors import LedgerError
from schema import inputs as i
from schema.context import Context
from schema.results import CommandResult, CommandSucceeded, refusal
from schema.types import case_from_row, timeline_event


async def _execute(info: Info[Context, None], step: Any) -> CommandResult:
    ctx = info.context
    try:
        command = step.command()
        applied = await ctx.run(ctx.commands.handle, command, step.meta(ctx.actor))
    except LedgerError as error:
        return refusal(error)  # type: ignore[return-value]
    outcome = applied.outcome
    row = await ctx.run(ctx.reads.cases.case, str(outcome.aggregate_id))
    events = await ctx.run(ctx.reads.cases.events_at, outcome.positions)
    return CommandSucceeded(
        case_id=strawberry.ID(str(outcome.aggregate_id)),
        version=outcome.version,
        replayed=outcome.replayed,
        read_models_current=applied.read_models_current,
        case=case_from_row(row) if row else None,
        events=[timeline_event(e) for e in events],
    )


@strawberry.type
class CaseMutation:
    @strawberry.mutation(description="Screening starts; opens the case (Screening Reg Arts 5, 7).")
    async def start_screening(
        self, info: Info[Context, None], input: i.StartScreeningInput
    ) -> CommandResult:
        return await _execute(info, input)

    @strawberry.mutation(description="The screening form refers the person on (Art 18).")
    async def complete_screening(
        self, info: Info[Context, None], input: i.CompleteScreeningInput
    ) -> CommandResult:
        return await _execute(info, input)

    @strawberry.mutation(description="An application is made (APR Art 26); may open the case.")
    async def make_application(
        self, info: Info[Context, None], input: i.MakeApplicationInput
    ) -> CommandResult:
        return await _execute(info, input)

    @strawberry.mutation(description="The application is registered (APR Art 27).")
    async def register_application(
        self, info: Info[Context, None], input: i.RegisterApplicationInput
    ) -> CommandResult:
        return await _execute(info, input)

    @strawberry.mutation(description="The application is lodged (APR Art 28).")
    async def lodge_application(
        self, info: Info[Context, None], input: i.LodgeApplicationInput
    ) -> CommandResult:
        return await _execute(info, input)

    @strawberry.mutation(description="An examination procedure is assigned (APR Arts 35-44).")
    async def assign_procedure(
        self, info: Info[Context, None], input: i.AssignProcedureInput
    ) -> CommandResult:
        return await _execute(info, input)

    @strawberry.mutation(description="A first-instance decision is issued (APR Art 35).")
    async def issue_decision(
        self, info: Info[Context, None], input: i.IssueDecisionInput
    ) -> CommandResult:
        return await _execute(info, input)

    @strawberry.mutation(description="An appeal is lodged against the standing decision (Art 67).")
    async def lodge_appeal(
        self, info: Info[Context, None], input: i.LodgeAppealInput
    ) -> CommandResult:
        return await _execute(info, input)

    @strawberry.mutation(description="The pending appeal is decided (APR Art 67).")
    async def decide_appeal(
        self, info: Info[Context, None], input: i.DecideAppealInput
    ) -> CommandResult:
        return await _execute(info, input)

    @strawberry.mutation(description="A return decision is issued (APR Art 37).")
    async def issue_return_decision(
        self, info: Info[Context, None], input: i.IssueReturnDecisionInput
    ) -> CommandResult:
        return await _execute(info, input)

    @strawberry.mutation(description="The case is closed; nothing more can be recorded on it.")
    async def close_case(
        self, info: Info[Context, None], input: i.CloseCaseInput
    ) -> CommandResult:
        return await _execute(info, input)
