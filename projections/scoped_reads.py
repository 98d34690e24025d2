"""What one principal may read: every read model, narrowed by `ledger.authorization.policy`.

The API reads only through this facade, so each rule is applied here once, not in resolvers: a
read its role may not make is refused (`Forbidden`); lists are narrowed to the principal's member
state (EU-level principals see every member state); a single case outside that scope reads as
absent, exactly like one that does not exist. Reference data (rules, statistics, crisis periods)
is open to every principal. One facade serves one request: it remembers the member state of each
case it has seen.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any
from uuid import UUID

from ledger.authorization.policy import Read, check_may_read, may_read, scope_of
from ledger.authorization.roles import in_scope
from ledger.case.event_base import CaseEvent
from ledger.envelope import Actor
from projections.admission_queries import ScopedAdmissions
from projections.personal_data_log import PersonalDataLog
from projections.queries import CaseFilter, CaseQueries, TimelineFilter, TimelineWindow
from projections.read_models import ReadModels
from projections.scoped_others import (
    ScopedDeadlines,
    ScopedIntegrity,
    ScopedPersonalDataLog,
    ScopedSolidarity,
)
from projections.statistics_queries import StatisticsQueries
from projections.tables import CaseRow, TimelineRow


class ScopedCases:
    def __init__(self, cases: CaseQueries, actor: Actor) -> None:
        self._cases, self.actor, self.scope = cases, actor, scope_of(actor)
        self._states: dict[str, str | None] = {}

    def member_state_of(self, case_id: str) -> str | None:
        """The member state of a case (None if there is none), whatever the reader's role."""
        if case_id not in self._states:
            self._states[case_id] = self._cases.member_state(case_id)
        return self._states[case_id]

    def in_scope(self, case_id: str) -> bool:
        state = self.member_state_of(case_id)
        return state is not None and in_scope(self.actor.member_state, state)

    def narrowed(self, member_state: str | None) -> tuple[bool, str | None]:
        """(any rows possible, member state to filter on) for a filter naming `member_state`."""
        if self.scope is None:
            return True, member_state
        return member_state in (None, self.scope), self.scope

    def _seen(self, rows: list[CaseRow]) -> list[CaseRow]:
        for row in rows:
            self._states[row["case_id"]] = row["member_state"]
        return rows

    def case(self, case_id: str) -> CaseRow | None:
        check_may_read(self.actor, Read.CASES)
        row = self._cases.case(case_id)
        self._states[case_id] = row["member_state"] if row else None
        return row if row and in_scope(self.actor.member_state, row["member_state"]) else None

    def cases(self, filter: CaseFilter, first: int, before_seq: int | None,
              newer_than: int | None = None, backward: bool = False) -> list[CaseRow]:
        check_may_read(self.actor, Read.CASES)
        possible, state = self.narrowed(filter.member_state)
        if not possible:
            return []
        return self._seen(self._cases.cases(replace(filter, member_state=state), first,
                                            before_seq, newer_than, backward))

    def count(self, filter: CaseFilter) -> int:
        check_may_read(self.actor, Read.CASES)
        possible, state = self.narrowed(filter.member_state)
        return self._cases.count(replace(filter, member_state=state)) if possible else 0

    def timeline(self, case_id: str, filter: TimelineFilter | None = None,
                 window: TimelineWindow | None = None) -> list[TimelineRow]:
        check_may_read(self.actor, Read.CASES)
        return self._cases.timeline(case_id, filter, window) if self.in_scope(case_id) else []

    def timeline_count(self, case_id: str, filter: TimelineFilter | None = None) -> int:
        check_may_read(self.actor, Read.CASES)
        return self._cases.timeline_count(case_id, filter) if self.in_scope(case_id) else 0

    def under_appeal(self, appeal_body: str | None, member_state: str | None,
                     limit: int) -> list[CaseRow]:
        check_may_read(self.actor, Read.CASES)
        possible, state = self.narrowed(member_state)
        return self._seen(self._cases.under_appeal(appeal_body, state, limit)) if possible \
            else []

    def appeals_pending(self, appeal_body: str | None, member_state: str | None, first: int,
                        after_seq: int | None, before_seq: int | None = None,
                        backward: bool = False) -> list[CaseRow]:
        check_may_read(self.actor, Read.CASES)
        possible, state = self.narrowed(member_state)
        return self._seen(self._cases.appeals_pending(
            appeal_body, state, first, after_seq, before_seq, backward)) if possible else []

    def appeals_pending_count(self, appeal_body: str | None, member_state: str | None) -> int:
        check_may_read(self.actor, Read.CASES)
        possible, state = self.narrowed(member_state)
        return self._cases.appeals_pending_count(appeal_body, state) if possible else 0

    def events_at(self, positions: tuple[int, ...]) -> list[TimelineRow]:
        check_may_read(self.actor, Read.CASES)
        return [r for r in self._cases.events_at(positions) if self.in_scope(r["case_id"])]

    def written(self, case_id: str,
                positions: tuple[int, ...]) -> tuple[CaseRow | None, list[TimelineRow]]:
        """What a command just recorded: its case and case events, as far as the writer reads
        cases (one who records a crisis period reads none)."""
        if not may_read(self.actor, Read.CASES):
            return None, []
        return self.case(case_id), self.events_at(positions)


class ScopedHistory:
    """A case as it stood, from the event store: for readers of cases, within their scope."""

    def __init__(self, history: Any, cases: ScopedCases) -> None:
        self._history, self._cases = history, cases

    def _allowed(self, case_id: UUID) -> bool:
        check_may_read(self._cases.actor, Read.CASES)
        return self._history is not None and self._cases.in_scope(str(case_id))

    def as_of(self, case_id: UUID, at: datetime, basis: str) -> dict[str, Any] | None:
        return self._history.as_of(case_id, at, basis) if self._allowed(case_id) else None

    def at_version(self, case_id: UUID, version: int) -> dict[str, Any] | None:
        return self._history.at_version(case_id, version) if self._allowed(case_id) else None

    def events(self, case_id: UUID) -> list[CaseEvent]:
        """The case's own events (none outside the reader's scope)."""
        return self._history.events(case_id) if self._allowed(case_id) else []


class ScopedReads:
    """`ReadModels` as one principal may read them (the same attributes and methods)."""

    def __init__(self, reads: ReadModels, access_log: PersonalDataLog, actor: Actor) -> None:
        self.actor = actor
        self.cases = ScopedCases(reads.cases, actor)
        self.deadlines = ScopedDeadlines(reads.deadlines, self.cases)
        self.solidarity = ScopedSolidarity(reads.solidarity, actor)
        self.integrity = ScopedIntegrity(reads.integrity, self.cases)
        self.access_log = ScopedPersonalDataLog(access_log, actor)
        self.history = ScopedHistory(reads.history, self.cases)
        self.statistics: StatisticsQueries = reads.statistics  # aggregates: open to all
        self.admissions = ScopedAdmissions(reads.admissions, actor)
