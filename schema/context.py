"""What a resolver may use: the services (commands and queries) and the acting principal.

`reads` are the read models as this principal may read them (`projections.scoped_reads`), and
`personal` the gate to personal data (`schema.personal`): resolvers need not check anything.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from ledger.application import Outcome
from ledger.case.commands import CaseCommand
from ledger.command_meta import CommandMeta
from ledger.envelope import Actor
from projections.consistency import Applied
from projections.personal_data import PersonalDataReads
from projections.personal_data_log import PersonalDataLog
from projections.read_models import ReadModels
from projections.scoped_reads import ScopedReads
from projections.subject_access import SubjectAccess
from schema.heavy_work import HeavyWork
from schema.personal import PersonalData

T = TypeVar("T")


class CommandService(Protocol):
    """`record` commits only; `settle` waits (bounded) until the read models include a
    command, `reach` until they include a log position (`projections.consistency`)."""

    def record(self, command: CaseCommand, meta: CommandMeta) -> Applied: ...

    def settle(self, outcome: Outcome) -> bool: ...

    def reach(self, position: int) -> bool: ...


@dataclass
class Context:
    commands: CommandService
    reads: ScopedReads
    actor: Actor
    personal: PersonalData
    subject_access: SubjectAccess
    heavy: HeavyWork | None = None

    @classmethod
    def of(cls, commands: CommandService, reads: ReadModels, access_log: PersonalDataLog,
           actor: Actor, personal: PersonalDataReads,
           heavy: HeavyWork | None = None) -> Context:
        """The context of one request by `actor`; `personal` opens sealed personal data (issue
        12); `heavy` is the server's pool for heavy reads."""
        scoped = ScopedReads(reads, access_log, actor)
        return cls(commands=commands, reads=scoped, actor=actor,
                   personal=PersonalData(actor, access_log, scoped.cases.member_state_of,
                                         personal),
                   subject_access=SubjectAccess(reads, personal, access_log, actor),
                   heavy=heavy)

    async def run(self, fn: Any, *args: Any) -> Any:
        """Blocking database work goes to a worker thread: resolvers run on the event loop."""
        return await asyncio.to_thread(fn, *args)

    async def run_heavy(self, fn: Any, *args: Any) -> Any:
        """Heavy reads (the whole log, every leaf) go to their own bounded pool."""
        if self.heavy is None:
            return await self.run(fn, *args)
        return await self.heavy.run(fn, *args)
