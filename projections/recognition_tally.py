"""Recognition rates for the command side, counted from the event store itself.

`assignProcedure` records the nationality's EU-wide recognition rate and may flag the border
procedure mandatory from it (APR Arts 42(1)(j), 45(1)): a legal value, so it must never come
from a read model that can lag or be rebuilt (issue 10, defect 3). This tally reads the case
openings and first-instance decisions from the log (by topic, so only those rows), remembers
how far it read, and reads on from there before every answer: its figure always covers every
decision recorded before the command. It counts exactly what the statistics read model counts
(`counts_in_rate`, the nationality given at opening), so the two never disagree once current.
"""

from __future__ import annotations

import threading
from collections import Counter
from decimal import Decimal

from eventsourcing.application import Application

from ledger.case.examination.events import DecisionIssued
from ledger.case.screening.events import CaseOpened
from ledger.vocabulary import DecisionType
from projections.statistics_projection import counts_in_rate
from projections.statistics_queries import RecognitionRate

_TOPICS = (CaseOpened.TOPIC, DecisionIssued.TOPIC)  # type: ignore[attr-defined]
_BATCH = 5000


class RecognitionTally:
    def __init__(self, events: Application) -> None:
        self.events = events
        self._lock = threading.Lock()
        self._position = 0
        self._nationality: dict[str, str] = {}
        self._decisions: Counter[str] = Counter()
        self._grants: Counter[str] = Counter()

    def recognition_rate(self, nationality: str) -> Decimal | None:
        """The rate over every first-instance decision recorded so far (None under the minimum
        number of decisions)."""
        with self._lock:
            self._read_on()
            return RecognitionRate(nationality, self._decisions[nationality],
                                   self._grants[nationality]).rate

    def _read_on(self) -> None:
        recorder = self.events.recorder
        while True:
            notifications = recorder.select_notifications(
                self._position, _BATCH, topics=_TOPICS, inclusive_of_start=False)
            if not notifications:
                return
            for notification in notifications:
                event = self.events.mapper.to_domain_event(notification)
                case_id = str(event.originator_id)
                if isinstance(event, CaseOpened):
                    self._nationality[case_id] = event.nationality
                elif isinstance(event, DecisionIssued):
                    kind = DecisionType(event.decision_type)
                    nationality = self._nationality.get(case_id)
                    if nationality is not None and counts_in_rate(kind):
                        self._decisions[nationality] += 1
                        self._grants[nationality] += kind.grants_protection
            self._position = notifications[-1].id
