"""A case as it stood at a moment, on either axis of time, or at a version.

Read from the event store itself (the source of truth), not from the read models: an auditor's
view of the past must not depend on a projection being right.

- OCCURRED: the steps that had legally happened by then (`occurred_at <= at`);
- RECORDED: what the ledger knew by then (`recorded_at <= at`).
They differ exactly when steps were recorded late. Legal time never runs backwards within a
case (a step may not have occurred before the one it follows), so each view is a prefix of the
stream.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import Application

from ledger.case.event_base import CaseEvent
from ledger.case.screening.events import CaseOpened
from ledger.case.state import CaseState
from projections.case_projection import case_values
from projections.encoding import time_text

OCCURRED, RECORDED = "OCCURRED", "RECORDED"


class CaseHistory:
    def __init__(self, app: Application) -> None:
        self.app = app

    def events(self, case_id: UUID) -> list[CaseEvent]:
        return [e for e in self.app.events.get(case_id) if isinstance(e, CaseEvent)]

    def as_of(self, case_id: UUID, at: datetime, basis: str) -> dict[str, Any] | None:
        """The case-list row of the case as it stood at `at` on the `basis` axis."""
        moment: Callable[[CaseEvent], datetime] = (
            (lambda e: e.envelope.occurred_at) if basis == OCCURRED else (lambda e: e.timestamp))
        return self._replay(case_id, [e for e in self.events(case_id) if moment(e) <= at])

    def at_version(self, case_id: UUID, version: int) -> dict[str, Any] | None:
        return self._replay(case_id, [e for e in self.events(case_id)
                                      if e.originator_version <= version])

    def _replay(self, case_id: UUID, events: list[CaseEvent]) -> dict[str, Any] | None:
        if not events or not isinstance(events[0], CaseOpened):
            return None
        state = CaseState()
        for event in events:
            event.apply_step(state)  # type: ignore[arg-type]
            state.last_occurred_at = event.envelope.occurred_at
        last = events[-1]
        return case_values(str(case_id), state, 0, last.originator_version,
                           time_text(last.timestamp) or "")
