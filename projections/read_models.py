"""Every read model's queries in one place, as the API layer receives them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from eventsourcing.application import Application

from projections.admission_queries import AdmissionQueries
from projections.db import ReadDatabase
from projections.deadline_queries import DeadlineQueries
from projections.integrity_checks import IntegrityQueries
from projections.queries import CaseQueries
from projections.solidarity_queries import SolidarityQueries
from projections.statistics_queries import StatisticsQueries
from projections.time_travel import CaseHistory


@dataclass(frozen=True)
class ReadModels:
    cases: CaseQueries
    deadlines: DeadlineQueries
    solidarity: SolidarityQueries
    statistics: StatisticsQueries
    integrity: IntegrityQueries
    history: CaseHistory | None
    admissions: AdmissionQueries

    @classmethod
    def over(cls, db: ReadDatabase, clock: Callable[[], datetime] | None = None,
             border_capacities: Mapping[str, int] | None = None,
             events: Application | None = None, helpers: int | None = None) -> ReadModels:
        """`clock` gives "now" where a read model depends on it (breached deadlines);
        `events` is the event store that verification reads back, with at most `helpers`
        worker processes (None: `parallel_hashing.WORKERS`)."""
        return cls(cases=CaseQueries(db), deadlines=DeadlineQueries(db, clock),
                   statistics=StatisticsQueries(db, border_capacities),
                   solidarity=SolidarityQueries(db),
                   integrity=IntegrityQueries(db, events, helpers),
                   history=CaseHistory(events) if events is not None else None,
                   admissions=AdmissionQueries(db, clock))
