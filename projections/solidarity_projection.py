"""The solidarity ledger's read model: one row per event of every cycle and account.

Each account row also says how it moves a balance (`line`, `effect`, `persons`, `cents`, from
the event's own `movement()`), so a balance as of any date is a sum over the rows that legally
occurred by then, and every figure lists the rows (events) that make it. Cycle rows carry no
movement; the cycle's state as of a date is folded from them (`projections.solidarity_cycle`).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ledger.solidarity.account_events import AccountOpened
from ledger.solidarity.cycle_events import AnnualReportAdopted
from ledger.solidarity.events import SolidarityEvent
from projections.db import Tx
from projections.encoding import dumps, envelope_columns, payload_of

COLUMNS = (
    "seq", "aggregate_id", "version", "year", "member_state", "event_type", "topic",
    "occurred_at", "recorded_at", "actor_id", "actor_role", "actor_authority",
    "actor_member_state", "legal_basis", "command_id", "correlation_id", "causation_id",
    "evidence_refs", "payload", "line", "effect", "persons", "cents", "linked_case_id",
)
_INSERT = (f"INSERT INTO solidarity_events ({', '.join(COLUMNS)}) "
           f"VALUES ({', '.join('?' for _ in COLUMNS)})")

DDL = [
    """CREATE TABLE IF NOT EXISTS solidarity_events (
        seq BIGINT PRIMARY KEY,
        aggregate_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        year INTEGER NOT NULL,
        member_state TEXT,
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
        line TEXT,
        effect TEXT,
        persons BIGINT NOT NULL,
        cents BIGINT NOT NULL,
        linked_case_id TEXT
    )""",
    "CREATE UNIQUE INDEX IF NOT EXISTS solidarity_events_stream "
    "ON solidarity_events (aggregate_id, version)",
    "CREATE INDEX IF NOT EXISTS solidarity_events_year "
    "ON solidarity_events (year, member_state, occurred_at)",
    "CREATE INDEX IF NOT EXISTS solidarity_events_case ON solidarity_events (linked_case_id)",
]


class SolidarityProjection:
    tables: tuple[str, ...] = ("solidarity_events",)
    ddl = DDL

    def process(self, tx: Tx, batch: Sequence[tuple[int, Any]]) -> None:
        events = [(seq, e) for seq, e in batch if isinstance(e, SolidarityEvent)]
        if not events:
            return
        owners = self._owners(tx, {str(e.originator_id) for _, e in events
                                   if not isinstance(e, AnnualReportAdopted | AccountOpened)})
        rows = []
        for seq, event in events:
            aggregate_id = str(event.originator_id)
            if isinstance(event, AnnualReportAdopted):
                owners[aggregate_id] = (event.year, None)
            elif isinstance(event, AccountOpened):
                owners[aggregate_id] = (event.year, event.member_state)
            rows.append(_row(seq, event, *owners[aggregate_id]))
        tx.executemany(_INSERT, rows)

    def _owners(self, tx: Tx, ids: set[str]) -> dict[str, tuple[int, str | None]]:
        """(year, member state) of each aggregate, from its first row (ids never change owner)."""
        owners: dict[str, tuple[int, str | None]] = {}
        chunked = sorted(ids)
        for start in range(0, len(chunked), 500):
            chunk = chunked[start:start + 500]
            tx.execute(
                "SELECT aggregate_id, year, member_state FROM solidarity_events "
                f"WHERE version = 1 AND aggregate_id IN ({', '.join('?' for _ in chunk)})",
                chunk,
            )
            for row in tx.fetchall():
                owners[row["aggregate_id"]] = (row["year"], row["member_state"])
        return owners


def _row(seq: int, event: Any, year: int, member_state: str | None) -> tuple[Any, ...]:
    movement = event.movement()
    payload = {k: str(v) if isinstance(v, Decimal) else v for k, v in payload_of(event).items()}
    case_id = getattr(event, "case_id", None)
    return (
        seq, str(event.originator_id), event.originator_version, year, member_state,
        type(event).__name__, type(event).TOPIC, *envelope_columns(event), dumps(payload),
        movement.line if movement else None, movement.effect if movement else None,
        movement.persons if movement else 0, movement.cents if movement else 0,
        str(case_id) if case_id is not None else None,
    )
