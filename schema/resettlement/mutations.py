"""One mutation per resettlement command (URF (EU) 2024/1350), generated from
`ledger.resettlement.commands` like the case and solidarity steps', recorded by the one executor.
On success `caseId` is the plan's or the admission file's id (read it with `admission(id:)`);
`events` are the events recorded."""

from __future__ import annotations

from ledger.resettlement import commands as r
from projections.consistency import Applied
from schema.cases.types import Case
from schema.command_mutations import Step, documented, mutation_type
from schema.context import Context
from schema.resettlement.types import resettlement_event
from schema.timeline.types import TimelineEvent

#: Every resettlement mutation, in the order the schema lists them.
RESETTLEMENT_MUTATIONS: tuple[Step, ...] = (
    documented("adoptUnionResettlementPlan", r.AdoptUnionPlan),
    documented("recordResettlementPlanContribution", r.RecordPlanContribution),
    documented("registerAdmission", r.RegisterAdmission),
    documented("assessAdmission", r.AssessAdmission),
    documented("recordAdmissionConsent", r.RecordAdmissionConsent),
    documented("decideAdmission", r.DecideAdmission),
    documented("recordAdmissionArrival", r.RecordAdmissionArrival),
    documented("discontinueAdmission", r.DiscontinueAdmission),
)


async def read_back(ctx: Context, applied: Applied) -> tuple[Case | None, list[TimelineEvent]]:
    """No asylum case; the events the step recorded, as far as the writer reads them."""
    rows = await ctx.run(ctx.reads.admissions.events_at, applied.outcome.positions)
    return None, [resettlement_event(row) for row in rows]


ResettlementMutation = mutation_type("ResettlementMutation", RESETTLEMENT_MUTATIONS, read_back)
