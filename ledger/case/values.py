"""Typed values a case holds about its decisions and appeals: frozen, built by the events'
`apply_step`, read by the rules, the deadlines and (encoded in one place,
`projections.case_details`) the read models and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ledger.vocabulary import DecisionType


@dataclass(frozen=True)
class Decision:
    """A decision on the application: first instance, or a court's substitution on appeal."""

    decision_no: int
    decision_type: str  # a `DecisionType` value
    ground: str
    occurred_at: datetime
    notified_at: datetime | None
    by_court: bool
    procedure: str | None = None  # the procedure it was taken in
    return_exception: str | None = None

    @property
    def kind(self) -> DecisionType:
        return DecisionType(self.decision_type)


@dataclass(frozen=True)
class Appeal:
    """An appeal against a decision (APR Art 67) and, once decided, its outcome."""

    appeal_no: int
    decision_no: int
    appeal_body: str
    suspensive: bool
    lodged_at: datetime
    outcome: str | None = None  # an `AppealOutcome` value
