"""One mutation per case command, generated from `ledger.commands`. Each returns
`CommandResult`: the recorded step, or a typed refusal naming the rule and its article."""

from __future__ import annotations

import re
from typing import Any

import strawberry
from strawberry.types import Info

from ledger.commands import CASE_COMMANDS
from ledger.errors import LedgerError
from projections.consistency import Applied
from schema.command_inputs import input_type, to_command
from schema.context import Context
from schema.recording import read_back, record
from schema.results import CommandResult, CommandSucceeded, refusal
from schema.types import case_from_row, timeline_event


async def execute(info: Info[Context, None], command: type, received: Any) -> CommandResult:
    """Record `received` as a `command`; refusals come back as results, never as errors."""
    ctx = info.context
    try:
        parsed, meta = to_command(command, received), received.meta(ctx.actor)
    except LedgerError as error:
        return refusal(error)  # type: ignore[return-value]
    applied = await record(ctx, parsed, meta)
    if not isinstance(applied, Applied):
        return applied  # type: ignore[no-any-return]
    outcome = applied.outcome
    nothing: tuple[Any, list[Any]] = (None, [])
    (row, events), read = await read_back(ctx, nothing, ctx.reads.cases.written,
                                          str(outcome.aggregate_id), outcome.positions)
    return CommandSucceeded(
        case_id=strawberry.ID(str(outcome.aggregate_id)),
        version=outcome.version,
        replayed=outcome.replayed,
        read_models_current=applied.read_models_current and read,
        case=case_from_row(row) if row else None,
        events=[timeline_event(e) for e in events],
        command_id=outcome.command_id,
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
