"""`SolidarityAccount`: one member state's solidarity in one cycle, as a ledger of movements.

Steps that depend on the cycle (pledging at the Forum, delivering after the Council act) are
given the `SolidarityCycle` to decide on; the account never loads anything itself. Crediting a
relocation or an offset refuses nothing, but a case credits an account at most once.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from ledger.envelope import LegalBasis, Step
from ledger.errors import RuleViolation
from ledger.solidarity import account_events as ev
from ledger.solidarity import rules
from ledger.solidarity.cycle import SolidarityCycle
from ledger.solidarity.events import RecordsSteps
from ledger.solidarity.parameters import AMMR
from ledger.solidarity.timing import check_after, check_time
from ledger.solidarity.vocabulary import (
    BenefitBasis,
    CycleStage,
    DeductionGround,
    OffsetMode,
    SolidarityType,
)

_NAMESPACE = uuid5(NAMESPACE_URL, "https://pact-ledger.eu/solidarity/account")
PLEDGE_ARTICLE = {SolidarityType.RELOCATION.value: "Art 56(2)(a)",
                  SolidarityType.FINANCIAL.value: "Art 56(2)(b)",
                  SolidarityType.ALTERNATIVE.value: "Art 56(2)(c)"}
DEDUCTION_ARTICLE = {DeductionGround.MIGRATORY_PRESSURE.value: "Art 61",
                     DeductionGround.SIGNIFICANT_MIGRATORY_SITUATION.value: "Art 62"}
BENEFIT_ARTICLE = {BenefitBasis.LISTED_UNDER_PRESSURE.value: "Art 58(1)",
                   BenefitBasis.NEED_NOTIFIED.value: "Art 59(4)"}
OFFSET_ARTICLE = {OffsetMode.REQUESTED.value: "Art 63(1)", OffsetMode.VOLUNTARY.value: "Art 63(2)",
                  OffsetMode.MANDATORY.value: "Art 63(3)"}


class SolidarityAccount(RecordsSteps, Aggregate):
    TOPIC = "pact-ledger:solidarity.Account"

    class Created(Aggregate.Created):
        """Never triggered (accounts open with `AccountOpened`); the library wants a topic."""

        TOPIC = "pact-ledger:solidarity.Account.Created"

    @staticmethod
    def create_id(year: int, member_state: str) -> UUID:  # type: ignore[override]
        """Deterministic: one account per member state per cycle."""
        return uuid5(_NAMESPACE, f"{year}/{member_state}")

    def reset(self, opened: ev.AccountOpened) -> None:
        self.year: int = opened.year
        self.member_state: str = opened.member_state
        self.command_ids: set[str] = set()
        self.credited_cases: set[str] = set()
        self.pledged: dict[str, int] = {}
        self.fair_share: Decimal | None = None
        self.deduction_ground: str | None = None
        self.deduction_requested: Decimal | None = None
        self.deduction_requested_at: datetime | None = None
        self.deduction_granted: Decimal | None = None
        self.benefiting: bool = False

    @classmethod
    def open(cls, step: Step, year: int, member_state: str) -> SolidarityAccount:
        return cls._create(ev.AccountOpened, id=cls.create_id(year, member_state),
                           envelope=step.envelope(LegalBasis(AMMR, "Art 56(1)")),
                           year=year, member_state=member_state)

    def has_credited(self, case_id: UUID) -> bool:
        return str(case_id) in self.credited_cases

    # --- Union-level inputs ----------------------------------------------------------------------
    def record_fair_share(self, step: Step, share: Decimal, population: int,
                          gdp_eur_millions: int, inputs_ref: str) -> None:
        self._record(ev.FairShareComputed, step, "Art 66, Annex I", share=share,
                     population=population, gdp_eur_millions=gdp_eur_millions,
                     inputs_ref=inputs_ref)

    # --- pledges, deductions, benefiting status --------------------------------------------------
    def pledge(self, step: Step, cycle: SolidarityCycle, kind: str, persons: int,
               amount_cents: int, measure: str | None) -> None:
        self._guard(step, cycle)
        if cycle.reached(CycleStage.POOL_ESTABLISHED):
            raise RuleViolation(rules.PLEDGES_FIXED)
        if 1 not in cycle.forums:
            raise RuleViolation(rules.PLEDGE_REQUIRES_FORUM, f"cycle stage is {cycle.stage}")
        check_after(step, cycle.forums[1], "the High-Level Forum met")
        self._record(ev.PledgeMade, step, PLEDGE_ARTICLE[kind], kind=kind, persons=persons,
                     amount_cents=amount_cents, measure=measure)

    def request_deduction(self, step: Step, cycle: SolidarityCycle, ground: str,
                          percent: Decimal, reasons: str) -> None:
        self._guard(step, cycle)
        if not cycle.reached(CycleStage.POOL_ESTABLISHED):
            raise RuleViolation(rules.DEDUCTION_REQUIRES_POOL, f"cycle stage is {cycle.stage}")
        check_after(step, cycle.established_at, "the Council implementing act")
        if self.deduction_requested is not None:
            raise RuleViolation(rules.DEDUCTION_ALREADY_REQUESTED,
                                f"{self.deduction_requested}% requested")
        if self.benefiting and ground == DeductionGround.MIGRATORY_PRESSURE.value:
            raise RuleViolation(rules.DEDUCTION_WHILE_BENEFITING)
        self._record(ev.DeductionRequested, step, DEDUCTION_ARTICLE[ground] + "(1)",
                     ground=ground, percent=percent, reasons=reasons)

    def grant_deduction(self, step: Step, cycle: SolidarityCycle, percent: Decimal,
                        decision_ref: str) -> None:
        self._guard(step, cycle)
        requested = self.deduction_requested
        if requested is None or self.deduction_granted is not None:
            raise RuleViolation(rules.DEDUCTION_NOT_REQUESTED)
        if percent > requested:
            raise RuleViolation(rules.DEDUCTION_EXCEEDS_REQUEST, f"{requested}% requested")
        check_after(step, self.deduction_requested_at, "the deduction was requested")
        self._record(ev.DeductionGranted, step, DEDUCTION_ARTICLE[self.deduction_ground or ""],
                     percent=percent, decision_ref=decision_ref)

    def notify_benefiting(self, step: Step, cycle: SolidarityCycle, basis: str) -> None:
        self._guard(step, cycle)
        if self.benefiting:
            raise RuleViolation(rules.ALREADY_BENEFITING)
        listed = self.member_state in cycle.under_pressure
        if basis == BenefitBasis.LISTED_UNDER_PRESSURE.value and not listed:
            raise RuleViolation(rules.BENEFIT_REQUIRES_LISTING, f"{self.member_state} not listed")
        check_after(step, cycle.decided_at, "the Art 11 decision")
        self._record(ev.BenefitingStatusNotified, step, BENEFIT_ARTICLE[basis], basis=basis)

    # --- deliveries ------------------------------------------------------------------------------
    def pay_financial(self, step: Step, cycle: SolidarityCycle, amount_cents: int,
                      payment_ref: str) -> None:
        self._deliverable(step, cycle, SolidarityType.FINANCIAL)
        self._record(ev.FinancialContributionPaid, step, "Art 56(2)(b)",
                     amount_cents=amount_cents, payment_ref=payment_ref)

    def deliver_alternative(self, step: Step, cycle: SolidarityCycle, measure: str,
                            value_cents: int) -> None:
        self._deliverable(step, cycle, SolidarityType.ALTERNATIVE)
        self._record(ev.AlternativeMeasureDelivered, step, "Art 56(2)(c)", measure=measure,
                     value_cents=value_cents)

    def credit_relocation(self, step: Step, case_id: UUID, benefiting_member_state: str,
                          arrived_at: datetime) -> None:
        """Legal time is the arrival (Art 68(1)), whatever the step's own time."""
        self._record(ev.RelocationCredited, replace(step, occurred_at=arrived_at), "Art 68(1)",
                     case_id=case_id, benefiting_member_state=benefiting_member_state)

    def credit_offset(self, step: Step, case_id: UUID, benefiting_member_state: str, mode: str,
                      at: datetime) -> None:
        self._record(ev.OffsetCredited, replace(step, occurred_at=at), OFFSET_ARTICLE[mode],
                     case_id=case_id, benefiting_member_state=benefiting_member_state, mode=mode)

    # --- shared ----------------------------------------------------------------------------------
    def _guard(self, step: Step, cycle: SolidarityCycle) -> None:
        if cycle.closed:
            raise RuleViolation(rules.CYCLE_CLOSED, f"cycle {cycle.year}")
        check_time(step, last=None)

    def _deliverable(self, step: Step, cycle: SolidarityCycle, kind: SolidarityType) -> None:
        self._guard(step, cycle)
        if not cycle.reached(CycleStage.POOL_ESTABLISHED):
            raise RuleViolation(rules.DELIVERY_REQUIRES_POOL, f"cycle stage is {cycle.stage}")
        check_after(step, cycle.established_at, "the Council implementing act")
        if not self.pledged.get(kind.value):
            raise RuleViolation(rules.DELIVERY_WITHOUT_PLEDGE, kind.value)
