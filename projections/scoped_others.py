"""The scoped deadline, solidarity, integrity and access-log reads (`projections.scoped_reads`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from ledger.authorization.policy import Read, check_may_read, scope_of
from ledger.envelope import Actor
from ledger.verification import Report, SavedDigest
from ledger.verification_scope import within
from projections.db import Row
from projections.deadline_queries import DeadlineFilter, DeadlineQueries, Position
from projections.integrity_checks import IntegrityQueries
from projections.personal_data_log import AccessFilter, PersonalDataLog
from projections.solidarity_queries import Balances, EntryWindow, SolidarityQueries

if TYPE_CHECKING:
    from projections.scoped_reads import ScopedCases


class ScopedDeadlines:
    """Deadlines are part of the cases they belong to; crisis periods are reference data."""

    def __init__(self, deadlines: DeadlineQueries, cases: ScopedCases) -> None:
        self._deadlines, self._cases = deadlines, cases

    def now(self) -> datetime:
        return self._deadlines.now()

    def _narrowed(self, filter: DeadlineFilter) -> DeadlineFilter | None:
        check_may_read(self._cases.actor, Read.CASES)
        possible, state = self._cases.narrowed(filter.member_state)
        return replace(filter, member_state=state) if possible else None

    def deadlines(self, filter: DeadlineFilter, first: int, after: Position | None,
                  now: datetime, before: Position | None = None,
                  backward: bool = False) -> list[Row]:
        narrowed = self._narrowed(filter)
        return self._deadlines.deadlines(narrowed, first, after, now, before,
                                         backward) if narrowed else []

    def count(self, filter: DeadlineFilter, now: datetime) -> int:
        narrowed = self._narrowed(filter)
        return self._deadlines.count(narrowed, now) if narrowed else 0

    def for_case(self, case_id: str) -> list[Row]:
        check_may_read(self._cases.actor, Read.CASES)
        return self._deadlines.for_case(case_id) if self._cases.in_scope(case_id) else []

    def crisis_periods(self, member_state: str | None = None) -> list[Row]:
        return self._deadlines.crisis_periods(member_state)


class ScopedSolidarity:
    """The cycle is the Union's; an account is its member state's (and EU-level readers')."""

    def __init__(self, solidarity: SolidarityQueries, actor: Actor) -> None:
        self._solidarity, self.actor, self.scope = solidarity, actor, scope_of(actor)

    def cycle(self, year: int, as_of: datetime | None = None) -> Any:
        check_may_read(self.actor, Read.SOLIDARITY)
        return self._solidarity.cycle(year, as_of)

    def balances(self, year: int, as_of: datetime | None = None) -> Balances:
        check_may_read(self.actor, Read.SOLIDARITY)
        balances = self._solidarity.balances(year, as_of)
        if self.scope is None:
            return balances
        return replace(balances, accounts=[a for a in balances.accounts
                                           if a.member_state == self.scope])

    def entries(self, year: int, member_state: str | None, kind: str,
                as_of: datetime | None = None, limit: int = 1000) -> list[Row]:
        check_may_read(self.actor, Read.SOLIDARITY)
        if self.scope is not None and member_state not in (None, self.scope):
            return []
        return self._solidarity.entries(year, self.scope or member_state, kind, as_of, limit)

    def entries_page(self, year: int, member_state: str | None, kind: str,
                     as_of: datetime | None, page: EntryWindow) -> list[Row]:
        check_may_read(self.actor, Read.SOLIDARITY)
        if self.scope is not None and member_state not in (None, self.scope):
            return []
        return self._solidarity.entries_page(year, self.scope or member_state, kind, as_of,
                                             page)

    def entries_count(self, year: int, member_state: str | None, kind: str,
                      as_of: datetime | None) -> int:
        check_may_read(self.actor, Read.SOLIDARITY)
        if self.scope is not None and member_state not in (None, self.scope):
            return 0
        return self._solidarity.entries_count(year, self.scope or member_state, kind, as_of)

    def events_at(self, positions: tuple[int, ...]) -> list[Row]:
        check_may_read(self.actor, Read.SOLIDARITY)
        return [r for r in self._solidarity.events_at(positions)
                if self.scope is None or r["member_state"] in (None, self.scope)]


class ScopedIntegrity:
    """Digests, proofs and verification: hashes and positions, never a record's content."""

    def __init__(self, integrity: IntegrityQueries, cases: ScopedCases) -> None:
        self._integrity, self._cases = integrity, cases

    def _check(self) -> None:
        check_may_read(self._cases.actor, Read.INTEGRITY)

    def digest(self) -> Any:
        self._check()
        return self._integrity.digest()

    def inclusion(self, position: int, tree_size: int | None = None) -> Any:
        self._check()
        return self._integrity.inclusion(position, tree_size)

    def consistency(self, from_size: int, to_size: int | None = None) -> Any:
        self._check()
        return self._integrity.consistency(from_size, to_size)

    def verify_ledger(self, saved: SavedDigest | None = None) -> Report:
        self._check()
        scope = self._cases.scope
        report = self._integrity.verify_ledger(saved, member_states=scope is not None)
        return report if scope is None else within(report, scope)

    def verify_case(self, case_id: UUID) -> Report | None:
        self._check()
        return self._integrity.verify_case(case_id) if self._cases.in_scope(str(case_id)) else None


class ScopedPersonalDataLog:
    def __init__(self, log: PersonalDataLog, actor: Actor) -> None:
        self._log, self.actor, self.scope = log, actor, scope_of(actor)

    def entries(self, filter: AccessFilter, first: int, before_id: int | None,
                newer_than: int | None = None, backward: bool = False) -> list[Row]:
        check_may_read(self.actor, Read.ACCESS_LOG)
        return self._log.entries(replace(filter, case_member_state=self.scope), first, before_id,
                                 newer_than, backward)
