"""Screening steps (Screening Regulation (EU) 2024/1356)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.case.guards import guard, require
from ledger.case.screening.events import (
    HealthCheckRecorded,
    IdentityChecked,
    InformationProvided,
    RepresentativeAssigned,
    ScreeningCompleted,
    ScreeningStarted,
    SecurityCheckCompleted,
    VulnerabilityCheckRecorded,
)
from ledger.case.state import CaseState
from ledger.envelope import LegalBasis, Step
from ledger.rules import define_rule
from ledger.vocabulary import ScreeningOutcome, ScreeningTrigger

if TYPE_CHECKING:
    from typing import Any

SCREENING = "Screening Regulation (EU) 2024/1356"

SCREENING_BASIS = {
    ScreeningTrigger.IRREGULAR_CROSSING.value: LegalBasis(SCREENING, "Art 5(1)(a)"),
    ScreeningTrigger.SEARCH_AND_RESCUE.value: LegalBasis(SCREENING, "Art 5(1)(b)"),
    ScreeningTrigger.BORDER_CROSSING_POINT_APPLICATION.value: LegalBasis(SCREENING, "Art 5(2)"),
    ScreeningTrigger.WITHIN_TERRITORY.value: LegalBasis(SCREENING, "Art 7"),
}

SCREENING_NOT_IN_PROGRESS = define_rule(
    "SCREENING_NOT_IN_PROGRESS", f"{SCREENING} Arts 8, 18",
    "Screening checks and the referral are recorded while screening is in progress")
REFERRAL_REQUIRES_APPLICATION = define_rule(
    "REFERRAL_REQUIRES_APPLICATION", f"{SCREENING} Art 18(1)(b)-(c)",
    "Only a person who has applied for protection is referred to registration or relocation")
RETURN_REFERRAL_AFTER_APPLICATION = define_rule(
    "RETURN_REFERRAL_AFTER_APPLICATION", f"{SCREENING} Art 18(1)(a)",
    "A person who applied for protection is referred to the asylum authorities, not to return")
RELOCATION_EXCLUDED_SECURITY = define_rule(
    "RELOCATION_EXCLUDED_SECURITY", "AMMR (EU) 2024/1351 Art 67(2)",
    "A person who may pose a security threat is excluded from relocation")
REPRESENTATIVE_FOR_MINORS = define_rule(
    "REPRESENTATIVE_FOR_MINORS", f"{SCREENING} Art 13(2); AMMR (EU) 2024/1351 Art 23(2)",
    "A representative is assigned to an unaccompanied minor")


class ScreeningSteps(CaseState):
    if TYPE_CHECKING:
        def trigger_event(self, event_class: Any, **kwargs: Any) -> None: ...

    def _screening_step(self, step: Step) -> None:
        guard(self, step)
        require(self.screening == "IN_PROGRESS", SCREENING_NOT_IN_PROGRESS,
                f"screening is {self.screening or 'not started'}")

    def start_screening(self, step: Step, trigger: str, location: str,
                        held_over_72h: bool) -> None:
        guard(self, step)
        self.trigger_event(ScreeningStarted, envelope=step.envelope(SCREENING_BASIS[trigger]),
                           trigger=trigger, location=location, held_over_72h=held_over_72h)

    def record_health_check(self, step: Step, result: str) -> None:
        self._screening_step(step)
        self.trigger_event(HealthCheckRecorded,
                           envelope=step.envelope(LegalBasis(SCREENING, "Art 12(1)-(2)")),
                           result=result)

    def record_vulnerability_check(self, step: Step, needs: tuple[str, ...]) -> None:
        self._screening_step(step)
        self.trigger_event(VulnerabilityCheckRecorded,
                           envelope=step.envelope(LegalBasis(SCREENING, "Art 12(3)")),
                           needs=needs)

    def record_identity_check(self, step: Step, method: str, established: bool) -> None:
        self._screening_step(step)
        self.trigger_event(IdentityChecked,
                           envelope=step.envelope(LegalBasis(SCREENING, "Art 14")),
                           method=method, established=established)

    def record_security_check(self, step: Step, hit: bool, databases: tuple[str, ...]) -> None:
        self._screening_step(step)
        self.trigger_event(SecurityCheckCompleted,
                           envelope=step.envelope(LegalBasis(SCREENING, "Art 15")),
                           hit=hit, databases=databases)

    def provide_information(self, step: Step, topics: tuple[str, ...], language: str) -> None:
        guard(self, step)
        self.trigger_event(InformationProvided,
                           envelope=step.envelope(LegalBasis(SCREENING, "Art 11")),
                           topics=topics, language=language)

    def assign_representative(self, step: Step, kind: str, representative_ref: str) -> None:
        guard(self, step)
        require(self.unaccompanied_minor, REPRESENTATIVE_FOR_MINORS,
                "the person is not recorded as an unaccompanied minor")
        self.trigger_event(RepresentativeAssigned,
                           envelope=step.envelope(LegalBasis(SCREENING, "Art 13(2)")),
                           kind=kind, representative_ref=representative_ref)

    def complete_screening(self, step: Step, outcome: str, form_ref: str,
                           incomplete_checks: tuple[str, ...]) -> None:
        self._screening_step(step)
        applied = self.application_made_at is not None
        if outcome == ScreeningOutcome.REFER_TO_RETURN.value:
            require(not applied, RETURN_REFERRAL_AFTER_APPLICATION)
        else:
            require(applied, REFERRAL_REQUIRES_APPLICATION, f"outcome {outcome}")
        if outcome == ScreeningOutcome.REFER_TO_RELOCATION.value:
            require(not self.security_flag, RELOCATION_EXCLUDED_SECURITY)
        self.trigger_event(ScreeningCompleted,
                           envelope=step.envelope(LegalBasis(SCREENING, "Arts 17-18")),
                           outcome=outcome, form_ref=form_ref,
                           incomplete_checks=incomplete_checks)
