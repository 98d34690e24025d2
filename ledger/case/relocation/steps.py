"""Relocation of the person (AMMR (EU) 2024/1351 Arts 67-68)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.case.guards import guard, require
from ledger.case.relocation.events import (
    RelocationAccepted,
    RelocationArrived,
    RelocationCancelled,
    RelocationNoShow,
    RelocationSelected,
    RelocationTransferred,
)
from ledger.case.screening.steps import RELOCATION_EXCLUDED_SECURITY
from ledger.case.state import CaseState
from ledger.envelope import LegalBasis, Step
from ledger.rules import define_rule

if TYPE_CHECKING:
    from typing import Any

AMMR = "AMMR (EU) 2024/1351"

RELOCATION_NEEDS_APPLICANT = define_rule(
    "RELOCATION_NEEDS_APPLICANT", f"{AMMR} Art 67(4)",
    "Relocation is for applicants (or beneficiaries) whose case is still here, once at a time")
RELOCATION_TO_SELF = define_rule(
    "RELOCATION_TO_SELF", f"{AMMR} Art 67", "A person is relocated to another member state")
RELOCATION_OUT_OF_ORDER = define_rule(
    "RELOCATION_OUT_OF_ORDER", f"{AMMR} Arts 67-68",
    "Relocation goes selected, accepted, transferred, then arrival or no-show")


class RelocationSteps(CaseState):
    if TYPE_CHECKING:
        def trigger_event(self, event_class: Any, **kwargs: Any) -> None: ...

    def _relocation(self, step: Step, expected: tuple[str, ...]) -> None:
        guard(self, step)
        state = (self.relocation or {}).get("state")
        require(state in expected, RELOCATION_OUT_OF_ORDER, f"relocation is {state}")
        require(not self.security_flag, RELOCATION_EXCLUDED_SECURITY)

    def select_for_relocation(self, step: Step, relocation_member_state: str) -> None:
        guard(self, step)
        require(not self.security_flag, RELOCATION_EXCLUDED_SECURITY)
        state = (self.relocation or {}).get("state")
        require(self.application_made_at is not None and not self.right_to_remain_ended
                and self.status.value not in ("ABSCONDED", "RETURNED", "TRANSFERRED")
                and state in (None, "NO_SHOW", "CANCELLED")
                and self.responsibility["state"] not in ("TRANSFER_PENDING", "TRANSFERRED"),
                RELOCATION_NEEDS_APPLICANT, f"relocation is {state}")
        require(relocation_member_state != self.member_state, RELOCATION_TO_SELF)
        self.trigger_event(RelocationSelected,
                           envelope=step.envelope(LegalBasis(AMMR, "Art 67(4)")),
                           relocation_member_state=relocation_member_state)

    def accept_relocation(self, step: Step) -> None:
        self._relocation(step, ("SELECTED",))
        self.trigger_event(RelocationAccepted,
                           envelope=step.envelope(LegalBasis(AMMR, "Art 67(8)")))

    def transfer_for_relocation(self, step: Step) -> None:
        self._relocation(step, ("ACCEPTED",))
        self.trigger_event(RelocationTransferred,
                           envelope=step.envelope(LegalBasis(AMMR, "Art 67(11)")))

    def record_relocation_arrival(self, step: Step) -> None:
        self._relocation(step, ("TRANSFERRED",))
        self.trigger_event(RelocationArrived,
                           envelope=step.envelope(LegalBasis(AMMR, "Art 68(1)")))

    def record_relocation_no_show(self, step: Step) -> None:
        guard(self, step)
        state = (self.relocation or {}).get("state")
        require(state == "TRANSFERRED", RELOCATION_OUT_OF_ORDER, f"relocation is {state}")
        self.trigger_event(RelocationNoShow,
                           envelope=step.envelope(LegalBasis(AMMR, "Art 68(1)")))

    def cancel_relocation(self, step: Step, reason: str) -> None:
        guard(self, step)
        state = (self.relocation or {}).get("state")
        require(state in ("SELECTED", "ACCEPTED"), RELOCATION_OUT_OF_ORDER,
                f"relocation is {state}")
        self.trigger_event(RelocationCancelled,
                           envelope=step.envelope(LegalBasis(AMMR, "Art 67")), reason=reason)
