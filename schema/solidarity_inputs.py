"""Inputs of the cycle's mutations, and the envelope every solidarity step carries. Each input
turns into its command. Money is `Cents` (see `schema.solidarity_enums`), hence explicit inputs
rather than ones generated from the commands (GraphQL's `Int` cannot hold EUR 420 million in
cents)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from ledger.command_meta import CommandMeta
from ledger.envelope import Actor
from ledger.envelope import LegalBasis as LegalBasisValue
from ledger.solidarity import commands as c
from ledger.vocabulary import MemberState
from schema.command_inputs import LegalBasisInput
from schema.solidarity_enums import Cents


@strawberry.input(description="Envelope fields common to every step.")
class SolidarityStepInput:
    year: int = strawberry.field(description="The cycle: the year the pool is implemented.")
    occurred_at: datetime = strawberry.field(
        description="Legal time of the step, with a time zone offset; balances are as of it.")
    command_id: str | None = strawberry.field(
        default=None, description="Idempotency key: the same commandId is never recorded twice.")
    correlation_id: str | None = strawberry.field(
        default=None, description="Groups the steps of one conversation or operation.")
    causation_id: str | None = strawberry.field(
        default=None, description="The message that caused this step.")
    legal_basis: list[LegalBasisInput] = strawberry.field(
        default_factory=list,
        description="Further provisions, beside the one the ledger records for the step.")
    evidence_refs: list[str] = strawberry.field(
        default_factory=list, description="References to documents, recordings, reports.")

    def meta(self, actor: Actor) -> CommandMeta:
        return CommandMeta(
            actor=actor, occurred_at=self.occurred_at, command_id=self.command_id,
            correlation_id=self.correlation_id, causation_id=self.causation_id,
            legal_basis=tuple(LegalBasisValue(b.act, b.article) for b in self.legal_basis),
            evidence_refs=tuple(self.evidence_refs))


@strawberry.input
class AdoptAnnualReportInput(SolidarityStepInput):
    report_ref: str

    def command(self) -> c.AdoptAnnualReport:
        return c.AdoptAnnualReport(self.year, self.report_ref)


@strawberry.input
class AdoptMigratoryPressureDecisionInput(SolidarityStepInput):
    decision_ref: str
    under_pressure: list[MemberState] = strawberry.field(default_factory=list)
    at_risk: list[MemberState] = strawberry.field(default_factory=list)
    significant_migratory_situation: list[MemberState] = strawberry.field(default_factory=list)

    def command(self) -> c.AdoptMigratoryPressureDecision:
        return c.AdoptMigratoryPressureDecision(
            self.year, self.decision_ref, tuple(m.value for m in self.under_pressure),
            tuple(m.value for m in self.at_risk),
            tuple(m.value for m in self.significant_migratory_situation))


@strawberry.input(description="One member state's population and GDP (EUR million).")
class FairShareFiguresInput:
    member_state: MemberState
    population: int
    gdp_eur_millions: int


@strawberry.input
class RecordFairShareInputsInput(SolidarityStepInput):
    source: str = strawberry.field(description="Where the figures come from (e.g. Eurostat).")
    inputs: list[FairShareFiguresInput] = strawberry.field(description="All 27 member states.")

    def command(self) -> c.RecordFairShareInputs:
        return c.RecordFairShareInputs(self.year, self.source, tuple(
            c.KeyInput(i.member_state.value, i.population, i.gdp_eur_millions)
            for i in self.inputs))


@strawberry.input
class ProposeSolidarityPoolInput(SolidarityStepInput):
    proposal_ref: str
    relocations: int
    financial_cents: Cents
    earmark_percent: Decimal | None = None

    def command(self) -> c.ProposePool:
        return c.ProposePool(self.year, self.proposal_ref, self.relocations,
                             self.financial_cents, self.earmark_percent)


@strawberry.input
class ConveneSolidarityForumInput(SolidarityStepInput):
    meeting: int = strawberry.field(default=1, description="1 (Art 13(2)) or 2 (Art 13(4)).")

    def command(self) -> c.ConveneForum:
        return c.ConveneForum(self.year, self.meeting)


@strawberry.input
class EstablishSolidarityPoolInput(SolidarityStepInput):
    council_act: str
    relocations: int
    financial_cents: Cents
    cents_per_relocation: Cents
    sar_share_percent: Decimal | None = None

    def command(self) -> c.EstablishPool:
        return c.EstablishPool(self.year, self.council_act, self.relocations,
                               self.financial_cents, self.cents_per_relocation,
                               self.sar_share_percent)


@strawberry.input
class CloseSolidarityCycleInput(SolidarityStepInput):
    def command(self) -> c.CloseCycle:
        return c.CloseCycle(self.year)
