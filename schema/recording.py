"""Recording a command from a mutation, saying only what is known about its outcome.

Three outcomes and nothing else: refused or failed before the commit (nothing was recorded: a
typed refusal, or `NotRecorded`), recorded (`CommandSucceeded`, even if its read models or its
events cannot be read back afterwards), or unknown (`OutcomeUnknown`: the commit itself failed;
the client retries with the same command id, which is recorded at most once).
"""

from __future__ import annotations

import logging
from typing import Any

from ledger.errors import LedgerError, OutcomeUnknown
from projections.consistency import Applied, CommandNotSettled, DeadlineExceeded
from schema.context import Context
from schema.results import NotRecorded, refusal
from schema.results import OutcomeUnknown as OutcomeUnknownResult

log = logging.getLogger(__name__)


async def record(ctx: Context, command: Any, meta: Any) -> Applied | Any:
    """The `Applied` outcome, or the result to return instead of a success."""
    try:
        applied: Applied = await ctx.run(ctx.commands.record, command, meta)
        return applied
    except LedgerError as error:
        return refusal(error)
    except OutcomeUnknown as error:
        log.error("outcome of command %s unknown", error.command_id, exc_info=True)
        return OutcomeUnknownResult(code=error.code, message=error.message,
                                    command_id=error.command_id)
    except DeadlineExceeded as error:  # nothing reached the database in time
        log.warning("command %s not recorded: %s", error.command_id, error.message)
        return NotRecorded(code=error.code, message=error.message)
    except CommandNotSettled as error:  # the commit may have happened
        log.warning("outcome of command %s unknown: %s", error.command_id, error.message)
        return OutcomeUnknownResult(code="OUTCOME_UNKNOWN", message=error.message,
                                    command_id=error.command_id)
    except Exception:
        log.exception("command %s failed before it was recorded", type(command).__name__)
        return NotRecorded(code="NOT_RECORDED",
                           message="The ledger failed before recording anything (logged); "
                                   "nothing was recorded: the command may be sent again")
