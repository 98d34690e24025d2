"""Commands whose result a client can read back at once (read-your-writes), recorded within a
deadline or not at all, and answered with only what is known.

A command returns only when the read models include the events it recorded, or when a bounded
wait runs out; the caller is told which, so a front end never shows a state older than its own
write without knowing it. With a read replica, the wait also covers the replica replaying the
command's position (its tracking row is replicated with the tables it describes).

`record` only records (a mutation calls it: nothing is projected on its request path) and
returns the command's log position; `settle` then waits, bounded, until the read models include
a position (a mutation's answer does so only when it selects what the read models show: its
case or events; a later query asks for it with its consistency token). `handle` is both.
Whichever process waits, read-your-writes holds: a process whose read models lag behind the
position projects the missing batch inline, under the same tracking-row lock as the leader's
batches (whoever takes the lock first applies a batch, exactly once), instead of waiting for the
leader's next poll.

A command not committed `deadline` seconds after it arrived is not recorded: the ledger checks
the deadline just before it commits, and every database wait before that is bounded (pool,
lock and connect timeouts), so a client that waited that long hears the truth. An error from
the database during the command leaves its outcome unknown (the commit may have happened):
the caller is told so, with the command id to retry with (a retry records nothing twice).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, replace
from uuid import uuid4

from ledger.application import Ledger, Outcome
from ledger.case.commands import CaseCommand
from ledger.command_meta import CommandMeta
from ledger.errors import LedgerError
from ledger.errors import OutcomeUnknown as LedgerOutcomeUnknown
from projections.bounded_recorder import checked_attempts
from projections.db import ReadDatabase
from projections.runner import TRACKING_NAME, ProjectionRunner

log = logging.getLogger(__name__)

DEFAULT_WAIT_SECONDS = 5.0
DEFAULT_DEADLINE_SECONDS = 10.0


@dataclass(frozen=True)
class Applied:
    outcome: Outcome
    read_models_current: bool
    #: The command's place in the log (its last event; for a replay, the log's end when it
    #: was answered, 0 if that could not be read): the read models include it once settled.
    position: int = 0


class CommandNotSettled(Exception):
    """A command whose answer is not a refusal of the law: `code` says what is known."""

    code = "COMMAND_NOT_SETTLED"

    def __init__(self, message: str, command_id: str) -> None:
        super().__init__(message)
        self.message = message
        self.command_id = command_id


class DeadlineExceeded(CommandNotSettled):
    code = "DEADLINE_EXCEEDED"


class OutcomeUnknown(CommandNotSettled):
    code = "OUTCOME_UNKNOWN"


class ConsistentLedger:
    def __init__(
        self, ledger: Ledger, runner: ProjectionRunner, wait: float = DEFAULT_WAIT_SECONDS,
        replica: ReadDatabase | None = None, deadline: float = DEFAULT_DEADLINE_SECONDS,
    ) -> None:
        self.ledger = ledger
        self.runner = runner
        self.wait = wait
        self.replica = replica
        self.deadline = deadline
        self._local = threading.local()
        #: The highest position the read models (and the standby) were seen to include.
        self._reached = 0
        ledger.before_commit = self._check_deadline

    def handle(self, command: CaseCommand, meta: CommandMeta) -> Applied:
        """Record, then wait until the read models include it (read-your-writes)."""
        applied = self.record(command, meta)
        return replace(applied, read_models_current=self.settle(applied.outcome))

    def record(self, command: CaseCommand, meta: CommandMeta) -> Applied:
        """Record only: `read_models_current` is False (not known), and the background
        follower is woken to project the command's events."""
        command_id = meta.command_id or str(uuid4())
        meta = replace(meta, command_id=command_id)
        self._local.deadline = time.monotonic() + self.deadline
        self._local.command_id = command_id
        self._local.attempted = False
        try:
            with checked_attempts(self._check_deadline, self._check_insert):
                outcome = self.ledger.handle(command, meta)
        except (LedgerError, CommandNotSettled):
            raise
        except LedgerOutcomeUnknown as error:  # the save failed: the commit may have happened
            log.warning("command %s: outcome unknown: %s", command_id, error.__cause__)
            raise OutcomeUnknown(error.message, command_id) from error
        except Exception as error:
            log.warning("command %s: database error, outcome unknown: %s", command_id, error)
            raise OutcomeUnknown(
                "The database failed while this command was being recorded: it may or may not "
                f"have been recorded. Retry with the same commandId ({command_id}): a retry "
                "records it at most once.", command_id) from error
        finally:
            self._local.deadline = None
        self.runner.poke()
        return Applied(outcome, False, self._position_of(outcome))

    def _position_of(self, outcome: Outcome) -> int:
        if outcome.positions:
            return max(outcome.positions)
        try:
            return self.runner.log_position()
        except Exception as error:  # recorded (a replay): the answer stands
            log.warning("log position not read for a replayed command: %s", error)
            return 0

    def settle(self, outcome: Outcome) -> bool:
        """Whether the read models (and the standby) include `outcome` within the wait."""
        return self._caught_up(outcome)

    def reach(self, position: int) -> bool:
        """A query's consistency token: whether the read models (and the standby) include
        `position`, waiting for them (bounded) if they do not yet."""
        if position <= self._reached:  # confirmed before: positions only grow
            return True
        try:
            until = time.monotonic() + self.wait
            if not self.runner.wait_for(position, timeout=self.wait):
                return False
            if self.replica is not None and not self._replica_reaches(position, until):
                return False
        except Exception as error:
            log.warning("read models not confirmed at position %s: %s", position, error)
            return False
        self._reached = max(self._reached, position)
        return True

    def _check_deadline(self) -> None:
        """Before the ledger saves, and before every attempt of the event store to insert:
        past the deadline, nothing more is tried. Once an attempt reached the database its
        commit may have happened, so a later refusal says "unknown", not "not recorded"."""
        deadline = getattr(self._local, "deadline", None)
        if deadline is None:
            return
        command_id = self._local.command_id
        if time.monotonic() > deadline:
            if self._local.attempted:
                raise OutcomeUnknown(
                    f"The deadline of {self.deadline:g} s passed while the database failed "
                    "during an attempt to record this command: it may or may not have been "
                    f"recorded. Retry with the same commandId ({command_id}).", command_id)
            raise DeadlineExceeded(
                f"Not recorded: the command could not be committed within {self.deadline:g} s "
                "of its arrival (the database is slow or unavailable). Retry later.",
                command_id)

    def _check_insert(self) -> None:
        """The event store is about to send the insert: check, then remember that it tried."""
        self._check_deadline()
        if getattr(self._local, "deadline", None) is not None:
            self._local.attempted = True

    def _caught_up(self, outcome: Outcome) -> bool:
        """After the commit nothing may turn the answer into an error: a failure here only
        means the read models are not known to be current."""
        try:
            target = (max(outcome.positions) if outcome.positions
                      else self.runner.log_position())
            until = time.monotonic() + self.wait
            if not self.runner.wait_for(target, timeout=self.wait):
                return False
            return self.replica is None or self._replica_reaches(target, until)
        except Exception as error:  # database gone after the commit: the answer stands
            log.warning("read models not confirmed current after a commit: %s", error)
            return False

    def _replica_reaches(self, position: int, until: float) -> bool:
        assert self.replica is not None
        while True:
            row = self.replica.fetchone(
                "SELECT position FROM projection_tracking WHERE name = ?", (TRACKING_NAME,))
            if row is not None and int(row["position"]) >= position:
                return True
            if time.monotonic() > until:
                return False
            time.sleep(0.005)
