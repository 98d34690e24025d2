"""What the live feeds read (issue 14): the read models' position, the case steps after a log
position, the deadlines whose due moment falls in a window, and on PostgreSQL the trigger that
announces each move of the read models with a NOTIFY.

The feeds read the read models, not the raw log: a case step's member state and phase are known
there, and a step appears only once every earlier one has (a batch and its tracking position
commit together, `projections.runner`), so "the steps after position p" never skips one. A
NOTIFY only wakes the readers early; what is delivered is always read back from here.
"""

from __future__ import annotations

from datetime import datetime

from projections.db import ReadDatabase, Row
from projections.encoding import time_text
from projections.runner import TRACKING_NAME

#: The channel the trigger notifies on each move of the read models' position.
CHANNEL = "pact_ledger_read_models"

#: The columns of a case step that a live feed shows: no payload (personal data stay out).
_STEP_COLUMNS = ("e.seq, e.case_id, e.version, e.event_type, e.phase, e.occurred_at, "
                 "e.recorded_at, e.recorded_late, e.legal_basis, c.member_state")

#: On PostgreSQL: NOTIFY on every move of the tracking position (delivered at commit, so never
#: before the rows it announces are visible). Installed under an advisory lock: several
#: processes may start at once.
NOTIFY_DDL = (
    "SELECT pg_advisory_xact_lock(hashtext('pact_ledger_live_trigger'))",
    f"""CREATE OR REPLACE FUNCTION pact_ledger_read_models_moved() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('{CHANNEL}', NEW.position::text);
    RETURN NEW;
END $$ LANGUAGE plpgsql""",
    "CREATE OR REPLACE TRIGGER pact_ledger_read_models_moved AFTER UPDATE OF position "
    "ON projection_tracking FOR EACH ROW EXECUTE FUNCTION pact_ledger_read_models_moved()",
)


def install_notify_trigger(db: ReadDatabase) -> None:
    """Idempotent; PostgreSQL only (SQLite is followed by polling)."""
    with db.transaction() as tx:
        for statement in NOTIFY_DDL:
            tx.execute(statement)


def read_models_position(db: ReadDatabase) -> int:
    """The last log position the read models include."""
    row = db.fetchone("SELECT position FROM projection_tracking WHERE name = ?",
                      (TRACKING_NAME,))
    return int(row["position"]) if row else 0


def steps_after(db: ReadDatabase, after: int, up_to: int | None, limit: int,
                case_id: str | None = None, member_state: str | None = None) -> list[Row]:
    """Case steps with `after < position <= up_to`, in log order, at most `limit`; narrowed to
    one case and/or one member state when given."""
    clauses, params = ["e.seq > ?"], [after]  # type: list[str], list[object]
    if up_to is not None:
        clauses.append("e.seq <= ?")
        params.append(up_to)
    if case_id is not None:
        clauses.append("e.case_id = ?")
        params.append(case_id)
    if member_state is not None:
        clauses.append("c.member_state = ?")
        params.append(member_state)
    return db.fetchall(
        f"SELECT {_STEP_COLUMNS} FROM case_events e JOIN case_list c ON c.case_id = e.case_id "
        f"WHERE {' AND '.join(clauses)} ORDER BY e.seq LIMIT ?", (*params, limit))


def deadlines_due_between(db: ReadDatabase, after: datetime, up_to: datetime, limit: int,
                          inclusive: bool = False, member_state: str | None = None) -> list[Row]:
    """Deadlines due in `(after, up_to]` (`[after, up_to]` when `inclusive`), soonest first
    (ties in the order they opened), at most `limit`."""
    clauses = [f"due_at {'>=' if inclusive else '>'} ?", "due_at <= ?"]
    params: list[object] = [time_text(after), time_text(up_to)]
    if member_state is not None:
        clauses.append("member_state = ?")
        params.append(member_state)
    return db.fetchall(f"SELECT * FROM case_deadlines WHERE {' AND '.join(clauses)} "
                       "ORDER BY due_at, opened_position, code LIMIT ?", (*params, limit))
