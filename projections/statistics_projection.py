"""Figures across cases: first-instance decisions per nationality (the ledger's own recognition
rates), the published recognition rates loaded as reference data (for display beside them), and
border-procedure assignments per member state and year (for capacity, APR Arts 46-48)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from ledger.case.examination.events import DecisionIssued, ProcedureAssigned
from ledger.case.screening.events import CaseOpened
from ledger.reference_data.recognition import RecognitionRatesPublished
from ledger.vocabulary import DecisionType, Procedure
from projections.db import Tx
from projections.encoding import dumps

STATISTICS_DDL = [
    """CREATE TABLE IF NOT EXISTS decision_stats (
        nationality TEXT NOT NULL,
        year INTEGER NOT NULL,
        decisions INTEGER NOT NULL,
        grants INTEGER NOT NULL,
        PRIMARY KEY (nationality, year)
    )""",
    """CREATE TABLE IF NOT EXISTS case_nationality (
        case_id TEXT PRIMARY KEY,
        nationality TEXT NOT NULL,
        member_state TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS recognition_reference (
        version TEXT PRIMARY KEY,
        reference_year INTEGER NOT NULL,
        source TEXT NOT NULL,
        confirmed INTEGER NOT NULL,
        note TEXT NOT NULL,
        figures TEXT NOT NULL,
        loaded_position BIGINT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS border_assignments (
        member_state TEXT NOT NULL,
        year INTEGER NOT NULL,
        assignments INTEGER NOT NULL,
        PRIMARY KEY (member_state, year)
    )""",
]


def counts_in_rate(kind: DecisionType) -> bool:
    """Decisions on the merits and on admissibility count; withdrawals do not (Eurostat's
    practice for first-instance recognition rates)."""
    return kind.grants_protection or (
        kind.is_rejection and kind is not DecisionType.IMPLICITLY_WITHDRAWN)


class StatisticsProjection:
    tables: tuple[str, ...] = ("decision_stats", "case_nationality", "border_assignments",
                               "recognition_reference")
    ddl = STATISTICS_DDL

    def process(self, tx: Tx, batch: Sequence[tuple[int, Any]]) -> None:
        tx.executemany(
            "INSERT INTO recognition_reference (version, reference_year, source, confirmed, "
            "note, figures, loaded_position) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(e.version, e.reference_year, e.source, int(e.confirmed), e.note,
              dumps([list(f) for f in e.figures]), p)
             for p, e in batch if isinstance(e, RecognitionRatesPublished)])
        opened = [e for _, e in batch if isinstance(e, CaseOpened)]
        tx.executemany(
            "INSERT INTO case_nationality (case_id, nationality, member_state) VALUES (?, ?, ?)",
            [(str(e.originator_id), e.nationality, e.member_state) for e in opened],
        )
        decisions = [e for _, e in batch if isinstance(e, DecisionIssued)
                     and counts_in_rate(DecisionType(e.decision_type))]
        borders = [e for _, e in batch if isinstance(e, ProcedureAssigned)
                   and e.procedure == Procedure.BORDER.value]
        if not decisions and not borders:
            return
        people = self._people(tx, {str(e.originator_id) for e in decisions + borders})
        tallies: Counter[tuple[str, int]] = Counter()
        grants: Counter[tuple[str, int]] = Counter()
        for e in decisions:
            key = (people[str(e.originator_id)][0], e.envelope.occurred_at.year)
            tallies[key] += 1
            grants[key] += DecisionType(e.decision_type).grants_protection
        tx.executemany(
            "INSERT INTO decision_stats (nationality, year, decisions, grants) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (nationality, year) DO UPDATE SET"
            " decisions = decision_stats.decisions + excluded.decisions,"
            " grants = decision_stats.grants + excluded.grants",
            [(n, y, count, grants[(n, y)]) for (n, y), count in sorted(tallies.items())],
        )
        assigned = Counter((people[str(e.originator_id)][1], e.envelope.occurred_at.year)
                           for e in borders)
        tx.executemany(
            "INSERT INTO border_assignments (member_state, year, assignments) VALUES (?, ?, ?)"
            " ON CONFLICT (member_state, year) DO UPDATE SET"
            " assignments = border_assignments.assignments + excluded.assignments",
            [(ms, y, count) for (ms, y), count in sorted(assigned.items())],
        )

    def _people(self, tx: Tx, case_ids: set[str]) -> dict[str, tuple[str, str]]:
        ids = sorted(case_ids)
        found: dict[str, tuple[str, str]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            tx.execute("SELECT case_id, nationality, member_state FROM case_nationality "
                       f"WHERE case_id IN ({', '.join('?' for _ in chunk)})", chunk)
            for row in tx.fetchall():
                found[row["case_id"]] = (row["nationality"], row["member_state"])
        return found
