"""Responsibility (AMMR (EU) 2024/1351): take charge, take back, transfer, and shifts of
responsibility. Runs beside the examination in `case.responsibility`."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ledger.case.event_base import CaseEvent, stable
from ledger.case.phase import Phase
from ledger.case.responsibility.values import TransferAppeal
from ledger.case.state import settled_status
from ledger.personal_data.sealed import SealedValue
from ledger.vocabulary import CaseStatus

if TYPE_CHECKING:
    from ledger.case.state import CaseState


def _set(case: CaseState, state: str, **details: Any) -> None:
    case.responsibility = replace(case.responsibility, state=state, **details)


def _resume(case: CaseState) -> None:
    """Back to where the examination stands, once no transfer is pending."""
    if case.status is CaseStatus.TRANSFER_PENDING:
        case.status = settled_status(case)



class ResponsibilityEvent(CaseEvent):
    """An event of this phase; the timeline shows it under `RESPONSIBILITY`."""

    phase = Phase.RESPONSIBILITY


@stable("TakeChargeRequested")
class TakeChargeRequested(ResponsibilityEvent):
    """Art 39: another member state is asked to take charge, on a criterion of Chapter II."""

    requested_member_state: str
    criterion: str
    hit_based: bool

    def apply_step(self, case: CaseState) -> None:
        _set(case, "TAKE_CHARGE_REQUESTED", other=self.requested_member_state,
             hit_based=self.hit_based, criterion=self.criterion,
             requested_at=self.envelope.occurred_at)


@stable("TakeChargeAccepted")
class TakeChargeAccepted(ResponsibilityEvent):
    """Art 40: the requested member state accepts."""

    def apply_step(self, case: CaseState) -> None:
        _set(case, "TRANSFER_PENDING", accepted_at=self.envelope.occurred_at)


@stable("TakeChargeDeemedAccepted", version=2)
class TakeChargeDeemedAccepted(ResponsibilityEvent):
    """Art 40 and Art 45(2): no reply within the time limit counts as acceptance, which takes
    effect at the end of the reply period (`effective_at`), whenever it is recorded: the
    transfer time limit runs from there (Art 46(1)). v2 added `effective_at` (v1: None, the
    record's legal time stood for it)."""

    effective_at: datetime | None

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["effective_at"] = None

    def apply_step(self, case: CaseState) -> None:
        _set(case, "TRANSFER_PENDING", accepted_at=self.effective_at or self.envelope.occurred_at,
             deemed=True)


@stable("TakeChargeRefused")
class TakeChargeRefused(ResponsibilityEvent):
    reason: str | SealedValue  # free text, sealed (ledger.personal_data.free_text)

    def apply_step(self, case: CaseState) -> None:
        _set(case, "UNDETERMINED", other=None, refused_by=case.responsibility.other)


@stable("TakeBackNotified")
class TakeBackNotified(ResponsibilityEvent):
    """Art 41(1): the member state where the person applied before is notified."""

    notified_member_state: str
    hit_ref: str

    def apply_step(self, case: CaseState) -> None:
        _set(case, "TAKE_BACK_NOTIFIED", other=self.notified_member_state,
             requested_at=self.envelope.occurred_at)


@stable("TakeBackConfirmed")
class TakeBackConfirmed(ResponsibilityEvent):
    """Art 41(2): the notified member state confirms receipt and its responsibility."""

    def apply_step(self, case: CaseState) -> None:
        _set(case, "TRANSFER_PENDING", accepted_at=self.envelope.occurred_at)


@stable("TakeBackDeemedConfirmed", version=2)
class TakeBackDeemedConfirmed(ResponsibilityEvent):
    """Art 41(2): silence within two weeks counts as confirmation, effective at the end of that
    period (`effective_at`; v2, v1: None) whenever it is recorded."""

    effective_at: datetime | None

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["effective_at"] = None

    def apply_step(self, case: CaseState) -> None:
        _set(case, "TRANSFER_PENDING", accepted_at=self.effective_at or self.envelope.occurred_at,
             deemed=True)


@stable("TakeBackContested")
class TakeBackContested(ResponsibilityEvent):
    """Art 41(2): the notified member state proves it is not responsible."""

    reason: str | SealedValue  # free text, sealed (ledger.personal_data.free_text)

    def apply_step(self, case: CaseState) -> None:
        _set(case, "UNDETERMINED", other=None, contested_by=case.responsibility.other)


@stable("TransferDecisionIssued")
class TransferDecisionIssued(ResponsibilityEvent):
    """Art 42: the applicant is notified of the decision to transfer them."""

    to_member_state: str

    def apply_step(self, case: CaseState) -> None:
        _set(case, "TRANSFER_PENDING", transfer_decision=True,
             transfer_decided_at=self.envelope.occurred_at, transfer_appeal=None)
        case.status = CaseStatus.TRANSFER_PENDING


@stable("TransferAppealLodged")
class TransferAppealLodged(ResponsibilityEvent):
    """AMMR Art 43(1)-(3): an appeal against the transfer decision, and whether the person asked
    the court to suspend the transfer."""

    court: str
    suspension_requested: bool

    def apply_step(self, case: CaseState) -> None:
        _set(case, "TRANSFER_PENDING", transfer_appeal=TransferAppeal(
            court=self.court, lodged_at=self.envelope.occurred_at,
            suspension="REQUESTED" if self.suspension_requested else None))


@stable("TransferSuspensionRequested")
class TransferSuspensionRequested(ResponsibilityEvent):
    """AMMR Art 43(3): a request to suspend the transfer made after the appeal was lodged."""

    def apply_step(self, case: CaseState) -> None:
        appeal = case.responsibility.transfer_appeal
        assert appeal is not None  # the command requires a pending appeal
        _set(case, "TRANSFER_PENDING", transfer_appeal=replace(appeal, suspension="REQUESTED"))


@stable("TransferSuspendedByLaw")
class TransferSuspendedByLaw(ResponsibilityEvent):
    """The appeal suspends the transfer by itself, where the member state gives it that effect
    (`ledger.case.responsibility.suspension`); recorded with the appeal it follows from."""

    option: str

    def apply_step(self, case: CaseState) -> None:
        appeal = case.responsibility.transfer_appeal
        assert appeal is not None  # recorded with the appeal
        _set(case, "TRANSFER_PENDING", transfer_appeal=replace(appeal, suspension="GRANTED"))


@stable("ArrivedByTransfer")
class ArrivedByTransfer(ResponsibilityEvent):
    """AMMR Art 46; APR Art 51(2): the person was transferred here under the AMMR."""

    from_member_state: str

    def apply_step(self, case: CaseState) -> None:
        case.responsibility = replace(case.responsibility, arrived_from=self.from_member_state)


@stable("TransferSuspensionDecided")
class TransferSuspensionDecided(ResponsibilityEvent):
    """AMMR Art 43(3): the court suspends the transfer until the appeal is decided, or not."""

    suspended: bool

    def apply_step(self, case: CaseState) -> None:
        appeal = case.responsibility.transfer_appeal
        assert appeal is not None  # the command requires a pending appeal
        _set(case, "TRANSFER_PENDING", transfer_appeal=replace(
            appeal, suspension="GRANTED" if self.suspended else "REFUSED"))


@stable("TransferAppealDecided")
class TransferAppealDecided(ResponsibilityEvent):
    """AMMR Arts 43, 46(1): the final decision on the appeal. Annulled, the transfer decision
    falls; upheld after a suspension, the transfer time limit runs again from this decision."""

    annulled: bool

    def apply_step(self, case: CaseState) -> None:
        appeal = case.responsibility.transfer_appeal
        assert appeal is not None  # the command requires a pending appeal
        appeal = replace(appeal, decided_at=self.envelope.occurred_at, annulled=self.annulled)
        details: dict[str, Any] = {"transfer_appeal": appeal}
        if appeal.suspension == "GRANTED":
            details["limit_from"] = self.envelope.occurred_at
        if self.annulled:
            details["transfer_decision"] = False
        _set(case, "TRANSFER_PENDING", **details)
        if self.annulled:
            _resume(case)


@stable("TransferExecuted")
class TransferExecuted(ResponsibilityEvent):
    """Art 46: the person was transferred; the case continues in the responsible state."""

    def apply_step(self, case: CaseState) -> None:
        _set(case, "TRANSFERRED")
        case.status = CaseStatus.TRANSFERRED


@stable("ResponsibilityEstablished")
class ResponsibilityEstablished(ResponsibilityEvent):
    """Art 16 (criteria), Art 16(4) (security), Art 35 (discretion): this state is responsible."""

    basis: str

    def apply_step(self, case: CaseState) -> None:
        _set(case, "RESPONSIBLE_HERE", basis=self.basis)
        _resume(case)


@stable("ResponsibilityShifted")
class ResponsibilityShifted(ResponsibilityEvent):
    """Art 37(1): responsibility moves to this state (transfer time limit passed, residence
    document, discretionary clause, a minor's best interests)."""

    cause: str

    def apply_step(self, case: CaseState) -> None:
        _set(case, "RESPONSIBLE_HERE", basis=f"shifted: {self.cause}")
        _resume(case)


#: This phase's events (each pinned to its stable topic).
EVENTS: tuple[type[ResponsibilityEvent], ...] = (
    TakeChargeRequested,
    TakeChargeAccepted,
    TakeChargeDeemedAccepted,
    TakeChargeRefused,
    TakeBackNotified,
    TakeBackConfirmed,
    TakeBackDeemedConfirmed,
    TakeBackContested,
    TransferDecisionIssued,
    TransferAppealLodged,
    TransferSuspensionDecided,
    TransferSuspensionRequested, TransferSuspendedByLaw, ArrivedByTransfer,
    TransferAppealDecided,
    TransferExecuted,
    ResponsibilityEstablished,
    ResponsibilityShifted,
)
