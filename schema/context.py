"""What a resolver may use: the services (commands and queries) and the acting principal."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from ledger.commands import CaseCommand, CommandMeta
from ledger.envelope import Actor
from projections.consistency import Applied
from projections.read_models import ReadModels

T = TypeVar("T")


class CommandService(Protocol):
    def handle(self, command: CaseCommand, meta: CommandMeta) -> Applied: ...


@dataclass
class Context:
    commands: CommandService
    reads: ReadModels
    actor: Actor

    async def run(self, fn: Any, *args: Any) -> Any:
        """Blocking database work goes to a worker thread: resolvers run on the event loop."""
        return await asyncio.to_thread(fn, *args)
