"""The `Case` aggregate: one person's application for protection in one member state.

Command methods check the rules (each refusal names its article, see `ledger.rules`) and then
trigger an event; the events in `ledger.case_events` change the state. Rules live here, in the
undecorated command methods, so that a rule may change without changing how stored events replay.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from ledger import case_events as ev
from ledger import rules
from ledger.case_state import CaseState
from ledger.envelope import LegalBasis, Step
from ledger.errors import RuleViolation
from ledger.vocabulary import (
    AppealOutcome,
    CaseStatus,
    ClosureReason,
    DecisionType,
    Procedure,
    ScreeningOutcome,
    ScreeningTrigger,
)

_CASE_NAMESPACE = uuid5(NAMESPACE_URL, "https://pact-ledger.eu/case")

#: Clock skew tolerated between a caller's clock and the ledger's before a time counts as future.
CLOCK_SKEW = timedelta(minutes=2)

APR = "APR (EU) 2024/1348"
SCREENING = "Screening Regulation (EU) 2024/1356"

SCREENING_BASIS = {
    ScreeningTrigger.IRREGULAR_CROSSING.value: LegalBasis(SCREENING, "Art 5(1)(a)"),
    ScreeningTrigger.SEARCH_AND_RESCUE.value: LegalBasis(SCREENING, "Art 5(1)(b)"),
    ScreeningTrigger.BORDER_CROSSING_POINT_APPLICATION.value: LegalBasis(SCREENING, "Art 5(2)"),
    ScreeningTrigger.WITHIN_TERRITORY.value: LegalBasis(SCREENING, "Art 7"),
}
PROCEDURE_BASIS = {
    Procedure.ADMISSIBILITY.value: LegalBasis(APR, "Art 38"),
    Procedure.ACCELERATED.value: LegalBasis(APR, "Art 42"),
    Procedure.BORDER.value: LegalBasis(APR, "Art 44"),
    Procedure.REGULAR.value: LegalBasis(APR, "Art 35(4)"),
}
CLOSURE_BASIS = {
    ClosureReason.PROTECTION_GRANTED.value: LegalBasis(
        "Qualification Regulation (EU) 2024/1347", "Art 24"
    ),
    ClosureReason.RETURNED.value: LegalBasis("Return Directive 2008/115/EC", "Art 8"),
    ClosureReason.TRANSFERRED.value: LegalBasis("AMMR (EU) 2024/1351", "Art 46"),
    ClosureReason.WITHDRAWN.value: LegalBasis(APR, "Art 40"),
    ClosureReason.DECEASED.value: LegalBasis("Pact Ledger", "record closed on death"),
    ClosureReason.OTHER.value: LegalBasis("Pact Ledger", "record closed, reason in evidence"),
}


class Case(CaseState, Aggregate):
    TOPIC = "pact-ledger:case.Case"

    class Created(Aggregate.Created):
        """Never triggered (cases open with `CaseOpened`); the library wants it to have a topic."""

        TOPIC = "pact-ledger:case.Case.Created"

    @staticmethod
    def create_id(member_state: str, national_reference: str) -> UUID:  # type: ignore[override]
        """Deterministic: the same national case in the same member state is always one case."""
        return uuid5(_CASE_NAMESPACE, f"{member_state}/{national_reference}")

    @classmethod
    def open(
        cls,
        step: Step,
        basis: LegalBasis,
        member_state: str,
        national_reference: str,
        nationality: str,
        date_of_birth: date | None,
        unaccompanied_minor: bool,
        family_name: str | None,
        given_names: str | None,
    ) -> Case:
        _check_time(step, last=None)
        return cls._create(
            ev.CaseOpened,
            id=cls.create_id(member_state, national_reference),
            envelope=step.envelope(basis),
            member_state=member_state,
            national_reference=national_reference,
            nationality=nationality,
            date_of_birth=date_of_birth,
            unaccompanied_minor=unaccompanied_minor,
            family_name=family_name,
            given_names=given_names,
        )

    # --- screening --------------------------------------------------------------------------
    def start_screening(self, step: Step, trigger: str, location: str) -> None:
        self._guard(step)
        self.trigger_event(
            ev.ScreeningStarted,
            envelope=step.envelope(SCREENING_BASIS[trigger]),
            trigger=trigger,
            location=location,
        )

    def complete_screening(
        self, step: Step, outcome: str, form_ref: str, incomplete_checks: tuple[str, ...]
    ) -> None:
        self._guard(step)
        if self.screening != "IN_PROGRESS":
            raise RuleViolation(rules.SCREENING_NOT_IN_PROGRESS)
        if outcome != ScreeningOutcome.REFER_TO_RETURN.value and self.application_made_at is None:
            raise RuleViolation(rules.REFERRAL_REQUIRES_APPLICATION, f"outcome {outcome}")
        self.trigger_event(
            ev.ScreeningCompleted,
            envelope=step.envelope(LegalBasis(SCREENING, "Art 18")),
            outcome=outcome,
            form_ref=form_ref,
            incomplete_checks=incomplete_checks,
        )

    # --- access to the procedure -------------------------------------------------------------
    def make_application(self, step: Step, place: str) -> None:
        self._guard(step)
        if self.application_made_at is not None:
            raise RuleViolation(rules.APPLICATION_ALREADY_MADE)
        self.trigger_event(
            ev.ApplicationMade, envelope=step.envelope(LegalBasis(APR, "Art 26")), place=place
        )

    def register_application(self, step: Step) -> None:
        self._guard(step)
        if self.status is not CaseStatus.APPLICATION_MADE:
            raise RuleViolation(rules.REGISTRATION_REQUIRES_APPLICATION, _status(self))
        if self.screening == "IN_PROGRESS":
            raise RuleViolation(rules.SCREENING_IN_PROGRESS)
        self.trigger_event(
            ev.ApplicationRegistered, envelope=step.envelope(LegalBasis(APR, "Art 27(1)"))
        )

    def lodge_application(self, step: Step) -> None:
        self._guard(step)
        border_before_lodging = (
            self.status is CaseStatus.UNDER_EXAMINATION and self.lodged_at is None
        )
        if self.status is not CaseStatus.REGISTERED and not border_before_lodging:
            raise RuleViolation(rules.LODGING_REQUIRES_REGISTRATION, _status(self))
        self.trigger_event(
            ev.ApplicationLodged, envelope=step.envelope(LegalBasis(APR, "Art 28(1)"))
        )

    # --- examination ------------------------------------------------------------------------
    def assign_procedure(self, step: Step, procedure: str, grounds: tuple[str, ...]) -> None:
        self._guard(step)
        if self.status is CaseStatus.UNDER_EXAMINATION and self.standing_decision_no is None:
            raise RuleViolation(rules.PROCEDURE_ALREADY_ASSIGNED, f"procedure {self.procedure}")
        allowed = {CaseStatus.LODGED}
        if procedure == Procedure.BORDER.value:
            allowed.add(CaseStatus.REGISTERED)  # APR Art 51(2): runs from registration
        if self.status not in allowed:
            raise RuleViolation(rules.PROCEDURE_REQUIRES_LODGING, _status(self))
        self.trigger_event(
            ev.ProcedureAssigned,
            envelope=step.envelope(PROCEDURE_BASIS[procedure]),
            procedure=procedure,
            grounds=grounds,
        )

    def issue_decision(
        self, step: Step, decision_type: str, ground: str, notified_at: datetime | None
    ) -> None:
        self._guard(step)
        kind = DecisionType(decision_type)
        if self.standing_decision_no is not None:
            raise RuleViolation(rules.DECISION_ALREADY_ISSUED, _status(self))
        if kind in (DecisionType.IMPLICITLY_WITHDRAWN, DecisionType.EXPLICITLY_WITHDRAWN):
            if self.registered_at is None:
                raise RuleViolation(rules.WITHDRAWAL_REQUIRES_REGISTRATION, _status(self))
        elif self.status is not CaseStatus.UNDER_EXAMINATION or self.lodged_at is None:
            raise RuleViolation(rules.DECISION_REQUIRES_EXAMINATION, _status(self))
        if notified_at is not None and notified_at < step.occurred_at:
            raise RuleViolation(
                rules.OCCURRED_BEFORE_PREVIOUS_STEP, "notified before the decision was taken"
            )
        self.trigger_event(
            ev.DecisionIssued,
            envelope=step.envelope(LegalBasis(APR, "Art 35")),
            decision_no=len(self.decisions) + 1,
            decision_type=decision_type,
            ground=ground,
            notified_at=notified_at,
        )

    # --- remedies ---------------------------------------------------------------------------
    def lodge_appeal(self, step: Step, appeal_body: str, suspensive: bool) -> None:
        self._guard(step)
        if self.pending_appeal_no is not None:
            raise RuleViolation(rules.APPEAL_ALREADY_PENDING, f"appeal {self.pending_appeal_no}")
        decision = self.standing_decision
        if decision is None:
            raise RuleViolation(rules.APPEAL_REQUIRES_DECISION, _status(self))
        if not DecisionType(decision["decision_type"]).is_appealable or decision["by_court"]:
            raise RuleViolation(rules.DECISION_NOT_APPEALABLE, decision["decision_type"])
        if decision["notified_at"] is None:
            raise RuleViolation(rules.DECISION_NOT_NOTIFIED)
        self.trigger_event(
            ev.AppealLodged,
            envelope=step.envelope(LegalBasis(APR, "Art 67")),
            appeal_no=len(self.appeals) + 1,
            decision_no=decision["decision_no"],
            appeal_body=appeal_body,
            suspensive=suspensive,
        )

    def decide_appeal(
        self, step: Step, outcome: str, substituted_decision_type: str | None
    ) -> None:
        self._guard(step)
        if self.pending_appeal_no is None:
            raise RuleViolation(rules.NO_APPEAL_PENDING)
        overturned = outcome == AppealOutcome.OVERTURNED.value
        if overturned and substituted_decision_type is None:
            raise RuleViolation(rules.SUBSTITUTED_DECISION_REQUIRED)
        self.trigger_event(
            ev.AppealDecided,
            envelope=step.envelope(LegalBasis(APR, "Art 67")),
            appeal_no=self.pending_appeal_no,
            outcome=outcome,
            decision_no=len(self.decisions) + 1 if overturned else None,
            substituted_decision_type=substituted_decision_type if overturned else None,
        )

    # --- return -----------------------------------------------------------------------------
    def issue_return_decision(self, step: Step, voluntary_departure_days: int | None) -> None:
        self._guard(step)
        decision = self.standing_decision
        rejected = decision is not None and DecisionType(decision["decision_type"]).is_rejection
        if not rejected and self.status is not CaseStatus.REFERRED_TO_RETURN:
            raise RuleViolation(rules.RETURN_REQUIRES_REJECTION, _status(self))
        if self.return_decision_issued:
            raise RuleViolation(rules.RETURN_DECISION_ALREADY_ISSUED)
        basis = (
            LegalBasis(APR, "Art 37")
            if rejected
            else LegalBasis("Return Directive 2008/115/EC", "Art 6")
        )
        self.trigger_event(
            ev.ReturnDecisionIssued,
            envelope=step.envelope(basis),
            joint_with_decision_no=decision["decision_no"] if rejected and decision else None,
            voluntary_departure_days=voluntary_departure_days,
        )

    # --- closure ----------------------------------------------------------------------------
    def close(self, step: Step, reason: str) -> None:
        self._guard(step)
        decision = self.standing_decision
        if reason == ClosureReason.PROTECTION_GRANTED.value and not (
            decision and DecisionType(decision["decision_type"]).grants_protection
        ):
            raise RuleViolation(rules.CLOSURE_REASON_NOT_MET, "no decision granting protection")
        if reason == ClosureReason.RETURNED.value and not self.return_decision_issued:
            raise RuleViolation(rules.CLOSURE_REASON_NOT_MET, "no return decision issued")
        self.trigger_event(
            ev.CaseClosed, envelope=step.envelope(CLOSURE_BASIS[reason]), reason=reason
        )

    # --- shared guards ----------------------------------------------------------------------
    def _guard(self, step: Step) -> None:
        if self.status is CaseStatus.CLOSED:
            raise RuleViolation(rules.CASE_CLOSED, f"closed: {self.closed_reason}")
        _check_time(step, last=self.last_occurred_at)


def _check_time(step: Step, last: datetime | None) -> None:
    """Legal time is the caller's to state, within what is possible (see `ledger.rules`)."""
    if step.occurred_at > step.now + CLOCK_SKEW:
        raise RuleViolation(
            rules.OCCURRED_IN_FUTURE, f"occurred at {step.occurred_at:%Y-%m-%d %H:%M}"
        )
    if last is not None and step.occurred_at < last:
        raise RuleViolation(
            rules.OCCURRED_BEFORE_PREVIOUS_STEP,
            f"{step.occurred_at:%Y-%m-%d %H:%M} is before {last:%Y-%m-%d %H:%M}",
        )


def _status(case: Case) -> str:
    return f"case status is {case.status.value}"
