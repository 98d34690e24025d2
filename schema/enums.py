"""The ledger's vocabularies as GraphQL enums, each with its legal source in the description."""

from __future__ import annotations

import strawberry

from ledger.personal_data.bases import ERASURE_BASES, ErasureBasisCode
from ledger.vocabulary import (
    AppealOutcome,
    CaseStatus,
    ClosureReason,
    DecisionType,
    EurodacCategory,
    MemberState,
    Procedure,
    ResponsibilityCause,
    ScreeningOutcome,
    ScreeningTrigger,
)

MemberStateEnum = strawberry.enum(
    MemberState,
    name="MemberState",
    description="EU member state, by the EU's own country codes (Greece is EL).",
)
CaseStatusEnum = strawberry.enum(
    CaseStatus, name="CaseStatus", description="Where a case stands; derived from its events."
)
ProcedureEnum = strawberry.enum(
    Procedure, name="Procedure", description="Examination procedure (APR (EU) 2024/1348)."
)
DecisionTypeEnum = strawberry.enum(
    DecisionType, name="DecisionType", description="First-instance decision type (APR Arts 35-41)."
)
ScreeningTriggerEnum = strawberry.enum(
    ScreeningTrigger,
    name="ScreeningTrigger",
    description="Why a person is screened (Screening Regulation Art 5, Art 7).",
)
ScreeningOutcomeEnum = strawberry.enum(
    ScreeningOutcome,
    name="ScreeningOutcome",
    description="Where the screening form refers the person (Screening Regulation Art 18).",
)
AppealOutcomeEnum = strawberry.enum(
    AppealOutcome, name="AppealOutcome", description="How an appeal was disposed of (APR Art 67)."
)
ClosureReasonEnum = strawberry.enum(
    ClosureReason, name="ClosureReason", description="Why a case was closed."
)
EurodacCategoryEnum = strawberry.enum(
    EurodacCategory, name="EurodacCategory",
    description="Eurodac data category (Regulation (EU) 2024/1358), which sets retention.")
ResponsibilityCauseEnum = strawberry.enum(
    ResponsibilityCause, name="ResponsibilityCause",
    description="Why responsibility moves to this member state (AMMR Art 37(1)).")
ErasureBasisEnum = strawberry.enum(
    ErasureBasisCode, name="ErasureBasis",
    description="Legal basis of an erasure of personal data: " + "; ".join(
        f"{b.code}: {b.act} {b.article}{'' if b.confirmed else ' (unconfirmed)'}"
        for b in ERASURE_BASES.values()))
