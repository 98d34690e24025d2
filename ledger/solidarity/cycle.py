"""`SolidarityCycle`: the Union-level steps of one year's solidarity cycle, in their legal order.

Command methods check the rules (each refusal names its AMMR article) and trigger the events of
`ledger.solidarity.cycle_events`, which change the state. Legal time moves forward only.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from ledger.envelope import LegalBasis, Step
from ledger.errors import RuleViolation
from ledger.solidarity import cycle_events as ev
from ledger.solidarity import rules
from ledger.solidarity.events import RecordsSteps
from ledger.solidarity.fair_share import apportion, reference_key
from ledger.solidarity.parameters import AMMR, DEFAULT_POOL_MINIMUM, PoolMinimum
from ledger.solidarity.timing import check_time
from ledger.solidarity.vocabulary import CycleStage

_NAMESPACE = uuid5(NAMESPACE_URL, "https://pact-ledger.eu/solidarity/cycle")
_ORDER = [stage.value for stage in CycleStage]


class SolidarityCycle(RecordsSteps, Aggregate):
    TOPIC = "pact-ledger:solidarity.Cycle"

    class Created(Aggregate.Created):
        """Never triggered (cycles open with `AnnualReportAdopted`); the library wants a topic."""

        TOPIC = "pact-ledger:solidarity.Cycle.Created"

    @staticmethod
    def create_id(year: int) -> UUID:  # type: ignore[override]
        """Deterministic: one cycle per year."""
        return uuid5(_NAMESPACE, str(year))

    def reset(self, opened: ev.AnnualReportAdopted) -> None:
        """The state the rules read (the events hold the rest of each step)."""
        self.year: int = opened.year
        self.stage: str = CycleStage.REPORT_ADOPTED.value
        self.command_ids: set[str] = set()
        self.last_occurred_at: datetime = opened.envelope.occurred_at
        self.decided_at: datetime | None = None
        self.under_pressure: list[str] = []
        self.population: dict[str, int] = {}
        self.gdp_eur_millions: dict[str, int] = {}
        self.forums: dict[int, datetime] = {}
        self.established_at: datetime | None = None

    @classmethod
    def open(cls, step: Step, year: int, report_ref: str) -> SolidarityCycle:
        check_time(step, last=None)
        return cls._create(ev.AnnualReportAdopted, id=cls.create_id(year),
                           envelope=step.envelope(LegalBasis(AMMR, "Art 9")),
                           year=year, report_ref=report_ref)

    # --- what other steps ask of the cycle -------------------------------------------------------
    def reached(self, stage: CycleStage) -> bool:
        return _ORDER.index(self.stage) >= _ORDER.index(stage.value)

    @property
    def closed(self) -> bool:
        return self.stage == CycleStage.CLOSED.value

    def key(self) -> dict[str, Fraction]:
        """The exact Annex I key from the recorded inputs (empty until they are recorded)."""
        return reference_key(self.population, self.gdp_eur_millions) if self.population else {}

    # --- the steps -------------------------------------------------------------------------------
    def adopt_pressure_decision(self, step: Step, decision_ref: str, under_pressure: list[str],
                                at_risk: list[str], significant: list[str]) -> None:
        self._guard(step)
        if self.reached(CycleStage.SITUATION_DECIDED):
            raise RuleViolation(rules.DECISION_ALREADY_ADOPTED)
        self._record(ev.MigratoryPressureDecisionAdopted, step, "Art 11",
                     decision_ref=decision_ref, under_pressure=under_pressure, at_risk=at_risk,
                     significant_situation=significant)

    def record_key_inputs(self, step: Step, source: str, population: dict[str, int],
                          gdp_eur_millions: dict[str, int]) -> None:
        self._guard(step)
        if self.reached(CycleStage.POOL_PROPOSED):
            raise RuleViolation(rules.KEY_INPUTS_AFTER_PROPOSAL, _stage(self))
        self._record(ev.FairShareInputsRecorded, step, "Art 66, Annex I", source=source,
                     population=population, gdp_eur_millions=gdp_eur_millions)

    def propose_pool(self, step: Step, proposal_ref: str, relocations: int, financial_cents: int,
                     earmark_percent: Decimal | None,
                     minimum: PoolMinimum = DEFAULT_POOL_MINIMUM) -> None:
        self._guard(step)
        if self.reached(CycleStage.POOL_PROPOSED):
            raise RuleViolation(rules.POOL_ALREADY_PROPOSED)
        if not self.reached(CycleStage.SITUATION_DECIDED):
            raise RuleViolation(rules.PROPOSAL_REQUIRES_DECISION, _stage(self))
        key = self.key()
        if not key:
            raise RuleViolation(rules.PROPOSAL_REQUIRES_KEY)
        if relocations < minimum.relocations or financial_cents < minimum.financial_cents:
            raise RuleViolation(
                rules.PROPOSAL_BELOW_MINIMUM,
                f"minimum {minimum.relocations} relocations and "
                f"EUR {minimum.financial_cents // 100:,}",
            )
        self._record(ev.PoolProposed, step, "Art 12", proposal_ref=proposal_ref,
                     relocations=relocations, financial_cents=financial_cents,
                     earmark_percent=earmark_percent,
                     indicative_relocations=apportion(relocations, key),
                     indicative_cents=apportion(financial_cents, key))

    def convene_forum(self, step: Step, meeting: int) -> None:
        self._guard(step)
        if meeting in self.forums:
            raise RuleViolation(rules.FORUM_ALREADY_CONVENED, f"meeting {meeting}")
        if meeting == 1 and not self.reached(CycleStage.POOL_PROPOSED):
            raise RuleViolation(rules.FORUM_REQUIRES_PROPOSAL, _stage(self))
        if meeting == 2 and 1 not in self.forums:
            raise RuleViolation(rules.SECOND_FORUM_REQUIRES_FIRST)
        article = "Art 13(2)" if meeting == 1 else "Art 13(4)"
        self._record(ev.HighLevelForumConvened, step, article, meeting=meeting)

    def establish_pool(self, step: Step, council_act: str, relocations: int,
                       financial_cents: int, cents_per_relocation: int,
                       sar_share_percent: Decimal | None,
                       pledges: dict[str, dict[str, int]]) -> None:
        """`pledges`: each member state's pledges as made at the Forum (from its account)."""
        self._guard(step)
        if self.reached(CycleStage.POOL_ESTABLISHED):
            raise RuleViolation(rules.POOL_ALREADY_ESTABLISHED)
        if 1 not in self.forums:
            raise RuleViolation(rules.POOL_REQUIRES_FORUM, _stage(self))
        self._record(ev.AnnualPoolEstablished, step, "Art 57", council_act=council_act,
                     relocations=relocations, financial_cents=financial_cents,
                     cents_per_relocation=cents_per_relocation,
                     sar_share_percent=sar_share_percent, pledges=pledges)

    def close(self, step: Step) -> None:
        self._guard(step)
        if not self.reached(CycleStage.POOL_ESTABLISHED):
            raise RuleViolation(rules.CLOSE_REQUIRES_POOL, _stage(self))
        if step.occurred_at < datetime(self.year + 1, 1, 1, tzinfo=UTC):
            raise RuleViolation(rules.YEAR_NOT_ENDED, f"the {self.year} cycle runs to 31 December")
        self._record(ev.CycleClosed, step, "Art 60(3)")

    # --- shared ----------------------------------------------------------------------------------
    def _guard(self, step: Step) -> None:
        if self.closed:
            raise RuleViolation(rules.CYCLE_CLOSED, f"cycle {self.year}")
        check_time(step, last=self.last_occurred_at)


def _stage(cycle: SolidarityCycle) -> str:
    return f"cycle stage is {cycle.stage}"
