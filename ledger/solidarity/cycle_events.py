"""The Union-level steps of an annual solidarity cycle (AMMR Arts 9-13, 57, 60, 66)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from eventsourcing.domain import Aggregate

from ledger.solidarity.events import SolidarityEvent, stable
from ledger.solidarity.vocabulary import CycleStage

if TYPE_CHECKING:
    from ledger.solidarity.cycle import SolidarityCycle


class CycleEvent(SolidarityEvent):
    """A step of the cycle; `STAGE` is the stage it enters (None: the stage stays)."""

    STAGE: ClassVar[str | None] = None

    def apply(self, aggregate: SolidarityCycle) -> None:  # type: ignore[override]
        super().apply(aggregate)
        if self.STAGE is not None:
            aggregate.stage = self.STAGE
        aggregate.last_occurred_at = self.envelope.occurred_at


@stable("AnnualReportAdopted")
class AnnualReportAdopted(CycleEvent, Aggregate.Created):
    """The European Annual Asylum and Migration Report (Art 9); opens the cycle of `year`."""

    STAGE = CycleStage.REPORT_ADOPTED.value
    year: int
    report_ref: str

    def apply_step(self, cycle: SolidarityCycle) -> None:
        cycle.reset(self)


@stable("MigratoryPressureDecisionAdopted")
class MigratoryPressureDecisionAdopted(CycleEvent):
    """The Commission's implementing decision (Art 11): who is under migratory pressure, at risk
    of it, or facing a significant migratory situation."""

    STAGE = CycleStage.SITUATION_DECIDED.value
    decision_ref: str
    under_pressure: list[str]
    at_risk: list[str]
    significant_situation: list[str]

    def apply_step(self, cycle: SolidarityCycle) -> None:
        cycle.decided_at = self.envelope.occurred_at
        cycle.under_pressure = list(self.under_pressure)


@stable("FairShareInputsRecorded")
class FairShareInputsRecorded(CycleEvent):
    """Population and GDP (EUR million) of all 27, from Eurostat (Art 66, Annex I); each
    account's `FairShareComputed` cites this event by the cycle's id and version."""

    source: str
    population: dict[str, int]
    gdp_eur_millions: dict[str, int]

    def apply_step(self, cycle: SolidarityCycle) -> None:
        cycle.population = dict(self.population)
        cycle.gdp_eur_millions = dict(self.gdp_eur_millions)


@stable("PoolProposed")
class PoolProposed(CycleEvent):
    """The Commission's proposal (Art 12): reference numbers and indicative shares by the key,
    and any share earmarked for member states under pressure."""

    STAGE = CycleStage.POOL_PROPOSED.value
    proposal_ref: str
    relocations: int
    financial_cents: int
    earmark_percent: Decimal | None
    indicative_relocations: dict[str, int]
    indicative_cents: dict[str, int]


@stable("HighLevelForumConvened")
class HighLevelForumConvened(CycleEvent):
    """A meeting of the High-Level EU Solidarity Forum: 1 for pledging (Art 13(2)), 2 when
    relocation pledges fall short (Art 13(4))."""

    STAGE = CycleStage.FORUM_CONVENED.value
    meeting: int

    def apply_step(self, cycle: SolidarityCycle) -> None:
        cycle.forums[self.meeting] = self.envelope.occurred_at


@stable("AnnualPoolEstablished")
class AnnualPoolEstablished(CycleEvent):
    """The Council implementing act (Art 57): reference numbers, the EUR value of one relocation
    for this cycle, any share for search-and-rescue pressure (57(2)), and each member state's
    pledges as made at the Forum (persons, cents by type)."""

    STAGE = CycleStage.POOL_ESTABLISHED.value
    council_act: str
    relocations: int
    financial_cents: int
    cents_per_relocation: int
    sar_share_percent: Decimal | None
    pledges: dict[str, dict[str, int]]

    def apply_step(self, cycle: SolidarityCycle) -> None:
        cycle.established_at = self.envelope.occurred_at


@stable("CycleClosed")
class CycleClosed(CycleEvent):
    """The cycle's books are closed after its year (Art 60(3))."""

    STAGE = CycleStage.CLOSED.value


#: Every event of this aggregate (each pinned to its stable topic).
EVENTS: tuple[type[SolidarityEvent], ...] = (
    AnnualReportAdopted,
    MigratoryPressureDecisionAdopted,
    FairShareInputsRecorded,
    PoolProposed,
    HighLevelForumConvened,
    AnnualPoolEstablished,
    CycleClosed,
)
