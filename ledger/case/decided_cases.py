"""The cases this process last saved, lent to one command at a time to decide on.

A command used to decide on a copy of the cached case, fast-forwarded by a read of the store
(~0.4 ms of copying and a round trip per command). A lent case is neither copied nor read
again: `take` removes it from the pool, so no other thread or reader can see it while a command
changes it, and it comes back only at a version that is stored (`give_back` after the save, or
unchanged after a refusal). A refused or failed command's case is simply not given back: the
next command reads the case from the store.

Another process may have written the case since it was lent. The ledger accepts a decision on a
lent case without reading the store only when the command's events for that very case are then
inserted (the store refuses a second event at the same version, so the case was at its stored
version when decided); in every other outcome (a refusal, a command that records nothing on it)
it first asks the store whether newer events exist, and decides again if they do
(`ledger.application`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any
from uuid import UUID


@dataclass(frozen=True)
class Loan:
    """A case lent to the command being decided: its version when lent, and whether it was
    just read from the store (`fresh`) or taken from the pool unverified."""

    case: Any
    version: int
    fresh: bool

    def unchanged(self) -> bool:
        """Nothing happened to the case while lent (no event triggered, none half-applied)."""
        case = self.case
        return (case.version == self.version and not case.pending_events
                and not getattr(case, "_torn", False))


class DecidedCases:
    """A bounded pool of cases at stored versions, least recently used evicted first."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._cases: OrderedDict[UUID, Any] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, case_id: UUID) -> Any | None:
        """The case, now out of the pool (None when it is not there)."""
        with self._lock:
            return self._cases.pop(case_id, None)

    def member_state(self, case_id: UUID) -> str | None:
        """A pooled case's member state (which never changes), without lending it."""
        with self._lock:
            case = self._cases.get(case_id)
            return None if case is None else str(case.member_state)

    def give_back(self, case: Any) -> None:
        """Keep `case` (at a stored version), unless a newer version is already pooled."""
        if self.maxsize <= 0:
            return
        with self._lock:
            pooled = self._cases.get(case.id)
            if pooled is not None and pooled.version >= case.version:
                return
            self._cases[case.id] = case
            self._cases.move_to_end(case.id)
            while len(self._cases) > self.maxsize:
                self._cases.popitem(last=False)

    def discard(self, case_id: UUID) -> None:
        with self._lock:
            self._cases.pop(case_id, None)

    def __contains__(self, case_id: object) -> bool:
        with self._lock:
            return case_id in self._cases
