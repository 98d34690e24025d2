"""The independent monitoring mechanism (Screening Reg Art 10; APR Art 43(4))."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ledger.case.event_base import CaseEvent, stable
from ledger.case.monitoring.values import Allegation
from ledger.case.phase import Phase

if TYPE_CHECKING:
    from ledger.case.state import CaseState


class MonitoringEvent(CaseEvent):
    """An event of this phase; the timeline shows it under `MONITORING`."""

    phase = Phase.MONITORING


def _update(case: CaseState, number: int, **changes: object) -> None:
    allegations = list(case.allegations)
    allegations[number - 1] = replace(allegations[number - 1], **changes)  # type: ignore[arg-type]
    case.allegations = tuple(allegations)


@stable("MonitoringAllegationReceived")
class MonitoringAllegationReceived(MonitoringEvent):
    """Screening Art 10(2)(b): an allegation, and whether it is substantiated."""

    allegation_no: int
    source: str
    concerns: str
    substantiated: bool
    scope: str

    def apply_step(self, case: CaseState) -> None:
        case.allegations = (*case.allegations, Allegation(
            allegation_no=self.allegation_no, source=self.source, concerns=self.concerns,
            substantiated=self.substantiated, scope=self.scope,
            received_at=self.envelope.occurred_at))


@stable("MonitoringInvestigationTriggered")
class MonitoringInvestigationTriggered(MonitoringEvent):
    allegation_no: int
    body: str

    def apply_step(self, case: CaseState) -> None:
        _update(case, self.allegation_no, state="INVESTIGATING", body=self.body)


@stable("MonitoringInvestigationProgressed")
class MonitoringInvestigationProgressed(MonitoringEvent):
    allegation_no: int

    def apply_step(self, case: CaseState) -> None:
        done = case.allegations[self.allegation_no - 1].progress_reports
        _update(case, self.allegation_no, progress_reports=done + 1)


@stable("MonitoringInvestigationClosed")
class MonitoringInvestigationClosed(MonitoringEvent):
    """The outcome, and a referral for civil or criminal proceedings (Art 10(1))."""

    allegation_no: int
    outcome: str
    referral: str

    def apply_step(self, case: CaseState) -> None:
        _update(case, self.allegation_no, state="CLOSED", outcome=self.outcome,
                referral=self.referral, closed_at=self.envelope.occurred_at)


#: This phase's events (each pinned to its stable topic).
EVENTS: tuple[type[MonitoringEvent], ...] = (
    MonitoringAllegationReceived,
    MonitoringInvestigationTriggered,
    MonitoringInvestigationProgressed,
    MonitoringInvestigationClosed,
)
