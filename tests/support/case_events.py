"""Real case event objects for pure tests of the deadline engine: one case's story, built in
order, with consecutive versions and log positions and both times (legal and recorded)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

from ledger.case.events import CASE_EVENT_TYPES
from ledger.deadlines.engine import DeadlineTracker, DerogationsAt, no_derogations
from ledger.envelope import Actor, Envelope, LegalBasis

ACTOR = Actor("it-cw-01", "CASE_WORKER", "IT Ministry of the Interior", "IT")

#: A Monday, so that working-day arithmetic is easy to read.
T = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

#: Payload defaults per event type; a test names only the fields it is about.
DEFAULTS: dict[str, dict[str, Any]] = {
    "CaseOpened": dict(member_state="IT", national_reference="R-1", nationality="SY",
                       unaccompanied_minor=False, person_id="person-1", personal_data=None),
    "ApplicationRegistered": dict(biometrics_due=True),
    "ScreeningStarted": dict(trigger="SEARCH_AND_RESCUE", location="Lampedusa",
                             held_over_72h=False),
    "ScreeningCompleted": dict(outcome="REFER_TO_REGISTRATION", form_ref="SF-1",
                               incomplete_checks=()),
    "RepresentativeAssigned": dict(kind="PROVISIONAL", representative_ref="REP-1"),
    "ApplicationMade": dict(place="Lampedusa"),
    "SubsequentApplicationMade": dict(new_elements=True),
    "EurodacTransmitted": dict(reference="EU-1", category="APPLICANT",
                               retention_until=date(2036, 1, 5)),
    "EurodacHitReceived": dict(category="IRREGULAR_CROSSING", origin_member_state="EL",
                               hit_ref="HIT-1"),
    "TakeChargeRequested": dict(requested_member_state="EL", criterion="Art 33",
                                hit_based=False),
    "TakeChargeRefused": dict(reason="not responsible"),
    "TakeBackNotified": dict(notified_member_state="EL", hit_ref="HIT-1"),
    "TakeBackContested": dict(reason="not responsible"),
    "TakeChargeDeemedAccepted": dict(effective_at=None),
    "TakeBackDeemedConfirmed": dict(effective_at=None),
    "TransferDecisionIssued": dict(to_member_state="EL"),
    "TransferAppealLodged": dict(court="Tribunale di Roma", suspension_requested=False),
    "TransferSuspensionDecided": dict(suspended=True),
    "TransferAppealDecided": dict(annulled=False),
    "ResponsibilityEstablished": dict(basis="Art 16"),
    "ResponsibilityShifted": dict(cause="TRANSFER_TIME_LIMIT_EXPIRED"),
    "ProcedureAssigned": dict(procedure="REGULAR", grounds=(), recognition_rate=None,
                              border_mandatory=False),
    "ExaminationExtended": dict(reason="complexity", days=30, months=0),
    "DecisionIssued": dict(decision_no=1, decision_type="UNFOUNDED", ground="APR Art 39",
                           notified_at=None, return_exception=None),
    "DecisionNotified": dict(decision_no=1),
    "AppealLodged": dict(appeal_no=1, decision_no=1, appeal_body="Tribunale", suspensive=True),
    "AppealDecided": dict(appeal_no=1, outcome="REMITTED", decision_no=None,
                          substituted_decision_type=None),
    "DecisionFinal": dict(decision_no=1),
    "RightToRemainEnded": dict(reason="final rejection"),
    "ReturnDecisionIssued": dict(joint_with_decision_no=1, voluntary_departure_days=None),
    "VoluntaryDepartureGranted": dict(days=15),
    "Returned": dict(destination="BD"),
    "RelocationSelected": dict(relocation_member_state="PT"),
    "RelocationCancelled": dict(reason="refused"),
    "CaseClosed": dict(reason="OTHER"),
    "DetentionOrdered": dict(ground="IDENTITY", ordered_by="ADMINISTRATIVE", order_ref="DO-1",
                             minor_exception=False, exceptional_situation=False),
    "DetentionReviewed": dict(lawful=True),
    "DetentionEnded": dict(reason="GROUND_CEASED"),
    "SpecialReceptionNeedsAssessed": dict(needs=()),
    "AgeAssessmentInitiated": dict(method="MULTIDISCIPLINARY", unaccompanied=True),
    "AgeAssessed": dict(result="ADULT"),
    # issue 11 part 5 (p5b)
    "ArrivedByTransfer": dict(from_member_state="EL"),
    "LegalCounsellingInformed": dict(language="ar"),
    "MonitoringAllegationReceived": dict(allegation_no=1, source="NGO",
                                         concerns="ACCESS_TO_ASYLUM", substantiated=True,
                                         scope="SCREENING"),
    "MonitoringInvestigationTriggered": dict(allegation_no=1, body="Garante"),
    "MonitoringInvestigationClosed": dict(allegation_no=1, outcome="NOT_ESTABLISHED",
                                          referral="NONE"),
    "PersonInformedOfWithdrawal": dict(language="ar"),
    "ProtectionWithdrawn": dict(ground="CESSATION_CIRCUMSTANCES"),
}


class Story:
    """One case's events in order. `add` returns the event; positions count from 1."""

    def __init__(self, case_id: UUID | None = None) -> None:
        self.case_id = case_id or uuid4()
        self.events: list[Any] = []

    def add(self, name: str, at: datetime, recorded: datetime | None = None,
            **payload: Any) -> Any:
        kwargs: dict[str, Any] = {
            "originator_id": self.case_id,
            "originator_version": len(self.events) + 1,
            "timestamp": recorded or at,
            "envelope": Envelope(at, ACTOR, (LegalBasis("Test", "Art 1"),), "cmd", "cmd",
                                 "cmd"),
            **DEFAULTS.get(name, {}),
            **payload,
        }
        if name == "CaseOpened":
            kwargs["originator_topic"] = "pact-ledger:case.Case"
        event = CASE_EVENT_TYPES[name](**kwargs)
        self.events.append(event)
        return event

    def track(self, derogations_at: DerogationsAt = no_derogations) -> DeadlineTracker:
        tracker = DeadlineTracker(derogations_at)
        for position, event in enumerate(self.events, start=1):
            tracker.observe(event, position)
        return tracker


def opened(at: datetime = T, **person: Any) -> Story:
    story = Story()
    story.add("CaseOpened", at, **person)
    return story
