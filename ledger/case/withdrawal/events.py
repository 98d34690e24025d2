"""Withdrawal and cessation of international protection (QR (EU) 2024/1347; APR Art 66)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ledger.case.event_base import CaseEvent, stable
from ledger.case.phase import Phase
from ledger.case.withdrawal.values import Withdrawal
from ledger.vocabulary import CaseStatus

if TYPE_CHECKING:
    from ledger.case.state import CaseState


class WithdrawalEvent(CaseEvent):
    """An event of this phase; the timeline shows it under `WITHDRAWAL`."""

    phase = Phase.WITHDRAWAL


@stable("WithdrawalProcedureStarted")
class WithdrawalProcedureStarted(WithdrawalEvent):
    """QR Arts 14, 19: reconsideration of the protection granted starts on `ground`."""

    ground: str
    status_type: str

    def apply_step(self, case: CaseState) -> None:
        case.withdrawal = Withdrawal(ground=self.ground, status_type=self.status_type,
                                     started_at=self.envelope.occurred_at)


@stable("PersonInformedOfWithdrawal")
class PersonInformedOfWithdrawal(WithdrawalEvent):
    """APR Art 66(1)(a)-(c): written information on the reconsideration and its reasons."""

    language: str

    def apply_step(self, case: CaseState) -> None:
        assert case.withdrawal is not None
        case.withdrawal = replace(case.withdrawal, state="INFORMED",
                                  informed_at=self.envelope.occurred_at)


@stable("WithdrawalObservationsSubmitted")
class WithdrawalObservationsSubmitted(WithdrawalEvent):
    """APR Art 66(1)(d): the person presented reasons against the withdrawal."""

    def apply_step(self, case: CaseState) -> None:
        assert case.withdrawal is not None
        case.withdrawal = replace(case.withdrawal, observations_at=self.envelope.occurred_at)


@stable("ProtectionWithdrawn")
class ProtectionWithdrawn(WithdrawalEvent):
    """QR Art 14 (refugee status) or Art 19 (subsidiary protection): protection withdrawn. The
    Eurodac unmarking it implies (Eurodac Art 31) is recorded with it as `EurodacUnmarked`."""

    ground: str

    def apply_step(self, case: CaseState) -> None:
        assert case.withdrawal is not None
        case.withdrawal = replace(case.withdrawal, state="WITHDRAWN",
                                  decided_at=self.envelope.occurred_at)
        case.status = CaseStatus.PROTECTION_WITHDRAWN


@stable("WithdrawalDiscontinued")
class WithdrawalDiscontinued(WithdrawalEvent):
    """The reconsideration ends with the protection standing."""

    def apply_step(self, case: CaseState) -> None:
        assert case.withdrawal is not None
        case.withdrawal = replace(case.withdrawal, state="DISCONTINUED",
                                  decided_at=self.envelope.occurred_at)


#: This phase's events (each pinned to its stable topic).
EVENTS: tuple[type[WithdrawalEvent], ...] = (
    WithdrawalProcedureStarted,
    PersonInformedOfWithdrawal,
    WithdrawalObservationsSubmitted,
    ProtectionWithdrawn,
    WithdrawalDiscontinued,
)
