"""The tracking table and the case read-model tables.

Times are stored as fixed-width UTC text (`2026-03-01T08:00:00.000000Z`) on both databases, so
that they sort as text and compare equal across backends."""

from __future__ import annotations

from projections.db import ReadDatabase

CASE_COLUMNS = (
    "case_id", "seq", "version", "member_state", "national_reference", "nationality",
    "unaccompanied_minor", "status", "screening",
    "screening_trigger", "screening_outcome", "opened_at", "application_made_at",
    "registered_at", "lodged_at", "procedure", "decisions", "standing_decision_no", "appeals",
    "pending_appeal_no", "return_decision_issued", "closed_reason", "last_occurred_at",
    "last_recorded_at", "last_decision_type", "last_decision_at", "security_flag",
    "decision_final", "right_to_remain_ended", "responsibility_state", "relocation_state",
    "details",
)

EVENT_COLUMNS = (
    "seq", "case_id", "version", "event_type", "topic", "occurred_at", "recorded_at",
    "actor_id", "actor_role", "actor_authority", "actor_member_state", "legal_basis",
    "command_id", "correlation_id", "causation_id", "evidence_refs", "payload", "recorded_late",
    "changes", "phase",
)

TRACKING_DDL = """CREATE TABLE IF NOT EXISTS projection_tracking (
    name TEXT PRIMARY KEY,
    position BIGINT NOT NULL
)"""

CASE_DDL = [
    """CREATE TABLE IF NOT EXISTS case_list (
        case_id TEXT PRIMARY KEY,
        seq BIGINT NOT NULL UNIQUE,
        version INTEGER NOT NULL,
        member_state TEXT NOT NULL,
        national_reference TEXT NOT NULL,
        nationality TEXT NOT NULL,
        unaccompanied_minor INTEGER NOT NULL,
        status TEXT NOT NULL,
        screening TEXT,
        screening_trigger TEXT,
        screening_outcome TEXT,
        opened_at TEXT NOT NULL,
        application_made_at TEXT,
        registered_at TEXT,
        lodged_at TEXT,
        procedure TEXT,
        decisions TEXT NOT NULL,
        standing_decision_no INTEGER,
        appeals TEXT NOT NULL,
        pending_appeal_no INTEGER,
        return_decision_issued INTEGER NOT NULL,
        closed_reason TEXT,
        last_occurred_at TEXT NOT NULL,
        last_recorded_at TEXT NOT NULL,
        last_decision_type TEXT,
        last_decision_at TEXT,
        security_flag INTEGER NOT NULL,
        decision_final INTEGER NOT NULL,
        right_to_remain_ended INTEGER NOT NULL,
        responsibility_state TEXT NOT NULL,
        relocation_state TEXT,
        details TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS case_list_ms ON case_list (member_state, seq)",
    "CREATE INDEX IF NOT EXISTS case_list_status ON case_list (status, seq)",
    "CREATE INDEX IF NOT EXISTS case_list_nat ON case_list (nationality, seq)",
    "CREATE INDEX IF NOT EXISTS case_list_proc ON case_list (procedure, seq)",
    """CREATE TABLE IF NOT EXISTS case_events (
        seq BIGINT PRIMARY KEY,
        case_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        event_type TEXT NOT NULL,
        topic TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        actor_id TEXT NOT NULL,
        actor_role TEXT NOT NULL,
        actor_authority TEXT NOT NULL,
        actor_member_state TEXT NOT NULL,
        legal_basis TEXT NOT NULL,
        command_id TEXT NOT NULL,
        correlation_id TEXT NOT NULL,
        causation_id TEXT NOT NULL,
        evidence_refs TEXT NOT NULL,
        payload TEXT NOT NULL,
        recorded_late INTEGER NOT NULL,
        changes TEXT NOT NULL,
        phase TEXT NOT NULL
    )""",
    "CREATE UNIQUE INDEX IF NOT EXISTS case_events_case ON case_events (case_id, version)",
]

CASE_TABLES: tuple[str, ...] = ("case_list", "case_events")


def create_tables(db: ReadDatabase, ddl: list[str], tracking_name: str) -> None:
    """Idempotent: safe at every start, by several processes at once."""
    with db.transaction() as tx:
        tx.execute(TRACKING_DDL)
        for statement in ddl:
            tx.execute(statement)
        tx.execute(
            "INSERT INTO projection_tracking (name, position) VALUES (?, 0) "
            "ON CONFLICT (name) DO NOTHING",
            (tracking_name,),
        )
