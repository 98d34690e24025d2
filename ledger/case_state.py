"""The state of a case as its events leave it, apart from any persistence.

`Case` (the aggregate) inherits it to decide commands; the case-list projection applies the very
same events to a `CaseState` rebuilt from its row. One set of transitions serves both, so the
read model cannot drift from the rules.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ledger.vocabulary import CaseStatus

if TYPE_CHECKING:
    from ledger.case_events import CaseOpened


class CaseState:
    """Attributes are set by `reset` (on `CaseOpened`) and each event's `apply_step`.

    No `__init__` and no class-level annotations: the aggregate's metaclass would read them as
    constructor arguments.
    """

    def reset(self, opened: CaseOpened) -> None:
        self.member_state: str = opened.member_state
        self.national_reference: str = opened.national_reference
        self.nationality: str = opened.nationality
        self.date_of_birth: date | None = opened.date_of_birth
        self.unaccompanied_minor: bool = opened.unaccompanied_minor
        self.family_name: str | None = opened.family_name
        self.given_names: str | None = opened.given_names
        self.opened_at: datetime = opened.envelope.occurred_at
        self.status: CaseStatus = CaseStatus.SCREENING
        self.screening: str | None = None
        self.screening_trigger: str | None = None
        self.screening_outcome: str | None = None
        self.application_made_at: datetime | None = None
        self.registered_at: datetime | None = None
        self.lodged_at: datetime | None = None
        self.procedure: str | None = None
        self.decisions: list[dict[str, Any]] = []
        self.standing_decision_no: int | None = None
        self.appeals: list[dict[str, Any]] = []
        self.pending_appeal_no: int | None = None
        self.return_decision_issued: bool = False
        self.closed_reason: str | None = None
        self.last_occurred_at: datetime = opened.envelope.occurred_at
        self.command_ids: set[str] = set()

    @property
    def standing_decision(self) -> dict[str, Any] | None:
        """The decision that currently stands (after appeals), if any."""
        if self.standing_decision_no is None:
            return None
        return next(d for d in self.decisions if d["decision_no"] == self.standing_decision_no)

    def has_processed(self, command_id: str) -> bool:
        return command_id in self.command_ids
