"""The ledger's vocabularies as GraphQL enums, each with its legal source in the description.

Import a vocabulary from here, not from the ledger, wherever the schema uses it as a GraphQL type:
`strawberry.enum` turns the ledger's own class into the GraphQL enum, so the name imported from
here is that class, and importing it here is what makes it one. The generated inputs
(`schema.command_inputs`) accept only the vocabularies of `VOCABULARIES`.
"""

from __future__ import annotations

from enum import Enum

import strawberry

from ledger import vocabulary as v
from ledger.deadlines import deadline as d
from ledger.solidarity import vocabulary as s

MemberState = strawberry.enum(
    v.MemberState,
    name="MemberState",
    description="EU member state, by the EU's own country codes (Greece is EL).",
)
CaseStatus = strawberry.enum(
    v.CaseStatus, name="CaseStatus", description="Where a case stands; derived from its events."
)
Procedure = strawberry.enum(
    v.Procedure, name="Procedure", description="Examination procedure (APR (EU) 2024/1348)."
)
DecisionType = strawberry.enum(
    v.DecisionType, name="DecisionType",
    description="First-instance decision type (APR Arts 35-41).",
)
ScreeningTrigger = strawberry.enum(
    v.ScreeningTrigger,
    name="ScreeningTrigger",
    description="Why a person is screened (Screening Regulation Art 5, Art 7).",
)
ScreeningOutcome = strawberry.enum(
    v.ScreeningOutcome,
    name="ScreeningOutcome",
    description="Where the screening form refers the person (Screening Regulation Art 18).",
)
AppealOutcome = strawberry.enum(
    v.AppealOutcome, name="AppealOutcome", description="How an appeal was disposed of (APR Art 67)."
)
ClosureReason = strawberry.enum(
    v.ClosureReason, name="ClosureReason", description="Why a case was closed."
)
EurodacCategory = strawberry.enum(
    v.EurodacCategory, name="EurodacCategory",
    description="Eurodac data category (Regulation (EU) 2024/1358), which sets retention.")
ResponsibilityCause = strawberry.enum(
    v.ResponsibilityCause, name="ResponsibilityCause",
    description="Why responsibility moves to this member state (AMMR Art 37(1)).")
CrisisKind = strawberry.enum(
    v.CrisisKind, name="CrisisKind",
    description="Kind of crisis situation (Crisis Regulation (EU) 2024/1359 Art 1).")
DeadlineStatus = strawberry.enum(
    d.DeadlineStatus, name="DeadlineStatus",
    description="Where a deadline stands at the moment of the query (legal time decides).")

SolidarityType = strawberry.enum(
    s.SolidarityType, name="SolidarityType",
    description="Type of solidarity measure (AMMR Art 56(2)): relocations are counted in "
                "persons, financial contributions and alternative measures in euro cents.")
CycleStage = strawberry.enum(
    s.CycleStage, name="SolidarityCycleStage",
    description="Where an annual solidarity cycle stands (AMMR Arts 9-13, 57).")
OffsetMode = strawberry.enum(
    s.OffsetMode, name="OffsetMode", description="Paragraph of AMMR Art 63 an offset falls under.")
DeductionGround = strawberry.enum(
    s.DeductionGround, name="DeductionGround",
    description="Why pledges are deducted: migratory pressure (AMMR Art 61) or a significant "
                "migratory situation (Art 62).")
BenefitBasis = strawberry.enum(
    s.BenefitBasis, name="BenefitBasis",
    description="How a member state benefits from the pool: listed under migratory pressure "
                "(AMMR Art 58) or its notified need confirmed (Art 59).")
BalanceEffect = strawberry.enum(
    s.BalanceEffect, name="SolidarityEffect", description="What an entry does to a balance line.")

#: Every vocabulary the schema shows, for the inputs generated from commands.
VOCABULARIES: frozenset[type[Enum]] = frozenset({
    MemberState, CaseStatus, Procedure, DecisionType, ScreeningTrigger, ScreeningOutcome,
    AppealOutcome, ClosureReason, EurodacCategory, ResponsibilityCause, CrisisKind, DeadlineStatus,
    SolidarityType, CycleStage, OffsetMode, DeductionGround, BenefitBasis, BalanceEffect,
})
