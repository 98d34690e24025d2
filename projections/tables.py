"""The tracking table and the case read-model tables.

Times are stored as fixed-width UTC text (`2026-03-01T08:00:00.000000Z`) on both databases, so
that they sort as text and compare equal across backends."""

from __future__ import annotations

from typing import Annotated, TypedDict

from projections.columns import (
    BIGINT,
    FLAG,
    PRIMARY_KEY,
    UNIQUE,
    columns,
    create_table,
    flag_columns,
)
from projections.db import ReadDatabase
from projections.read_model_version import ensure_version_row


class CaseRow(TypedDict):
    """A row of `case_list`: a `CaseState` flattened (projections/case_projection.py)."""

    case_id: Annotated[str, PRIMARY_KEY]
    seq: Annotated[int, BIGINT, UNIQUE]
    version: int
    member_state: str
    national_reference: str
    nationality: str
    unaccompanied_minor: Annotated[int, FLAG]
    status: str
    screening: str | None
    screening_trigger: str | None
    screening_outcome: str | None
    opened_at: str
    application_made_at: str | None
    registered_at: str | None
    lodged_at: str | None
    procedure: str | None
    decisions: str  # JSON (projections/case_details.py)
    standing_decision_no: int | None
    appeals: str  # JSON (projections/case_details.py)
    pending_appeal_no: int | None
    return_decision_issued: Annotated[int, FLAG]
    closed_reason: str | None
    last_occurred_at: str
    last_recorded_at: str
    last_decision_type: str | None
    last_decision_at: str | None
    security_flag: Annotated[int, FLAG]
    decision_final: Annotated[int, FLAG]
    right_to_remain_ended: Annotated[int, FLAG]
    responsibility_state: str
    relocation_state: str | None
    details: str  # JSON (projections/case_details.py: DETAIL_KEYS)


class TimelineRow(TypedDict):
    """A row of `case_events`: one event with its envelope, payload and what it changed."""

    seq: Annotated[int, BIGINT, PRIMARY_KEY]
    case_id: str
    version: int
    event_type: str
    topic: str
    occurred_at: str
    recorded_at: str
    actor_id: str
    actor_role: str
    actor_authority: str
    actor_member_state: str
    legal_basis: str
    command_id: str
    correlation_id: str
    causation_id: str
    evidence_refs: str
    payload: str
    recorded_late: int
    changes: str
    phase: str


CASE_COLUMNS = columns(CaseRow)
#: The case's bool attributes, stored as 0/1 under their own names.
CASE_FLAG_COLUMNS = flag_columns(CaseRow)
EVENT_COLUMNS = columns(TimelineRow)

TRACKING_DDL = """CREATE TABLE IF NOT EXISTS projection_tracking (
    name TEXT PRIMARY KEY,
    position BIGINT NOT NULL
)"""

CASE_DDL = [
    create_table("case_list", CaseRow),
    "CREATE INDEX IF NOT EXISTS case_list_ms ON case_list (member_state, seq)",
    "CREATE INDEX IF NOT EXISTS case_list_status ON case_list (status, seq)",
    "CREATE INDEX IF NOT EXISTS case_list_nat ON case_list (nationality, seq)",
    "CREATE INDEX IF NOT EXISTS case_list_proc ON case_list (procedure, seq)",
    # `appealsPending` pages and counts the few cases with an appeal pending (partial index).
    "CREATE INDEX IF NOT EXISTS case_list_appeal ON case_list (seq) "
    "WHERE pending_appeal_no IS NOT NULL",
    create_table("case_events", TimelineRow),
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
        ensure_version_row(tx, tracking_name, fresh=tx.rowcount == 1)
