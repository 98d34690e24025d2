"""The ledger's vocabularies as GraphQL enums, each with its legal source in the description.

Import a vocabulary from here, not from the ledger, wherever the schema uses it as a GraphQL
type: `strawberry.enum` turns the ledger's own class into the GraphQL enum in place, and this
module is where that happens for each (the name imported from here is the ledger's class). The
generated inputs (`schema.command_inputs`) accept only the vocabularies of `VOCABULARIES`.
"""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

import strawberry

from ledger.case.monitoring.values import (
    AllegationSource,
    InvestigationOutcome,
    MonitoredRight,
    Referral,
)
from ledger.case.safeguards.values import (
    InterpreterRefusalGround,
    LegalAidKind,
    LegalAidRefusalGround,
)
from ledger.case.withdrawal.values import WithdrawalGround
from ledger.deadlines.deadline import DeadlineStatus
from ledger.personal_data.bases import ERASURE_BASES, ErasureBasisCode
from ledger.resettlement.vocabulary import (
    AdmissionProcedure,
    AdmissionStatus,
    AdmissionType,
    DiscontinuanceReason,
    ProtectionStatus,
    ReferringBody,
    RefusalGround,
)
from ledger.solidarity.vocabulary import (
    BalanceEffect,
    BenefitBasis,
    CycleStage,
    DeductionGround,
    OffsetMode,
    SolidarityType,
)
from ledger.vocabulary import (
    AppealOutcome,
    CaseStatus,
    ClosureReason,
    CrisisKind,
    DecisionType,
    EurodacCategory,
    MemberState,
    Procedure,
    ResponsibilityCause,
    ScreeningOutcome,
    ScreeningTrigger,
)
from schema.custody_enums import CUSTODY_VOCABULARIES

__all__ = [
    "VOCABULARIES", "AppealOutcome", "BalanceEffect", "BenefitBasis", "CaseStatus",
    "ClosureReason", "CrisisKind", "CycleStage", "DeadlineStatus", "DecisionType",
    "DeductionGround", "EurodacCategory", "MemberState", "OffsetMode", "Procedure",
    "ResponsibilityCause", "ScreeningOutcome", "ScreeningTrigger", "SolidarityType",
    "AdmissionType", "AdmissionProcedure", "AdmissionStatus", "ReferringBody", "RefusalGround",
    "ProtectionStatus", "DiscontinuanceReason",
]

strawberry.enum(
    MemberState,
    name="MemberState",
    description="EU member state, by the EU's own country codes (Greece is EL).",
)
strawberry.enum(
    CaseStatus, name="CaseStatus", description="Where a case stands; derived from its events."
)
strawberry.enum(
    Procedure, name="Procedure", description="Examination procedure (APR (EU) 2024/1348)."
)
strawberry.enum(
    DecisionType, name="DecisionType",
    description="First-instance decision type (APR Arts 35-41).",
)
strawberry.enum(
    ScreeningTrigger,
    name="ScreeningTrigger",
    description="Why a person is screened (Screening Regulation Art 5, Art 7).",
)
strawberry.enum(
    ScreeningOutcome,
    name="ScreeningOutcome",
    description="Where the screening form refers the person (Screening Regulation Art 18).",
)
strawberry.enum(
    AppealOutcome, name="AppealOutcome", description="How an appeal was disposed of (APR Art 67)."
)
strawberry.enum(
    ClosureReason, name="ClosureReason", description="Why a case was closed."
)
strawberry.enum(
    EurodacCategory, name="EurodacCategory",
    description="Eurodac data category (Regulation (EU) 2024/1358), which sets retention.")
strawberry.enum(
    ResponsibilityCause, name="ResponsibilityCause",
    description="Why responsibility moves to this member state (AMMR Art 37(1)).")
strawberry.enum(
    CrisisKind, name="CrisisKind",
    description="Kind of crisis situation (Crisis Regulation (EU) 2024/1359 Art 1).")
strawberry.enum(
    DeadlineStatus, name="DeadlineStatus",
    description="Where a deadline stands at the moment of the query (legal time decides).")

strawberry.enum(
    SolidarityType, name="SolidarityType",
    description="Type of solidarity measure (AMMR Art 56(2)): relocations are counted in "
                "persons, financial contributions and alternative measures in euro cents.")
strawberry.enum(
    CycleStage, name="SolidarityCycleStage",
    description="Where an annual solidarity cycle stands (AMMR Arts 9-13, 57).")
