"""What a caller asks the solidarity ledger to record: plain data, checked for shape by the
handlers' checks and decided by the cycle and account aggregates. Money is integer euro cents."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated

from ledger.command_meta import Doc
from ledger.solidarity.vocabulary import BenefitBasis, DeductionGround, SolidarityType
from ledger.vocabulary import MemberState


class EuroCents:
    """Marks a command field as money, an integer number of euro cents (an API must carry it
    exactly: GraphQL's `Int` stops at 32 bits)."""


Cents = Annotated[int, EuroCents]
MemberStateCode = Annotated[str, MemberState]
Year = Annotated[int, Doc("The cycle: the year the pool is implemented.")]


# --- the annual cycle ----------------------------------------------------------------------------
@dataclass(frozen=True)
class AdoptAnnualReport:
    year: Year
    report_ref: str


@dataclass(frozen=True)
class AdoptMigratoryPressureDecision:
    year: Year
    decision_ref: str
    under_pressure: tuple[MemberStateCode, ...] = ()
    at_risk: tuple[MemberStateCode, ...] = ()
    significant_situation: tuple[MemberStateCode, ...] = ()


@dataclass(frozen=True)
class KeyInput:
    member_state: MemberStateCode
    population: int
    gdp_eur_millions: int


@dataclass(frozen=True)
class RecordFairShareInputs:
    """All 27 member states' inputs to the Annex I key; computes every account's fair share."""

    year: Year
    source: Annotated[str, Doc("Where the figures come from (e.g. Eurostat).")]
    inputs: Annotated[tuple[KeyInput, ...], Doc("All 27 member states.")]


@dataclass(frozen=True)
class ProposePool:
    year: Year
    proposal_ref: str
    relocations: int
    financial_cents: Cents
    earmark_percent: Decimal | None = None


@dataclass(frozen=True)
class ConveneForum:
    year: Year
    meeting: Annotated[int, Doc("1 (Art 13(2)) or 2 (Art 13(4)).")] = 1


@dataclass(frozen=True)
class EstablishPool:
    """The Council implementing act; the pledges it sets out are those made at the Forum."""

    year: Year
    council_act: str
    relocations: int
    financial_cents: Cents
    cents_per_relocation: Cents
    sar_share_percent: Decimal | None = None


@dataclass(frozen=True)
class CloseCycle:
    year: Year


# --- a member state's account --------------------------------------------------------------------
@dataclass(frozen=True)
class MakePledge:
    """`persons` for a RELOCATION pledge; `amount_cents` for FINANCIAL, and as the EUR value of an
    ALTERNATIVE `measure`."""

    year: Year
    member_state: MemberStateCode
    kind: Annotated[str, SolidarityType]
    persons: int = 0
    amount_cents: Cents = 0
    measure: str | None = None


@dataclass(frozen=True)
class RequestDeduction:
    year: Year
    member_state: MemberStateCode
    ground: Annotated[str, DeductionGround]
    percent: Decimal
    reasons: str


@dataclass(frozen=True)
class GrantDeduction:
    year: Year
    member_state: MemberStateCode
    percent: Decimal
    decision_ref: str


@dataclass(frozen=True)
class NotifyBenefitingStatus:
    year: Year
    member_state: MemberStateCode
    basis: Annotated[str, BenefitBasis]


@dataclass(frozen=True)
class RecordFinancialContribution:
    year: Year
    member_state: MemberStateCode
    amount_cents: Cents
    payment_ref: str


@dataclass(frozen=True)
class RecordAlternativeMeasure:
    year: Year
    member_state: MemberStateCode
    measure: str
    value_cents: Cents
