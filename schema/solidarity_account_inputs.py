"""Inputs of the mutations on a member state's account in a cycle."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from ledger.solidarity import commands as c
from ledger.solidarity.vocabulary import BenefitBasis, DeductionGround, SolidarityType
from ledger.vocabulary import MemberState
from schema.solidarity_enums import Cents
from schema.solidarity_inputs import SolidarityStepInput


@strawberry.input
class AccountStepInput(SolidarityStepInput):
    member_state: MemberState


@strawberry.input(description="`persons` for RELOCATION; `amountCents` for FINANCIAL and as the "
                              "EUR value of an ALTERNATIVE `measure`.")
class MakeSolidarityPledgeInput(AccountStepInput):
    type: SolidarityType
    persons: int = 0
    amount_cents: Cents = 0
    measure: str | None = None

    def command(self) -> c.MakePledge:
        return c.MakePledge(self.year, self.member_state.value, self.type.value, self.persons,
                            self.amount_cents, self.measure)


@strawberry.input
class RequestSolidarityDeductionInput(AccountStepInput):
    ground: DeductionGround
    percent: Decimal
    reasons: str

    def command(self) -> c.RequestDeduction:
        return c.RequestDeduction(self.year, self.member_state.value, self.ground.value,
                                  self.percent, self.reasons)


@strawberry.input
class GrantSolidarityDeductionInput(AccountStepInput):
    percent: Decimal
    decision_ref: str

    def command(self) -> c.GrantDeduction:
        return c.GrantDeduction(self.year, self.member_state.value, self.percent,
                                self.decision_ref)


@strawberry.input
class NotifyBenefitingStatusInput(AccountStepInput):
    basis: BenefitBasis

    def command(self) -> c.NotifyBenefitingStatus:
        return c.NotifyBenefitingStatus(self.year, self.member_state.value, self.basis.value)


@strawberry.input
class RecordFinancialContributionInput(AccountStepInput):
    amount_cents: Cents
    payment_ref: str

    def command(self) -> c.RecordFinancialContribution:
        return c.RecordFinancialContribution(self.year, self.member_state.value,
                                             self.amount_cents, self.payment_ref)


@strawberry.input
class RecordAlternativeMeasureInput(AccountStepInput):
    measure: str
    value_cents: Cents

    def command(self) -> c.RecordAlternativeMeasure:
        return c.RecordAlternativeMeasure(self.year, self.member_state.value, self.measure,
                                          self.value_cents)
