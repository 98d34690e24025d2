"""One computed deadline of a case: which rule version set it, when it runs, how it ended.

A value object: the tracker replaces it when the deadline is met, extended or stopped. Whether it
is breached depends on the moment asked about (`now`), so that is a method, not a field.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from enum import Enum
from typing import Any

from ledger.deadlines.periods import Counting


class DeadlineStatus(str, Enum):
    RUNNING = "RUNNING"  # unmet, not stopped, not yet due
    MET = "MET"  # met on or before the due moment
    MET_LATE = "MET_LATE"  # met, but after the due moment (a breach)
    BREACHED = "BREACHED"  # unmet, not stopped, and due
    EXPIRED = "EXPIRED"  # a period open to the person ran out unused (no one's breach)
    STOPPED = "STOPPED"  # the case left the path this deadline belongs to before it was met


@dataclass(frozen=True)
class Deadline:
    code: str
    version: str
    title: str
    act: str
    article: str
    confirmed: bool
    started_at: datetime
    due_at: datetime
    opened_position: int  # log position of the event that opened it
    met_at: datetime | None = None  # legal time of the meeting event
    met_by: str | None = None  # its event type
    met_position: int | None = None
    met_recorded_late: bool = False  # met in time, but recorded only after the due moment
    stopped_at: datetime | None = None
    extended_days: int = 0  # already included in `due_at`
    kept_by: str = "AUTHORITY"  # or PERSON: see `DeadlineRule.kept_by`
    extended_months: int = 0  # already included in `due_at`
    counting: Counting | None = None  # how `due_at` was counted (None: before counting was kept)

    @property
    def is_open(self) -> bool:
        return self.met_at is None and self.stopped_at is None

    def breached(self, now: datetime) -> bool:
        """Met after the due moment, or still unmet (and not stopped) once it has passed.

        Legal time decides: a deadline met in time but recorded late is not breached. A period
        open to the person (an appeal period) is never breached: it expires. A breach is history:
        a deadline stopped (the case closed, the path left) only after it was due stays
        breached."""
        if self.kept_by != "AUTHORITY":
            return False
        if self.met_at is not None:
            return self.met_at > self.due_at
        if self.stopped_at is not None:
            return self.stopped_at > self.due_at
        return now > self.due_at

    def status(self, now: datetime) -> DeadlineStatus:
        if self.met_at is not None:
            return DeadlineStatus.MET_LATE if self.met_at > self.due_at else DeadlineStatus.MET
        if self.stopped_at is not None and self.stopped_at > self.due_at:
            return (DeadlineStatus.EXPIRED if self.kept_by != "AUTHORITY"
                    else DeadlineStatus.BREACHED)
        if self.stopped_at is not None:
            return DeadlineStatus.STOPPED
        if now <= self.due_at:
            return DeadlineStatus.RUNNING
        return DeadlineStatus.EXPIRED if self.kept_by != "AUTHORITY" else DeadlineStatus.BREACHED


#: Every field of `Deadline`, in declaration order (the order of `vars` of one made by its
#: constructor, which a tracker's JSON keeps: `projections.deadline_state`).
FIELDS = tuple(f.name for f in fields(Deadline))
_NEW = object.__new__


def made(values: dict[str, Any]) -> Deadline:
    """A deadline from `values`, every field in `FIELDS` order: the same value as
    `Deadline(**values)` without the frozen dataclass's `__init__`, which sets each of its 18
    fields through `object.__setattr__` (a deadline is made or replaced at most events that
    concern one). The values are taken as they are: the caller passes every field."""
    deadline = _NEW(Deadline)
    vars(deadline).update(values)
    return deadline