strawberry.enum(
    OffsetMode, name="OffsetMode", description="Paragraph of AMMR Art 63 an offset falls under.")
strawberry.enum(
    DeductionGround, name="DeductionGround",
    description="Why pledges are deducted: migratory pressure (AMMR Art 61) or a significant "
                "migratory situation (Art 62).")
strawberry.enum(
    BenefitBasis, name="BenefitBasis",
    description="How a member state benefits from the pool: listed under migratory pressure "
                "(AMMR Art 58) or its notified need confirmed (Art 59).")
strawberry.enum(
    BalanceEffect, name="SolidarityEffect", description="What an entry does to a balance line.")
strawberry.enum(
    ErasureBasisCode, name="ErasureBasis",
    description="Legal basis of an erasure of personal data: " + "; ".join(
        f"{b.code}: {b.act} {b.article}{'' if b.confirmed else ' (unconfirmed)'}"
        for b in ERASURE_BASES.values()))

for vocabulary, description in (
        (AdmissionType, "Kind of admission the Union plan counts (URF (EU) 2024/1350 Art 8)."),
        (AdmissionProcedure, "Ordinary or expedited admission procedure (URF; article "
                             "unconfirmed)."),
        (AdmissionStatus, "Where an admission file stands; derived from its events."),
        (ReferringBody, "Who referred the person for admission."),
        (RefusalGround, "Mandatory ground for refusing admission (URF Art 6(1)(a)-(f))."),
        (ProtectionStatus, "Status granted to an admitted person on arrival."),
        (DiscontinuanceReason, "Why an admission procedure stopped before the arrival.")):
    strawberry.enum(vocabulary, name=vocabulary.__name__, description=description)
# Issue 11 part 5 (p5b): safeguards, monitoring, withdrawal.
strawberry.enum(LegalAidKind, name="LegalAidKind",
                description="Free legal counselling (APR Art 16) or assistance on appeal (Art 17).")
strawberry.enum(LegalAidRefusalGround, name="LegalAidRefusalGround",
                description="Ground to refuse free legal aid (APR Art 17(2); Art 16 unconfirmed).")
strawberry.enum(InterpreterRefusalGround, name="InterpreterRefusalGround",
                description="Why no interpreter is provided (APR Art 8(2); unconfirmed).")
strawberry.enum(AllegationSource, name="AllegationSource",
                description="Who brought an allegation to the monitoring mechanism (Screening "
                            "Art 10(2)).")
strawberry.enum(MonitoredRight, name="MonitoredRight",
                description="What the monitoring mechanism monitors (Screening Art 10(2)(a)).")
strawberry.enum(InvestigationOutcome, name="InvestigationOutcome",
                description="What a monitoring investigation found (Screening Art 10(2)(b)).")
strawberry.enum(Referral, name="Referral",
                description="Referral for civil or criminal proceedings (Screening Art 10(1)).")
strawberry.enum(WithdrawalGround, name="WithdrawalGround",
                description="Ground to withdraw protection (QR (EU) 2024/1347 Arts 11, 14, 16, "
                            "19).")

#: Every vocabulary the schema shows, for the inputs generated from commands.
VOCABULARIES: frozenset[type[Enum]] = frozenset({
    MemberState, CaseStatus, Procedure, DecisionType, ScreeningTrigger, ScreeningOutcome,
    AppealOutcome, ClosureReason, EurodacCategory, ResponsibilityCause, CrisisKind, DeadlineStatus,
    SolidarityType, CycleStage, OffsetMode, DeductionGround, BenefitBasis, BalanceEffect,
    ErasureBasisCode, AdmissionType, AdmissionProcedure, AdmissionStatus, ReferringBody,
    RefusalGround, ProtectionStatus, DiscontinuanceReason,
    *CUSTODY_VOCABULARIES,  # issue 11 part 5: detention, reception, age assessment
    ErasureBasisCode,
    LegalAidKind, LegalAidRefusalGround, InterpreterRefusalGround, AllegationSource,
    MonitoredRight, InvestigationOutcome, Referral, WithdrawalGround,
})


_E = TypeVar("_E", bound=Enum)


def enum_or_none(enum: type[_E], value: str | None) -> _E | None:
    """A stored vocabulary code as its GraphQL enum (null stays null): read models keep the
    code as text, outputs give the enum the inputs take."""
    return None if value is None else enum(value)
