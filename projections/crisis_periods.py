"""The crisis periods as the log has recorded them so far, for the deadline projection.

The deadline projection asks "which derogations were in force in this member state at this
moment?" with what it knows *when it processes* an event: periods recorded later in the log are
not known yet, so a deadline computed before a crisis was recorded keeps its normal version,
even if the crisis is later recorded with an earlier start (and a rebuild, reading the log in
the same order, computes the same).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ledger.crisis.regime import (
    CrisisDeclared,
    CrisisEnded,
    CrisisEvent,
    CrisisExtended,
    CrisisRegime,
    CrisisRegimeOpened,
    derogations_in,
)
from ledger.vocabulary import MEMBER_STATES
from projections.db import Row, Tx
from projections.encoding import dumps, loads, parse_time, time_text

_MEMBER_STATE_OF = {str(CrisisRegime.create_id(ms)): ms for ms in MEMBER_STATES}

_INSERT = (
    "INSERT INTO crisis_periods (member_state, period_no, kind, starts_at, until_at, ended_at, "
    "derogations, decision_ref, extension_ref, declared_position, recorded_at) "
    "VALUES (?, ?, ?, ?, ?, NULL, ?, ?, NULL, ?, ?)"
)


def _period(row: Row) -> dict[str, Any]:
    return {
        "period_no": row["period_no"],
        "starts_at": parse_time(row["starts_at"]),
        "until": parse_time(row["until_at"]),
        "ended_at": parse_time(row["ended_at"]),
        "derogations": loads(row["derogations"]),
    }


class CrisisBook:
    """Every member state's periods, loaded at the start of a batch and kept in step with the
    crisis events of the batch (in the table, and in memory for the deadline trackers)."""

    def __init__(self, periods: dict[str, list[dict[str, Any]]]) -> None:
        self.periods = periods

    @classmethod
    def load(cls, tx: Tx) -> CrisisBook:
        tx.execute("SELECT * FROM crisis_periods ORDER BY member_state, period_no")
        periods: dict[str, list[dict[str, Any]]] = {}
        for row in tx.fetchall():
            periods.setdefault(row["member_state"], []).append(_period(row))
        return cls(periods)

    def derogations_at(self, member_state: str, moment: datetime) -> frozenset[str]:
        return derogations_in(self.periods.get(member_state, ()), moment)

    def apply(self, tx: Tx, position: int, event: CrisisEvent) -> None:
        if isinstance(event, CrisisRegimeOpened):
            return
        member_state = _MEMBER_STATE_OF[str(event.originator_id)]
        periods = self.periods.setdefault(member_state, [])
        if isinstance(event, CrisisDeclared):
            periods.append({"period_no": len(periods) + 1, "starts_at": event.starts_at,
                            "until": event.until, "ended_at": None,
                            "derogations": list(event.derogations)})
            tx.execute(_INSERT, (member_state, len(periods), event.kind,
                                 time_text(event.starts_at), time_text(event.until),
                                 dumps(list(event.derogations)), event.decision_ref, position,
                                 time_text(event.timestamp)))
        elif isinstance(event, CrisisExtended):
            periods[-1]["until"] = event.until
            tx.execute("UPDATE crisis_periods SET until_at = ?, extension_ref = ? "
                       "WHERE member_state = ? AND period_no = ?",
                       (time_text(event.until), event.decision_ref, member_state, len(periods)))
        elif isinstance(event, CrisisEnded):
            periods[-1]["ended_at"] = event.envelope.occurred_at
            tx.execute("UPDATE crisis_periods SET ended_at = ? "
                       "WHERE member_state = ? AND period_no = ?",
                       (time_text(event.envelope.occurred_at), member_state, len(periods)))
