"""Read queries over the case list and timeline tables.

Pagination is keyset on `seq` (the log position of the case's opening event): stable while new
cases are recorded, and as fast for page 500 as for page 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from projections.db import ReadDatabase
from projections.tables import CaseRow, TimelineRow

#: The body of a case's pending appeal, read from its `appeals` JSON (case_details.appeals_json:
#: a list of appeals, `pending_appeal_no` the pending one's place counted from 1).
_PENDING_APPEAL_BODY: dict[str, str] = {
    "sqlite": "json_extract(appeals, '$[' || (pending_appeal_no - 1) || '].appeal_body')",
    "postgres": "(appeals::jsonb -> (pending_appeal_no - 1) ->> 'appeal_body')",
}


@dataclass(frozen=True)
class CaseFilter:
    member_state: str | None = None
    status: str | None = None
    procedure: str | None = None
    nationality: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        clauses, params = [], []
        for column in ("member_state", "status", "procedure", "nationality"):
            value = getattr(self, column)
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        return " AND ".join(clauses), params


@dataclass(frozen=True)
class TimelineFilter:
    event_types: tuple[str, ...] = ()
    phases: tuple[str, ...] = ()
    occurred_from: str | None = None
    occurred_to: str | None = None
    recorded_from: str | None = None
    recorded_to: str | None = None


@dataclass(frozen=True)
class TimelineWindow:
    """One page of a timeline in version order: `size` events after `after_version` and before
    `before_version`, read from the `before` end when `backward`."""

    size: int
    after_version: int | None = None
    before_version: int | None = None
    backward: bool = False


class CaseQueries:
    def __init__(self, db: ReadDatabase) -> None:
        self.db = db

    def case(self, case_id: str) -> CaseRow | None:
        return cast(CaseRow | None,
                    self.db.fetchone("SELECT * FROM case_list WHERE case_id = ?", (case_id,)))

    def member_state(self, case_id: str) -> str | None:
        """Only the column a scope check needs (None: no such case), not the whole row."""
        row = self.db.fetchone("SELECT member_state FROM case_list WHERE case_id = ?",
                               (case_id,))
        return row["member_state"] if row else None

    def cases(self, filter: CaseFilter, first: int, before_seq: int | None,
              newer_than: int | None = None, backward: bool = False) -> list[CaseRow]:
        """Newest first, older than `before_seq` and newer than `newer_than`; fetch `first + 1`
        rows so the caller knows whether more exist. `backward`: the oldest of them first (a
        page read from the far end, for `last`)."""
        where, params = filter.where()
        for op, bound in (("<", before_seq), (">", newer_than)):
            if bound is not None:
                where = f"{where} AND seq {op} ?" if where else f"seq {op} ?"
                params.append(bound)
        sql = "SELECT * FROM case_list"
        if where:
            sql += f" WHERE {where}"
        sql += f" ORDER BY seq {'ASC' if backward else 'DESC'} LIMIT ?"
        return cast(list[CaseRow], self.db.fetchall(sql, (*params, first + 1)))

    def count(self, filter: CaseFilter) -> int:
        where, params = filter.where()
        sql = "SELECT COUNT(*) AS n FROM case_list" + (f" WHERE {where}" if where else "")
        row = self.db.fetchone(sql, params)
        return int(row["n"]) if row else 0

    def timeline(self, case_id: str, filter: TimelineFilter | None = None,
                 window: TimelineWindow | None = None) -> list[TimelineRow]:
        """The case's events in order (of `version`), or one window of them."""
        sql, params = self._timeline_where(case_id, filter)
        if window is None:
            return cast(list[TimelineRow], self.db.fetchall(sql + " ORDER BY version", params))
        for op, bound in ((">", window.after_version), ("<", window.before_version)):
            if bound is not None:
                sql += f" AND version {op} ?"
                params.append(bound)
        sql += f" ORDER BY version {'DESC' if window.backward else 'ASC'} LIMIT ?"
        return cast(list[TimelineRow], self.db.fetchall(sql, (*params, window.size + 1)))

    def timeline_count(self, case_id: str, filter: TimelineFilter | None = None) -> int:
        sql, params = self._timeline_where(case_id, filter)
        row = self.db.fetchone(sql.replace("SELECT *", "SELECT COUNT(*) AS n", 1), params)
        return int(row["n"]) if row else 0

    @staticmethod
    def _timeline_where(case_id: str, filter: TimelineFilter | None) -> tuple[str, list[Any]]:
        sql = "SELECT * FROM case_events WHERE case_id = ?"
        params: list[Any] = [case_id]
        if filter is not None:
            for column, values in (("event_type", filter.event_types),
                                   ("phase", filter.phases)):
                if values:
                    sql += f" AND {column} IN ({', '.join('?' for _ in values)})"
                    params.extend(values)
            for column, op, value in (("occurred_at", ">=", filter.occurred_from),
                                      ("occurred_at", "<=", filter.occurred_to),
                                      ("recorded_at", ">=", filter.recorded_from),
                                      ("recorded_at", "<=", filter.recorded_to)):
                if value is not None:
                    sql += f" AND {column} {op} ?"
                    params.append(value)
        return sql, params

    def under_appeal(self, appeal_body: str | None, member_state: str | None,
                     limit: int) -> list[CaseRow]:
        """Cases with a pending appeal (optionally before one body), oldest appeal first, at
        most `limit` (the caller asks one more than it serves, to know whether more follow)."""
        where, params = self._appeals_where(appeal_body, member_state)
        return cast(list[CaseRow], self.db.fetchall(
            f"SELECT * FROM case_list WHERE {where} ORDER BY seq LIMIT ?", (*params, limit)))

    def appeals_pending(self, appeal_body: str | None, member_state: str | None, first: int,
                        after_seq: int | None, before_seq: int | None = None,
                        backward: bool = False) -> list[CaseRow]:
        """`first + 1` cases at most with a pending appeal between `after_seq` and `before_seq`,
        in list order (from the end, newest first, when `backward`: the caller reverses)."""
        where, params = self._appeals_where(appeal_body, member_state)
        for bound, op in ((after_seq, ">"), (before_seq, "<")):
            if bound is not None:
                where += f" AND seq {op} ?"
                params.append(bound)
        return cast(list[CaseRow], self.db.fetchall(
            f"SELECT * FROM case_list WHERE {where} "
            f"ORDER BY seq {'DESC' if backward else 'ASC'} LIMIT ?", (*params, first + 1)))

    def appeals_pending_count(self, appeal_body: str | None, member_state: str | None) -> int:
        where, params = self._appeals_where(appeal_body, member_state)
        row = self.db.fetchone(f"SELECT COUNT(*) AS n FROM case_list WHERE {where}", params)
        return int(row["n"]) if row else 0

    def _appeals_where(self, appeal_body: str | None,
                       member_state: str | None) -> tuple[str, list[Any]]:
        """The filter in SQL, so that a page reads its own rows only (the body is inside the
        case's `appeals` JSON: the pending one is at `pending_appeal_no`, counted from 1)."""
        where, params = "pending_appeal_no IS NOT NULL", []
        if member_state is not None:
            where += " AND member_state = ?"
            params.append(member_state)
        if appeal_body is not None:
            where += f" AND {_PENDING_APPEAL_BODY[self.db.dialect]} = ?"
            params.append(appeal_body)
        return where, params

    def events_at(self, positions: tuple[int, ...]) -> list[TimelineRow]:
        """The timeline rows of the given log positions (a command's own events)."""
        if not positions:
            return []
        marks = ", ".join("?" for _ in positions)
        return cast(list[TimelineRow], self.db.fetchall(
            f"SELECT * FROM case_events WHERE seq IN ({marks}) ORDER BY seq", positions
        ))
