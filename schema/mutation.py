"""One mutation per case command, generated from `ledger.case.commands`. Each returns
`CommandResult`: the recorded step, or a typed refusal naming the rule and its article."""

from __future__ import annotations

import re
from typing import Any

import strawberry
from strawberry.types import Info

from ledger.case.commands import CASE_COMMANDS
from ledger.command_meta import CommandMeta
from ledger.errors import FieldProblem, InvalidInput, LedgerError
from schema.command_inputs import input_type, to_command
from schema.context import Context
from schema.results import CommandResult, CommandSucceeded, refusal
from schema.types import case_from_row, timeline_event


async def execute(info: Info[Context, None], command: type, received: Any) -> CommandResult:
    """Record `received` as a `command`; refusals come back as results, never as errors."""
    try:
        built = to_command(command, received)
    except LedgerError as error:
        return refusal(error)  # type: ignore[return-value]
    return await record(info, built, received.meta(info.context.actor))


async def record(info: Info[Context, None], command: Any, meta: CommandMeta,
                 bad_case_id: bool = False) -> CommandResult:
    """Record a built command; refusals come back as results, never as errors."""
    ctx = info.context
    try:
        if bad_case_id:
            raise InvalidInput([FieldProblem("caseId", "is not a case id (a UUID)")])
        applied = await ctx.run(ctx.commands.handle, command, meta)
    except LedgerError as error:
        return refusal(error)  # type: ignore[return-value]
    outcome = applied.outcome
    row, events = await ctx.run(ctx.reads.cases.written, str(outcome.aggregate_id),
                                outcome.positions)
    return CommandSucceeded(
        case_id=strawberry.ID(str(outcome.aggregate_id)),
        version=outcome.version,
        replayed=outcome.replayed,
        read_models_current=applied.read_models_current,
        case=case_from_row(row) if row else None,
        events=[timeline_event(e) for e in events],
    )


def _mutation(command: type) -> Any:
    kind = input_type(command)

    async def resolve(info: Info[Context, None], input: Any) -> CommandResult:
        return await execute(info, command, input)

    resolve.__annotations__ = {"info": Info[Context, None], "input": kind,
                               "return": CommandResult}
    name = command.__name__[0].lower() + command.__name__[1:]
    description = re.sub(r"\s+", " ", (command.__doc__ or "").strip())
    return strawberry.mutation(resolver=resolve, name=name, description=description)


CaseMutation = strawberry.type(
    type("CaseMutation", (), {
        re.sub(r"(?<!^)(?=[A-Z])", "_", cmd.__name__).lower(): _mutation(cmd)
        for cmd in CASE_COMMANDS
    }),
    description="Every step of a case, one mutation per command.",
)
