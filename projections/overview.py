"""A member state's figures for its overview page: cases by status and breached deadlines by
rule, counted in SQL (the breach test is the deadline list's own, `BREACHED_SQL`)."""

from __future__ import annotations

from datetime import datetime

from projections.db import ReadDatabase
from projections.deadline_queries import BREACHED_SQL
from projections.encoding import time_text


class OverviewQueries:
    def __init__(self, db: ReadDatabase) -> None:
        self.db = db

    def status_counts(self, member_state: str) -> dict[str, int]:
        rows = self.db.fetchall("SELECT status, COUNT(*) AS n FROM case_list "
                                "WHERE member_state = ? GROUP BY status ORDER BY status",
                                (member_state,))
        return {r["status"]: int(r["n"]) for r in rows}

    def breaches_by_rule(self, member_state: str, now: datetime) -> dict[str, int]:
        rows = self.db.fetchall(f"SELECT code, COUNT(*) AS n FROM case_deadlines "
                                f"WHERE member_state = ? AND {BREACHED_SQL} "
                                "GROUP BY code ORDER BY code", (member_state, time_text(now)))
        return {r["code"]: int(r["n"]) for r in rows}
