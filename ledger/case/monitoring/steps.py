"""The independent fundamental-rights monitoring mechanism (Screening Regulation (EU) 2024/1356
Art 10; extended to the border procedure by APR (EU) 2024/1348 Art 43(4)).

Allegations are linked to the case they concern; the mechanism deals with substantiated ones
without undue delay (a service-level target, `MONITORING_ALLEGATION` in the deadline catalogue,
since the law sets no number), triggers investigations and monitors their progress. It goes on
after a case is closed: an allegation about a past screening is still dealt with, so these steps
check legal time but not that the case is open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.case.guards import check_time, require
from ledger.case.monitoring.events import (
    MonitoringAllegationReceived,
    MonitoringInvestigationClosed,
    MonitoringInvestigationProgressed,
    MonitoringInvestigationTriggered,
)
from ledger.case.monitoring.values import Allegation
from ledger.case.state import CaseState
from ledger.envelope import LegalBasis, Step
from ledger.rules import define_rule
from ledger.vocabulary import Procedure

if TYPE_CHECKING:
    from typing import Any

SCREENING = "Screening Regulation (EU) 2024/1356"
APR = "APR (EU) 2024/1348"

MONITORING_OUT_OF_SCOPE = define_rule(
    "MONITORING_OUT_OF_SCOPE", f"{SCREENING} Art 10(2); {APR} Art 43(4)",
    "The monitoring mechanism covers the screening and the border procedure: this case had "
    "neither")
NO_SUCH_ALLEGATION = define_rule(
    "NO_SUCH_ALLEGATION", f"{SCREENING} Art 10(2)(b)",
    "The case has no allegation with that number")
INVESTIGATION_NOT_OPEN = define_rule(
    "INVESTIGATION_NOT_OPEN", f"{SCREENING} Art 10(2)(b)",
    "An investigation is triggered once per allegation; progress and outcome are recorded "
    "while it runs")


class MonitoringSteps(CaseState):
    if TYPE_CHECKING:
        def trigger_event(self, event_class: Any, **kwargs: Any) -> None: ...

    def _allegation(self, number: int) -> Allegation:
        require(1 <= number <= len(self.allegations), NO_SUCH_ALLEGATION, f"no {number}")
        return self.allegations[number - 1]

    def receive_monitoring_allegation(self, step: Step, source: str, concerns: str,
                                      substantiated: bool) -> None:
        check_time(step, self.last_occurred_at)
        screened = self.screening is not None
        border = self.procedure == Procedure.BORDER.value
        require(screened or border, MONITORING_OUT_OF_SCOPE)
        scope, basis = (("BORDER_PROCEDURE", LegalBasis(APR, "Art 43(4)")) if border
                        else ("SCREENING", LegalBasis(SCREENING, "Art 10(2)")))
        self.trigger_event(MonitoringAllegationReceived, envelope=step.envelope(basis),
                           allegation_no=len(self.allegations) + 1, source=source,
                           concerns=concerns, substantiated=substantiated, scope=scope)

    def trigger_investigation(self, step: Step, allegation_no: int, body: str) -> None:
        check_time(step, self.last_occurred_at)
        allegation = self._allegation(allegation_no)
        require(allegation.state == "RECEIVED", INVESTIGATION_NOT_OPEN,
                f"it is {allegation.state}")
        self.trigger_event(MonitoringInvestigationTriggered,
                           envelope=step.envelope(LegalBasis(SCREENING, "Art 10(2)(b)")),
                           allegation_no=allegation_no, body=body)

    def record_investigation_progress(self, step: Step, allegation_no: int) -> None:
        check_time(step, self.last_occurred_at)
        allegation = self._allegation(allegation_no)
        require(allegation.state == "INVESTIGATING", INVESTIGATION_NOT_OPEN,
                f"it is {allegation.state}")
        self.trigger_event(MonitoringInvestigationProgressed,
                           envelope=step.envelope(LegalBasis(SCREENING, "Art 10(2)(b)")),
                           allegation_no=allegation_no)

    def close_investigation(self, step: Step, allegation_no: int, outcome: str,
                            referral: str) -> None:
        check_time(step, self.last_occurred_at)
        allegation = self._allegation(allegation_no)
        require(allegation.state == "INVESTIGATING", INVESTIGATION_NOT_OPEN,
                f"it is {allegation.state}")
        self.trigger_event(MonitoringInvestigationClosed,
                           envelope=step.envelope(LegalBasis(SCREENING, "Art 10(1)-(2)")),
                           allegation_no=allegation_no, outcome=outcome, referral=referral)
