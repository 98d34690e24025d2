"""Recognition rates per nationality and border-procedure load per member state."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from projections.db import ReadDatabase
from projections.encoding import loads

#: Fewer first-instance decisions than this give no rate: a handful of cases is not a rate.
MIN_DECISIONS = 10

#: Statuses in which a border-procedure case occupies a place (APR Art 47 "at any moment").
_OCCUPYING = ("REGISTERED", "LODGED", "UNDER_EXAMINATION", "DECIDED", "APPEAL_PENDING",
              "TRANSFER_PENDING")


@dataclass(frozen=True)
class RecognitionRate:
    nationality: str
    decisions: int
    grants: int

    @property
    def rate(self) -> Decimal | None:
        if self.decisions < MIN_DECISIONS:
            return None
        return (Decimal(self.grants) / Decimal(self.decisions)).quantize(
            Decimal("0.0001"), rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True)
class ReferenceRates:
    source: str
    reference_year: int
    version: str
    confirmed: bool
    note: str
    rates: dict[str, Decimal]


@dataclass(frozen=True)
class BorderLoad:
    member_state: str
    in_procedure: int
    assigned_this_year: int


class StatisticsQueries:
    def __init__(self, db: ReadDatabase, capacities: Mapping[str, int] | None = None) -> None:
        self.db = db
        #: Adequate border-procedure capacity per member state (configuration, APR Art 47).
        self.capacities = dict(capacities or {})

    def recognition_rates(self, year: int | None = None,
                          nationality: str | None = None) -> list[RecognitionRate]:
        sql = ("SELECT nationality, SUM(decisions) AS decisions, SUM(grants) AS grants "
               "FROM decision_stats")
        clauses: list[str] = []
        params: list[Any] = []
        if year is not None:
            clauses.append("year = ?")
            params.append(year)
        if nationality is not None:
            clauses.append("nationality = ?")
            params.append(nationality)
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += " GROUP BY nationality ORDER BY nationality"
        return [RecognitionRate(r["nationality"], int(r["decisions"]), int(r["grants"]))
                for r in self.db.fetchall(sql, params)]

    def recognition_rate(self, nationality: str) -> Decimal | None:
        """The ledger's own rate over all first-instance decisions it holds (for comparison:
        the law's rate is the published one, `reference_rates`)."""
        rates = self.recognition_rates(nationality=nationality)
        return rates[0].rate if rates else None

    def reference_rates(self) -> ReferenceRates | None:
        """The latest published figures loaded (latest reference year, last loaded)."""
        row = self.db.fetchone("SELECT * FROM recognition_reference "
                               "ORDER BY reference_year DESC, loaded_position DESC LIMIT 1", ())
        if row is None:
            return None
        return ReferenceRates(
            source=row["source"], reference_year=int(row["reference_year"]),
            version=row["version"], confirmed=bool(row["confirmed"]), note=row["note"],
            rates={n: Decimal(rate) for n, rate, _, _ in loads(row["figures"])})

    def border_load(self, year: int) -> list[BorderLoad]:
        marks = ", ".join("?" for _ in _OCCUPYING)
        current = {r["member_state"]: int(r["n"]) for r in self.db.fetchall(
            "SELECT member_state, COUNT(*) AS n FROM case_list WHERE procedure = 'BORDER' "
            f"AND right_to_remain_ended = 0 AND status IN ({marks}) GROUP BY member_state",
            _OCCUPYING)}
        assigned = {r["member_state"]: int(r["assignments"]) for r in self.db.fetchall(
            "SELECT member_state, assignments FROM border_assignments WHERE year = ?", (year,))}
        return [BorderLoad(ms, current.get(ms, 0), assigned.get(ms, 0))
                for ms in sorted(set(current) | set(assigned))]
