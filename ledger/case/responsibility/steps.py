"""Responsibility steps (AMMR (EU) 2024/1351 Arts 16, 35-46): take charge, take back,
transfer, and responsibility established here or shifted here."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from ledger.case.guards import guard, require, status_of
from ledger.case.responsibility import suspension
from ledger.case.responsibility.events import (
    ArrivedByTransfer,
    ResponsibilityEstablished,
    ResponsibilityShifted,
    TakeBackConfirmed,
    TakeBackContested,
    TakeBackDeemedConfirmed,
    TakeBackNotified,
    TakeChargeAccepted,
    TakeChargeDeemedAccepted,
    TakeChargeRefused,
    TakeChargeRequested,
    TransferAppealDecided,
    TransferAppealLodged,
    TransferDecisionIssued,
    TransferExecuted,
    TransferSuspendedByLaw,
    TransferSuspensionDecided,
    TransferSuspensionRequested,
)
from ledger.case.responsibility.suspension import SuspensiveEffect
from ledger.case.state import CaseState
from ledger.deadlines.catalogue import calendar_state, derogations_for, version_for
from ledger.deadlines.periods import due as period_due
from ledger.envelope import LegalBasis, Step
from ledger.errors import RuleViolation
from ledger.rules import define_rule
from ledger.vocabulary import ResponsibilityCause

if TYPE_CHECKING:
    from typing import Any

AMMR = "AMMR (EU) 2024/1351"
APR_ACT = "APR (EU) 2024/1348"

RESPONSIBILITY_NEEDS_REGISTRATION = define_rule(
    "RESPONSIBILITY_NEEDS_REGISTRATION", f"{AMMR} Art 39(1)",
    "The responsibility procedure starts once the application is registered")
RESPONSIBILITY_PROCEDURE_RUNNING = define_rule(
    "RESPONSIBILITY_PROCEDURE_RUNNING", f"{AMMR} Arts 39-41",
    "Responsibility is already being determined or has been settled for this case")
REQUEST_TO_SELF = define_rule(
    "REQUEST_TO_SELF", f"{AMMR} Arts 39(1), 41(1)",
    "A request or notification goes to another member state")
NO_REQUEST_PENDING = define_rule(
    "NO_REQUEST_PENDING", f"{AMMR} Arts 40-41",
    "There is no pending take charge request or take back notification of that kind")
REPLY_PERIOD_RUNNING = define_rule(
    "REPLY_PERIOD_RUNNING", f"{AMMR} Arts 40, 41(2)",
    "Silence counts as acceptance only once the reply period has passed")
NO_TRANSFER_PENDING = define_rule(
    "NO_TRANSFER_PENDING", f"{AMMR} Arts 42, 46",
    "No accepted request or confirmed notification awaits a transfer decision or transfer")
TRANSFER_PERIOD_EXPIRED = define_rule(
    "TRANSFER_PERIOD_EXPIRED", f"{AMMR} Arts 37(1), 46(1)",
    "The transfer time limit has passed; responsibility has shifted to this member state")
OFFSET_MODE_REQUIRED = define_rule(
    "OFFSET_MODE_REQUIRED", f"{AMMR} Art 63",
    "A responsibility offset states whether it was requested, voluntary or mandatory, and only "
    "an offset does")
TRANSFER_APPEAL_NEEDS_DECISION = define_rule(
    "TRANSFER_APPEAL_NEEDS_DECISION", f"{AMMR} Art 43(1)",
    "An appeal lies against a transfer decision notified to the person")
TRANSFER_APPEAL_PENDING = define_rule(
    "TRANSFER_APPEAL_PENDING", f"{AMMR} Art 43(1)",
    "An appeal against the transfer decision is already pending")
TRANSFER_APPEAL_LATE = define_rule(
    "TRANSFER_APPEAL_LATE", f"{AMMR} Art 43(2)",
    "The period to appeal against the transfer decision has passed (1 to 3 weeks from "
    "notification, as the member state sets it)")
NO_SUSPENSION_REQUESTED = define_rule(
    "NO_SUSPENSION_REQUESTED", f"{AMMR} Art 43(3)",
    "No request to suspend the transfer awaits the court's decision")
NO_TRANSFER_APPEAL_PENDING = define_rule(
    "NO_TRANSFER_APPEAL_PENDING", f"{AMMR} Art 43",
    "No appeal against the transfer decision is pending")
TRANSFER_SUSPENDED = define_rule(
    "TRANSFER_SUSPENDED", f"{AMMR} Art 43(3)",
    "No transfer while the court suspends it, or (unconfirmed) before it decides a request to "
    "suspend it")
#: Art 43(3): no transfer before the first request to suspend it is decided (unconfirmed in our
#: sources, pact-rules-procedures §4.9; IE ss.140-141 has it nationally): a parameter. With it
#: False, a member state without an option in `suspension.SUSPENSIVE_EFFECT_BY_STATE` is read as
#: ON_REQUEST.
NO_TRANSFER_WHILE_SUSPENSION_REQUESTED = True
SUSPENSION_REQUEST_NOT_OPEN = define_rule(
    "SUSPENSION_REQUEST_NOT_OPEN", f"{AMMR} Art 43(3)",
    "A request to suspend the transfer is made once, while an appeal against the transfer "
    "decision is pending and the appeal does not already suspend it")
SUSPENSION_REQUEST_LATE = define_rule(
    "SUSPENSION_REQUEST_LATE", f"{AMMR} Art 43(3)",
    "A request to suspend the transfer is made no later than the period to appeal (Art 43(2))")
ARRIVAL_BY_TRANSFER_TOO_LATE = define_rule(
    "ARRIVAL_BY_TRANSFER_TOO_LATE", f"{APR_ACT} Art 51(2)",
    "An arrival by an AMMR transfer is recorded once, before the procedure is assigned (it "
    "decides the length of a border procedure)")
SECURITY_GROUND_NOT_RECORDED = define_rule(
    "SECURITY_GROUND_NOT_RECORDED", f"{AMMR} Art 16(4)",
    "Responsibility on security grounds needs the ground on record (a security flag or a "
    "security hit)")
SECURITY_GROUND_OUT_OF_SCOPE = define_rule(
    "SECURITY_GROUND_OUT_OF_SCOPE", f"{AMMR} Art 16(4) (scope unconfirmed)",
    "Art 16(4) applies where the screening security check was not carried out")
#: Art 16(4) after a screening security check was carried out (the member state having
#: justified reasons): believed to apply, unconfirmed at EU level (pact-rules-procedures §4.2).
SECURITY_GROUND_AFTER_SCREENING_CHECK = True
TAKE_CHARGE_REQUEST_LATE = define_rule(
    "TAKE_CHARGE_REQUEST_LATE", f"{AMMR} Art 39(1)",
    "The take charge request is out of time: the member state of registration is responsible "
    "(an unaccompanied minor's request remains possible until the first decision)")
#: Eurodac categories whose hit starts the one-month request limit (Art 39(1): Arts 22, 24).
IRREGULAR_HITS = ("IRREGULAR_CROSSING", "SEARCH_AND_RESCUE")
TRANSFER_PERIOD_RUNNING = define_rule(
    "TRANSFER_PERIOD_RUNNING", f"{AMMR} Art 37(1)",
    "Responsibility shifts for a missed transfer only once the transfer time limit has passed")


class ResponsibilitySteps(CaseState):
    if TYPE_CHECKING:
        def trigger_event(self, event_class: Any, **kwargs: Any) -> None: ...

    def _due(self, step: Step, code: str, start: datetime | None) -> datetime:
        """When obligation `code`, started at `start`, runs out (crisis version if in force).
        `start` is the request or acceptance the awaited state implies, hence recorded."""
        assert start is not None
        base = version_for(code, frozenset())
        other = self.responsibility.other
        rule = version_for(code, derogations_for(base, step.derogations_at, self.member_state,
                                                 other, start))
        assert rule.duration is not None
        return period_due(rule.duration, start, calendar_state(rule, self.member_state, other))

    def _open_procedure(self, step: Step, other: str) -> None:
        guard(self, step)
        require(self.registered_at is not None, RESPONSIBILITY_NEEDS_REGISTRATION)
        require(self.responsibility.state == "UNDETERMINED"
                and self.standing_decision_no is None, RESPONSIBILITY_PROCEDURE_RUNNING,
                f"responsibility is {self.responsibility.state}")
        require(other != self.member_state, REQUEST_TO_SELF)

    def _awaiting(self, step: Step, state: str) -> None:
        guard(self, step)
        require(self.responsibility.state == state, NO_REQUEST_PENDING,
                f"responsibility is {self.responsibility.state}")

    def request_take_charge(self, step: Step, requested_member_state: str, criterion: str,
                            hit_based: bool) -> None:
        self._open_procedure(step, requested_member_state)
        late = self._request_late(step, hit_based)
        require(late is None or (self.unaccompanied_minor and not self.decisions),
                TAKE_CHARGE_REQUEST_LATE, late)
        self.trigger_event(TakeChargeRequested,
                           envelope=step.envelope(LegalBasis(AMMR, "Art 39")),
                           requested_member_state=requested_member_state, criterion=criterion,
                           hit_based=hit_based)

    def reply_to_take_charge(self, step: Step, accepted: bool, reason: str) -> None:
        self._awaiting(step, "TAKE_CHARGE_REQUESTED")
        basis = step.envelope(LegalBasis(AMMR, "Art 40"))
        if accepted:
            self.trigger_event(TakeChargeAccepted, envelope=basis)
        else:
            self.trigger_event(TakeChargeRefused, envelope=basis, reason=reason)

    def deem_take_charge_accepted(self, step: Step) -> None:
        self._awaiting(step, "TAKE_CHARGE_REQUESTED")
        code = "TAKE_CHARGE_REPLY_HIT" if self.responsibility.hit_based else "TAKE_CHARGE_REPLY"
        due = self._due(step, code, self.responsibility.requested_at)
        require(step.occurred_at > due, REPLY_PERIOD_RUNNING, f"reply due {due:%Y-%m-%d}")
        self.trigger_event(TakeChargeDeemedAccepted,
                           envelope=step.envelope(LegalBasis(AMMR, "Art 40(2)")),
                           effective_at=due)

    def notify_take_back(self, step: Step, notified_member_state: str, hit_ref: str) -> None:
        self._open_procedure(step, notified_member_state)
        self.trigger_event(TakeBackNotified,
                           envelope=step.envelope(LegalBasis(AMMR, "Art 41(1)")),
                           notified_member_state=notified_member_state, hit_ref=hit_ref)

    def reply_to_take_back(self, step: Step, confirmed: bool, reason: str) -> None:
        self._awaiting(step, "TAKE_BACK_NOTIFIED")
        basis = step.envelope(LegalBasis(AMMR, "Art 41(2)"))
        if confirmed:
            self.trigger_event(TakeBackConfirmed, envelope=basis)
        else:
            self.trigger_event(TakeBackContested, envelope=basis, reason=reason)

    def deem_take_back_confirmed(self, step: Step) -> None:
        self._awaiting(step, "TAKE_BACK_NOTIFIED")
        due = self._due(step, "TAKE_BACK_CONFIRMATION", self.responsibility.requested_at)
        require(step.occurred_at > due, REPLY_PERIOD_RUNNING, f"reply due {due:%Y-%m-%d}")
        self.trigger_event(TakeBackDeemedConfirmed,
                           envelope=step.envelope(LegalBasis(AMMR, "Art 41(2)")),
                           effective_at=due)

    def _check_security_ground(self) -> None:
        """Art 16(4): the member state of registration that finds reasonable grounds to consider
        the applicant a threat to internal security is responsible. The ground must be on record
        (a security flag or a hit in the screening security check). Confirmed: it applies where
        the screening security check (Screening Reg. Art 15) was not carried out; whether it also
        applies after one was (on justified reasons) is unconfirmed: a parameter."""
        require(self.security_flag or self.screening_checks.security == "HIT",
                SECURITY_GROUND_NOT_RECORDED)
        checked_at_screening = self.screening_checks.security is not None
        require(not checked_at_screening or SECURITY_GROUND_AFTER_SCREENING_CHECK,
                SECURITY_GROUND_OUT_OF_SCOPE)

    def _request_late(self, step: Step, hit_based: bool) -> str | None:
        """Art 39(1): why a take charge request made now is out of time, or None. Two months
        from registration (crisis: four); a request based on a Eurodac hit also within one
        month of receiving the hit."""
        assert self.registered_at is not None
        due = self._due(step, "TAKE_CHARGE_REQUEST", self.registered_at)
        if step.occurred_at > due:
            return f"it had to be made by {due:%Y-%m-%d}"
        received = [h.received_at for h in self.hits if h.received_at is not None
                    and h.category in IRREGULAR_HITS]
        if hit_based and received:
            due = self._due(step, "TAKE_CHARGE_REQUEST_HIT", max(received))
            if step.occurred_at > due:
                return f"on a hit, it had to be made by {due:%Y-%m-%d}"
        return None

    def _transfer_due(self, step: Step) -> datetime:
        """Art 46(1): from acceptance or confirmation, or from the final decision on an appeal
        whose transfer was suspended."""
        start = self.responsibility.limit_from or self.responsibility.accepted_at
        return self._due(step, "TRANSFER", start)

    def _transfer_suspended(self) -> str | None:
        """Art 43(3): why no transfer may happen now, or None."""
        appeal = self.responsibility.transfer_appeal
        if appeal is None or appeal.decided_at is not None:
            return None
        if appeal.suspension == "GRANTED":
            return "the court suspended it until the appeal is decided"
        if appeal.suspension == "REQUESTED" and self._option() is not SuspensiveEffect.ON_REQUEST:
            return "the request to suspend it is not decided yet"
        return None

    def responsible_here_by_law(self, step: Step) -> bool:
        """Art 37(1), 46(2): once the transfer time limit has passed without a transfer, this
        member state is responsible, whether or not the shift has been recorded yet. While a
        court suspends the transfer the limit does not run out (Art 46(1))."""
        return (self.responsibility.state == "TRANSFER_PENDING"
                and self._transfer_suspended() is None
                and step.occurred_at > self._transfer_due(step))

    def _option(self) -> SuspensiveEffect:
        """The member state's option for the suspensive effect (`suspension`, unconfirmed)."""
        if (self.member_state not in suspension.SUSPENSIVE_EFFECT_BY_STATE
                and not NO_TRANSFER_WHILE_SUSPENSION_REQUESTED):
            return SuspensiveEffect.ON_REQUEST
        return suspension.suspensive_effect(self.member_state)

    def request_transfer_suspension(self, step: Step) -> None:
        self._awaiting(step, "TRANSFER_PENDING")
        appeal = self.responsibility.transfer_appeal
        require(appeal is not None and appeal.decided_at is None and appeal.suspension is None,
                SUSPENSION_REQUEST_NOT_OPEN)
        due = self._due(step, "TRANSFER_APPEAL", self.responsibility.transfer_decided_at)
        require(step.occurred_at <= due, SUSPENSION_REQUEST_LATE, f"it ended {due:%Y-%m-%d}")
        self.trigger_event(TransferSuspensionRequested,
                           envelope=step.envelope(LegalBasis(AMMR, "Art 43(3)")))

    def record_arrival_by_transfer(self, step: Step, from_member_state: str) -> None:
        guard(self, step)
        require(self.procedure is None and self.responsibility.arrived_from is None,
                ARRIVAL_BY_TRANSFER_TOO_LATE, status_of(self))
        self.trigger_event(ArrivedByTransfer,
                           envelope=step.envelope(LegalBasis(AMMR, "Art 46")),
                           from_member_state=from_member_state)

    def lodge_transfer_appeal(self, step: Step, court: str, suspension_requested: bool) -> None:
        self._awaiting(step, "TRANSFER_PENDING")
        require(self.responsibility.transfer_decision, TRANSFER_APPEAL_NEEDS_DECISION)
        appeal = self.responsibility.transfer_appeal
        require(appeal is None or appeal.decided_at is not None, TRANSFER_APPEAL_PENDING)
        due = self._due(step, "TRANSFER_APPEAL", self.responsibility.transfer_decided_at)
        require(step.occurred_at <= due, TRANSFER_APPEAL_LATE, f"it ended {due:%Y-%m-%d}")
        self.trigger_event(TransferAppealLodged,
                           envelope=step.envelope(LegalBasis(AMMR, "Art 43")), court=court,
                           suspension_requested=suspension_requested)
        option = self._option()
        if option is SuspensiveEffect.AUTOMATIC:  # the appeal itself suspends the transfer
            self.trigger_event(TransferSuspendedByLaw, envelope=step.envelope(
                LegalBasis(AMMR, "Art 43(3) (member state's option, unconfirmed)")),
                option=option.value)

    def decide_transfer_suspension(self, step: Step, suspended: bool) -> None:
        self._awaiting(step, "TRANSFER_PENDING")
        appeal = self.responsibility.transfer_appeal
        require(appeal is not None and appeal.decided_at is None
                and appeal.suspension == "REQUESTED", NO_SUSPENSION_REQUESTED)
        self.trigger_event(TransferSuspensionDecided,
                           envelope=step.envelope(LegalBasis(AMMR, "Art 43(3)")),
                           suspended=suspended)

    def decide_transfer_appeal(self, step: Step, annulled: bool) -> None:
        self._awaiting(step, "TRANSFER_PENDING")
        appeal = self.responsibility.transfer_appeal
        require(appeal is not None and appeal.decided_at is None, NO_TRANSFER_APPEAL_PENDING)
        self.trigger_event(TransferAppealDecided,
                           envelope=step.envelope(LegalBasis(AMMR, "Arts 43, 46(1)")),
                           annulled=annulled)

    def issue_transfer_decision(self, step: Step) -> None:
        self._awaiting(step, "TRANSFER_PENDING")
        require(not self.responsibility.transfer_decision, NO_TRANSFER_PENDING,
                "a transfer decision was already issued")
        self.trigger_event(TransferDecisionIssued,
                           envelope=step.envelope(LegalBasis(AMMR, "Art 42")),
                           to_member_state=self.responsibility.other)

    def execute_transfer(self, step: Step) -> None:
        self._awaiting(step, "TRANSFER_PENDING")
        require(bool(self.responsibility.transfer_decision), NO_TRANSFER_PENDING,
                "no transfer decision was issued")
        suspended = self._transfer_suspended()
        require(suspended is None, TRANSFER_SUSPENDED, suspended)
        due = self._transfer_due(step)
        require(step.occurred_at <= due, TRANSFER_PERIOD_EXPIRED, f"it ended {due:%Y-%m-%d}")
        self.trigger_event(TransferExecuted,
                           envelope=step.envelope(LegalBasis(AMMR, "Art 46(1)")))

    def establish_responsibility(self, step: Step, basis: str) -> None:
        guard(self, step)
        require(self.registered_at is not None, RESPONSIBILITY_NEEDS_REGISTRATION)
        require(self.responsibility.state == "UNDETERMINED", RESPONSIBILITY_PROCEDURE_RUNNING,
                f"responsibility is {self.responsibility.state}")
        if "16(4)" in basis:
            self._check_security_ground()
        self.trigger_event(ResponsibilityEstablished,
                           envelope=step.envelope(LegalBasis(AMMR, "Art 16")), basis=basis)

    def shift_responsibility(self, step: Step, cause: str, offset_mode: str | None) -> None:
        guard(self, step)
        offset = cause == ResponsibilityCause.SOLIDARITY_OFFSET.value
        require(offset == (offset_mode is not None), OFFSET_MODE_REQUIRED)
        state = self.responsibility.state
        if state not in ("TAKE_CHARGE_REQUESTED", "TAKE_BACK_NOTIFIED", "TRANSFER_PENDING"):
            raise RuleViolation(NO_TRANSFER_PENDING, f"responsibility is {state}")
        if cause == ResponsibilityCause.TRANSFER_TIME_LIMIT_EXPIRED.value:
            require(state == "TRANSFER_PENDING", NO_TRANSFER_PENDING)
            due = self._transfer_due(step)
            require(step.occurred_at > due, TRANSFER_PERIOD_RUNNING, f"it ends {due:%Y-%m-%d}")
        self.trigger_event(ResponsibilityShifted,
                           envelope=step.envelope(LegalBasis(AMMR, "Art 37(1)")), cause=cause)
