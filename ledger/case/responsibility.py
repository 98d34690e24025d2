"""Responsibility steps (AMMR (EU) 2024/1351 Arts 16, 35-46): take charge, take back,
transfer, and responsibility established here or shifted here."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from ledger import case_events as ev
from ledger.case.guards import guard, require
from ledger.case_state import CaseState
from ledger.deadlines.catalogue import calendar_state, derogations_for, version_for
from ledger.deadlines.periods import due as period_due
from ledger.envelope import LegalBasis, Step
from ledger.errors import RuleViolation
from ledger.rules import define_rule
from ledger.vocabulary import ResponsibilityCause

if TYPE_CHECKING:
    from typing import Any

AMMR = "AMMR (EU) 2024/1351"

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
TRANSFER_PERIOD_RUNNING = define_rule(
    "TRANSFER_PERIOD_RUNNING", f"{AMMR} Art 37(1)",
    "Responsibility shifts for a missed transfer only once the transfer time limit has passed")


class ResponsibilitySteps(CaseState):
    if TYPE_CHECKING:
        def trigger_event(self, event_class: Any, **kwargs: Any) -> None: ...

    def _due(self, step: Step, code: str, start: datetime) -> datetime:
        """When obligation `code`, started at `start`, runs out (crisis version if in force)."""
        base = version_for(code, frozenset())
        other = self.responsibility.get("other")
        rule = version_for(code, derogations_for(base, step.derogations_at, self.member_state,
                                                 other, start))
        assert rule.duration is not None
        return period_due(rule.duration, start, calendar_state(rule, self.member_state, other))

    def _open_procedure(self, step: Step, other: str) -> None:
        guard(self, step)
        require(self.registered_at is not None, RESPONSIBILITY_NEEDS_REGISTRATION)
        require(self.responsibility["state"] == "UNDETERMINED"
                and self.standing_decision_no is None, RESPONSIBILITY_PROCEDURE_RUNNING,
                f"responsibility is {self.responsibility['state']}")
        require(other != self.member_state, REQUEST_TO_SELF)

    def _awaiting(self, step: Step, state: str) -> None:
        guard(self, step)
        require(self.responsibility["state"] == state, NO_REQUEST_PENDING,
                f"responsibility is {self.responsibility['state']}")

    def request_take_charge(self, step: Step, requested_member_state: str, criterion: str,
                            hit_based: bool) -> None:
        self._open_procedure(step, requested_member_state)
        self.trigger_event(ev.TakeChargeRequested,
                           envelope=step.envelope(LegalBasis(AMMR, "Art 39")),
                           requested_member_state=requested_member_state, criterion=criterion,
                           hit_based=hit_based)

    def reply_to_take_charge(self, step: Step, accepted: bool, reason: str) -> None:
        self._awaiting(step, "TAKE_CHARGE_REQUESTED")
        basis = step.envelope(LegalBasis(AMMR, "Art 40"))
        if accepted:
            self.trigger_event(ev.TakeChargeAccepted, envelope=basis)
        else:
            self.trigger_event(ev.TakeChargeRefused, envelope=basis, reason=reason)

    def deem_take_charge_accepted(self, step: Step) -> None:
        self._awaiting(step, "TAKE_CHARGE_REQUESTED")
        code = "TAKE_CHARGE_REPLY_HIT" if self.responsibility["hit_based"] else "TAKE_CHARGE_REPLY"
        due = self._due(step, code, self.responsibility["requested_at"])
        require(step.occurred_at > due, REPLY_PERIOD_RUNNING, f"reply due {due:%Y-%m-%d}")
        self.trigger_event(ev.TakeChargeDeemedAccepted,
                           envelope=step.envelope(LegalBasis(AMMR, "Art 40(2)")))

    def notify_take_back(self, step: Step, notified_member_state: str, hit_ref: str) -> None:
        self._open_procedure(step, notified_member_state)
        self.trigger_event(ev.TakeBackNotified,
                           envelope=step.envelope(LegalBasis(AMMR, "Art 41(1)")),
                           notified_member_state=notified_member_state, hit_ref=hit_ref)

    def reply_to_take_back(self, step: Step, confirmed: bool, reason: str) -> None:
        self._awaiting(step, "TAKE_BACK_NOTIFIED")
        basis = step.envelope(LegalBasis(AMMR, "Art 41(2)"))
        if confirmed:
            self.trigger_event(ev.TakeBackConfirmed, envelope=basis)
        else:
            self.trigger_event(ev.TakeBackContested, envelope=basis, reason=reason)

    def deem_take_back_confirmed(self, step: Step) -> None:
        self._awaiting(step, "TAKE_BACK_NOTIFIED")
        due = self._due(step, "TAKE_BACK_CONFIRMATION", self.responsibility["requested_at"])
        require(step.occurred_at > due, REPLY_PERIOD_RUNNING, f"reply due {due:%Y-%m-%d}")
        self.trigger_event(ev.TakeBackDeemedConfirmed,
                           envelope=step.envelope(LegalBasis(AMMR, "Art 41(2)")))

    def _transfer_due(self, step: Step) -> datetime:
        return self._due(step, "TRANSFER", self.responsibility["accepted_at"])

    def issue_transfer_decision(self, step: Step) -> None:
        self._awaiting(step, "TRANSFER_PENDING")
        require(not self.responsibility.get("transfer_decision"), NO_TRANSFER_PENDING,
                "a transfer decision was already issued")
        self.trigger_event(ev.TransferDecisionIssued,
                           envelope=step.envelope(LegalBasis(AMMR, "Art 42")),
                           to_member_state=self.responsibility["other"])

    def execute_transfer(self, step: Step) -> None:
        self._awaiting(step, "TRANSFER_PENDING")
        require(bool(self.responsibility.get("transfer_decision")), NO_TRANSFER_PENDING,
                "no transfer decision was issued")
        due = self._transfer_due(step)
        require(step.occurred_at <= due, TRANSFER_PERIOD_EXPIRED, f"it ended {due:%Y-%m-%d}")
        self.trigger_event(ev.TransferExecuted,
                           envelope=step.envelope(LegalBasis(AMMR, "Art 46(1)")))

    def establish_responsibility(self, step: Step, basis: str) -> None:
        guard(self, step)
        require(self.registered_at is not None, RESPONSIBILITY_NEEDS_REGISTRATION)
        require(self.responsibility["state"] == "UNDETERMINED", RESPONSIBILITY_PROCEDURE_RUNNING,
                f"responsibility is {self.responsibility['state']}")
        self.trigger_event(ev.ResponsibilityEstablished,
                           envelope=step.envelope(LegalBasis(AMMR, "Art 16")), basis=basis)

    def shift_responsibility(self, step: Step, cause: str, offset_mode: str | None) -> None:
        guard(self, step)
        offset = cause == ResponsibilityCause.SOLIDARITY_OFFSET.value
        require(offset == (offset_mode is not None), OFFSET_MODE_REQUIRED)
        state = self.responsibility["state"]
        if state not in ("TAKE_CHARGE_REQUESTED", "TAKE_BACK_NOTIFIED", "TRANSFER_PENDING"):
            raise RuleViolation(NO_TRANSFER_PENDING, f"responsibility is {state}")
        if cause == ResponsibilityCause.TRANSFER_TIME_LIMIT_EXPIRED.value:
            require(state == "TRANSFER_PENDING", NO_TRANSFER_PENDING)
            due = self._transfer_due(step)
            require(step.occurred_at > due, TRANSFER_PERIOD_RUNNING, f"it ends {due:%Y-%m-%d}")
        self.trigger_event(ev.ResponsibilityShifted,
                           envelope=step.envelope(LegalBasis(AMMR, "Art 37(1)")), cause=cause)
