"""One mutation per step of the solidarity cycle and of a member state's account, generated from
`ledger.solidarity.commands` like the case steps'. Each returns `CommandResult`: on success
`aggregateId` (and `caseId`, for clients written for cases) is the cycle's or the account's id and
`events` are the events recorded; or a typed refusal naming the rule and its AMMR article.
Relocations and offsets are credited by the case's own steps only."""

from __future__ import annotations

from ledger.deadlines.lateness import recorded_late
from ledger.solidarity import commands as s
from projections.consistency import Applied
from projections.db import Row
from projections.encoding import parse_time
from schema.cases.types import Case
from schema.command_inputs import InputShape
from schema.command_mutations import Step, mutation_type
from schema.context import Context
from schema.timeline.types import TimelineEvent, timeline_event

#: A solidarity step's inputs name the cycle's year first, then the envelope.
SHAPE = InputShape("Legal time of the step, with a time zone offset; balances are as of it.",
                   envelope_after="year")

#: Every solidarity mutation, in the order the schema lists them.
SOLIDARITY_MUTATIONS: tuple[Step, ...] = (
    Step("adoptAnnualReport", s.AdoptAnnualReport,
         "The annual report is adopted; opens the cycle (AMMR Art 9)."),
    Step("adoptMigratoryPressureDecision", s.AdoptMigratoryPressureDecision,
         "The Commission's decision on migratory pressure (Art 11)."),
    Step("recordFairShareInputs", s.RecordFairShareInputs,
         "Population and GDP of the 27 are recorded and every member state's fair share "
         "computed (Art 66, Annex I)."),
    Step("proposeSolidarityPool", s.ProposePool, "The Commission proposes the pool (Art 12)."),
    Step("conveneSolidarityForum", s.ConveneForum,
         "The High-Level Forum meets (Art 13(2); second: 13(4))."),
    Step("establishSolidarityPool", s.EstablishPool,
         "The Council implementing act establishes the pool, with the pledges made at the "
         "Forum (Art 57)."),
    Step("closeSolidarityCycle", s.CloseCycle, "The cycle is closed after its year (Art 60(3))."),
    Step("makeSolidarityPledge", s.MakePledge,
         "A member state pledges at the Forum (Art 56(2)).",
         "`persons` for RELOCATION; `amountCents` for FINANCIAL and as the EUR value of an "
         "ALTERNATIVE `measure`."),
    Step("requestSolidarityDeduction", s.RequestDeduction,
         "A deduction of the pledges is requested (Arts 61-62)."),
    Step("grantSolidarityDeduction", s.GrantDeduction,
         "A requested deduction is granted (Arts 61-62)."),
    Step("notifyBenefitingStatus", s.NotifyBenefitingStatus,
         "A member state benefits from the pool (Arts 58-59)."),
    Step("recordFinancialContribution", s.RecordFinancialContribution,
         "A financial contribution is paid (Art 56(2)(b))."),
    Step("recordAlternativeMeasure", s.RecordAlternativeMeasure,
         "An alternative solidarity measure is delivered, at its EUR value (Art 56(2)(c))."),
)


def solidarity_event(row: Row) -> TimelineEvent:
    """A solidarity event in the timeline's shape: its stream (`caseId`) is the cycle's or the
    account's; the case-only fields keep their defaults."""
    occurred_at, recorded_at = parse_time(row["occurred_at"]), parse_time(row["recorded_at"])
    assert occurred_at is not None and recorded_at is not None
    return timeline_event(row, "aggregate_id",
                          recorded_late=recorded_late(occurred_at, recorded_at))


async def read_back(ctx: Context, applied: Applied) -> tuple[Case | None, list[TimelineEvent]]:
    """No case; the events the step recorded."""
    rows = await ctx.run(ctx.reads.solidarity.events_at, applied.outcome.positions)
    return None, [solidarity_event(row) for row in rows]


SolidarityMutation = mutation_type("SolidarityMutation", SOLIDARITY_MUTATIONS, read_back, SHAPE)
