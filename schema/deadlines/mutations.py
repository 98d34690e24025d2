"""Mutations that record a member state's crisis periods (Crisis Regulation (EU) 2024/1359),
generated from `ledger.crisis.commands` like the case steps'. Each returns `CommandResult`; on
success `aggregateId` holds the member state's crisis-regime id (there is no case, and the period
itself is read back with `crisisPeriods`)."""

from __future__ import annotations

from ledger.crisis import commands as cc
from schema.cases.mutations import read_back
from schema.command_mutations import Step, mutation_type


def _first_paragraph(command: type) -> str:
    return (command.__doc__ or "").split("\n\n")[0]


#: Every crisis mutation, in the order the schema lists them.
CRISIS_MUTATIONS: tuple[Step, ...] = (
    Step("declareCrisis", cc.DeclareCrisis,
         "A crisis or force-majeure period is declared with the derogations authorised "
         "(Crisis Regulation Art 4).", _first_paragraph(cc.DeclareCrisis)),
    Step("extendCrisis", cc.ExtendCrisis,
         "The running period is extended, once (Art 5(2)).", _first_paragraph(cc.ExtendCrisis)),
    Step("endCrisis", cc.EndCrisis,
         "The running period ends at the step's legal time.", _first_paragraph(cc.EndCrisis)),
)

CrisisMutation = mutation_type("CrisisMutation", CRISIS_MUTATIONS, read_back)
