"""`UnionPlan`: the two-year Union Resettlement and Humanitarian Admission Plan (URF Art 8) and
the member states' contributions to it, one stream per period."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from ledger.case.guards import check_time
from ledger.deadlines.calendars import calendar_of
from ledger.envelope import LegalBasis, Step
from ledger.errors import RuleViolation
from ledger.resettlement import events as ev
from ledger.resettlement import rules
from ledger.resettlement.parameters import PLAN_YEARS, URF

_NAMESPACE = uuid5(NAMESPACE_URL, "https://pact-ledger.eu/resettlement/plan")


def legal_year(moment: datetime, member_state: str | None = None) -> int:
    """The year of `moment` in the member state's calendar (Brussels time for the Union)."""
    zone = calendar_of(member_state or "BE").zone
    return moment.astimezone(zone).year


class UnionPlan(Aggregate):
    TOPIC = "pact-ledger:resettlement.UnionPlan"

    if TYPE_CHECKING:
        period_start: int
        period_end: int
        contributions: dict[str, tuple[int, int, int]]
        command_ids: set[str]
        last_occurred_at: datetime

    class Created(Aggregate.Created):
        """Never triggered (a plan opens with `UnionPlanAdopted`); the library wants a topic."""

        TOPIC = "pact-ledger:resettlement.UnionPlan.Created"

    @staticmethod
    def create_id(period_start: int) -> UUID:  # type: ignore[override]
        return uuid5(_NAMESPACE, str(period_start))

    def has_processed(self, command_id: str) -> bool:
        return command_id in self.command_ids

    def covers(self, moment: datetime, member_state: str) -> bool:
        return self.period_start <= legal_year(moment, member_state) <= self.period_end

    @classmethod
    def adopt(cls, step: Step, period_start: int, council_act: str, resettlement: int,
              humanitarian: int, emergency: int, neighbours: list[Any]) -> UnionPlan:
        """`neighbours`: the plans of the adjoining periods that exist (a plan overlapping
        this period is refused: one plan covers each year)."""
        check_time(step, last=None)
        if neighbours:
            raise RuleViolation(rules.PLAN_ALREADY_ADOPTED,
                                f"the plan from {neighbours[0].period_start} covers part of it")
        if legal_year(step.occurred_at) != period_start - 1:
            raise RuleViolation(rules.PLAN_ADOPTED_OUT_OF_TIME,
                                f"a plan for {period_start}-{period_start + PLAN_YEARS - 1} is "
                                f"adopted in {period_start - 1}")
        return cls._create(ev.UnionPlanAdopted, id=cls.create_id(period_start),
                           envelope=step.envelope(LegalBasis(URF, "Art 8(1)")),
                           period_start=period_start, period_end=period_start + PLAN_YEARS - 1,
                           council_act=council_act, resettlement=resettlement,
                           humanitarian_admission=humanitarian, emergency_admission=emergency)

    def record_contribution(self, step: Step, member_state: str, resettlement: int,
                            humanitarian: int, emergency: int) -> None:
        check_time(step, last=self.last_occurred_at)
        self.trigger_event(ev.PlanContributionRecorded,
                           envelope=step.envelope(LegalBasis(URF, "Arts 1(4), 8(3)")),
                           member_state=member_state, resettlement=resettlement,
                           humanitarian_admission=humanitarian, emergency_admission=emergency)
