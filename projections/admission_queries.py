"""Read queries of the resettlement read model (`projections.admissions`), and the same as one
principal may read them: admission files are case records of their member state (`Read.CASES`,
narrowed to the reader's member state; a file outside it reads as absent); the Union plan and
the contributions to it are Union-level reference data, open to every principal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from ledger.authorization.policy import Read, check_may_read, may_read, scope_of
from ledger.authorization.roles import in_scope
from ledger.deadlines.deadline import DeadlineStatus
from ledger.envelope import Actor
from projections.admissions import AdmissionRow, PlanContributionRow, UnionPlanRow
from projections.db import ReadDatabase, Row
from projections.encoding import parse_time


@dataclass(frozen=True)
class AdmissionFilter:
    member_state: str | None = None
    status: str | None = None
    plan_period_start: int | None = None


def decision_status(row: AdmissionRow, now: datetime) -> DeadlineStatus:
    """Where the decision's time limit stands at `now`. A breach is history: a file discontinued
    after the limit passed stays breached."""
    due = parse_time(row["decision_due_at"])
    assert due is not None
    decided, stopped = parse_time(row["decided_at"]), parse_time(row["discontinued_at"])
    if decided is not None:
        return DeadlineStatus.MET if decided <= due else DeadlineStatus.MET_LATE
    if stopped is not None:
        return DeadlineStatus.STOPPED if stopped <= due else DeadlineStatus.BREACHED
    return DeadlineStatus.BREACHED if now > due else DeadlineStatus.RUNNING


@dataclass(frozen=True)
class PlanView:
    plan: UnionPlanRow
    contributions: list[PlanContributionRow]
    #: (member state, admission type) -> persons arrived, and of them counted toward solidarity.
    arrived: dict[tuple[str, str], tuple[int, int]]


def _where(f: AdmissionFilter) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    for column, value in (("member_state", f.member_state), ("status", f.status),
                          ("plan_period_start", f.plan_period_start)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    return where, params


class AdmissionQueries:
    def __init__(self, db: ReadDatabase, clock: Callable[[], datetime] | None = None) -> None:
        self.db = db
        self.clock = clock or (lambda: datetime.now(UTC))

    def admission(self, admission_id: str) -> AdmissionRow | None:
        row = self.db.fetchone("SELECT * FROM admissions WHERE admission_id = ?",
                               (admission_id,))
        return cast(AdmissionRow | None, row)

    def admissions(self, f: AdmissionFilter, first: int, after_seq: int | None,
                   before_seq: int | None = None,
                   backward: bool = False) -> list[AdmissionRow]:
        """`first + 1` rows at most between `after_seq` and `before_seq`, in registration order
        (from the end, newest first, when `backward`: the caller reverses the page)."""
        where, params = _where(f)
        if after_seq is not None:
            where.append("seq > ?")
            params.append(after_seq)
        if before_seq is not None:
            where.append("seq < ?")
            params.append(before_seq)
        sql = ("SELECT * FROM admissions" + (f" WHERE {' AND '.join(where)}" if where else "")
               + f" ORDER BY seq {'DESC' if backward else 'ASC'} LIMIT ?")
        return cast(list[AdmissionRow], self.db.fetchall(sql, (*params, first + 1)))

    def count(self, f: AdmissionFilter) -> int:
        where, params = _where(f)
        row = self.db.fetchone("SELECT COUNT(*) AS n FROM admissions"
                               + (f" WHERE {' AND '.join(where)}" if where else ""), params)
        return int(row["n"]) if row else 0

    def timeline(self, aggregate_id: str) -> list[Row]:
        return self.db.fetchall("SELECT * FROM resettlement_events WHERE aggregate_id = ? "
                                "ORDER BY version", (aggregate_id,))

    def timeline_page(self, aggregate_id: str, size: int, after_version: int | None = None,
                      before_version: int | None = None, backward: bool = False) -> list[Row]:
        """`size` events of a file in version order after and before the given versions;
        nearest `before_version` first when `backward`."""
        where, params = "aggregate_id = ?", [aggregate_id]
        for version, op in ((after_version, ">"), (before_version, "<")):
            if version is not None:
                where += f" AND version {op} ?"
                params.append(version)  # type: ignore[arg-type]
        order = "DESC" if backward else "ASC"
        return self.db.fetchall(f"SELECT * FROM resettlement_events WHERE {where} "
                                f"ORDER BY version {order} LIMIT ?", (*params, size))

    def timeline_count(self, aggregate_id: str) -> int:
        row = self.db.fetchone("SELECT COUNT(*) AS n FROM resettlement_events "
                               "WHERE aggregate_id = ?", (aggregate_id,))
        return int(row["n"]) if row else 0

    def events_at(self, positions: tuple[int, ...]) -> list[Row]:
        if not positions:
            return []
        marks = ", ".join("?" for _ in positions)
        return self.db.fetchall(f"SELECT * FROM resettlement_events WHERE seq IN ({marks}) "
                                "ORDER BY seq", positions)

    def plan(self, period_start: int) -> PlanView | None:
        plan = self.db.fetchone("SELECT * FROM union_plans WHERE period_start = ?",
                                (period_start,))
        if plan is None:
            return None
        contributions = self.db.fetchall(
            "SELECT * FROM plan_contributions WHERE period_start = ? ORDER BY member_state",
            (period_start,))
        arrived = {
            (r["member_state"], r["admission_type"]): (int(r["persons"]), int(r["counted"]))
            for r in self.db.fetchall(
                "SELECT member_state, admission_type, SUM(persons) AS persons, "
                "SUM(CASE WHEN counts_toward_solidarity = 1 THEN persons ELSE 0 END) AS counted "
                "FROM admissions WHERE plan_period_start = ? AND status = 'ARRIVED' "
                "GROUP BY member_state, admission_type", (period_start,))}
        return PlanView(cast(UnionPlanRow, plan), cast(list[PlanContributionRow], contributions),
                        arrived)


class ScopedAdmissions:
    """`AdmissionQueries` as one principal may read them."""

    def __init__(self, queries: AdmissionQueries, actor: Actor) -> None:
        self._queries, self.actor, self.scope = queries, actor, scope_of(actor)

    @property
    def now(self) -> datetime:
        return self._queries.clock()

    def _mine(self, member_state: str | None) -> bool:
        return member_state is not None and in_scope(self.actor.member_state, member_state)

    def admission(self, admission_id: str) -> AdmissionRow | None:
        check_may_read(self.actor, Read.CASES)
        row = self._queries.admission(admission_id)
        return row if row is not None and self._mine(row["member_state"]) else None

    def _narrowed(self, f: AdmissionFilter) -> AdmissionFilter | None:
        if self.scope is None:
            return f
        if f.member_state not in (None, self.scope):
            return None
        return AdmissionFilter(self.scope, f.status, f.plan_period_start)

    def admissions(self, f: AdmissionFilter, first: int, after_seq: int | None,
                   before_seq: int | None = None,
                   backward: bool = False) -> list[AdmissionRow]:
        check_may_read(self.actor, Read.CASES)
        narrowed = self._narrowed(f)
        return [] if narrowed is None else self._queries.admissions(
            narrowed, first, after_seq, before_seq, backward)

    def count(self, f: AdmissionFilter) -> int:
        check_may_read(self.actor, Read.CASES)
        narrowed = self._narrowed(f)
        return 0 if narrowed is None else self._queries.count(narrowed)

    def timeline(self, admission_id: str) -> list[Row]:
        return self._queries.timeline(admission_id) if self.admission(admission_id) else []

    def timeline_page(self, admission_id: str, size: int, after_version: int | None = None,
                      before_version: int | None = None, backward: bool = False) -> list[Row]:
        if not self.admission(admission_id):
            return []
        return self._queries.timeline_page(admission_id, size, after_version, before_version,
                                           backward)

    def timeline_count(self, admission_id: str) -> int:
        return self._queries.timeline_count(admission_id) if self.admission(admission_id) else 0

    def events_at(self, positions: tuple[int, ...]) -> list[Row]:
        """What a command just recorded: the plan's events (Union-level), and an admission
        file's as far as the writer reads case records of its member state."""
        rows = self._queries.events_at(positions)
        return [r for r in rows if r["member_state"] is None
                or r["event_type"] == "PlanContributionRecorded"
                or (may_read(self.actor, Read.CASES) and self._mine(r["member_state"]))]

    def plan(self, period_start: int) -> PlanView | None:
        return self._queries.plan(period_start)
