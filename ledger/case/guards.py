"""Checks every step shares: the record is open, legal time is possible, a rule holds."""

from __future__ import annotations

from datetime import datetime, timedelta

from ledger import rules
from ledger.case.state import CaseState
from ledger.envelope import Step
from ledger.errors import RuleViolation

#: Clock skew tolerated between a caller's clock and the ledger's before a time counts as future.
CLOCK_SKEW = timedelta(minutes=2)


def require(condition: bool, rule: rules.Rule, detail: str | None = None) -> None:
    if not condition:
        raise RuleViolation(rule, detail)


def check_time(step: Step, last: datetime | None) -> None:
    """Legal time is the caller's to state, within what is possible (see `ledger.rules`)."""
    # (the details are formatted only for a refusal: formatting took most of a check's time)
    if step.occurred_at > step.now + CLOCK_SKEW:
        raise RuleViolation(rules.OCCURRED_IN_FUTURE,
                            f"occurred at {step.occurred_at:%Y-%m-%d %H:%M}")
    if last is not None and step.occurred_at < last:
        raise RuleViolation(rules.OCCURRED_BEFORE_PREVIOUS_STEP,
                            f"{step.occurred_at:%Y-%m-%d %H:%M} is before {last:%Y-%m-%d %H:%M}")


def check_not_future(step: Step, moment: datetime | None, what: str) -> None:
    if moment is not None and moment > step.now + CLOCK_SKEW:
        raise RuleViolation(rules.OCCURRED_IN_FUTURE, f"{what} {moment:%Y-%m-%d %H:%M}")


def guard(case: CaseState, step: Step) -> None:
    """Every step: the case is open and the step's legal time fits the record."""
    if case.status.value == "CLOSED":
        raise RuleViolation(rules.CASE_CLOSED, f"closed: {case.closed_reason}")
    check_time(step, case.last_occurred_at)


def status_of(case: CaseState) -> str:
    return f"case status is {case.status.value}"
