"""Read queries over the deadline tables: a filtered, keyset-paginated list (most urgent first),
one case's deadlines, and the crisis periods.

"Breached" is evaluated against the moment of the query (`now`), in SQL: met after the due
moment, or unmet, not stopped and due before now. Times are fixed-width UTC text, so these are
string comparisons on both backends. Pagination is keyset on (due_at, opened_position, code),
unique because a log position opens at most one deadline of each rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ledger.deadlines.catalogue import PERSONS_PERIODS
from projections.db import ReadDatabase, Row
from projections.encoding import time_text

Clock = Callable[[], datetime]
Position = tuple[str, int, str]  # (due_at, opened_position, code) of the last row seen

#: Breached: a time limit on the authorities met late, or unmet once due. Periods open to the
#: person (appeal periods, voluntary departure) expire instead (`ledger.deadlines.deadline`).
#: A breach is history: stopped (case closed, path left) only after the due moment, it stays one.
BREACHED_SQL = ("(code NOT IN (" + ", ".join(f"'{c}'" for c in sorted(PERSONS_PERIODS)) + ") "
                "AND ((met_at IS NOT NULL AND met_at > due_at) "
                "OR (met_at IS NULL AND stopped_at IS NOT NULL AND stopped_at > due_at) "
                "OR (met_at IS NULL AND stopped_at IS NULL AND due_at < ?)))")


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class DeadlineFilter:
    member_state: str | None = None
    due_before: str | None = None  # time text
    breached_only: bool = False
    case_id: str | None = None
    rule: str | None = None

    def where(self, now: str) -> tuple[list[str], list[Any]]:
        clauses, params = [], []
        for column, value in (("member_state", self.member_state), ("case_id", self.case_id),
                              ("code", self.rule)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if self.due_before is not None:
            clauses.append("due_at < ?")
            params.append(self.due_before)
        if self.breached_only:
            clauses.append(BREACHED_SQL)
            params.append(now)
        return clauses, params


class DeadlineQueries:
    def __init__(self, db: ReadDatabase, clock: Clock | None = None) -> None:
        self.db = db
        self.clock = clock or _utc_now

    def now(self) -> datetime:
        return self.clock()

    def deadlines(self, filter: DeadlineFilter, first: int, after: Position | None,
                  now: datetime, before: Position | None = None,
                  backward: bool = False) -> list[Row]:
        """Soonest due first, after `after` and before `before`; `first + 1` rows, so the
        caller knows whether more exist. `backward`: read from the far end (for `last`)."""
        clauses, params = filter.where(time_text(now) or "")
        for op, bound in ((">", after), ("<", before)):
            if bound is not None:
                clauses.append(f"(due_at, opened_position, code) {op} (?, ?, ?)")
                params.extend(bound)
        sql = "SELECT * FROM case_deadlines"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        order = " DESC" if backward else ""
        sql += f" ORDER BY due_at{order}, opened_position{order}, code{order} LIMIT ?"
        return self.db.fetchall(sql, (*params, first + 1))

    def count(self, filter: DeadlineFilter, now: datetime) -> int:
        clauses, params = filter.where(time_text(now) or "")
        sql = "SELECT COUNT(*) AS n FROM case_deadlines"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        row = self.db.fetchone(sql, params)
        return int(row["n"]) if row else 0

    def for_case(self, case_id: str) -> list[Row]:
        """A case's deadlines in the order they opened."""
        return self.db.fetchall("SELECT * FROM case_deadlines WHERE case_id = ? "
                                "ORDER BY opened_position, code", (case_id,))

    def crisis_periods(self, member_state: str | None = None) -> list[Row]:
        sql, params = "SELECT * FROM crisis_periods", []
        if member_state is not None:
            sql += " WHERE member_state = ?"
            params.append(member_state)
        return self.db.fetchall(sql + " ORDER BY member_state, period_no", params)
