"""Access to the procedure (APR (EU) 2024/1348 Arts 26-28, 55)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.case.access_to_procedure.events import (
    ApplicationLodged,
    ApplicationMade,
    ApplicationRegistered,
    SubsequentApplicationMade,
)
from ledger.case.guards import guard, require, status_of
from ledger.case.state import CaseState
from ledger.envelope import LegalBasis, Step
from ledger.rules import define_rule
from ledger.vocabulary import CaseStatus, Procedure

if TYPE_CHECKING:
    from typing import Any

APR = "APR (EU) 2024/1348"

APPLICATION_ALREADY_MADE = define_rule(
    "APPLICATION_ALREADY_MADE", f"{APR} Art 55",
    "An application was already made in this case; a further one is a subsequent application")
REGISTRATION_REQUIRES_APPLICATION = define_rule(
    "REGISTRATION_REQUIRES_APPLICATION", f"{APR} Art 27(1)",
    "Only an application that has been made can be registered, and only once")
SCREENING_IN_PROGRESS = define_rule(
    "SCREENING_IN_PROGRESS", "Screening Regulation (EU) 2024/1356 Art 18(1)(b)",
    "The applicant is referred to registration only when screening ends")
LODGING_REQUIRES_REGISTRATION = define_rule(
    "LODGING_REQUIRES_REGISTRATION", f"{APR} Art 28(1)",
    "An application is lodged after it has been registered, and only once")
SUBSEQUENT_REQUIRES_FINAL_DECISION = define_rule(
    "SUBSEQUENT_REQUIRES_FINAL_DECISION", f"{APR} Art 55(1)",
    "A subsequent application follows a final decision on a previous application")


class AccessToProcedureSteps(CaseState):
    if TYPE_CHECKING:
        def trigger_event(self, event_class: Any, **kwargs: Any) -> None: ...

    def make_application(self, step: Step, place: str) -> None:
        guard(self, step)
        require(self.application_made_at is None, APPLICATION_ALREADY_MADE)
        self.trigger_event(ApplicationMade, envelope=step.envelope(LegalBasis(APR, "Art 26")),
                           place=place)

    def register_application(self, step: Step) -> None:
        guard(self, step)
        require(self.registered_at is None and self.application_made_at is not None,
                REGISTRATION_REQUIRES_APPLICATION, status_of(self))
        require(self.screening != "IN_PROGRESS", SCREENING_IN_PROGRESS)
        self.trigger_event(ApplicationRegistered,
                           envelope=step.envelope(LegalBasis(APR, "Art 27(1)")))

    def lodge_application(self, step: Step) -> None:
        guard(self, step)
        # The border procedure runs from registration (APR Art 51(2)); if entry is authorised
        # before lodging, the application is lodged in the procedure that follows.
        border_before_lodging = (self.status is CaseStatus.UNDER_EXAMINATION
                                 and (self.procedure == Procedure.BORDER.value
                                      or bool(self.flags.get("entry_authorised"))))
        require(self.lodged_at is None and self.registered_at is not None
                and (self.status is CaseStatus.REGISTERED or border_before_lodging),
                LODGING_REQUIRES_REGISTRATION, status_of(self))
        self.trigger_event(ApplicationLodged,
                           envelope=step.envelope(LegalBasis(APR, "Art 28(1)")))

    def make_subsequent_application(self, step: Step, new_elements: bool) -> None:
        guard(self, step)
        require(self.decision_final and not self.protected, SUBSEQUENT_REQUIRES_FINAL_DECISION,
                status_of(self))
        self.trigger_event(SubsequentApplicationMade,
                           envelope=step.envelope(LegalBasis(APR, "Art 55")),
                           new_elements=new_elements)
