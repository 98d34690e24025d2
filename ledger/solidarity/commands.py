"""What a caller asks the solidarity ledger to record: plain data, checked for shape by the
handlers' checks and decided by the cycle and account aggregates. Money is integer euro cents."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


# --- the annual cycle ----------------------------------------------------------------------------
@dataclass(frozen=True)
class AdoptAnnualReport:
    year: int
    report_ref: str


@dataclass(frozen=True)
class AdoptMigratoryPressureDecision:
    year: int
    decision_ref: str
    under_pressure: tuple[str, ...] = ()
    at_risk: tuple[str, ...] = ()
    significant_situation: tuple[str, ...] = ()


@dataclass(frozen=True)
class KeyInput:
    member_state: str
    population: int
    gdp_eur_millions: int


@dataclass(frozen=True)
class RecordFairShareInputs:
    """All 27 member states' inputs to the Annex I key; computes every account's fair share."""

    year: int
    source: str
    inputs: tuple[KeyInput, ...]


@dataclass(frozen=True)
class ProposePool:
    year: int
    proposal_ref: str
    relocations: int
    financial_cents: int
    earmark_percent: Decimal | None = None


@dataclass(frozen=True)
class ConveneForum:
    year: int
    meeting: int = 1


@dataclass(frozen=True)
class EstablishPool:
    """The Council implementing act; the pledges it sets out are those made at the Forum."""

    year: int
    council_act: str
    relocations: int
    financial_cents: int
    cents_per_relocation: int
    sar_share_percent: Decimal | None = None


@dataclass(frozen=True)
class CloseCycle:
    year: int


# --- a member state's account --------------------------------------------------------------------
@dataclass(frozen=True)
class MakePledge:
    """`persons` for a RELOCATION pledge; `amount_cents` for FINANCIAL, and as the EUR value of an
    ALTERNATIVE `measure`."""

    year: int
    member_state: str
    kind: str
    persons: int = 0
    amount_cents: int = 0
    measure: str | None = None


@dataclass(frozen=True)
class RequestDeduction:
    year: int
    member_state: str
    ground: str
    percent: Decimal
    reasons: str


@dataclass(frozen=True)
class GrantDeduction:
    year: int
    member_state: str
    percent: Decimal
    decision_ref: str


@dataclass(frozen=True)
class NotifyBenefitingStatus:
    year: int
    member_state: str
    basis: str


@dataclass(frozen=True)
class RecordFinancialContribution:
    year: int
    member_state: str
    amount_cents: int
    payment_ref: str


@dataclass(frozen=True)
class RecordAlternativeMeasure:
    year: int
    member_state: str
    measure: str
    value_cents: int
