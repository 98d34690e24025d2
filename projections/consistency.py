"""Commands whose result a client can read back at once (read-your-writes).

A command returns only when the read models include the events it recorded, or when a bounded
wait runs out; the caller is told which, so a front end never shows a state older than its own
write without knowing it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ledger.application import Ledger, Outcome
from ledger.case.commands import CaseCommand
from ledger.command_meta import CommandMeta
from projections.runner import ProjectionRunner

DEFAULT_WAIT_SECONDS = 5.0


@dataclass(frozen=True)
class Applied:
    outcome: Outcome
    read_models_current: bool


class ConsistentLedger:
    def __init__(
        self, ledger: Ledger, runner: ProjectionRunner, wait: float = DEFAULT_WAIT_SECONDS
    ) -> None:
        self.ledger = ledger
        self.runner = runner
        self.wait = wait

    def handle(self, command: CaseCommand, meta: CommandMeta) -> Applied:
        outcome = self.ledger.handle(command, meta)
        target = max(outcome.positions) if outcome.positions else self.runner.log_position()
        return Applied(outcome, self.runner.wait_for(target, timeout=self.wait))
