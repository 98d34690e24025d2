"""The annual solidarity cycle as GraphQL types, built from a `CycleView` (the cycle as it stood
at a date)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import strawberry

from projections.encoding import parse_time
from projections.solidarity_cycle import CycleView
from schema.enums import CycleStage, MemberState, SolidarityType
from schema.global_ids import CYCLE, Node, global_id
from schema.scalars import Cents

Step = dict[str, Any]  # a cycle step's payload, with its `occurred_at` (see `CycleView`)


def _time(text: str) -> datetime:
    return parse_time(text)  # type: ignore[return-value]


def _decimal(text: str | None) -> Decimal | None:
    return Decimal(text) if text is not None else None


def _states(codes: list[str]) -> list[MemberState]:
    return [MemberState(code) for code in codes]


@strawberry.type(description="The Commission's implementing decision (AMMR Art 11).")
class PressureDecision:
    ref: str
    adopted_at: datetime
    under_pressure: list[MemberState]
    at_risk: list[MemberState]
    significant_situation: list[MemberState]

    @staticmethod
    def of(step: Step) -> PressureDecision:
        return PressureDecision(
            ref=step["decision_ref"], adopted_at=_time(step["occurred_at"]),
            under_pressure=_states(step["under_pressure"]), at_risk=_states(step["at_risk"]),
            significant_situation=_states(step["significant_situation"]))


@strawberry.type(description="One member state's inputs to the reference key (Annex I).")
class FairShareFigures:
    member_state: MemberState
    population: int
    gdp_eur_millions: int


@strawberry.type(description="Population and GDP of the 27, as recorded (AMMR Art 66).")
class FairShareInputs:
    source: str
    recorded_at: datetime
    inputs: list[FairShareFigures]

    @staticmethod
    def of(step: Step) -> FairShareInputs:
        return FairShareInputs(
            source=step["source"], recorded_at=_time(step["occurred_at"]),
            inputs=[FairShareFigures(member_state=MemberState(ms), population=n,
                             gdp_eur_millions=step["gdp_eur_millions"][ms])
                    for ms, n in sorted(step["population"].items())])


@strawberry.type(description="A member state's indicative share of the proposal (by the key).")
class IndicativeShare:
    member_state: MemberState
    relocations: int
    financial_cents: Cents


@strawberry.type(description="The Commission's proposal for the pool (AMMR Art 12).")
class PoolProposal:
    ref: str
    proposed_at: datetime
    relocations: int
    financial_cents: Cents
    earmark_percent: Decimal | None = strawberry.field(
        description="Share earmarked for the member states under migratory pressure.")
    indicative_shares: list[IndicativeShare]

    @staticmethod
    def of(step: Step) -> PoolProposal:
        return PoolProposal(
            ref=step["proposal_ref"], proposed_at=_time(step["occurred_at"]),
            relocations=step["relocations"], financial_cents=step["financial_cents"],
            earmark_percent=_decimal(step["earmark_percent"]),
            indicative_shares=[
                IndicativeShare(member_state=MemberState(ms), relocations=n,
                                financial_cents=step["indicative_cents"][ms])
                for ms, n in sorted(step["indicative_relocations"].items())])


@strawberry.type(description="A meeting of the High-Level EU Solidarity Forum (AMMR Art 13).")
class ForumMeeting:
    meeting: int
    convened_at: datetime


@strawberry.type(description="A member state's pledges as set out in the Council act.")
class PoolPledge:
    member_state: MemberState
    relocations: int
    financial_cents: Cents
    alternative_cents: Cents


@strawberry.type(description="The Council implementing act establishing the pool (AMMR Art 57).")
class EstablishedPool:
    council_act: str
    established_at: datetime
    relocations: int
    financial_cents: Cents
    cents_per_relocation: Cents = strawberry.field(
        description="The EUR value of one relocation for this cycle, in cents.")
    sar_share_percent: Decimal | None = strawberry.field(
        description="Share set aside for member states under search-and-rescue pressure (57(2)).")
    pledges: list[PoolPledge]

    @staticmethod
    def of(step: Step) -> EstablishedPool:
        return EstablishedPool(
            council_act=step["council_act"], established_at=_time(step["occurred_at"]),
            relocations=step["relocations"], financial_cents=step["financial_cents"],
            cents_per_relocation=step["cents_per_relocation"],
            sar_share_percent=_decimal(step["sar_share_percent"]),
            pledges=[PoolPledge(member_state=MemberState(ms),
                                relocations=p.get(SolidarityType.RELOCATION.value, 0),
                                financial_cents=p.get(SolidarityType.FINANCIAL.value, 0),
                                alternative_cents=p.get(SolidarityType.ALTERNATIVE.value, 0))
                     for ms, p in sorted(step["pledges"].items())])


@strawberry.type(description="An annual solidarity cycle, as it stood at `asOf` (or now).")
class SolidarityCycle(Node):
    cycle_id: strawberry.ID = strawberry.field(
        description="The cycle's aggregate id, as mutations' `aggregateId` gives it.")
    year: int
    stage: CycleStage
    version: int
    updated_at: datetime = strawberry.field(description="Legal time of its latest step.")
    annual_report_ref: str
    annual_report_adopted_at: datetime
    decision: PressureDecision | None
    fair_share_inputs: FairShareInputs | None
    proposal: PoolProposal | None
    forums: list[ForumMeeting]
    pool: EstablishedPool | None
    closed_at: datetime | None

    @staticmethod
    def of(view: CycleView) -> SolidarityCycle:
        def part(event_type: str, build: Any) -> Any:
            step = view.step(event_type)
            return build(step) if step else None

        report, closed = view.steps["AnnualReportAdopted"], view.step("CycleClosed")
        return SolidarityCycle(
            id=global_id(CYCLE, view.year), cycle_id=strawberry.ID(view.cycle_id),
            year=view.year, stage=CycleStage(view.stage),
            version=view.version, updated_at=_time(view.updated_at),
            annual_report_ref=report["report_ref"],
            annual_report_adopted_at=_time(report["occurred_at"]),
            decision=part("MigratoryPressureDecisionAdopted", PressureDecision.of),
            fair_share_inputs=part("FairShareInputsRecorded", FairShareInputs.of),
            proposal=part("PoolProposed", PoolProposal.of),
            forums=[ForumMeeting(meeting=m, convened_at=_time(t))
                    for m, t in sorted(view.forums.items())],
            pool=part("AnnualPoolEstablished", EstablishedPool.of),
            closed_at=_time(closed["occurred_at"]) if closed else None,
        )
