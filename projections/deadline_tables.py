"""The tables of the deadline read model: one row per computed deadline, the crisis periods as
recorded so far, and each case's resumable tracker state.

Times are fixed-width UTC text (`projections.encoding.time_text`) so that "due before" and
"breached by now" are plain string comparisons on SQLite and PostgreSQL alike. Each deadline keeps
the calendar version it was counted with and how it was counted (`counting`, JSON of
`ledger.deadlines.periods.Counting`). Read models have no migrations: tables of an older shape
(`projections.read_model_version`) are rebuilt blue-green.
"""

from __future__ import annotations

DEADLINE_COLUMNS = (
    "case_id", "code", "opened_position", "member_state", "version", "title", "act", "article",
    "confirmed", "started_at", "due_at", "met_at", "met_by", "met_position",
    "met_recorded_late", "stopped_at", "extended_days", "extended_months", "calendar_version",
    "counting",
)

CRISIS_COLUMNS = (
    "member_state", "period_no", "kind", "starts_at", "until_at", "ended_at", "derogations",
    "decision_ref", "extension_ref", "declared_position", "recorded_at",
)

DEADLINE_DDL = [
    """CREATE TABLE IF NOT EXISTS case_deadlines (
        case_id TEXT NOT NULL,
        code TEXT NOT NULL,
        opened_position BIGINT NOT NULL,
        member_state TEXT NOT NULL,
        version TEXT NOT NULL,
        title TEXT NOT NULL,
        act TEXT NOT NULL,
        article TEXT NOT NULL,
        confirmed INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        due_at TEXT NOT NULL,
        met_at TEXT,
        met_by TEXT,
        met_position BIGINT,
        met_recorded_late INTEGER NOT NULL,
        stopped_at TEXT,
        extended_days INTEGER NOT NULL,
        extended_months INTEGER NOT NULL,
        calendar_version TEXT,
        counting TEXT,
        PRIMARY KEY (case_id, code, opened_position)
    )""",
    "CREATE INDEX IF NOT EXISTS case_deadlines_due ON case_deadlines (due_at, opened_position, "
    "code)",
    "CREATE INDEX IF NOT EXISTS case_deadlines_ms ON case_deadlines (member_state, due_at, "
    "opened_position, code)",
    "CREATE INDEX IF NOT EXISTS case_deadlines_case ON case_deadlines (case_id, opened_position)",
    """CREATE TABLE IF NOT EXISTS crisis_periods (
        member_state TEXT NOT NULL,
        period_no INTEGER NOT NULL,
        kind TEXT NOT NULL,
        starts_at TEXT NOT NULL,
        until_at TEXT NOT NULL,
        ended_at TEXT,
        derogations TEXT NOT NULL,
        decision_ref TEXT NOT NULL,
        extension_ref TEXT,
        declared_position BIGINT NOT NULL,
        recorded_at TEXT NOT NULL,
        PRIMARY KEY (member_state, period_no)
    )""",
    """CREATE TABLE IF NOT EXISTS deadline_trackers (
        case_id TEXT PRIMARY KEY,
        position BIGINT NOT NULL,
        state TEXT NOT NULL
    )""",
]

DEADLINE_TABLES: tuple[str, ...] = ("case_deadlines", "crisis_periods", "deadline_trackers")
