"""`demo_script`: every planned step of every case, interleaved in the order it is entered in
the ledger (`demo_entries` also says when each is entered).

Cases are planned from the start of the day of `now` (so that the plan is the same all day);
steps entered after `now` are left out with everything after them, so recent cases stay open.
Most steps are entered when they happen; a few are entered days later (their legal time stays
when they happened), and a decision is entered once its notification is known. The crisis
period's commands come first on their day.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from ledger.case.commands import CaseCommand, IssueDecision
from ledger.command_meta import CommandMeta
from ledger.envelope import Actor
from pact_ledger.demo.crisis import crisis_period
from pact_ledger.demo.lifecycle import plan_case
from pact_ledger.demo.plan import Planned

_NAMESPACE = uuid5(NAMESPACE_URL, "https://pact-ledger.eu/demo")

#: (entered at, case number (0: crisis), step number, legal time, command, actor)
_Entry = tuple[datetime, int, int, datetime, Any, Actor]


def _entries(no: int, steps: list[Planned], now: datetime) -> Iterator[_Entry]:
    entered = None
    for step_no, s in enumerate(steps):
        entered = max(entered or s.t, s.t + s.lag)
        if isinstance(s.command, IssueDecision) and s.command.notified_at is not None:
            entered = max(entered, s.command.notified_at)
        if entered > now:
            return
        yield entered, no, step_no, s.t, s.command, s.actor


def demo_script(cases: int, seed: int, now: datetime) -> Iterator[tuple[CaseCommand, CommandMeta]]:
    """Commands for `cases` synthetic cases (plus a crisis period), in the order they are
    entered. Deterministic for a seed and a day; command ids derive from the seed, the case
    number and the step number, and the first `n` cases are the same whatever `cases` is."""
    for _, command, meta in demo_entries(cases, seed, now):
        yield command, meta


def demo_entries(cases: int, seed: int,
                 now: datetime) -> Iterator[tuple[datetime, CaseCommand, CommandMeta]]:
    """`demo_script` with the moment each command is entered in the ledger (its recording
    time, never before its legal time)."""
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    anchor = now.replace(hour=0, minute=0, second=0, microsecond=0)
    crisis = crisis_period(seed, anchor)
    planned: list[_Entry] = []
    for i, (t, command, actor) in enumerate(crisis.commands()):
        if t <= now:
            planned.append((t, 0, i, t, command, actor))
    numbers: Counter[tuple[str, int]] = Counter()
    for no in range(1, cases + 1):
        case = plan_case(random.Random(f"pact-ledger-demo:{seed}:{no}"), anchor, numbers, crisis)
        planned.extend(_entries(no, case.steps, now))
    planned.sort(key=lambda p: p[:3])
    previous: dict[int, str] = {}
    for entered, no, step_no, t, command, actor in planned:
        key = "crisis" if no == 0 else str(no)
        command_id = str(uuid5(_NAMESPACE, f"{seed}/{key}/{step_no}"))
        yield entered, command, CommandMeta(
            actor=actor,
            occurred_at=t,
            command_id=command_id,
            correlation_id=str(uuid5(_NAMESPACE, f"{seed}/{key}")),
            causation_id=previous.get(no, command_id),
        )
        previous[no] = command_id

