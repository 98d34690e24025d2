"""A member state's account in one cycle: fair share, pledges, deductions, benefiting status and
every delivery. `movement()` says how each event moves the balances (see the projection)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger.solidarity.events import (
    DEDUCTED,
    DELIVERED,
    EXEMPTED,
    PLEDGED,
    Movement,
    SolidarityEvent,
    stable,
)
from ledger.solidarity.vocabulary import SolidarityType

if TYPE_CHECKING:
    from ledger.solidarity.account import SolidarityAccount

RELOCATION, FINANCIAL, ALTERNATIVE = (t.value for t in SolidarityType)


@stable("AccountOpened")
class AccountOpened(SolidarityEvent, Aggregate.Created):
    """Opens the account of `member_state` for the cycle of `year`, with its first step."""

    year: int
    member_state: str

    def apply_step(self, account: SolidarityAccount) -> None:
        account.reset(self)


@stable("FairShareComputed")
class FairShareComputed(SolidarityEvent):
    """The member state's share by the Annex I key, from the inputs at `inputs_ref`
    (`<cycle id>/v<version>` of their `FairShareInputsRecorded`)."""

    share: Decimal
    population: int
    gdp_eur_millions: int
    inputs_ref: str

    def apply_step(self, account: SolidarityAccount) -> None:
        account.fair_share = self.share


@stable("PledgeMade")
class PledgeMade(SolidarityEvent):
    """A pledge at the High-Level Forum (Art 56(2)) of `kind` (a `SolidarityType`): `persons` to
    relocate, or `amount_cents` of financial contribution, or an alternative `measure` valued at
    `amount_cents`."""

    kind: str
    persons: int
    amount_cents: int
    measure: str | None

    def apply_step(self, account: SolidarityAccount) -> None:
        units = self.persons if self.kind == RELOCATION else self.amount_cents
        account.pledged[self.kind] = account.pledged.get(self.kind, 0) + units

    def movement(self) -> Movement:
        return Movement(self.kind, PLEDGED, self.persons, self.amount_cents)


@stable("DeductionRequested")
class DeductionRequested(SolidarityEvent):
    ground: str
    percent: Decimal
    reasons: str

    def apply_step(self, account: SolidarityAccount) -> None:
        account.deduction_ground = self.ground
        account.deduction_requested = self.percent
        account.deduction_requested_at = self.envelope.occurred_at


@stable("DeductionGranted")
class DeductionGranted(SolidarityEvent):
    """A partial or full deduction of the pledges (Arts 61-62); a full one leaves nothing owed."""

    percent: Decimal
    decision_ref: str

    def apply_step(self, account: SolidarityAccount) -> None:
        account.deduction_granted = self.percent

    def movement(self) -> Movement:
        return Movement(None, DEDUCTED)


@stable("BenefitingStatusNotified")
class BenefitingStatusNotified(SolidarityEvent):
    """The member state uses the pool (Arts 58-59): it owes no contribution (Art 60(3))."""

    basis: str

    def apply_step(self, account: SolidarityAccount) -> None:
        account.benefiting = True

    def movement(self) -> Movement:
        return Movement(None, EXEMPTED)


@stable("RelocationCredited")
class RelocationCredited(SolidarityEvent):
    """A person relocated from `benefiting_member_state` arrived (Art 68(1)); credits one."""

    case_id: UUID
    benefiting_member_state: str

    def apply_step(self, account: SolidarityAccount) -> None:
        account.credited_cases.add(str(self.case_id))

    def movement(self) -> Movement:
        return Movement(RELOCATION, DELIVERED, persons=1)


@stable("OffsetCredited")
class OffsetCredited(SolidarityEvent):
    """Responsibility for the case moved from `benefiting_member_state` instead of a relocation
    (Art 63, paragraph by `mode`); counts as one relocation delivered."""

    case_id: UUID
    benefiting_member_state: str
    mode: str

    def apply_step(self, account: SolidarityAccount) -> None:
        account.credited_cases.add(str(self.case_id))

    def movement(self) -> Movement:
        return Movement(RELOCATION, DELIVERED, persons=1)


@stable("FinancialContributionPaid")
class FinancialContributionPaid(SolidarityEvent):
    amount_cents: int
    payment_ref: str

    def movement(self) -> Movement:
        return Movement(FINANCIAL, DELIVERED, cents=self.amount_cents)


@stable("AlternativeMeasureDelivered")
class AlternativeMeasureDelivered(SolidarityEvent):
    measure: str
    value_cents: int

    def movement(self) -> Movement:
        return Movement(ALTERNATIVE, DELIVERED, cents=self.value_cents)


#: Every event of this aggregate (each pinned to its stable topic).
EVENTS: tuple[type[SolidarityEvent], ...] = (
    AccountOpened,
    FairShareComputed,
    PledgeMade,
    DeductionRequested,
    DeductionGranted,
    BenefitingStatusNotified,
    RelocationCredited,
    OffsetCredited,
    FinancialContributionPaid,
    AlternativeMeasureDelivered,
)
