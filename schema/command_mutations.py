"""Mutations generated from commands, for every aggregate: each feature names its mutations in
an explicit table of `Step`s (the mutation's literal name and the command it records), and
`mutation_type` turns the table into a strawberry type with one generated input per step
(`schema.command_inputs`). One executor records every step; refusals come back as results
(`CommandResult`), and what a success shows of the aggregate is the feature's `ReadBack`.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from ledger.errors import LedgerError
from projections.consistency import Applied
from schema.cases.types import Case
from schema.command_inputs import CASE_SHAPE, InputShape, input_type, to_command
from schema.context import Context
from schema.recording import record
from schema.results import CommandResult, CommandSucceeded, refusal
from schema.timeline.types import TimelineEvent

log = logging.getLogger(__name__)

#: What a success shows: the case (if the step was on one) and the events recorded.
ReadBack = Callable[[Context, Applied], Awaitable[tuple[Case | None, list[TimelineEvent]]]]


@dataclass(frozen=True)
class Step:
    """One mutation: its GraphQL name (written out, so that a search for it lands here), the
    command it records, its description and its input's (None: none)."""

    name: str
    command: type
    description: str
    input_description: str | None = None


def documented(name: str, command: type) -> Step:
    """A step described by its command's docstring: all of it for the mutation, its first
    paragraph for the input."""
    doc = command.__doc__ or ""
    return Step(name, command, re.sub(r"\s+", " ", doc.strip()), doc.split("\n\n")[0])


def _first_paragraph(step: Step) -> str:
    """An input's description when its step names none: its command docstring's first
    paragraph, or else the mutation's own description."""
    doc = step.command.__doc__ or ""
    if doc.startswith(f"{step.command.__name__}("):  # the signature dataclasses write
        return step.description
    return re.sub(r"\s+", " ", doc.split("\n\n")[0].strip()) or step.description


async def execute(info: Info[Context, None], command: type, received: Any,
                  read_back: ReadBack) -> CommandResult:
    """Record `received` as a `command`; refusals come back as results, never as errors."""
    ctx = info.context
    try:
        parsed, meta = to_command(command, received), received.meta(ctx.actor)
    except LedgerError as error:
        return refusal(error)  # type: ignore[return-value]
    applied = await record(ctx, parsed, meta)  # recorded, refused, or unknown
    if not isinstance(applied, Applied):
        return applied  # type: ignore[no-any-return]
    outcome = applied.outcome
    settled: asyncio.Future[Settled] | None = None

    def settled_once() -> asyncio.Future[Settled]:
        """Read back at most once, and only if the client selected what the read models show
        (`case`, `events`, `readModelsCurrent`): nothing is projected for a client that did
        not ask."""
        nonlocal settled
        if settled is None:
            settled = asyncio.ensure_future(_settle(ctx, applied, read_back))
        return settled

    return CommandSucceeded(
        case_id=strawberry.ID(str(outcome.aggregate_id)),
        version=outcome.version,
        replayed=outcome.replayed,
        command_id=outcome.command_id,
        position=applied.position,
        read_back=settled_once,
    )


Settled = tuple[bool, "Case | None", list[TimelineEvent]]


async def _settle(ctx: Context, applied: Applied, read_back: ReadBack) -> Settled:
    """Wait (bounded) until the read models include the command, then read it back. Recorded:
    nothing here may turn the answer into an error."""
    try:
        current = bool(await ctx.run(ctx.commands.settle, applied.outcome))
        case, events = await read_back(ctx, applied)
        return current, case, events
    except Exception:
        log.exception("command %s recorded; its result could not be read back",
                      applied.outcome.command_id)
        return False, None, []


def _mutation(step: Step, shape: InputShape, read_back: ReadBack) -> Any:
    kind = input_type(step.command, f"{step.name[0].upper()}{step.name[1:]}Input",
                      step.input_description or _first_paragraph(step), shape)

    async def resolve(info: Info[Context, None], input: Any) -> CommandResult:
        return await execute(info, step.command, input, read_back)

    resolve.__annotations__ = {
        "info": Info[Context, None], "return": CommandResult,
        "input": Annotated[kind, strawberry.argument(
            description="The step's own fields, then its envelope (legal time, command id, "
                        "provisions, evidence).")]}
    return strawberry.mutation(resolver=resolve, name=step.name, description=step.description)


def mutation_type(name: str, steps: Sequence[Step], read_back: ReadBack,
                  shape: InputShape = CASE_SHAPE, description: str | None = None) -> type:
    """The strawberry type `name` with one mutation per step, in the table's order."""
    fields = {step.name: _mutation(step, shape, read_back) for step in steps}
    return strawberry.type(type(name, (), fields), description=description)
