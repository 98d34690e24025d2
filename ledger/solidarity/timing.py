"""Legal time on the solidarity ledger. The future and the step-order checks are the case
ledger's own (`ledger.case.guards.check_time`); this adds the order of an account's step after
the cycle step it depends on, naming that step."""

from __future__ import annotations

from datetime import datetime

from ledger import rules
from ledger.case.guards import check_time
from ledger.envelope import Step
from ledger.errors import RuleViolation

__all__ = ["check_after", "check_time"]


def check_after(step: Step, earlier: datetime | None, what: str) -> None:
    """Refuse a step dated before `earlier`, the time of the step it depends on (`what`)."""
    if earlier is not None and step.occurred_at < earlier:
        raise RuleViolation(
            rules.OCCURRED_BEFORE_PREVIOUS_STEP,
            f"{step.occurred_at:%Y-%m-%d %H:%M} is before {what} ({earlier:%Y-%m-%d %H:%M})",
        )
