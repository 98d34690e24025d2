"""What a resolver may use: the services (commands and queries) and the acting principal.

`reads` are the read models as this principal may read them (`projections.scoped_reads`), and
`personal` the gate to personal data (`schema.personal`): resolvers need not check anything.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from ledger.case.commands import CaseCommand
from ledger.command_meta import CommandMeta
from ledger.envelope import Actor
from projections.consistency import Applied
from projections.personal_data_log import PersonalDataLog
from projections.read_models import ReadModels
from projections.scoped_reads import ScopedReads
from schema.personal import PersonalData

T = TypeVar("T")


class CommandService(Protocol):
    def handle(self, command: CaseCommand, meta: CommandMeta) -> Applied: ...


@dataclass
class Context:
    commands: CommandService
    reads: ScopedReads
    actor: Actor
    personal: PersonalData

    @classmethod
    def of(cls, commands: CommandService, reads: ReadModels, access_log: PersonalDataLog,
           actor: Actor) -> Context:
        """The context of one request by `actor`."""
        scoped = ScopedReads(reads, access_log, actor)
        return cls(commands=commands, reads=scoped, actor=actor,
                   personal=PersonalData(actor, access_log, scoped.cases.member_state_of))

    async def run(self, fn: Any, *args: Any) -> Any:
        """Blocking database work goes to a worker thread: resolvers run on the event loop."""
        return await asyncio.to_thread(fn, *args)
