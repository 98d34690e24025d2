"""What a handler is and returns; the table of handlers is `ledger.handlers.COMMAND_HANDLERS`.

A handler loads what it needs through the application, lets the aggregates decide, and returns
the `Changes`: every aggregate whose new events must be saved, in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from eventsourcing.domain import Aggregate

from ledger.envelope import Step
from ledger.validation import Problems

if TYPE_CHECKING:
    from ledger.application import Ledger


@dataclass(frozen=True)
class Changes:
    """What a command changed. `primary` is the aggregate the command is about (its id and
    version are reported back); `others` are saved in the same transaction."""

    primary: Aggregate
    others: tuple[Aggregate, ...] = field(default=())
    replayed: bool = False


Handler = Callable[["Ledger", Any, Step], Changes]
Check = Callable[[Problems, Any, date], None]


@dataclass(frozen=True)
class Registration:
    """A command's shape check (run before anything is loaded) and its handler."""

    handler: Handler
    check: Check | None

