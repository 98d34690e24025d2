"""The independent fundamental-rights monitoring mechanism (Screening Reg (EU) 2024/1356 Art 10;
APR Art 43(4)) on the in-memory store: allegations about the screening or the border procedure,
linked to the case; an investigation triggered once, its progress and outcome recorded; the
mechanism goes on after the case is closed."""

from __future__ import annotations

from ledger.application import Ledger
from ledger.case import commands as c
from tests.support.acting import handle
from tests.support.cases import at_border, case_of, examined, step
from tests.support.refusals import provokes, refused
from tests.support.steps import at


@provokes("MONITORING_OUT_OF_SCOPE")
def test_the_mechanism_covers_screening_and_the_border_procedure(ledger: Ledger) -> None:
    """Screening Art 10(2); APR Art 43(4)."""
    regular = examined(ledger, "M-1")  # applied at an office: no screening, no border
    refused(ledger, c.ReceiveMonitoringAllegation(regular, "NGO", "ACCESS_TO_ASYLUM", True), 5,
            "MONITORING_OUT_OF_SCOPE")
    border = at_border(ledger, "M-1b")
    step(ledger, c.ReceiveMonitoringAllegation(border, "APPLICANT", "DETENTION", True), 5)
    screened = handle(ledger, c.StartScreening("IT", "M-1c", c.Person("SY"), "SEARCH_AND_RESCUE",
                                               "Lampedusa"), at(0)).aggregate_id
    step(ledger, c.ReceiveMonitoringAllegation(screened, "NGO", "NON_REFOULEMENT", False), 1)
    assert case_of(ledger, border).allegations[0].scope == "BORDER_PROCEDURE"
    assert case_of(ledger, screened).allegations[0].scope == "SCREENING"


@provokes("NO_SUCH_ALLEGATION", "INVESTIGATION_NOT_OPEN")
def test_an_investigation_is_triggered_followed_and_closed(ledger: Ledger) -> None:
    """Art 10(2)(b): triggered once, its progress monitored; Art 10(1): closed with a referral
    where appropriate; also after the case was closed."""
    case_id = at_border(ledger, "M-2")
    refused(ledger, c.TriggerInvestigation(case_id, 1, "Garante"), 5, "NO_SUCH_ALLEGATION")
    step(ledger, c.ReceiveMonitoringAllegation(case_id, "NGO", "ACCESS_TO_ASYLUM", True), 5)
    refused(ledger, c.RecordInvestigationProgress(case_id, 1), 6, "INVESTIGATION_NOT_OPEN")
    refused(ledger, c.CloseInvestigation(case_id, 1, "NOT_ESTABLISHED"), 6,
            "INVESTIGATION_NOT_OPEN")
    step(ledger, c.TriggerInvestigation(case_id, 1, "Garante nazionale"), 6)
    refused(ledger, c.TriggerInvestigation(case_id, 1, "Procura"), 7, "INVESTIGATION_NOT_OPEN")
    step(ledger, c.RecordInvestigationProgress(case_id, 1), 20)
    step(ledger, c.CloseCase(case_id, "OTHER"), 25)
    step(ledger, c.CloseInvestigation(case_id, 1, "FAILURE_ESTABLISHED", "CRIMINAL"), 40)
    allegation = case_of(ledger, case_id).allegations[0]
    assert (allegation.state, allegation.progress_reports, allegation.outcome,
            allegation.referral) == ("CLOSED", 1, "FAILURE_ESTABLISHED", "CRIMINAL")
    refused(ledger, c.RecordInvestigationProgress(case_id, 1), 41, "INVESTIGATION_NOT_OPEN")
